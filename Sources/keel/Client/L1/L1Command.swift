import ArgumentParser
import Foundation
import KeelCore
import KeelKernel

/// `keel l1 status|deposit|advance`: the settlement layer a manifest names, reached through its
/// bridge plugin (for the `local` bridge, the shared SQLite L1), without a running node.
struct L1Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "l1",
        abstract: "Read the settlement layer, queue deposits and move a development L1's clock.",
        subcommands: [L1StatusCommand.self, L1DepositCommand.self, L1AdvanceCommand.self])
}

/// `--manifest FILE` for the `l1` commands.
struct L1ManifestOptions: ParsableArguments {
    @Option(name: .long, help: "The rollup's manifest (default: manifests/devnet.yaml when it exists).")
    var manifest: String?

    /// Opens the manifest's bridge plugin.
    func open(command: String) throws(UserError) -> L1Bridge {
        try L1Bridge.open(manifestPath: try ManifestChoice.path(manifest, command: command), command: command)
    }
}

/// `keel l1 status [--manifest FILE]`: the L1 head, batches recorded and final, deposits queued.
struct L1StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the L1 head, the batches recorded and final, and the deposits queued.")

    @OptionGroup var options: L1ManifestOptions

    func run() throws {
        try reportingUserErrors {
            let command = "keel l1 status"
            let bridge = try options.open(command: command)
            let head = try bridge.perform(command) { client throws(PluginCallError) in try client.l1Head() }
            let batches = try bridge.perform(command) { client throws(PluginCallError) in try client.batchCount() }
            let deposits = try bridge.perform(command) { client throws(PluginCallError) in try Self.depositCount(client) }
            let time = Date(timeIntervalSince1970: TimeInterval(head.timestamp))
            print("L1 of chain \(bridge.manifest.rollup.chainID) (\(bridge.label))")
            print("head:              block \(head.number) at \(time.formatted(.iso8601)) (\(Hex.encode(head.hash)))")
            print("batches recorded:  \(batches.count)")
            print("batches final:     \(batches.final)")
            print("deposits queued:   \(deposits)")
            print("development L1:    \(bridge.client.isDevelopmentL1 ? "yes (deposit and advance available)" : "no")")
        }
    }

    /// How many deposits the bridge holds: deposits are numbered from 0 without gaps, so this is
    /// the first index with none, found by doubling then bisecting (a few reads for any count).
    static func depositCount(_ client: BridgeClient) throws(PluginCallError) -> UInt64 {
        func exists(_ index: UInt64) throws(PluginCallError) -> Bool { !(try client.deposits(from: index, limit: 1)).isEmpty }
        guard try exists(0) else { return 0 }
        var low: UInt64 = 0
        var high: UInt64 = 1
        while try exists(high) {
            low = high
            guard high < UInt64.max / 2 else { return high }
            high *= 2
        }
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if try exists(middle) { low = middle } else { high = middle }
        }
        return high
    }
}

/// `keel l1 deposit --to ADDRESS --value AMOUNT [--from ADDRESS] [--manifest FILE]`: queues a
/// deposit on a development L1, as an L1 user would; the node includes it in its next blocks.
struct L1DepositCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deposit",
        abstract: "Queue a deposit to an L2 account on a development L1.")

    @Option(name: .long, help: "The L2 recipient: 0x and 40 hex digits.")
    var to: String

    @Option(name: .long, help: ArgumentHelp("The amount: wei as an integer, or a decimal with a unit (1.5eth, 20gwei, 7wei).",
                                            valueName: "amount"))
    var value: String

    @Option(name: .long, help: "The L1 sender recorded with the deposit (default: the recipient).")
    var from: String?

    @OptionGroup var options: L1ManifestOptions

    func run() throws {
        try reportingUserErrors {
            let command = "keel l1 deposit"
            let recipient = try ClientArguments.address(to, "--to", command: command)
            let sender = try from.map { text throws(UserError) in try ClientArguments.address(text, "--from", command: command) } ?? recipient
            let amount: UInt128
            do throws(UserError) { amount = try WeiAmount.parse(value) } catch { throw UserError("\(command): \(error.message)") }
            guard amount > 0 else {
                throw UserError("\(command): a deposit of 0 wei is refused: it would take a place in the forced-inclusion queue "
                                + "for nothing; give --value above 0")
            }
            let bridge = try options.open(command: command)
            guard bridge.client.isDevelopmentL1 else {
                throw UserError("\(command): \(bridge.label) is not a development L1, so it takes no deposits from `keel`; "
                                + "deposit through the settlement layer's own contract")
            }
            let index = try bridge.perform(command) { client throws(PluginCallError) in
                try client.devDeposit(from: sender.bytes, to: recipient.bytes, amount: amount)
            }
            let head = try bridge.perform(command) { client throws(PluginCallError) in try client.l1Head() }
            print("queued deposit \(index) at L1 block \(head.number): \(WeiAmount.format(amount)) from \(sender) (L1) to \(recipient) (L2)")
            print("the node includes it in its next block")
        }
    }
}

/// `keel l1 advance [BLOCKS] [--manifest FILE]`: moves a development L1's head forward.
struct L1AdvanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advance",
        abstract: "Move a development L1's head forward by BLOCKS blocks (default 1).")

    @Argument(help: "How many blocks, 1 or more.")
    var blocks: UInt64 = 1

    @OptionGroup var options: L1ManifestOptions

    func validate() throws {
        guard blocks > 0 else { throw ValidationError("BLOCKS must be 1 or more") }
    }

    func run() throws {
        try reportingUserErrors {
            let command = "keel l1 advance"
            let bridge = try options.open(command: command)
            guard bridge.client.isDevelopmentL1 else {
                throw UserError("\(command): \(bridge.label) is not a development L1; its blocks come at its own pace")
            }
            let before = try bridge.perform(command) { client throws(PluginCallError) in try client.l1Head() }
            try bridge.perform(command) { client throws(PluginCallError) in try client.devAdvance(blocks: blocks) }
            let after = try bridge.perform(command) { client throws(PluginCallError) in try client.l1Head() }
            print("advanced the L1 by \(blocks) block\(blocks == 1 ? "" : "s"): head \(before.number) → \(after.number)")
        }
    }
}
