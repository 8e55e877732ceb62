import ArgumentParser
import Foundation
import KeelJSONRPC

/// `keel role start|stop ROLE`: starts or stops one of a running node's roles through the admin API
/// (`admin_startRole`, `admin_stopRole`); `keel status` shows every role's state.
struct RoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "role",
        abstract: "Start or stop a running node's role (sequencer, batcher, proposer, attestor).",
        subcommands: [RoleStartCommand.self, RoleStopCommand.self])
}

struct RoleStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start a role the node can play.")

    @Argument(help: "The role: sequencer, batcher, proposer, attestor or follower.")
    var role: String

    @OptionGroup var admin: AdminOptions

    func run() async throws { try await RoleChange.run(role, running: true, admin: admin) }
}

struct RoleStopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop a role: its loop steps no more until started.")

    @Argument(help: "The role: sequencer, batcher, proposer, attestor or follower.")
    var role: String

    @OptionGroup var admin: AdminOptions

    func run() async throws { try await RoleChange.run(role, running: false, admin: admin) }
}

enum RoleChange {
    static func run(_ role: String, running: Bool, admin: AdminOptions) async throws {
        let command = running ? "keel role start" : "keel role stop"
        try await reportingUserErrors {
            let reply = try await admin.call(running ? "admin_startRole" : "admin_stopRole", [.object(["role": .string(role)])], command: command)
            print("\(reply.value["role"]?.stringValue ?? role): \(reply.value["state"]?.stringValue ?? "?")")
        }
    }
}
