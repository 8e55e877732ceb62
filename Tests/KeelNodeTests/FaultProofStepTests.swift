import Foundation
import KeelCore
import KeelKernel
import Testing
@testable import KeelNode

/// The trace of a real batch and the one-step verifier (docs/FAULT_PROOFS.md, §1 and §3), on the
/// real transfer plugin (dlopen) and the node's own state store.
@Suite struct FaultProofStepTests {
    /// A third party's account: neither the sequencer (the fee recipient) nor the senders.
    static let stranger = Address(hex: "0x00000000000000000000000000000000000000bb")!
    /// key1's transfer to `stranger`: sender, recipient and fee recipient are three accounts.
    static func threeParty() throws -> SignedTransaction {
        try NodeFixture.transfer(key: NodeFixture.key1, nonce: 2, to: stranger, value: 13)
    }

    /// A node with one batch of three blocks: transfers both ways, a transfer to oneself, one among
    /// three distinct accounts, a deposit to a new account and a withdrawal.
    struct BatchUnderTest {
        let fixture: NodeFixture
        let node: Node
        let record: BatchRecord
        let steps: [BatchStep]
        let tracer: BatchTracer
        var start: StepRoot { StepRoot.start(parentRoot: Hash32(bytes: record.previousRoot)!, depositCount: 0, firstBlock: record.firstBlock) }
        var verifier: OneStepVerifier { OneStepVerifier(machine: tracer.machine) }

        init(label: String) async throws {
            fixture = try NodeFixture(label: label)
            node = try fixture.open()
            let node = node
            let fresh = Address(hex: "0x00000000000000000000000000000000000000aa")!
            _ = try node.bridge.devDeposit(from: NodeFixture.account1.bytes, to: fresh.bytes, amount: 5)
            let transactions = [
                try NodeFixture.transfer(key: NodeFixture.key0, nonce: 0, to: NodeFixture.account1, value: NodeFixture.ether),
                try NodeFixture.transfer(key: NodeFixture.key1, nonce: 0, to: NodeFixture.account0, value: 3),
                try NodeFixture.transfer(key: NodeFixture.key1, nonce: 1, to: NodeFixture.account1, value: 11),
                try FaultProofStepTests.threeParty(),
            ]
            for tx in transactions { _ = try await node.submit(raw: tx.raw) }
            _ = try #require(try node.producer!.produce(nowMilliseconds: Node.nowMilliseconds()))
            let withdrawal = try NodeFixture.transfer(key: NodeFixture.key1, nonce: 3, to: NodeFixture.bridgeAddress, value: 7)
            _ = try await node.submit(raw: withdrawal.raw)
            _ = try #require(try node.producer!.produce(nowMilliseconds: Node.nowMilliseconds()))
            let second = try NodeFixture.transfer(key: NodeFixture.key0, nonce: 1, to: fresh, value: 2)
            _ = try await node.submit(raw: second.raw)
            _ = try #require(try node.producer!.produce(nowMilliseconds: Node.nowMilliseconds()))
            try node.batcher!.step(nowMilliseconds: Node.nowMilliseconds(), force: true)
            record = try node.bridge.batch(0)
            let blob = try #require(try node.chain.batchRow(0)).blob
            steps = BatchStep.steps(ofBlob: blob, record: record, chainID: 901)
            let machine = StepMachine(execution: { node.upgrades.executions.at($0) }, chainID: 901) { index in
                try node.bridge.deposits(from: index, limit: 1).first { $0.index == index }
            }
            tracer = BatchTracer(machine: machine, store: node.chain.state, parentVersion: record.firstBlock - 1)
        }
    }

    @Test func theTraceEndsAtTheBatchRootsAndEveryStepVerifiesFromItsWitness() async throws {
        let batch = try await BatchUnderTest(label: "trace")
        defer { batch.node.close() }
        // Three blocks: 2 × 3 boundaries, 4 transfers and a deposit, a withdrawal, one more transfer.
        #expect(batch.steps.count == 6 + 7)
        let trace = try batch.tracer.trace(batch.steps, from: batch.start)
        let end = try #require(trace.roots.last)
        #expect(end.stateRoot.bytes == batch.record.root)
        #expect(end.withdrawalsRoot.bytes == batch.record.withdrawalsRoot && end.withdrawalCount == 1)
        #expect(end.depositCount == 1 && end.index == UInt64(batch.steps.count))
        #expect(end.context == .between(afterBlock: batch.record.lastBlock))
        for index in 1...batch.steps.count {
            let (opening, witness) = try batch.tracer.witness(batch.steps, from: batch.start, step: index)
            #expect(opening == trace.roots[index - 1])
            #expect(try StepWitness(encoded: witness.encoded) == witness)
            let leaf = try batch.verifier.correctLeaf(after: opening, steps: batch.steps, witness: witness)
            #expect(leaf == trace.roots[index].hash, "step \(index)")
        }
        #expect(try batch.verifier.correctLeaf(after: end, steps: batch.steps, witness: StepWitness()) == TraceCommitment.end)
    }

    @Test func aWitnessMissingAnyKeyIsAnInvalidProofNeverAnotherRoot() async throws {
        let batch = try await BatchUnderTest(label: "missing")
        defer { batch.node.close() }
        let trace = try batch.tracer.trace(batch.steps, from: batch.start)
        let threeParty = BatchStep.transaction(try Self.threeParty().raw)
        #expect(batch.steps.contains(threeParty))
        for index in 1...batch.steps.count {
            let (opening, witness) = try batch.tracer.witness(batch.steps, from: batch.start, step: index)
            for dropped in witness.entries.indices {
                var partial = witness
                partial.entries.remove(at: dropped)
                #expect(throws: StepProofError.self, "step \(index) without entry \(dropped)") {
                    _ = try batch.verifier.correctLeaf(after: opening, steps: batch.steps, witness: partial)
                }
            }
            // The three-party transfer needs its sender's, its recipient's and the fee recipient's
            // accounts (the transfer plugin's keys are 0x01 ‖ address): without any one, no proof.
            if batch.steps[index - 1] == threeParty {
                let keys = Set(witness.entries.map(\.keyHash))
                for account in [NodeFixture.account1, Self.stranger, NodeFixture.account0] {
                    #expect(keys.contains(StateTree.keyHash([0x01] + account.bytes)), "\(account)")
                }
            }
            if let path = witness.withdrawalPath {
                var without = witness
                without.withdrawalPath = nil
                #expect(throws: StepProofError.missingWithdrawalPath) {
                    _ = try batch.verifier.correctLeaf(after: opening, steps: batch.steps, witness: without)
                }
                var forged = witness
                forged.withdrawalPath = path.map { _ in Keccak256.hash([1]) }
                #expect(throws: StepProofError.self) {
                    _ = try batch.verifier.correctLeaf(after: opening, steps: batch.steps, witness: forged)
                }
            }
            _ = trace
        }
    }

    @Test func aForgedExclusionProofIsRefused() async throws {
        let batch = try await BatchUnderTest(label: "forged")
        defer { batch.node.close() }
        // Step 3 is the first transfer: its sender is present; claim it absent.
        let (opening, witness) = try batch.tracer.witness(batch.steps, from: batch.start, step: 3)
        let present = try #require(witness.entries.firstIndex { $0.value != nil })
        var forged = witness
        forged.entries[present].value = nil
        forged.entries[present].proof = StateProof(siblings: witness.entries[present].proof.siblings, terminal: .empty)
        #expect(throws: StepProofError.self) {
            _ = try batch.verifier.correctLeaf(after: opening, steps: batch.steps, witness: forged)
        }
    }

    @Test func aRefusedTransactionOrAForeignDepositChangesNothing() async throws {
        let batch = try await BatchUnderTest(label: "total")
        defer { batch.node.close() }
        // A replayed transaction (nonce 0 again) and a deposit the L1 never made, in the first block.
        let replay = try NodeFixture.transfer(key: NodeFixture.key0, nonce: 0, to: NodeFixture.account1, value: NodeFixture.ether)
        let foreign = DepositTransaction(depositIndex: 1, l1Block: 0, from: NodeFixture.account1, to: NodeFixture.account0, amount: 1_000)
        var steps = batch.steps
        steps.insert(contentsOf: [.transaction(replay.raw), .transaction(foreign.encoded)], at: 3)
        let trace = try batch.tracer.trace(steps, from: batch.start)
        for index in [4, 5] {
            #expect(trace.roots[index].stateRoot == trace.roots[index - 1].stateRoot)
            #expect(trace.roots[index].context == trace.roots[index - 1].context)
            #expect(trace.roots[index].depositCount == trace.roots[index - 1].depositCount)
            let (opening, witness) = try batch.tracer.witness(steps, from: batch.start, step: index)
            #expect(try batch.verifier.correctLeaf(after: opening, steps: steps, witness: witness) == trace.roots[index].hash)
        }
        #expect(trace.roots.last?.stateRoot.bytes == batch.record.root)
        // Undecodable data has no steps at all.
        #expect(BatchStep.steps(ofBlob: [1, 2, 3], record: batch.record, chainID: 901).isEmpty)
    }
}
