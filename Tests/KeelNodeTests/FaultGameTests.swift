import Foundation
import KeelCore
import KeelKernel
import KeelState
import Testing
@testable import KeelNode

/// The dispute game on the embedded L1 (docs/FAULT_PROOFS.md, §2 and §5), played by the kernel's
/// own proposer and challenger code against a real node, the real transfer plugin and the L1's
/// SQLite file; each test asserts what the L1 ends with: batch status, stakes, bonds, balances.
@Suite struct FaultGameTests {
    static let stake: UInt128 = 1_000
    static let bond: UInt128 = 100
    static let window: UInt64 = 20, clock: UInt64 = 8, airgap: UInt64 = 2
    static let key2 = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"

    /// A node whose L1 finalizes by fault proofs, a staked proposer (account 0) and two funded challengers.
    struct Optimistic {
        let fixture: NodeFixture
        let node: Node
        let proposer: DisputePlayer
        let challengers: [DisputePlayer]

        init(label: String) throws {
            fixture = try NodeFixture(label: label, bridgeExtra: """
                finality: fault
                      fault: { challenge_window: \(FaultGameTests.window), clock: \(FaultGameTests.clock), clock_extension: 2, airgap: \(FaultGameTests.airgap), proposer_stake: "\(FaultGameTests.stake)", challenger_bond: "\(FaultGameTests.bond)" }
                """)
            node = try fixture.open()
            let player = { [node] (key: String) in
                DisputePlayer(bridge: node.bridge, chainID: 901, signer: .key(try PrivateKey(hex: key), chainID: 901))
            }
            proposer = try player(NodeFixture.key0)
            challengers = [try player(NodeFixture.key1), try player(FaultGameTests.key2)]
            for account in [proposer] + challengers {
                try account.call("ledger.fund", ["account": account.address.description, "amount": "10000"])
            }
            try proposer.call("stake.deposit", ["amount": "\(FaultGameTests.stake)"], signed: true)
        }

        /// One block of transfers, batched and stored on DA; its trace as this node computes it
        /// (tampered by `tamper`, for a dishonest side).
        func batch(nonce: UInt64, tamper: ((inout [StepRoot]) -> Void)? = nil) async throws -> BatchTrace {
            for (offset, value) in [UInt128(5), 6, 7].enumerated() {
                let tx = try NodeFixture.transfer(key: NodeFixture.key1, nonce: nonce + UInt64(offset), to: NodeFixture.account0, value: value)
                _ = try await node.submit(raw: tx.raw)
            }
            _ = try #require(try node.producer!.produce(nowMilliseconds: Node.nowMilliseconds()))
            try node.batcher!.store(nowMilliseconds: Node.nowMilliseconds(), force: true)
            let row = try #require(try node.chain.lastBatch())
            return try trace(of: row, tamper: tamper)
        }

        func trace(of row: OutboxRow, tamper: ((inout [StepRoot]) -> Void)? = nil) throws -> BatchTrace {
            try BatchTrace.compute(row.record, blob: row.blob, chain: node.chain, executions: node.upgrades.executions,
                                   bridge: node.bridge, chainID: 901, tamper: tamper)
        }

        func status(_ index: UInt64) throws -> String { try proposer.call("batch.status", ["index": index])["status"] as? String ?? "?" }
        func advance(_ blocks: UInt64) throws { try node.bridge.devAdvance(blocks: blocks) }
        func totals() throws -> [String: UInt128] {
            try proposer.call("ledger.totals", [:]).compactMapValues { ($0 as? String).flatMap { UInt128($0) } }
        }
        func account(_ player: DisputePlayer) throws -> [String: Any] { try player.call("ledger.balance", ["account": player.address.description]) }

        /// Plays the game to its end: each side moves when it owes a move, the L1 clock advancing a
        /// block between rounds. Returns the resolved game.
        func play(_ id: Int64, proposerTrace: BatchTrace?, challenger: DisputePlayer, challengerTrace: BatchTrace) throws -> [String: Any] {
            for _ in 0..<200 {
                if let proposerTrace { try proposer.move(game: id, as: "proposer", trace: proposerTrace) }
                let game = try challenger.move(game: id, as: "challenger", trace: challengerTrace)
                if game["phase"] as? String == "resolved" || game["outcome"] != nil { return game }
                try advance(1)
            }
            Issue.record("game \(id) did not end")
            return [:]
        }

        /// The L1's books balance: every pool and account sums to what was minted, and the escrow
        /// holds what L2 holds (plus the base fees L2 burned) and the deposits not yet consumed.
        /// (These games move no withdrawals; the escape-hatch tests count those too.)
        func checkSolvency() throws {
            let totals = try totals()
            #expect(totals["users", default: 0] + totals["escrow", default: 0] + totals["bonds", default: 0] + totals["burned", default: 0]
                    == totals["minted", default: 0])
            var held: UInt128 = 0
            for entry in try node.chain.state.entries() {
                guard var reader = try? RLPReader(entry.value), var list = try? reader.readList(),
                      (try? list.readUInt64()) != nil, let balance = try? list.readUInt128() else { continue }
                held += balance
            }
            let head = try #require(node.chain.head)
            var burned: UInt128 = 0
            for number in 1...max(1, head.number) {
                guard let block = try node.chain.block(number: number) else { continue }
                burned += block.header.baseFee * UInt128(block.header.gasUsed)
            }
            let pending = try node.bridge.deposits(from: head.nextDeposit, limit: 1000).reduce(UInt128(0)) { $0 + $1.amount }
            #expect(totals["escrow", default: 0] == held + burned + pending)
        }
    }

    @Test func anHonestBatchIsFinalAfterTheWindowAndNotOneBlockEarlier() async throws {
        let chain = try Optimistic(label: "fault-final")
        defer { chain.node.close() }
        let trace = try await chain.batch(nonce: 0)
        try chain.proposer.post(trace)
        #expect(try chain.status(0) == "pending")
        try chain.advance(Self.window - 1)
        #expect(try chain.status(0) == "pending")
        #expect(try chain.node.bridge.batchCount().final == 0)
        try chain.advance(1)
        #expect(try chain.status(0) == "final")
        #expect(try chain.node.bridge.batchCount().final == 1)
        // Too late to challenge now.
        #expect(throws: (any Error).self) { _ = try chain.challengers[0].challenge(trace, postedSteps: 0, postedEnd: .zero) }
        try chain.checkSolvency()
    }

    @Test(arguments: ["first", "middle", "last"])
    func aWrongRootAnywhereInABatchIsChallengedAndTheProposerLoses(at place: String) async throws {
        let chain = try Optimistic(label: "fault-wrong-\(place)")
        defer { chain.node.close() }
        let honest = try await chain.batch(nonce: 0)
        let n = honest.roots.count - 1
        let wrongFrom = place == "first" ? 1 : place == "middle" ? n / 2 : n
        let row = try #require(try chain.node.chain.lastBatch())
        let dishonest = try chain.trace(of: row) { roots in
            for index in wrongFrom..<roots.count { roots[index].stateRoot = Keccak256.hash(Array("wrong".utf8)) }
        }
        try chain.proposer.post(dishonest)
        let challenger = chain.challengers[0]
        let id = try #require(try challenger.challenge(honest, postedSteps: n, postedEnd: dishonest.roots[n].hash))
        let game = try chain.play(id, proposerTrace: dishonest, challenger: challenger, challengerTrace: honest)
        #expect(game["outcome"] as? String == "challenger")
        #expect(game["ended_by"] as? String == "step", "decided by the one-step verifier, not by a clock")
        #expect(try chain.status(0) == "rejected")
        #expect(try chain.account(chain.proposer)["stake"] as? String == "0")
        // The challenger's bond and half the stake, after the airgap and not before.
        #expect(try challenger.call("credits.claim", ["account": challenger.address.description])["paid"] as? String == "0")
        try chain.advance(Self.airgap)
        #expect(try challenger.call("credits.claim", ["account": challenger.address.description])["paid"] as? String == "\(Self.bond + Self.stake / 2)")
        #expect(try chain.account(challenger)["balance"] as? String == "\(10_000 + Self.stake / 2)")
        #expect(try chain.totals()["burned"] == Self.stake / 2)
        try chain.checkSolvency()
    }

    @Test func aChallengerOfAnHonestBatchLosesHalfItsBondToTheProposer() async throws {
        let chain = try Optimistic(label: "fault-honest")
        defer { chain.node.close() }
        let honest = try await chain.batch(nonce: 0)
        try chain.proposer.post(honest)
        let n = honest.roots.count - 1
        let row = try #require(try chain.node.chain.lastBatch())
        let liar = chain.challengers[1]
        let lies = try chain.trace(of: row) { roots in roots[n].withdrawalsRoot = Keccak256.hash([1]) }
        let id = try #require(try liar.challenge(lies, postedSteps: n, postedEnd: honest.roots[n].hash))
        let game = try chain.play(id, proposerTrace: honest, challenger: liar, challengerTrace: lies)
        #expect(game["outcome"] as? String == "proposer")
        #expect(game["ended_by"] as? String == "step")
        try chain.advance(Self.window)
        #expect(try chain.status(0) == "final")
        try chain.advance(Self.airgap)
        #expect(try chain.proposer.call("credits.claim", ["account": chain.proposer.address.description])["paid"] as? String == "\(Self.bond / 2)")
        #expect(try chain.account(liar)["balance"] as? String == "\(10_000 - Self.bond)")
        try chain.checkSolvency()
    }

    @Test func aSideThatStopsMovingLosesOnTimeAndNotBefore() async throws {
        let chain = try Optimistic(label: "fault-clock")
        defer { chain.node.close() }
        let honest = try await chain.batch(nonce: 0)
        let n = honest.roots.count - 1
        let row = try #require(try chain.node.chain.lastBatch())
        let dishonest = try chain.trace(of: row) { roots in roots[n].stateRoot = Keccak256.hash([9]) }
        try chain.proposer.post(dishonest)
        let challenger = chain.challengers[0]
        let id = try #require(try challenger.challenge(honest, postedSteps: n, postedEnd: dishonest.roots[n].hash))
        try challenger.move(game: id, as: "challenger", trace: honest)
        // The proposer never answers: resolving is refused until its clock has run out.
        try chain.advance(Self.clock)
        #expect(throws: (any Error).self) { try challenger.call("game.resolve", ["game": id]) }
        // A reveal against the wrong commitment is refused.
        let (leaf, proof) = try honest.opening(at: n / 2)
        #expect(throws: (any Error).self) {
            try chain.proposer.call("game.reveal", ["game": id, "side": "proposer", "leaf": leaf.description, "proof": proof.map(\.description)])
        }
        try chain.advance(1)
        let resolved = try challenger.call("game.resolve", ["game": id])
        #expect(resolved["outcome"] as? String == "challenger")
        #expect(resolved["ended_by"] as? String == "clock")
        #expect(try chain.status(0) == "rejected")
        // No move after resolution.
        #expect(throws: (any Error).self) { try challenger.call("game.resolve", ["game": id]) }
        #expect(throws: (any Error).self) { try challenger.move(game: id, as: "challenger", trace: honest); try chain.proposer.call("game.reveal", ["game": id, "side": "proposer", "leaf": leaf.description, "proof": proof.map(\.description)]) }
        try chain.checkSolvency()
    }
}
