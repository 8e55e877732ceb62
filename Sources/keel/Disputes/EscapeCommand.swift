import ArgumentParser
import Foundation
import KeelCore
import KeelJSONRPC
import KeelKernel

/// `keel escape status|trigger|exit|refund`: leaving a rollup whose operator stopped or censors
/// (docs/FAULT_PROOFS.md, §6), through the manifest's settlement layer.
struct EscapeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escape",
        abstract: "The escape hatch: fire it when the rollup stalls, then exit balances and refund deposits on L1.",
        subcommands: [Status.self, Trigger.self, Exit.self, Refund.self])

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Whether the hatch fired, or may fire now and why.")
        @Option(name: .long, help: "The rollup's manifest (default: manifests/devnet.yaml when it exists).")
        var manifest: String?

        func run() throws {
            try reportingUserErrors {
                let answer = try EscapeCommand.call(manifest, "escape.status", [:], command: "keel escape status")
                if answer["fired"] as? Bool == true {
                    print("fired at L1 block \(answer["fired_l1_block"] ?? "?"): frozen at L2 block \(answer["frozen_block"] ?? "?"), root \(answer["frozen_root"] ?? "?")")
                } else if let reason = answer["may_fire"] {
                    print("may fire now: \(reason)")
                } else {
                    print("may not fire (L1 head \(answer["l1_head"] ?? "?")): deposits are included in time and batches become final")
                }
            }
        }
    }

    struct Trigger: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fire the hatch (anyone may, once the rollup has stalled).")
        @Option(name: .long, help: "The rollup's manifest (default: manifests/devnet.yaml when it exists).")
        var manifest: String?

        func run() throws {
            try reportingUserErrors {
                let answer = try EscapeCommand.call(manifest, "escape.trigger", [:], command: "keel escape trigger")
                print("the escape hatch fired at L1 block \(answer["fired_l1_block"] ?? "?"): \(answer["reason"] ?? "")")
                print("frozen at L2 block \(answer["frozen_block"] ?? "?"), root \(answer["frozen_root"] ?? "?"); exit with `keel escape exit ADDRESS`")
            }
        }
    }

    struct Exit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pay ADDRESS its whole balance in the frozen root, once.",
            discussion: "The state proof comes from any node that holds the frozen block (a follower you run yourself will do).")
        @Argument(help: "The account to pay (its L1 address is the same).")
        var address: String
        @Option(name: .long, help: "The rollup's manifest (default: manifests/devnet.yaml when it exists).")
        var manifest: String?
        @OptionGroup var endpoint: RPCEndpointOptions

        func run() async throws {
            try await reportingUserErrors {
                let command = "keel escape exit"
                guard let account = Address(hex: address) else { throw UserError("\(command): \(address) is not a 20-byte address") }
                let status = try EscapeCommand.call(manifest, "escape.status", [:], command: command)
                guard status["fired"] as? Bool == true, let block = (status["frozen_block"] as? NSNumber)?.uint64Value else {
                    throw UserError("\(command): the escape hatch has not fired; withdraw through L2 (`keel withdraw`)")
                }
                let node = NodeConnection(command: command, url: endpoint.url)
                defer { node.shutdown() }
                let proof = try await node.call("keel_getProof", [.string(account.description), .quantity(block)])
                guard !proof.isNull, !(try proof.member("value")).isNull else {
                    throw UserError("\(command): \(account) holds nothing in the frozen state (L2 block \(block)): there is nothing to exit")
                }
                let answer = try EscapeCommand.call(manifest, "escape.exit", ["account": account.description, "value": Hex.encode(try proof.data("value")),
                                                                            "proof": Hex.encode(try proof.data("proof"))], command: command)
                print("exited \(account): paid \(WeiAmount.format(UInt128(answer["paid"] as? String ?? "0") ?? 0)) on L1 from the frozen root (L2 block \(block))")
            }
        }
    }

    struct Refund: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Return an unconsumed deposit to its L1 sender, once.")
        @Argument(help: "The deposit's index (`keel l1 status` lists them).")
        var deposit: UInt64
        @Option(name: .long, help: "The rollup's manifest (default: manifests/devnet.yaml when it exists).")
        var manifest: String?

        func run() throws {
            try reportingUserErrors {
                let answer = try EscapeCommand.call(manifest, "escape.refund", ["deposit": deposit], command: "keel escape refund")
                print("refunded deposit \(deposit): \(WeiAmount.format(UInt128(answer["paid"] as? String ?? "0") ?? 0))")
            }
        }
    }

    /// A settlement call on the manifest's bridge.
    static func call(_ manifest: String?, _ method: String, _ fields: [String: Any], command: String) throws -> [String: Any] {
        try DisputesCommand.call(try ManifestChoice.path(manifest, command: command), method, fields, command: command)
    }
}
