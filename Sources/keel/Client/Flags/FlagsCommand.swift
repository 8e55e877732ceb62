import ArgumentParser
import Foundation
import KeelJSONRPC
import KeelKernel

/// `keel flags list|set|kill`: a running node's feature flags through its admin API
/// (docs/FLAGS.md), authorized by the node's admin token.
struct FlagsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flags",
        abstract: "List, set and kill a running node's feature flags (admin API).",
        subcommands: [FlagsListCommand.self, FlagsSetCommand.self, FlagsKillCommand.self, FlagsAuditCommand.self])
}

/// What every `flags` command needs: the node and its admin token.
struct AdminOptions: ParsableArguments {
    @OptionGroup var endpoint: RPCEndpointOptions

    @Option(name: .long, help: ArgumentHelp("The node's admin token (default: the manifest's DATA_DIR/admin.token).",
                                            valueName: "file"))
    var tokenFile: String?

    @Option(name: .long, help: "The rollup's manifest, to find the token (default: manifests/devnet.yaml when it exists).")
    var manifest: String?

    /// The token file: `--token-file`, else `admin.token` in the manifest's data directory.
    func tokenPath(command: String) throws(UserError) -> String {
        if let tokenFile { return tokenFile }
        guard manifest != nil || FileManager.default.fileExists(atPath: ManifestChoice.devnet) else {
            throw UserError("\(command): no admin token: pass --token-file FILE (the node writes DATA_DIR/admin.token at first start) "
                            + "or --manifest FILE to use its data directory's token")
        }
        let path = try ManifestChoice.path(manifest, command: command)
        do {
            let loaded = try ManifestLoader.load(path: path)
            return (loaded.manifest.node.dataDirectory.resolved as NSString).appendingPathComponent("admin.token")
        } catch {
            throw UserError("\(error.description)\n\(command): cannot find the admin token through the manifest \(path); "
                            + "fix it or pass --token-file FILE")
        }
    }

    /// A connection that sends the token as `Authorization: Bearer …`.
    func connect(command: String) throws(UserError) -> NodeConnection {
        let path = try tokenPath(command: command)
        let token = try ClientArguments.secretLine(at: path, what: "the admin token file", command: command,
                                                   hint: "the node writes it at first start (`keel up`); pass --token-file to use another")
        return NodeConnection(command: command, url: endpoint.url, bearerToken: token)
    }

    /// Calls an admin method; an authorization refusal says which token file was used.
    func call(_ method: String, _ params: [JSONValue], command: String) async throws(UserError) -> RPCReply {
        let node = try connect(command: command)
        defer { node.shutdown() }
        switch try await node.callKeepingRefusal(method, params) {
        case .success(let reply):
            return reply
        case .failure(let refusal) where refusal.code == RPCError.unauthorized("").code:
            throw UserError("\(command): the node at \(node.url) refused the admin token from \(try tokenPath(command: command)): "
                            + "\(refusal.message); pass the running node's DATA_DIR/admin.token with --token-file")
        case .failure(let refusal):
            throw UserError("\(command): \(refusal.message)")
        }
    }
}

/// `keel flags list`.
struct FlagsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the flags and their settings.")

    @OptionGroup var admin: AdminOptions

    @Flag(name: .long, help: "Print the node's answer as JSON.")
    var json = false

    func run() async throws {
        try await reportingUserErrors {
            let reply = try await admin.call("admin_listFlags", [], command: "keel flags list")
            if json {
                print(JSONText.pretty(reply.value))
                return
            }
            FlagListing.lines(reply.value).forEach { print($0) }
        }
    }
}

/// `keel flags set NAME (--percent P | --height H)`.
struct FlagsSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set a rollout flag's share (--percent) or schedule a consensus flag (--height).",
        discussion: "A consensus flag can only be scheduled far enough ahead of the node's height (docs/FLAGS.md).")

    @Argument(help: "The flag's name, as the manifest's `features:` declares it.")
    var name: String

    @Option(name: .long, help: "A rollout flag's share of subjects, 0 to 100 (up to two decimals).")
    var percent: String?

    @Option(name: .long, help: "The block height a consensus flag activates at.")
    var height: UInt64?

    @OptionGroup var admin: AdminOptions

    func validate() throws {
        switch (percent, height) {
        case (nil, nil): throw ValidationError("give --percent P (a rollout flag) or --height H (a consensus flag)")
        case (.some, .some): throw ValidationError("give --percent or --height, not both")
        default: break
        }
        if let percent {
            guard FlagListing.isPercent(percent) else {
                throw ValidationError("--percent \(percent) is not a share; give a number from 0 to 100 with at most two decimals, e.g. 12.5")
            }
        }
    }

    func run() async throws {
        try await reportingUserErrors {
            var request: [String: JSONValue] = ["name": .string(name)]
            if let percent { request["percent"] = .number(percent) }
            if let height { request["activate_at_height"] = .integer(height) }
            let reply = try await admin.call("admin_setFlag", [.object(request)], command: "keel flags set")
            if let percent {
                print("set \(name) to \(percent)% (rollout)")
            } else if let height {
                print("scheduled \(name) to activate at height \(height) (consensus)")
            }
            FlagListing.result(reply.value).forEach { print($0) }
        }
    }
}

/// `keel flags kill NAME`.
struct FlagsKillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill",
        abstract: "Switch a flag off at once: a rollout flag to 0%, a consensus flag not yet active unscheduled.")

    @Argument(help: "The flag's name.")
    var name: String

    @OptionGroup var admin: AdminOptions

    func run() async throws {
        try await reportingUserErrors {
            let reply = try await admin.call("admin_killFlag", [.object(["name": .string(name)])], command: "keel flags kill")
            print("killed \(name)")
            FlagListing.result(reply.value).forEach { print($0) }
        }
    }
}

/// `keel flags audit`: every recorded change, with the guard's reason when a guard turned a flag off.
struct FlagsAuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "List every recorded flag change, oldest first.")

    @OptionGroup var admin: AdminOptions

    @Flag(name: .long, help: "Print the node's answer as JSON.")
    var json = false

    func run() async throws {
        try await reportingUserErrors {
            let reply = try await admin.call("admin_flagAudit", [], command: "keel flags audit")
            if json {
                print(JSONText.pretty(reply.value))
            } else {
                FlagListing.audit(reply.value).forEach { print($0) }
            }
        }
    }
}
