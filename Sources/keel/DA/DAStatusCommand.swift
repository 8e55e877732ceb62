import ArgumentParser
import Foundation
import KeelJSONRPC

/// `keel da status [--rpc URL] [--json]`: the node's DA providers in order of preference, which
/// one takes batches now, failovers and swaps (`keel_daStatus`).
struct DAStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the node's DA providers, failovers and swaps.")

    @OptionGroup var endpoint: RPCEndpointOptions

    @Flag(name: .long, help: "Print the node's answer as JSON.")
    var json = false

    func run() async throws {
        try await reportingUserErrors {
            let node = NodeConnection(command: "keel da status", url: endpoint.url)
            defer { node.shutdown() }
            let reply = try await node.call("keel_daStatus")
            if json {
                print(JSONText.pretty(reply.value))
                return
            }
            print(Self.text(reply.value))
        }
    }

    static func text(_ status: JSONValue) -> String {
        var lines = ["current provider: \(status["current"]?.stringValue ?? "none")", ""]
        let providers = status["providers"]?.arrayValue ?? []
        lines += textTable(["PROVIDER", "ID", "ORDER", "STATE", "ERRORS", "LAST ERROR"], providers.map { provider in
            let order = provider["preference"].flatMap { $0.integerValue }.map { String($0 + 1) } ?? "reads only"
            let state = provider["current"]?.boolValue == true ? "current" : provider["passedOver"]?.boolValue == true ? "passed over" : "standby"
            return [provider["name"]?.stringValue ?? "?", provider["id"]?.stringValue ?? "?", order, state,
                    provider["consecutiveErrors"].flatMap { $0.integerValue }.map(String.init) ?? "0",
                    provider["lastError"]?.stringValue ?? ""]
        })
        let failovers = status["failovers"]?.arrayValue ?? []
        lines.append("")
        lines.append("failovers: \(failovers.isEmpty ? "none" : String(failovers.count))")
        for failover in failovers {
            lines.append("  \(failover["from"]?.stringValue ?? "?") → \(failover["to"]?.stringValue ?? "none"): \(failover["reason"]?.stringValue ?? "")")
        }
        let swaps = status["swaps"]?.arrayValue ?? []
        lines.append("swaps: \(swaps.isEmpty ? "none" : String(swaps.count))")
        for swap in swaps {
            lines.append("  at height \(swap["height"].flatMap { $0.integerValue } ?? 0), from batch \(swap["batchIndex"].flatMap { $0.integerValue } ?? 0): "
                         + "\(swap["provider"]?.stringValue ?? "?") (config \(swap["configHash"]?.stringValue ?? "?"), by \(swap["source"]?.stringValue ?? "?"))")
        }
        return lines.joined(separator: "\n")
    }
}
