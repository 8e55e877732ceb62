import KeelCore
import PropertyBased
import Testing

/// The step root, the trace commitment and the withdrawals append path (docs/FAULT_PROOFS.md, §1).
@Suite struct TraceCommitmentTests {
    static func step(_ index: UInt64, seed: UInt8 = 1) -> StepRoot {
        StepRoot(stateRoot: Keccak256.hash([seed, 1]), withdrawalsRoot: Keccak256.hash([seed, 2]), withdrawalCount: 3,
                 depositCount: 4, index: index,
                 context: StepRoot.Context(number: 9, inBlock: true, gasUsed: 21_000, timestamp: 1_700_000_000, gasLimit: 30_000_000,
                                           baseFee: 1_000_000_007, feeRecipient: Address(bytes: [UInt8](repeating: seed, count: 20))!,
                                           parentHash: Keccak256.hash([seed, 3])))
    }

    @Test func anOpeningRoundTripsAndEveryFieldChangesTheRoot() throws {
        let step = Self.step(5)
        #expect(step.encoded.count == StepRoot.encodedSize)
        #expect(StepRoot(encoded: step.encoded) == step)
        #expect(StepRoot(encoded: step.encoded + [0]) == nil)
        var bad = step.encoded
        bad[StepRoot.domain.count + 96] = 2  // inBlock must be 0 or 1
        #expect(StepRoot(encoded: bad) == nil)
        for index in StepRoot.domain.count..<step.encoded.count {
            var bytes = step.encoded
            bytes[index] ^= 1
            if let changed = StepRoot(encoded: bytes) { #expect(changed.hash != step.hash, "byte \(index)") }
        }
    }

    @Test func theStartOfABatchIsWhatTheL1Knows() {
        let root = Keccak256.hash([7])
        let start = StepRoot.start(parentRoot: root, depositCount: 12, firstBlock: 101)
        #expect(start.index == 0 && start.stateRoot == root && start.depositCount == 12)
        #expect(start.withdrawalsRoot == .zero && start.withdrawalCount == 0)
        #expect(start.context == .between(afterBlock: 100) && !start.context.inBlock)
    }

    @Test func everyLeafIsProvenAtItsPositionOnlyAndTheTraceIsPaddedWithEnd() throws {
        let roots = (0...20).map { Self.step(UInt64($0)).hash }
        let trace = try TraceCommitment(stepRoots: roots)
        #expect(trace.stepCount == 20)
        for position in [0, 1, 10, 20, 21, 22, 511, 1023] {
            let proof = try trace.proof(at: position)
            #expect(TraceCommitment.verify(root: trace.root, leaf: trace.leaf(at: position), position: position, proof: proof))
            if trace.leaf(at: position ^ 1) != trace.leaf(at: position) {  // two END leaves are alike
                #expect(!TraceCommitment.verify(root: trace.root, leaf: trace.leaf(at: position), position: position ^ 1, proof: proof))
            }
            #expect(!TraceCommitment.verify(root: trace.root, leaf: Self.step(99).hash, position: position, proof: proof))
            #expect(!TraceCommitment.verify(root: trace.root, leaf: trace.leaf(at: position), position: position + 1024, proof: proof))
        }
        #expect(trace.leaf(at: 21) == TraceCommitment.end && trace.leaf(at: 20) == roots[20])
        // One step more or less is another commitment.
        #expect(try TraceCommitment(stepRoots: Array(roots.dropLast())).root != trace.root)
        #expect(throws: TraceCommitmentError.self) { try TraceCommitment(stepRoots: []) }
        #expect(throws: TraceCommitmentError.self) { try TraceCommitment(stepRoots: Array(repeating: roots[0], count: 1025)) }
        #expect(throws: TraceCommitmentError.self) { try trace.proof(at: 1024) }
        _ = try TraceCommitment(stepRoots: Array(repeating: roots[0], count: 1024))
    }

    @Test func appendingWithAPathGivesTheRootOfTheLongerTree() throws {
        var leaves: [Hash32] = []
        for count in 0..<70 {
            let leaf = Keccak256.hash([UInt8(count), 0xAB])
            let old = MerkleTree.root(leaves: leaves)
            let path = MerkleAppend.path(appendingTo: leaves)
            let new = try MerkleAppend.root(appending: leaf, to: old, count: UInt64(count), path: path)
            leaves.append(leaf)
            #expect(new == MerkleTree.root(leaves: leaves), "count \(count)")
        }
    }

    @Test func anAppendPathForAnotherTreeIsRefused() async throws {
        await propertyCheck(count: 60, input: Gen.int(in: 1...40), Gen.uint8()) { count, salt in
            let leaves = (0..<count).map { Keccak256.hash([UInt8(truncatingIfNeeded: $0), salt]) }
            let root = MerkleTree.root(leaves: leaves)
            let path = MerkleAppend.path(appendingTo: leaves)
            let leaf = Keccak256.hash([0xFF])
            // The right count, any sibling changed.
            for level in path.indices {
                var forged = path
                forged[level] = Keccak256.hash([UInt8(level), 0xEE])
                #expect(throws: MerkleAppendError.self) { try MerkleAppend.root(appending: leaf, to: root, count: UInt64(count), path: forged) }
            }
            // Another count with the same path, or a shorter path.
            #expect(throws: MerkleAppendError.self) { try MerkleAppend.root(appending: leaf, to: root, count: UInt64(count + 1), path: path) }
            #expect(throws: MerkleAppendError.self) { try MerkleAppend.root(appending: leaf, to: root, count: UInt64(count), path: Array(path.dropLast())) }
            // Another tree's root.
            #expect(throws: MerkleAppendError.self) { try MerkleAppend.root(appending: leaf, to: Keccak256.hash([1]), count: UInt64(count), path: path) }
        }
    }
}
