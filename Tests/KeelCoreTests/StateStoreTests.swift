import Foundation
import KeelCore
@testable import KeelState
import PropertyBased
import Testing

@Suite struct StateStoreTests {
    /// One block of a generated script: (key index, value seed or nil for a delete).
    static let block = zip(Gen.int(in: 0...40), Gen.int(in: 0...200).optional(valueRate: 0.8)).array(of: 0...14)
    static let script = block.array(of: 1...7)

    @Test func randomUpdateSequencesMatchAMapAndEveryProofVerifies() async throws {
        await propertyCheck(count: 40, input: Self.script, Gen.bool) { script, tinyCache in
            let folder = try TemporaryStateStore()
            // A tiny node cache sends reads to the file; the default one keeps them in memory.
            let options = StateStoreOptions(cacheNodeLimit: tinyCache ? 4 : 10_000, retainedVersions: 3, pruneBatch: 1)
            let store = try folder.open(options)
            var model: [[UInt8]: [UInt8]] = [:]
            var history: [(version: UInt64, model: [[UInt8]: [UInt8]], root: Hash32)] = []
            for (blockIndex, block) in script.enumerated() {
                let version = UInt64(blockIndex + 1)
                let updates = block.map { (key: StateSample.key($0.0), value: $0.1.map(StateSample.value)) }
                for update in updates { model[update.key] = update.value }
                let root = try store.apply(version: version, updates: updates)
                #expect(root == StateSample.root(of: model), "root after block \(version)")
                history.append((version, model, root))
            }
            // Every retained version answers with its own values and proofs; pruned ones refuse.
            let latest = try #require(store.latestVersion)
            for snapshot in history {
                guard snapshot.version + 3 > latest else {
                    #expect(throws: StateStoreError.self) { try store.root(at: snapshot.version) }
                    continue
                }
                #expect(try store.root(at: snapshot.version) == snapshot.root)
                for index in 0...41 {
                    let key = StateSample.key(index)
                    let expected = snapshot.model[key]
                    #expect(try store.value(for: key, at: snapshot.version) == expected, "key \(index) at \(snapshot.version)")
                    let proof = try store.proof(for: key, at: snapshot.version)
                    #expect(proof.provesPresence == (expected != nil))
                    #expect(StateProof.verify(root: snapshot.root, key: key, value: expected, proof: proof))
                    #expect(StateProof.verify(root: snapshot.root, key: key, value: expected, encodedProof: proof.encoded()))
                }
            }
            // Reopened, the store is where it was.
            let reopened = try folder.open(options)
            #expect(reopened.latestVersion == latest)
            #expect(reopened.latestRoot == StateSample.root(of: model))
            let entries = try reopened.entries()
            #expect(entries.count == model.count)
            #expect(try reopened.integrityCheck() == ["ok"])
        }
    }

    @Test func theEmptyTreeHasTheZeroRootAndOneKeyIsItsOwnLeaf() throws {
        let folder = try TemporaryStateStore()
        let store = try folder.open()
        #expect(store.latestVersion == nil)
        #expect(store.latestRoot == .zero)
        #expect(try store.apply(version: 0, updates: []) == .zero)
        let key = Array("alice".utf8), value = Array("100".utf8)
        let root = try store.apply(version: 1, updates: [(key, value)])
        #expect(root == StateTree.leafHash(keyHash: StateTree.keyHash(key), valueHash: StateTree.valueHash(value)))
        #expect(try store.apply(version: 2, updates: [(key, nil)]) == .zero)
        #expect(try store.value(for: key) == nil)
        #expect(try store.value(for: key, at: 1) == value)
    }

    @Test func twoKeysHashLeftThenRightByTheirFirstDifferingBit() throws {
        let folder = try TemporaryStateStore()
        let store = try folder.open()
        let a = Array("a".utf8), b = Array("b".utf8)
        let root = try store.apply(version: 1, updates: [(a, [1]), (b, [2])])
        let leafA = StateTree.leafHash(keyHash: StateTree.keyHash(a), valueHash: StateTree.valueHash([1]))
        let leafB = StateTree.leafHash(keyHash: StateTree.keyHash(b), valueHash: StateTree.valueHash([2]))
        // Above the first differing bit every level has an empty sibling: rebuild it by hand.
        let ha = StateTree.keyHash(a).bytes, hb = StateTree.keyHash(b).bytes
        var split = 0
        while (ha[split / 8] >> (7 - UInt8(split % 8))) & 1 == (hb[split / 8] >> (7 - UInt8(split % 8))) & 1 { split += 1 }
        let aGoesLeft = (ha[split / 8] >> (7 - UInt8(split % 8))) & 1 == 0
        var node = aGoesLeft ? StateTree.innerHash(leafA, leafB) : StateTree.innerHash(leafB, leafA)
        for level in stride(from: split - 1, through: 0, by: -1) {
            let bit = (ha[level / 8] >> (7 - UInt8(level % 8))) & 1
            node = bit == 0 ? StateTree.innerHash(node, .zero) : StateTree.innerHash(.zero, node)
        }
        #expect(root == node)
        let proof = try store.proof(for: a)
        #expect(proof.depth == split + 1)
        #expect(proof.nonEmptySiblingCount == 1)
    }

    @Test func laterUpdatesOfAKeyInOneBlockWin() throws {
        let folder = try TemporaryStateStore()
        let store = try folder.open()
        let key = Array("k".utf8)
        try store.apply(version: 1, updates: [(key, [1]), (key, [2]), (Array("j".utf8), [9]), (key, [3])])
        #expect(try store.value(for: key) == [3])
        try store.apply(version: 2, updates: [(key, [4]), (key, nil)])
        #expect(try store.value(for: key) == nil)
        #expect(store.latestRoot == StateTree.root(ofEntries: [(Array("j".utf8), [9])]))
    }

    @Test func versionsMustIncreaseAndPrunedVersionsSaySo() throws {
        let folder = try TemporaryStateStore()
        let store = try folder.open(StateStoreOptions(retainedVersions: 2, pruneBatch: 1))
        for version in UInt64(1)...5 { try store.apply(version: version, updates: [(StateSample.key(Int(version)), [1])]) }
        #expect(throws: StateStoreError.versionNotIncreasing(given: 5, latest: 5)) {
            try store.apply(version: 5, updates: [])
        }
        #expect(store.oldestRetainedVersion == 4)
        let error = #expect(throws: StateStoreError.self) { try store.value(for: StateSample.key(1), at: 3) }
        #expect(error?.description.contains("versions 4…5 are") == true)
        #expect(try store.value(for: StateSample.key(1), at: 4) == [1])
    }

    @Test func pruningOnApplyWaitsForAWholeBatch() throws {
        let folder = try TemporaryStateStore()
        let store = try folder.open(StateStoreOptions(retainedVersions: 2, pruneBatch: 4))
        for version in UInt64(1)...5 { try store.apply(version: version, updates: [(StateSample.key(Int(version)), [1])]) }
        // Versions 1…3 are past the window of 2, not yet a batch of 4: still readable.
        #expect(store.oldestRetainedVersion == 1)
        #expect(try store.value(for: StateSample.key(1), at: 1) == [1])
        try store.apply(version: 6, updates: [(StateSample.key(6), [1])])
        #expect(store.oldestRetainedVersion == 5)
        #expect(throws: StateStoreError.self) { try store.value(for: StateSample.key(1), at: 4) }
        #expect(try store.storedRowCounts().versions == 2)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test func anOversizedValueIsRefusedAndNothingIsCommitted() throws {
        let folder = try TemporaryStateStore()
        let store = try folder.open()
        let big = [UInt8](repeating: 1, count: StateStore.maximumValueBytes + 1)
        let error = #expect(throws: StateStoreError.self) {
            try store.apply(version: 1, updates: [(StateSample.key(1), [1]), (StateSample.key(2), big)])
        }
        #expect(error?.description.contains("store large data by its hash") == true)
        #expect(store.latestVersion == nil)
    }

    @Test func pruningDeletesOldNodesAndValues() throws {
        let folder = try TemporaryStateStore()
        let store = try folder.open(StateStoreOptions(retainedVersions: 1, pruneBatch: 1))
        for version in UInt64(1)...30 {
            try store.apply(version: version, updates: (0..<20).map { (StateSample.key($0), StateSample.value(Int(version) + $0)) })
        }
        let model = Dictionary(uniqueKeysWithValues: (0..<20).map { (StateSample.key($0), StateSample.value(30 + $0)) })
        #expect(store.latestRoot == StateSample.root(of: model))
        #expect(try store.entries().count == 20)
        #expect(try store.integrityCheck() == ["ok"])
        // One version kept: exactly one row per key, and no node of a pruned version.
        #expect(try store.storedRowCounts().values == 20)
        #expect(try store.storedRowCounts().versions == 1)
        // The nodes left are those of the latest tree: as many as a store built in one block has.
        let fresh = try TemporaryStateStore()
        let rebuilt = try fresh.open()
        try rebuilt.apply(version: 1, updates: model.map { (key: $0.key, value: Optional($0.value)) })
        #expect(try store.storedRowCounts().nodes == rebuilt.storedRowCounts().nodes)
    }
}

/// The pruning floor a fault-proof player sets: versions from it on stay readable past the window.
@Suite struct StatePruneFloorTests {
    @Test func versionsFromTheFloorOnSurvivePruningUntilTheFloorMoves() throws {
        let folder = try TemporaryStateStore()
        let store = try folder.open(StateStoreOptions(retainedVersions: 3, pruneOnApply: true, pruneBatch: 1))
        store.keepVersions(from: 2)
        for version in UInt64(1)...10 {
            try store.apply(version: version, updates: [(key: StateSample.key(Int(version)), value: StateSample.value(Int(version) + 1))])
        }
        #expect(throws: (any Error).self) { _ = try store.root(at: 1) }
        #expect(try store.value(for: StateSample.key(2), at: 2) == StateSample.value(3))
        #expect(try store.proof(for: StateSample.key(2), at: 5).provesPresence)
        store.keepVersions(from: nil)
        try store.apply(version: 11, updates: [(key: StateSample.key(11), value: [1])])
        #expect(throws: (any Error).self) { _ = try store.root(at: 2) }
        #expect(throws: (any Error).self) { _ = try store.root(at: 8) }
        _ = try store.root(at: 9)
    }
}
