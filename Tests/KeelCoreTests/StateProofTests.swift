import Foundation
import KeelCore
@testable import KeelState
import PropertyBased
import Testing

@Suite struct StateProofTests {
    /// A committed tree of `count` keys (`key-0` … ), its model, and a few keys it does not hold.
    static func tree(count: Int, seed: Int) throws -> (TemporaryStateStore, StateStore, [[UInt8]: [UInt8]]) {
        let folder = try TemporaryStateStore()
        let store = try folder.open()
        var model: [[UInt8]: [UInt8]] = [:]
        for index in 0..<count { model[StateSample.key(index)] = StateSample.value(index &* 7 &+ seed) }
        try store.apply(version: 1, updates: model.map { (key: $0.key, value: Optional($0.value)) })
        return (folder, store, model)
    }

    @Test func flippingAnyByteOfAProofOrTheValueOrUsingAnotherRootFails() async throws {
        await propertyCheck(count: 12, input: Gen.int(in: 1...300), Gen.int(in: 0...1_000)) { count, seed in
            let (folder, store, model) = try Self.tree(count: count, seed: seed)
            _ = folder
            let root = store.latestRoot
            let present = StateSample.key(seed % count)
            let absent = StateSample.key(count + seed)
            for (key, value) in [(present, model[present]), (absent, nil)] {
                let proof = try store.proof(for: key)
                let bytes = proof.encoded()
                #expect(StateProof.verify(root: root, key: key, value: value, encodedProof: bytes))
                for index in bytes.indices {
                    for mask: UInt8 in [0x01, 0x80, 0xFF] {
                        var tampered = bytes
                        tampered[index] ^= mask
                        #expect(!StateProof.verify(root: root, key: key, value: value, encodedProof: tampered),
                                "byte \(index) of \(bytes.count) xor \(mask) still verifies")
                    }
                }
                #expect(!StateProof.verify(root: root, key: key, value: value, encodedProof: bytes + [0]))
                #expect(!StateProof.verify(root: root, key: key, value: value, encodedProof: Array(bytes.dropLast())))
                var otherRoot = root.bytes
                otherRoot[seed % 32] ^= 1
                #expect(!StateProof.verify(root: Hash32(bytes: otherRoot)!, key: key, value: value, proof: proof))
                if let value {
                    for index in value.indices {
                        var changed = value
                        changed[index] ^= 0x01
                        #expect(!StateProof.verify(root: root, key: key, value: changed, proof: proof))
                    }
                    #expect(!StateProof.verify(root: root, key: key, value: value + [0], proof: proof))
                    // A presence proof is for its key only. (An absence proof may also show another
                    // key absent when that key's path ends in the same place, which is true.)
                    #expect(!StateProof.verify(root: root, key: key + [0], value: value, proof: proof))
                }
            }
        }
    }

    @Test func anEmptyProofOrTheZeroRootNeverProvesAKey() throws {
        let (folder, store, model) = try Self.tree(count: 50, seed: 3)
        _ = folder
        let key = StateSample.key(7)
        let value = try #require(model[key])
        let proof = try store.proof(for: key)
        // The Nomad bridge accepted the zero root for messages with no proof.
        for candidate in [proof, StateProof(siblings: [], terminal: .queriedLeaf)] {
            #expect(throws: StateProofError.zeroRoot) {
                try StateProof.check(root: .zero, key: key, value: value, proof: candidate)
            }
        }
        #expect(!StateProof.verify(root: .zero, key: key, value: value, encodedProof: []))
        #expect(!StateProof.verify(root: store.latestRoot, key: key, value: value, encodedProof: []))
        #expect(!StateProof.verify(root: store.latestRoot, key: key, value: value, proof: StateProof(siblings: [], terminal: .queriedLeaf)))
        #expect(!StateProof.verify(root: store.latestRoot, key: key, value: nil, proof: StateProof(siblings: [], terminal: .empty)))
        #expect(throws: StateProofError.self) { try StateProof(encoded: []) }
        // Absence in the empty tree is the one thing the zero root proves.
        #expect(StateProof.verify(root: .zero, key: key, value: nil, proof: StateProof(siblings: [], terminal: .empty)))
    }

    @Test func aProofWithoutSiblingsProvesPresenceOnlyInTheTreeOfThatOneKey() throws {
        let (folder, store, model) = try Self.tree(count: 1, seed: 4)
        _ = folder
        let key = StateSample.key(0)
        let value = try #require(model[key])
        let proof = try store.proof(for: key)
        #expect(proof.depth == 0)
        #expect(store.latestRoot == StateTree.leafHash(keyHash: StateTree.keyHash(key), valueHash: StateTree.valueHash(value)))
        #expect(StateProof.verify(root: store.latestRoot, key: key, value: value, proof: proof))
        // The same proof against the root of any bigger tree holding the same key and value fails.
        try store.apply(version: 2, updates: [(StateSample.key(1), [1])])
        #expect(!StateProof.verify(root: store.latestRoot, key: key, value: value, proof: proof))
    }

    @Test func aProofOfAbsenceCannotBePassedOffAsPresence() throws {
        let (folder, store, model) = try Self.tree(count: 200, seed: 5)
        _ = folder
        let root = store.latestRoot
        var sawOtherLeaf = false, sawEmpty = false
        for index in 200..<260 {
            let key = StateSample.key(index)
            let proof = try store.proof(for: key)
            #expect(!proof.provesPresence)
            #expect(StateProof.verify(root: root, key: key, value: nil, proof: proof))
            #expect(throws: StateProofError.absenceProofForPresence) {
                try StateProof.check(root: root, key: key, value: [1], proof: proof)
            }
            // Relabelled as the key's own leaf, it hashes to another root.
            var relabelled = proof
            relabelled.terminal = .queriedLeaf
            #expect(!StateProof.verify(root: root, key: key, value: [], proof: relabelled))
            switch proof.terminal {
            case .otherLeaf(let keyHash, _):
                sawOtherLeaf = true
                #expect(keyHash != StateTree.keyHash(key))
            case .empty: sawEmpty = true
            case .queriedLeaf: Issue.record("absent key proved present")
            }
        }
        #expect(sawOtherLeaf && sawEmpty, "both kinds of absence proof were exercised")
        // A proof of presence does not pass for absence either.
        let present = StateSample.key(1)
        #expect(model[present] != nil)
        #expect(throws: StateProofError.presenceProofForAbsence) {
            try StateProof.check(root: root, key: present, value: nil, proof: try store.proof(for: present))
        }
    }

    @Test func proofsAreAboutLog2NSiblings() throws {
        let (folder, store, _) = try Self.tree(count: 4_096, seed: 1)
        _ = folder
        var siblings = 0, depth = 0
        for index in 0..<256 {
            let proof = try store.proof(for: StateSample.key(index))
            siblings += proof.nonEmptySiblingCount
            depth += proof.depth
        }
        // log2(4096) = 12; a random tree's leaves sit about 1.3 levels deeper on average.
        #expect(Double(siblings) / 256 < 16)
        #expect(Double(depth) / 256 < 16)
    }

    @Test func encodingRoundTripsAndIsStrict() throws {
        let (folder, store, _) = try Self.tree(count: 100, seed: 9)
        _ = folder
        for index in 0..<150 {
            let proof = try store.proof(for: StateSample.key(index))
            let bytes = proof.encoded()
            #expect(try StateProof(encoded: bytes) == proof)
            #expect(bytes.count == 4 + (proof.depth + 7) / 8 + 32 * proof.nonEmptySiblingCount
                + (proof.terminal == .empty || proof.provesPresence ? 0 : 64))
        }
        // A zero sibling written out in full is refused: one proof, one encoding.
        let padded: [UInt8] = [0x01, 0x00, 0x00, 0x01, 0x80] + [UInt8](repeating: 0, count: 32)
        #expect(throws: StateProofError.malformed("sibling at depth 0 is zero but marked present")) {
            try StateProof(encoded: padded)
        }
        #expect(throws: StateProofError.self) { try StateProof(encoded: [0x01, 0x03, 0x00, 0x00]) }
        #expect(throws: StateProofError.self) { try StateProof(encoded: [0x02, 0x00, 0x00, 0x00]) }
        #expect(throws: StateProofError.self) { try StateProof(encoded: [0x01, 0x00, 0x01, 0x01]) }
        #expect(throws: StateProofError.self) { try StateProof(encoded: [0x01, 0x00, 0x00, 0x02, 0x40]) }
    }

    @Test func aProofWithAnEmptyLastSiblingIsNotCanonical() throws {
        let (folder, store, model) = try Self.tree(count: 30, seed: 2)
        _ = folder
        let key = StateSample.key(3)
        var proof = try store.proof(for: key)
        proof.siblings.append(.zero)
        #expect(throws: StateProofError.notCanonical(depth: proof.depth)) {
            try StateProof.check(root: store.latestRoot, key: key, value: model[key], proof: proof)
        }
    }
}
