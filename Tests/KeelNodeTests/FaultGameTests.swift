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
        #expect((try challenger.call("game.list", ["running": true])["games"] as? [Any])?.isEmpty == true)
        #expect((try challenger.call("game.list", [:])["games"] as? [Any])?.count == 1)
        #expect(try chain.status(0) == "rejected")
        // No move after resolution.
        #expect(throws: (any Error).self) { try challenger.call("game.resolve", ["game": id]) }
        #expect(throws: (any Error).self) { try challenger.move(game: id, as: "challenger", trace: honest); try chain.proposer.call("game.reveal", ["game": id, "side": "proposer", "leaf": leaf.description, "proof": proof.map(\.description)]) }
        try chain.checkSolvency()
    }

    /// A funded player with a key of its own, `label` naming it.
    static func player(_ chain: Optimistic, _ label: String) throws -> DisputePlayer {
        let key = try PrivateKey(hex: Keccak256.hash(Array("keel-test-player:\(label)".utf8)).description)
        let player = DisputePlayer(bridge: chain.node.bridge, chainID: 901, signer: .key(key, chainID: 901))
        try player.call("ledger.fund", ["account": player.address.description, "amount": "10000"])
        return player
    }

    /// Plays several games at once, every side moving each round, until all are resolved.
    static func playAll(_ chain: Optimistic, _ games: [(id: Int64, player: DisputePlayer, trace: BatchTrace)], proposerTrace: BatchTrace) throws -> [[String: Any]] {
        var resolved: [Int64: [String: Any]] = [:]
        for _ in 0..<200 where resolved.count < games.count {
            for game in games where resolved[game.id] == nil {
                try chain.proposer.move(game: game.id, as: "proposer", trace: proposerTrace)
                let state = try game.player.move(game: game.id, as: "challenger", trace: game.trace)
                if state["phase"] as? String == "resolved" { resolved[game.id] = state }
            }
            try chain.advance(1)
        }
        return games.map { resolved[$0.id] ?? [:] }
    }

    @Test func tenChallengersAgainstAnHonestProposerAllLose() async throws {
        let chain = try Optimistic(label: "fault-ten")
        defer { chain.node.close() }
        let honest = try await chain.batch(nonce: 0)
        try chain.proposer.post(honest)
        let n = honest.roots.count - 1
        let row = try #require(try chain.node.chain.lastBatch())
        var games: [(id: Int64, player: DisputePlayer, trace: BatchTrace)] = []
        for number in 0..<10 {
            let liar = try Self.player(chain, "liar-\(number)")
            // Each lies somewhere else: another root from another step on.
            let lies = try chain.trace(of: row) { roots in
                for index in (1 + number % n)..<roots.count { roots[index].stateRoot = Keccak256.hash([UInt8(number)]) }
            }
            games.append((try #require(try liar.challenge(lies, postedSteps: n, postedEnd: honest.roots[n].hash)), liar, lies))
        }
        let results = try Self.playAll(chain, games, proposerTrace: honest)
        #expect(results.map { $0["outcome"] as? String } == Array(repeating: "proposer", count: 10))
        try chain.advance(Self.window)
        #expect(try chain.status(0) == "final")
        try chain.advance(Self.airgap)
        #expect(try chain.proposer.call("credits.claim", ["account": chain.proposer.address.description])["paid"] as? String == "\(10 * Self.bond / 2)")
        #expect(try chain.totals()["burned"] == 10 * Self.bond / 2)
        try chain.checkSolvency()
    }

    @Test func aProposerChallengingItsOwnWrongBatchFirstDoesNotStopAnHonestChallengerFromCollecting() async throws {
        let chain = try Optimistic(label: "fault-self")
        defer { chain.node.close() }
        let honest = try await chain.batch(nonce: 0)
        let n = honest.roots.count - 1
        let row = try #require(try chain.node.chain.lastBatch())
        let dishonest = try chain.trace(of: row) { roots in roots[n].stateRoot = Keccak256.hash([7]) }
        try chain.proposer.post(dishonest)
        // The proposer's other account challenges first, with the truth, to win its own stake back.
        let alterEgo = try Self.player(chain, "alter-ego")
        let first = try #require(try alterEgo.challenge(honest, postedSteps: n, postedEnd: dishonest.roots[n].hash))
        let challenger = chain.challengers[0]
        let second = try #require(try challenger.challenge(honest, postedSteps: n, postedEnd: dishonest.roots[n].hash))
        let results = try Self.playAll(chain, [(first, alterEgo, honest), (second, challenger, honest)], proposerTrace: dishonest)
        #expect(results.map { $0["outcome"] as? String } == ["challenger", "challenger"])
        try chain.advance(Self.airgap)
        let paid = try challenger.call("credits.claim", ["account": challenger.address.description])["paid"] as? String
        #expect(paid == "\(Self.bond + Self.stake / 2 / 2)", "the honest challenger shares the slashed half with the alter ego")
        try chain.checkSolvency()
    }

    @Test func bothSidesWrongAtTheStepBothLose() async throws {
        let chain = try Optimistic(label: "fault-both")
        defer { chain.node.close() }
        let honest = try await chain.batch(nonce: 0)
        let n = honest.roots.count - 1
        let row = try #require(try chain.node.chain.lastBatch())
        let proposerLie = try chain.trace(of: row) { roots in for index in 2..<roots.count { roots[index].stateRoot = Keccak256.hash([1]) } }
        let challengerLie = try chain.trace(of: row) { roots in for index in 2..<roots.count { roots[index].stateRoot = Keccak256.hash([2]) } }
        try chain.proposer.post(proposerLie)
        let challenger = chain.challengers[0]
        let id = try #require(try challenger.challenge(challengerLie, postedSteps: n, postedEnd: proposerLie.roots[n].hash))
        let game = try chain.play(id, proposerTrace: proposerLie, challenger: challenger, challengerTrace: challengerLie)
        #expect(game["outcome"] as? String == "both-lost")
        #expect(game["ended_by"] as? String == "step")
        #expect(try chain.status(0) == "rejected")
        // Nobody won: the slashed half of the stake and the half of the bond meant for winners are burned too.
        #expect(try chain.totals()["burned"] == Self.stake + Self.bond)
        try chain.checkSolvency()
    }

    @Test func aForgedWithdrawalsRootOrAStepCountThatDoesNotMatchDAIsChallenged() async throws {
        for (label, tamper) in [("withdrawals", { (roots: inout [StepRoot]) in roots[roots.count - 1].withdrawalsRoot = Keccak256.hash([3]) }),
                                ("extra-step", { (roots: inout [StepRoot]) in
                                    var extra = roots[roots.count - 1]
                                    extra.index += 1
                                    roots.append(extra)
                                })] {
            let chain = try Optimistic(label: "fault-\(label)")
            defer { chain.node.close() }
            let honest = try await chain.batch(nonce: 0)
            let row = try #require(try chain.node.chain.lastBatch())
            let dishonest = try chain.trace(of: row, tamper: tamper)
            try chain.proposer.post(dishonest)
            let posted = dishonest.roots.count - 1
            let challenger = chain.challengers[0]
            let id = try #require(try challenger.challenge(honest, postedSteps: posted, postedEnd: dishonest.roots[posted].hash))
            let game = try chain.play(id, proposerTrace: dishonest, challenger: challenger, challengerTrace: honest)
            #expect(game["outcome"] as? String == "challenger", "\(label)")
            #expect(try chain.status(0) == "rejected", "\(label)")
            try chain.checkSolvency()
        }
    }

    @Test func aBatchOnARejectedParentIsRejectedAndItsGamesAreVoided() async throws {
        let chain = try Optimistic(label: "fault-parent")
        defer { chain.node.close() }
        let honest = try await chain.batch(nonce: 0)
        let n = honest.roots.count - 1
        let first = try #require(try chain.node.chain.lastBatch())
        let wrong = Keccak256.hash([5])
        let dishonest = try chain.trace(of: first) { roots in roots[n].stateRoot = wrong }
        try chain.proposer.post(dishonest)
        // Batch 1, built on the wrong root: its record and R_0 continue from it.
        let childHonest = try await chain.batch(nonce: 3)
        var record = childHonest.record
        record.previousRoot = wrong.bytes
        var roots = childHonest.roots
        roots[0].stateRoot = wrong
        let child = BatchTrace(record: record, steps: childHonest.steps, roots: roots,
                               commitment: try TraceCommitment(stepRoots: roots.map(\.hash)), prove: childHonest.prove)
        try chain.proposer.post(child)
        // Someone disputes batch 1 with a lie of its own; then batch 0 loses its game.
        let liar = chain.challengers[1]
        var lying = roots
        lying[lying.count - 1].stateRoot = Keccak256.hash([6])
        let lies = BatchTrace(record: record, steps: child.steps, roots: lying, commitment: try TraceCommitment(stepRoots: lying.map(\.hash)),
                              prove: child.prove)
        let voided = try #require(try liar.challenge(lies, postedSteps: roots.count - 1, postedEnd: roots[roots.count - 1].hash))
        let challenger = chain.challengers[0]
        let id = try #require(try challenger.challenge(honest, postedSteps: n, postedEnd: dishonest.roots[n].hash))
        let game = try chain.play(id, proposerTrace: dishonest, challenger: challenger, challengerTrace: honest)
        #expect(game["outcome"] as? String == "challenger")
        #expect(try chain.status(0) == "rejected")
        #expect(try chain.status(1) == "rejected")
        #expect(try liar.call("game.show", ["game": voided])["outcome"] as? String == "void")
        try chain.advance(Self.airgap)
        #expect(try liar.call("credits.claim", ["account": liar.address.description])["paid"] as? String == "\(Self.bond)", "a voided game's bond is refunded")
        try chain.checkSolvency()
    }
}

