import Foundation
import KeelCore
import KeelKernel
import Logging
import Testing
@testable import KeelNode
@testable import KeelState

/// The proposer role under fault proofs, on a node of mode `optimistic` with the real `fault`
/// proof plugin holding its key: batches posted with their traces, defended, and after a lost game
/// posted again from the last batch standing (docs/FAULT_PROOFS.md).
@Suite struct FaultProposerTests {
    static func open(_ fixture: NodeFixture, injection: FaultInjection = FaultInjection()) throws -> Node {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        var options = NodeOptions(manifestPath: fixture.manifestPath, dataDirectory: fixture.dataDirectory, rpcPort: 0)
        options.faultInjection = injection
        return try Node.open(options, logger: logger)
    }

    static func transferBlock(_ node: Node, nonce: UInt64) async throws {
        let tx = try NodeFixture.transfer(key: NodeFixture.key1, nonce: nonce, to: NodeFixture.account0, value: 9)
        _ = try await node.submit(raw: tx.raw)
        _ = try #require(try node.producer!.produce(nowMilliseconds: Node.nowMilliseconds()))
    }

    static func status(_ node: Node, _ index: UInt64) throws -> String {
        let answer = try SettlementCall.response(try node.bridge.call(try SettlementCall.request(body: ["method": "batch.status", "index": index], chainID: 901)))
        return answer["status"] as? String ?? "?"
    }

    @Test func theProposerStakesPostsWithItsTraceAndTheBatchIsFinalAfterTheWindow() async throws {
        let fixture = try NodeFixture(label: "proposer-honest", optimistic: true)
        let node = try Self.open(fixture)
        defer { node.close() }
        try await Self.transferBlock(node, nonce: 0)
        try node.batcher!.step(nowMilliseconds: Node.nowMilliseconds(), force: true)
        #expect(try node.bridge.batchCount().count == 1)
        #expect(try Self.status(node, 0) == "pending")
        #expect(try node.batcher!.faultProposer!.defend() == false)
        // The state of the batch not yet final stays readable past the pruning window.
        #expect(node.chain.state.pruneFloor == 0)
        try node.bridge.devAdvance(blocks: 20)
        #expect(try Self.status(node, 0) == "final")
        try node.batcher!.faultProposer!.defend()
        #expect(node.chain.state.pruneFloor == 1, "now only from the next batch's parent, block 1")
        // The plugin signs only fault-proof calls with the proposer's key.
        let proof = node.upgrades.proofs.at(0)
        #expect(throws: (any Error).self) {
            _ = try proof.disputeMove(Transition(chainID: 901, batchIndex: 0, firstBlock: 0, lastBlock: 0, previousRoot: [], root: [], withdrawalsRoot: [],
                                                 daCommitment: [], batch: []), dispute: Array("{\"method\":\"ledger.fund\"}".utf8), state: MemoryState())
        }
    }

    @Test func aWrongRootIsChallengedRejectedAndTheBlocksArePostedAgain() async throws {
        let fixture = try NodeFixture(label: "proposer-wrong", optimistic: true)
        let node = try Self.open(fixture, injection: FaultInjection(wrongRootAtBatch: 0))
        defer { node.close() }
        try await Self.transferBlock(node, nonce: 0)
        try node.batcher!.step(nowMilliseconds: Node.nowMilliseconds(), force: true)
        let row = try #require(try node.chain.batchRow(0))
        let honest = try BatchTrace.compute(row.record, blob: row.blob, chain: node.chain, executions: node.upgrades.executions,
                                            bridge: node.bridge, chainID: 901)
        let challenger = DisputePlayer(bridge: node.bridge, chainID: 901, signer: .key(try PrivateKey(hex: NodeFixture.key1), chainID: 901))
        try challenger.call("ledger.fund", ["account": challenger.address.description, "amount": "\(10 * NodeFixture.ether)"])
        let n = honest.roots.count - 1
        let posted = try node.batcher!.faultProposer!.trace(of: row)
        #expect(posted.roots[n].stateRoot != honest.roots[n].stateRoot, "the injected fault changed the posted root")
        let id = try #require(try challenger.challenge(honest, postedSteps: n, postedEnd: posted.roots[n].hash))
        // `keel status` (keel_status) shows the game in flight.
        let disputes = try node.status().disputes
        #expect(disputes.count == 1 && disputes[0].hasPrefix("game \(id) on batch 0: bisection 0…"), "\(disputes)")
        var resolved: [String: Any] = [:]
        for _ in 0..<100 where resolved.isEmpty {
            try node.batcher!.faultProposer!.defend()
            let game = try challenger.move(game: id, as: "challenger", trace: honest)
            if game["phase"] as? String == "resolved" { resolved = game } else { try node.bridge.devAdvance(blocks: 1) }
        }
        #expect(resolved["outcome"] as? String == "challenger")
        #expect(try Self.status(node, 0) == "rejected")
        // The proposer notices, rewinds and posts the same blocks again as batch 1, from genesis.
        #expect(try node.batcher!.faultProposer!.defend())
        try node.batcher!.step(nowMilliseconds: Node.nowMilliseconds(), force: true)
        let again = try node.bridge.batch(1)
        #expect(again.firstBlock == row.firstBlock && again.root == row.root.bytes && again.previousRoot == row.previousRoot.bytes)
        #expect(try Self.status(node, 1) == "pending")
        try node.bridge.devAdvance(blocks: 20)
        #expect(try Self.status(node, 1) == "final")
        #expect(try node.bridge.batchCount().final == 2)
    }

    @Test func injectedFaultsAreRefusedOutsideAFaultProofDevelopmentL1() throws {
        let fixture = try NodeFixture(label: "proposer-refuse")
        #expect {
            _ = try Self.open(fixture, injection: FaultInjection(wrongRootAtBatch: 0))
        } throws: { "\($0)".contains("for tests against a development L1 under fault proofs") }
    }

    @Test func blocksAndBatchesFitInOneTraceUnderFaultProofs() async throws {
        let fixture = try NodeFixture(label: "proposer-cap", optimistic: true)
        let node = try Self.open(fixture)
        defer { node.close() }
        let count = TraceCommitment.maxSteps + 2
        for nonce in 0..<UInt64(count) {
            let tx = try NodeFixture.transfer(key: NodeFixture.key1, nonce: nonce, to: NodeFixture.account0, value: 1)
            _ = try await node.submit(raw: tx.raw)
        }
        let first = try #require(try node.producer!.produce(nowMilliseconds: Node.nowMilliseconds()))
        #expect(first.transactions == TraceCommitment.maxSteps - 2, "a block holds at most 1,021 transactions: with its two boundaries, 1,023 steps")
        let second = try #require(try node.producer!.produce(nowMilliseconds: Node.nowMilliseconds()))
        #expect(second.transactions == count - (TraceCommitment.maxSteps - 2))
        try node.batcher!.step(nowMilliseconds: Node.nowMilliseconds(), force: true)
        // The two blocks do not fit in one trace together: two batches, each posted with its trace.
        #expect(try node.bridge.batchCount().count == 2)
        for index in [UInt64(0), 1] {
            let status = try SettlementCall.response(try node.bridge.call(try SettlementCall.request(body: ["method": "batch.status", "index": index], chainID: 901)))
            #expect(((status["step_count"] as? NSNumber)?.intValue ?? .max) <= TraceCommitment.maxSteps)
        }
    }
}

