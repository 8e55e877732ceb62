import Foundation
import KeelKernel
import KeelPluginKit
import KeelPluginTesting
import Testing

/// bridge local, loaded from the build folder: the embedded L1 in one SQLite file. Batches, finality
/// by k attestations, deposits, the clock, and several instances sharing one file.
@Suite struct LocalBridgeTests {
    typealias F = AttestFixtures

    @Test func aFreshL1PassesTheBridgeConformanceSuite() throws {
        let library = try F.library(.bridge, "local")
        #expect(library.capabilities == ["thread-safe"])
        let l1 = try LocalBridgeFixture("bridge-conformance")
        let bridge = try l1.bridge()
        #expect(bridge.isDevelopmentL1)
        #expect(BridgeConformance.run(bridge).map(\.description) == [])
    }

    @Test func aBatchIsFinalOnlyWithKValidAttestations() throws {
        let l1 = try LocalBridgeFixture("bridge-finality")
        let bridge = try l1.bridge()
        let t = F.transition(index: 0)
        try bridge.submitBatch(F.record(t))
        let a = try l1.attestation(1, t), b = try l1.attestation(2, t)

        try bridge.submitProof(batch: 0, proof: a)
        #expect(try bridge.batchCount().final == 0)
        #expect(try bridge.batch(0).isFinal == false)
        try bridge.submitProof(batch: 0, proof: a)
        #expect(try bridge.batchCount().final == 0, "the same attestor twice counts once")
        F.expectRefusal(.rejected, "again (a duplicate)") { try bridge.submitProof(batch: 0, proof: b + b) }
        F.expectRefusal(.rejected, "not one of the 3 registered attestors") { try bridge.submitProof(batch: 0, proof: try l1.attestation(9, t)) }
        var other = t
        other.root[0] ^= 1
        F.expectRefusal(.rejected, "over another transition") { try bridge.submitProof(batch: 0, proof: try l1.attestation(2, other)) }
        F.expectRefusal(.notFound, "no batch 1 to attest") { try bridge.submitProof(batch: 1, proof: b) }
        #expect(try bridge.batchCount().final == 0, "refused attestations count for nothing")

        try bridge.submitProof(batch: 0, proof: b)
        #expect(try bridge.batchCount() == (1, 1))
        #expect(try bridge.batch(0).isFinal)
    }

    @Test func aBatchIsFinalOnlyAfterEveryBatchBeforeIt() throws {
        let l1 = try LocalBridgeFixture("bridge-order", threshold: 1)
        let bridge = try l1.bridge()
        let first = F.transition(index: 0)
        let second = F.transition(index: 1, previousRoot: first.root)
        try bridge.submitBatch(F.record(first))
        try bridge.submitBatch(F.record(second))
        try bridge.submitProof(batch: 1, proof: try l1.attestation(3, second))
        #expect(try bridge.batchCount() == (2, 0))
        #expect(try bridge.batch(1).isFinal == false)
        try bridge.submitProof(batch: 0, proof: try l1.attestation(1, first))
        #expect(try bridge.batchCount() == (2, 2))
        #expect(try bridge.batch(1).isFinal)
    }

    @Test func batchesChainByIndexRootAndBlocks() throws {
        let l1 = try LocalBridgeFixture("bridge-chain")
        let bridge = try l1.bridge()
        let first = F.transition(index: 0)
        try bridge.submitBatch(F.record(first))
        try bridge.submitBatch(F.record(first))
        #expect(try bridge.batchCount().count == 1, "an identical resubmission records nothing")
        var changed = F.record(first)
        changed.daCommitment = [0x01, 0x02]
        F.expectRefusal(.rejected, "already recorded with another DA commitment") { try bridge.submitBatch(changed) }
        var second = F.record(F.transition(index: 1, previousRoot: first.root))
        second.firstBlock = 12
        F.expectRefusal(.rejected, "it must start at 11") { try bridge.submitBatch(second) }
        F.expectRefusal(.rejected, "the next index is 1") { try bridge.submitBatch(F.record(F.transition(index: 2, previousRoot: first.root))) }
        F.expectRefusal(.notFound, "no batch 5") { _ = try bridge.batch(5) }
    }

    @Test func aRegisteredGenesisRootBindsBatchZero() throws {
        let l1 = try LocalBridgeFixture("bridge-genesis-root")
        let root = Keccak256.hash(Array("genesis".utf8))
        let bridge = try l1.bridge(extra: #", "genesis_root": "\#(root)""#)
        F.expectRefusal(.rejected, "registered genesis root") { try bridge.submitBatch(F.record(F.transition(index: 0))) }
        try bridge.submitBatch(F.record(F.transition(index: 0, previousRoot: root.bytes)))
    }

    @Test func twoInstancesOnOneFileSeeTheSameL1() throws {
        let l1 = try LocalBridgeFixture("bridge-shared")
        let sequencer = try l1.bridge()
        let follower = try l1.bridge(committee: false)
        let t = F.transition(index: 0)
        try sequencer.submitBatch(F.record(t))
        let from = [UInt8](repeating: 0xAA, count: 20), to = [UInt8](repeating: 0xBB, count: 20)
        #expect(try follower.devDeposit(from: from, to: to, amount: 5) == 0)
        #expect(try sequencer.devDeposit(from: from, to: to, amount: 7) == 1)
        try follower.devAdvance(blocks: 4)

        #expect(try follower.batchCount() == (1, 0))
        #expect(try follower.batch(0).root == t.root)
        #expect(try sequencer.deposits(from: 0).map(\.amount) == [5, 7])
        #expect(try follower.deposits(from: 1).map(\.index) == [1])
        #expect(try sequencer.l1Head() == (try follower.l1Head()))
        #expect(try sequencer.l1Head().number == 4)

        try follower.submitProof(batch: 0, proof: try l1.attestation(1, t) + (try l1.attestation(3, t)))
        #expect(try sequencer.batch(0).isFinal)
    }

    @Test func concurrentWritersNeverRecordTwice() async throws {
        let l1 = try LocalBridgeFixture("bridge-concurrent")
        let bridges = [try l1.bridge(), try l1.bridge(committee: false)]
        let record = F.record(F.transition(index: 0))
        let from = [UInt8](repeating: 1, count: 20), to = [UInt8](repeating: 2, count: 20)
        let indices = await withTaskGroup(of: [UInt64].self) { group in
            for bridge in bridges {
                group.addTask {
                    var indices: [UInt64] = []
                    try? bridge.submitBatch(record)
                    for _ in 0..<20 { if let index = try? bridge.devDeposit(from: from, to: to, amount: 1) { indices.append(index) } }
                    return indices
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(indices.sorted() == Array(0..<40))
        #expect(try bridges[0].deposits(from: 0).map(\.index) == Array(0..<40))
        #expect(try bridges[1].batchCount().count == 1)
    }

    @Test func devAdvanceMovesTheClock() throws {
        let l1 = try LocalBridgeFixture("bridge-clock")
        let bridge = try l1.bridge(blockTime: 0)
        let start = try bridge.l1Head()
        #expect(start.number == 0)
        try bridge.devAdvance(blocks: 5)
        let later = try bridge.l1Head()
        #expect(later.number == 5)
        #expect(later.timestamp == start.timestamp + 5, "with block_time_ms 0 each block is one nominal second")
        #expect(later.hash != start.hash)
        #expect(try bridge.devDeposit(from: [UInt8](repeating: 1, count: 20), to: [UInt8](repeating: 2, count: 20), amount: 1) == 0)
        #expect(try bridge.deposits(from: 0).first?.l1Block == 5)
    }

    @Test func theClockMakesBlocksAsWallTimePasses() throws {
        let l1 = try LocalBridgeFixture("bridge-wallclock")
        let bridge = try l1.bridge(blockTime: 1)
        let start = try bridge.l1Head()
        Thread.sleep(forTimeInterval: 0.03)
        let later = try bridge.l1Head()
        #expect(later.number >= start.number + 30)
        #expect(later.timestamp >= start.timestamp)
    }

    @Test func processesMustAgreeOnTheRegisteredL1() throws {
        let l1 = try LocalBridgeFixture("bridge-agree")
        let fresh = try l1.refusal(try l1.config(committee: false))
        #expect(fresh?.configPath == "committee")
        #expect(fresh?.message.contains("registers the attestors") == true)
        _ = try l1.bridge()
        let other = LocalBridgeFixture.with(l1, members: [1, 2], threshold: 2)
        let committee = try other.refusal(try other.config())
        #expect(committee?.configPath == "committee")
        #expect(committee?.message.contains("registered 2 of 3 attestors") == true)
        #expect(try l1.refusal(try l1.config(blockTime: 250))?.configPath == "block_time_ms")
        let chain = try l1.refusal(try l1.config(), chainID: 902)
        #expect(chain?.configPath == "l1_db")
        #expect(chain?.message.contains("settles chain 901, not this node's chain 902") == true)
        #expect(try l1.refusal(try l1.config(extra: #", "finality": "fault""#))?.configPath == "finality")
        #expect(try l1.refusal(try l1.config(extra: #", "l1db": "x""#))?.configPath == "l1db")
    }

    @Test func depositsNeedAnAmount() throws {
        let bridge = try LocalBridgeFixture("bridge-deposit").bridge()
        F.expectRefusal(.rejected, "a deposit of 0 wei is refused") {
            _ = try bridge.devDeposit(from: [UInt8](repeating: 1, count: 20), to: [UInt8](repeating: 2, count: 20), amount: 0)
        }
        #expect(try bridge.deposits(from: 0).isEmpty)
    }
}

extension LocalBridgeFixture {
    /// The same L1 file, described with another committee.
    static func with(_ fixture: LocalBridgeFixture, members: [UInt8], threshold: Int) -> LocalBridgeFixture {
        LocalBridgeFixture(folder: fixture.folder, database: fixture.database, members: members, threshold: threshold)
    }
}
