import ArgumentParser
import Foundation
import KeelJSONRPC

/// `keel status [--rpc URL] [--json]`: the node's `keel_status` as a short summary (or as JSON).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a running node's height, state root, batches, DA provider, flags, mempool and L1 head.")

    @OptionGroup var endpoint: RPCEndpointOptions

    @Flag(name: .long, help: "Print the node's answer as JSON.")
    var json = false

    func run() async throws {
        try await reportingUserErrors {
            let node = NodeConnection(command: "keel status", url: endpoint.url)
            defer { node.shutdown() }
            let reply = try await node.call("keel_status")
            guard let fields = reply.value.objectValue else {
                throw UserError("keel status: the node at \(node.url) answered keel_status with \(reply.value.kind), not an object; "
                                + "is the URL a Keel node?")
            }
            if json {
                print(JSONText.pretty(reply.value))
                return
            }
            print("node at \(node.url)")
            for line in StatusSummary.lines(fields) { print(line) }
        }
    }
}

/// The readable form of `keel_status`: known fields first, with labels and in a fixed order,
/// then anything else the node reports, so a newer node's fields are still shown.
enum StatusSummary {
    /// (label, field) in the order shown; the field names are those of docs/RPC.md.
    static let known: [(label: String, key: String)] = [
        ("chain id", "chainId"),
        ("mode", "mode"),
        ("height", "height"),
        ("state root", "stateRoot"),
        ("batches posted", "batchCount"),
        ("batches final", "finalBatchCount"),
        ("last batched block", "lastBatchedBlock"),
        ("DA provider", "daProvider"),
        ("active flags", "activeFlags"),
        ("pending txs", "pendingTransactions"),
        ("L1 head", "l1Head"),
        ("next deposit", "nextDepositIndex"),
        ("roles", "roles"),
        ("plugins", "plugins"),
        ("disputes", "disputes"),
    ]

    static func lines(_ fields: [String: JSONValue]) -> [String] {
        var rows: [(String, String)] = []
        var shown = Set<String>()
        for (label, key) in known {
            guard let value = fields[key] else { continue }
            shown.insert(key)
            rows.append((label, text(value)))
        }
        for key in fields.keys.sorted() where !shown.contains(key) {
            if let value = fields[key] { rows.append((key, text(value))) }
        }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { "  " + ($0.0 + ":").padding(toLength: width + 1, withPad: " ", startingAt: 0) + "  " + $0.1 }
    }

    /// A JSON value in words: quantities in decimal, lists joined, null as "none".
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return "none"
        case .bool(let flag): return flag ? "yes" : "no"
        case .number(let number): return number
        case .string(let string):
            if string.count > 2, string.count <= 34, string.hasPrefix("0x"),
               let quantity = try? EthereumHex.decodeQuantity128(string) {
                return String(quantity)
            }
            return string
        case .array(let items): return items.isEmpty ? "none" : items.map(text).joined(separator: ", ")
        case .object: return JSONText.compact(value)
        }
    }
}
