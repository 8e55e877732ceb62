import Foundation
import KeelCore
import KeelJSONRPC
import KeelKernel
import KeelPluginTesting
import Testing

/// An optimistic rollup with real processes (docs/FAULT_PROOFS.md): `keel up` posting a wrong root
/// on purpose at batch 1, `keel challenge` deriving the chain from the shared L1 and DA, and the
/// L1 read directly from its SQLite file: the game, the rejection, the chain posted again, the
/// payout, and `keel disputes list`.
@Suite struct ChallengeTests {
    /// A manifest of mode `optimistic` whose L1 clock moves only when the test says.
    struct OptimisticRollup {
        let folder: String
        let manifest: String
        let challengerKey: String
        var l1Path: String { folder + "/l1.sqlite" }

        init(label: String) throws {
            folder = try TestProcess.temporaryFolder("optimistic-\(label)")
            let sequencer = try NodeAccount.sequencer()
            let sender = try NodeAccount.named("optimistic-sender")
            for name in ["sequencer.key", "proposer.key"] { try KeelProcess.writeSecret(sequencer.keyHex + "\n", to: folder + "/" + name) }
            challengerKey = folder + "/challenger.key"
            try KeelProcess.writeSecret(try NodeAccount.named("optimistic-challenger").keyHex + "\n", to: challengerKey)
            manifest = folder + "/rollup.yaml"
            try """
            rollup: { name: e2e-\(label), chain_id: 901, mode: optimistic }
            plugin_paths: ["\(PluginUnderTest.buildDirectory)"]
            node:
              data_dir: "\(folder)/data"
              rpc: { host: 127.0.0.1, port: 8545 }
              block_time_ms: 100
              batch: { max_blocks: 3, max_age_ms: 200 }
            genesis:
              alloc:
                "\(sequencer.address)": "\(NodeRollup.genesisBalance)"
                "\(sender.address)": "\(NodeRollup.genesisBalance)"
            plugins:
              execution: { plugin: transfer }
              sequencer: { plugin: single, config: { key_file: "\(folder)/sequencer.key" } }
              da:
                - { plugin: sqlite, config: { path: "\(folder)/da.sqlite" } }
              proof: { plugin: fault, config: { key_file: "\(folder)/proposer.key" } }
              bridge:
                plugin: local
                config:
                  l1_db: "\(l1Path)"
                  block_time_ms: 0
                  finality: fault
                  fault: { challenge_window: 20, clock: 8, clock_extension: 2, airgap: 2, proposer_stake: "1000", challenger_bond: "100" }
            """.write(toFile: manifest, atomically: true, encoding: .utf8)
        }

        /// The shared L1, opened in the test's own process.
        func l1() throws -> BridgeClient {
            BridgeClient(try PluginUnderTest.create(path: PluginUnderTest.buildDirectory + "/libkeel-bridge-local.so",
                                                    configJSON: "{\"l1_db\": \"\(l1Path)\"}", dataDirectory: folder))
        }
    }

    static func call(_ l1: BridgeClient, _ method: String, _ fields: [String: Any] = [:]) throws -> [String: Any] {
        var body = fields
        body["method"] = method
        return try SettlementCall.response(try l1.call(try SettlementCall.request(body: body, chainID: 901)))
    }

    /// Polls `body` every 50 ms until it answers, for up to `seconds`.
    static func waitFor<Value>(_ what: String, seconds: Double = 60, every interval: TimeInterval = 0.05, _ body: () throws -> Value?) throws -> Value {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = try body() { return value }
            Thread.sleep(forTimeInterval: interval)
        }
        throw RunningNodeError(message: "timed out waiting for \(what)")
    }

    /// Transfers from the funded sender, one every 150 ms (blocks come only with transactions).
    static func sendTransfers(_ count: Int, to url: String) async throws {
        let client = JSONRPCClient(url: url, timeoutSeconds: 10)
        defer { client.shutdown() }
        let sender = try NodeAccount.named("optimistic-sender")
        for nonce in 0..<UInt64(count) {
            let tx = try Transaction.dynamicFee(chainId: 901, nonce: nonce, maxPriorityFeePerGas: 1_000_000, maxFeePerGas: 10_000_000_000,
                                                gasLimit: 21_000, to: try NodeAccount.sequencer().address, value: 1).signed(with: sender.key)
            _ = try await client.call("eth_sendRawTransaction", [.data(tx.raw)])
            try await Task.sleep(for: .milliseconds(150))
        }
    }

    /// The node's injected fault for each case: a wrong state root from the first, a middle or the
    /// last step of batch 1, or a right state root beside a wrong withdrawals root.
    static let faults = [
        "first": ["--dev-post-wrong-root", "1", "--dev-wrong-root-step", "first"],
        "middle": ["--dev-post-wrong-root", "1", "--dev-wrong-root-step", "middle"],
        "last": ["--dev-post-wrong-root", "1", "--dev-wrong-root-step", "last"],
        "withdrawals": ["--dev-post-wrong-withdrawals-root", "1"],
    ]

    @Test(arguments: ["first", "middle", "last", "withdrawals"])
    func aWrongRootIsDisputedByTheChallengerAndTheChainIsPostedAgain(fault: String) async throws {
        let rollup = try OptimisticRollup(label: "challenge-\(fault)")
        let node = try RunningNode(manifest: rollup.manifest, extraArguments: Self.faults[fault] ?? [], logPath: rollup.folder + "/node.log")
        defer { node.terminate() }
        let challenger = try RunningProcess(keel: ["challenge", rollup.manifest, "--key-file", rollup.challengerKey, "--data-dir", rollup.folder + "/challenger",
                                                   "--rpc-port", "0"], logPath: rollup.folder + "/challenger.log", listening: true)
        defer { challenger.terminate() }
        let l1 = try rollup.l1()
        defer { l1.instance.destroy() }
        try await Self.sendTransfers(12, to: node.url)
        // The challenger opens a game against batch 1 and wins it at the step.
        let game = try Self.waitFor("the game against batch 1 to end") { () -> [String: Any]? in
            let games = try Self.call(l1, "game.list", ["batch": 1])["games"] as? [[String: Any]] ?? []
            return games.first { $0["phase"] as? String == "resolved" }
        }
        #expect(game["outcome"] as? String == "challenger", "\(challenger.tail(20))\n\(node.log(lastLines: 20))")
        #expect(game["ended_by"] as? String == "step")
        #expect(try Self.call(l1, "batch.status", ["index": 1])["status"] as? String == "rejected")
        let wrong = try l1.batch(1)
        // The node posts batch 1's blocks again, with the right root, under a new index.
        let again = try Self.waitFor("batch 1's blocks to be posted again") { () -> BatchRecord? in
            let count = try l1.batchCount().count
            return try (2..<max(2, count)).lazy.map { try l1.batch($0) }.first { $0.firstBlock == wrong.firstBlock }
        }
        #expect(fault == "withdrawals" ? again.withdrawalsRoot != wrong.withdrawalsRoot : again.root != wrong.root)
        #expect(try Self.call(l1, "batch.status", ["index": again.index])["status"] as? String == "pending")
        // After the window it is final; after the airgap the challenger collects its bond and half the stake.
        try l1.devAdvance(blocks: 20)
        #expect(try Self.call(l1, "batch.status", ["index": again.index])["status"] as? String == "final")
        try l1.devAdvance(blocks: 2)
        let challengerAddress = try NodeAccount.named("optimistic-challenger").address
        let paid = try Self.waitFor("the challenger to collect") { () -> String? in
            let balance = try Self.call(l1, "ledger.balance", ["account": challengerAddress.description])
            return balance["credits"] as? String == "0" && balance["balance"] as? String != "0" ? balance["balance"] as? String : nil
        }
        #expect(paid == "600", "the bond (100, which the faucet paid) comes back with half the stake (500)")
        let listed = try KeelProcess.keel(["disputes", "list", rollup.manifest, "--batch", "1"])
        #expect(listed.status == 0)
        #expect(listed.output.contains("outcome challenger by step"), "\(listed.output)")
        #expect(challenger.terminate() == 0)
        #expect(node.terminate() == 0)
    }

    /// The operator stops; a user fires the hatch and exits through the CLI with a proof from a
    /// follower it runs itself; a second exit is refused; an unconsumed deposit is refunded.
    @Test func aUserLeavesWithKeelEscapeAfterTheOperatorStops() async throws {
        let rollup = try OptimisticRollup(label: "escape")
        let node = try RunningNode(manifest: rollup.manifest, logPath: rollup.folder + "/node.log")
        let l1 = try rollup.l1()
        defer { l1.instance.destroy() }
        try await Self.sendTransfers(2, to: node.url)
        _ = try Self.waitFor("a batch to be posted") { try l1.batchCount().count > 0 ? true : nil }
        // Final exactly `challenge_window` L1 blocks after it was posted, not one block earlier.
        try l1.devAdvance(blocks: 19)
        #expect(try Self.call(l1, "batch.status", ["index": 0])["status"] as? String == "pending")
        try l1.devAdvance(blocks: 1)
        #expect(try Self.call(l1, "batch.status", ["index": 0])["status"] as? String == "final")
        #expect(try l1.batchCount().final > 0)
        #expect(node.terminate() == 0)
        let keel = { (arguments: [String]) in try KeelProcess.keel(arguments) }
        let sender = try NodeAccount.named("optimistic-sender").address
        #expect(try keel(["l1", "deposit", "--to", sender.description, "--value", "1eth", "--manifest", rollup.manifest]).status == 0)
        #expect(try keel(["escape", "status", "--manifest", rollup.manifest]).output.contains("may not fire"))
        #expect(try keel(["l1", "advance", "60", "--manifest", rollup.manifest]).status == 0)
        #expect(try keel(["escape", "status", "--manifest", rollup.manifest]).output.contains("may fire now: deposit"))
        let fired = try keel(["escape", "trigger", "--manifest", rollup.manifest])
        #expect(fired.status == 0 && fired.output.contains("the escape hatch fired"), "\(fired.output)")
        let follower = try RunningProcess(keel: ["follow", rollup.manifest, "--data-dir", rollup.folder + "/follower", "--rpc-port", "0"],
                                          logPath: rollup.folder + "/follower.log", listening: true)
        defer { follower.terminate() }
        let final = try l1.batch(try l1.batchCount().final - 1)
        let client = JSONRPCClient(url: follower.url, timeoutSeconds: 10)
        defer { client.shutdown() }
        for _ in 0..<600 {
            if let height = try? await client.call("eth_blockNumber").decodeQuantity(), height >= final.lastBlock { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let exit = try keel(["escape", "exit", sender.description, "--manifest", rollup.manifest, "--rpc", follower.url])
        #expect(exit.status == 0 && exit.output.contains("exited \(sender): paid"), "\(exit.output)")
        let again = try keel(["escape", "exit", sender.description, "--manifest", rollup.manifest, "--rpc", follower.url])
        #expect(again.status == 1 && again.error.contains("already exited"), "\(again.transcript)")
        let refund = try keel(["escape", "refund", "0", "--manifest", rollup.manifest])
        #expect(refund.status == 0 && refund.output.contains("refunded deposit 0: 1"), "\(refund.output)")
    }

    /// The challenger is killed with SIGKILL as soon as its game is open; restarted on the same data
    /// directory it finds its game on the L1, plays it to the end and wins, without opening another.
    @Test func aChallengerKilledMidGameResumesAndWins() async throws {
        let rollup = try OptimisticRollup(label: "challenge-kill")
        let node = try RunningNode(manifest: rollup.manifest, extraArguments: ["--dev-post-wrong-root", "1"], logPath: rollup.folder + "/node.log")
        defer { node.terminate() }
        let arguments = ["challenge", rollup.manifest, "--key-file", rollup.challengerKey, "--data-dir", rollup.folder + "/challenger", "--rpc-port", "0"]
        let first = try RunningProcess(keel: arguments, logPath: rollup.folder + "/challenger.log", listening: true)
        let l1 = try rollup.l1()
        defer { l1.instance.destroy() }
        let url = node.url
        let sending = Task { try await Self.sendTransfers(9, to: url) }
        let opened = try Self.waitFor("the challenger to open its game", every: 0.002) { () -> [String: Any]? in
            (try Self.call(l1, "game.list", ["batch": 1])["games"] as? [[String: Any]])?.first
        }
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        let id = try #require((opened["id"] as? NSNumber)?.int64Value)
        let atKill = try Self.call(l1, "game.show", ["game": id])
        #expect(atKill["phase"] as? String != "resolved", "the game was over before the kill; the test proves nothing")
        let second = try RunningProcess(keel: arguments, logPath: rollup.folder + "/challenger.log", listening: true)
        defer { second.terminate() }
        let game = try Self.waitFor("the restarted challenger to finish its game") { () -> [String: Any]? in
            let state = try Self.call(l1, "game.show", ["game": id])
            return state["phase"] as? String == "resolved" ? state : nil
        }
        #expect(game["outcome"] as? String == "challenger", "\(second.tail(30))")
        #expect((try Self.call(l1, "game.list", ["batch": 1])["games"] as? [[String: Any]])?.count == 1, "no second game after the restart")
        #expect(second.terminate() == 0)
        try await sending.value
    }

    /// `keel challenge` processes lying on purpose about batch `batch`, each with a key of its own.
    static func liars(_ rollup: OptimisticRollup, count: Int, batch: Int, from steps: [String]) throws -> [RunningProcess] {
        try (0..<count).map { number in
            let key = rollup.folder + "/liar-\(number).key"
            try KeelProcess.writeSecret(try NodeAccount.named("liar-\(number)").keyHex + "\n", to: key)
            return try RunningProcess(keel: ["challenge", rollup.manifest, "--key-file", key, "--data-dir", rollup.folder + "/liar-\(number)",
                                             "--rpc-port", "0", "--dev-lie-about-batch", "\(batch)", "--dev-lie-from-step", steps[number % steps.count]],
                                      logPath: rollup.folder + "/liar-\(number).log", listening: true)
        }
    }

    /// Resolved games against `batch` once there are `count` and all are resolved.
    static func resolvedGames(_ l1: BridgeClient, batch: Int, count: Int) throws -> [[String: Any]] {
        try waitFor("\(count) games against batch \(batch) to be resolved", seconds: 120) { () -> [[String: Any]]? in
            let games = try call(l1, "game.list", ["batch": batch])["games"] as? [[String: Any]] ?? []
            return games.count == count && games.allSatisfy({ $0["phase"] as? String == "resolved" }) ? games : nil
        }
    }

    @Test func tenLyingChallengerProcessesAgainstAnHonestProposerAllLose() async throws {
        let rollup = try OptimisticRollup(label: "challenge-ten")
        let node = try RunningNode(manifest: rollup.manifest, logPath: rollup.folder + "/node.log")
        defer { node.terminate() }
        let liars = try Self.liars(rollup, count: 10, batch: 0, from: ["first", "middle", "last"])
        defer { for liar in liars { liar.terminate() } }
        let l1 = try rollup.l1()
        defer { l1.instance.destroy() }
        try await Self.sendTransfers(3, to: node.url)
        let games = try Self.resolvedGames(l1, batch: 0, count: 10)
        #expect(games.map { $0["outcome"] as? String } == Array(repeating: "proposer", count: 10), "\(node.log(lastLines: 20))")
        try l1.devAdvance(blocks: 20)
        #expect(try Self.call(l1, "batch.status", ["index": 0])["status"] as? String == "final")
        let proposer = try Self.call(l1, "ledger.balance", ["account": try NodeAccount.sequencer().address.description])
        #expect(proposer["credits"] as? String == "500", "half of each of the ten bonds of 100")
        #expect(try Self.call(l1, "ledger.totals")["burned"] as? String == "500")
    }

    @Test func aLyingChallengerAgainstALyingProposerBothLose() async throws {
        let rollup = try OptimisticRollup(label: "challenge-both")
        let node = try RunningNode(manifest: rollup.manifest, extraArguments: ["--dev-post-wrong-root", "1", "--dev-wrong-root-step", "middle"],
                                   logPath: rollup.folder + "/node.log")
        defer { node.terminate() }
        let liars = try Self.liars(rollup, count: 1, batch: 1, from: ["middle"])
        defer { for liar in liars { liar.terminate() } }
        let l1 = try rollup.l1()
        defer { l1.instance.destroy() }
        try await Self.sendTransfers(9, to: node.url)
        let games = try Self.resolvedGames(l1, batch: 1, count: 1)
        #expect(games.first?["outcome"] as? String == "both-lost")
        #expect(games.first?["ended_by"] as? String == "step")
        #expect(try Self.call(l1, "batch.status", ["index": 1])["status"] as? String == "rejected")
        // The stake (1000) and the bond (100) are burned whole: no side won.
        #expect(try Self.call(l1, "ledger.totals")["burned"] as? String == "1100")
    }
}

