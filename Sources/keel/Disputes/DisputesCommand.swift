import ArgumentParser
import Foundation
import KeelCore
import KeelKernel
import KeelNode

/// `keel disputes list|show MANIFEST`: the dispute games on the manifest's settlement layer.
struct DisputesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disputes",
        abstract: "Show the dispute games on the settlement layer: sides, range, clocks, bonds and outcomes.",
        subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the games, newest last.")

        @Argument(help: "The rollup's manifest.")
        var manifest: String

        @Option(name: .long, help: "Only the games against this batch.")
        var batch: UInt64?

        func run() throws {
            try reportingUserErrors {
                var body: [String: Any] = [:]
                if let batch { body["batch"] = batch }
                let answer = try DisputesCommand.call(manifest, "game.list", body, command: "keel disputes list")
                let games = answer["games"] as? [[String: Any]] ?? []
                print("L1 head \(answer["l1_head"] ?? "?"): \(games.count) game\(games.count == 1 ? "" : "s")")
                for game in games { print(DisputeSummary.line(game)) }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one game in full, as JSON.")

        @Argument(help: "The rollup's manifest.")
        var manifest: String

        @Argument(help: "The game's id.")
        var game: Int64

        func run() throws {
            try reportingUserErrors {
                let answer = try DisputesCommand.call(manifest, "game.show", ["game": game], command: "keel disputes show")
                let data = try JSONSerialization.data(withJSONObject: answer, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }

    /// A settlement call on the manifest's bridge, answered as a JSON object.
    static func call(_ manifest: String, _ method: String, _ fields: [String: Any], command: String) throws -> [String: Any] {
        let l1 = try L1Bridge.open(manifestPath: manifest, command: command)
        var body = fields
        body["method"] = method
        let request = try SettlementCall.request(body: body, chainID: l1.manifest.rollup.chainID)
        let bytes = try l1.perform(command) { client throws(PluginCallError) in try client.call(request) }
        return try SettlementCall.response(bytes)
    }
}
