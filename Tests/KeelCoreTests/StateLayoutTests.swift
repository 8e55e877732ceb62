import Foundation
import KeelCore
@testable import KeelState
import Testing

/// The stored layout (nodes by row id, small subtrees inline, resident top levels) against the
/// tree's definition, through growth, shrinking, failed commits and previews.
@Suite struct StateLayoutTests {
    struct Failure: Error {}

    /// Grows a tree to 3,000 keys and shrinks it to none, block by block, checking the root against
    /// the definition and the values and proofs of sampled keys after every block.
    @Test(arguments: [300, 100_000])
    func aTreeGrownAndShrunkMatchesTheDefinitionAfterEveryBlock(cacheNodeLimit: Int) throws {
        let folder = try TemporaryStateStore()
        let store = try folder.open(StateStoreOptions(cacheNodeLimit: cacheNodeLimit, retainedVersions: 4, pruneBatch: 1))
        var model: [[UInt8]: [UInt8]] = [:]
        var random = SplitMix64(seed: UInt64(cacheNodeLimit))
        var version: UInt64 = 0
        func commit(_ updates: [(key: [UInt8], value: [UInt8]?)]) throws {
            version += 1
            for update in updates { model[update.key] = update.value }
            let root = try store.apply(version: version, updates: updates)
            #expect(root == StateSample.root(of: model), "root after block \(version)")
            for _ in 0..<12 {
                let key = StateSample.key(Int(random.next() % 3_200))
                let expected = model[key]
                #expect(try store.value(for: key) == expected, "value in block \(version)")
                let proof = try store.proof(for: key)
                #expect(StateProof.verify(root: root, key: key, value: expected, proof: proof), "proof in block \(version)")
            }
        }
        for start in stride(from: 0, to: 3_000, by: 500) {
            try commit((start..<start + 500).map { (StateSample.key($0), StateSample.value($0 + 1)) })
        }
        // Changes and deletions spread over the whole tree, then everything goes.
        try commit((0..<3_000).filter { $0 % 3 == 0 }.map { (StateSample.key($0), $0 % 2 == 0 ? nil : StateSample.value($0 + 7)) })
        for start in stride(from: 0, to: 3_000, by: 750) {
            try commit((start..<start + 750).map { (StateSample.key($0), nil) })
        }
        #expect(store.latestRoot == .zero)
        #expect(try store.entries().isEmpty)
        // Every node of the emptied tree but its root was pruned away with the old versions.
        try store.apply(version: version + 10, updates: [])
        try store.apply(version: version + 11, updates: [])
        try store.apply(version: version + 12, updates: [])
        try store.apply(version: version + 13, updates: [])
        #expect(try store.storedRowCounts() == (versions: 4, nodes: 4, values: 0))
        #expect(try store.integrityCheck() == ["ok"])
    }

    /// A block whose caller rows fail rolls back: the store (and what it holds in memory) stays at
    /// the last committed block, and the next block builds on that.
    @Test func aFailedCommitLeavesTheStoreAtTheLastBlock() throws {
        let folder = try TemporaryStateStore()
        let store = try folder.open()
        var model = Dictionary(uniqueKeysWithValues: (0..<400).map { (StateSample.key($0), StateSample.value($0 + 1)) })
        try store.apply(version: 1, updates: model.map { (key: $0.key, value: Optional($0.value)) })
        let before = store.latestRoot
        #expect(throws: Failure.self) {
            try store.apply(version: 2, updates: (0..<200).map { (StateSample.key($0), nil) }) { _, _ in throw Failure() }
        }
        #expect(store.latestVersion == 1)
        #expect(store.latestRoot == before)
        #expect(try store.value(for: StateSample.key(5)) == model[StateSample.key(5)])
        // A preview reads the same tree and changes nothing.
        let change: [(key: [UInt8], value: [UInt8]?)] = [(StateSample.key(1), nil), (StateSample.key(9_999), [9])]
        let previewed = try store.root(applying: change)
        #expect(store.latestRoot == before)
        model[StateSample.key(1)] = nil
        model[StateSample.key(9_999)] = [9]
        #expect(try store.apply(version: 2, updates: change) == previewed)
        #expect(previewed == StateSample.root(of: model))
        #expect(try store.entries().count == model.count)
        // Reopened, it reads its tree back from the file.
        let reopened = try folder.open(StateStoreOptions(cacheNodeLimit: 50))
        #expect(reopened.latestRoot == previewed)
        #expect(try reopened.value(for: StateSample.key(9_999)) == [9])
        #expect(try reopened.root(at: 1) == before)
        #expect(try reopened.value(for: StateSample.key(1), at: 1) == StateSample.value(2))
    }

    /// A store reopened reads its resident levels back and hashes them level by level in batches:
    /// the next blocks build on those hashes, so their roots and proofs check them.
    @Test func aReopenedStoreHashesItsResidentNodesAsTheDefinitionDoes() throws {
        let folder = try TemporaryStateStore()
        var model: [[UInt8]: [UInt8]] = [:]
        do {
            let store = try folder.open()
            let updates = (0..<6_000).map { (key: StateSample.key($0), value: Optional(StateSample.value($0))) }
            for update in updates { model[update.key] = update.value }
            try store.apply(version: 1, updates: updates)
        }
        let reopened = try folder.open()
        #expect(reopened.latestRoot == StateSample.root(of: model))
        var random = SplitMix64(seed: 6)
        for version in UInt64(2)...4 {
            let updates = (0..<40).map { _ -> (key: [UInt8], value: [UInt8]?) in
                let index = Int(random.next() % 7_000)
                return (StateSample.key(index), random.next() % 4 == 0 ? nil : StateSample.value(index + Int(version)))
            }
            for update in updates { model[update.key] = update.value }
            let root = try reopened.apply(version: version, updates: updates)
            #expect(root == StateSample.root(of: model), "root after block \(version)")
            for update in updates.prefix(8) {
                let proof = try reopened.proof(for: update.key)
                #expect(StateProof.verify(root: root, key: update.key, value: model[update.key], proof: proof))
            }
        }
    }

    /// A node changed in a few slots is stored as a delta row on its last full row: a block that
    /// changes one key of a large tree adds a small part of the bytes its path's full rows take.
    @Test func aBlockChangingOneKeyWritesDeltaRows() throws {
        let folder = try TemporaryStateStore()
        let store = try folder.open(StateStoreOptions(pruneOnApply: false))
        try store.apply(version: 1, updates: (0..<20_000).map { (StateSample.key($0), StateSample.value($0 + 1)) })
        let fullTree = try store.storedNodeBytes()
        let nodes = try store.storedRowCounts().nodes
        var model = Dictionary(uniqueKeysWithValues: (0..<20_000).map { (StateSample.key($0), StateSample.value($0 + 1)) })
        var perBlock: [Int] = []
        for version in UInt64(2)...21 {
            let before = try store.storedNodeBytes()
            let key = StateSample.key(Int(version) * 97)
            model[key] = StateSample.value(Int(version) + 3)
            #expect(try store.apply(version: version, updates: [(key, model[key])]) == StateSample.root(of: model))
            perBlock.append(try store.storedNodeBytes() - before)
        }
        // A full path of 20,000 keys is four nodes of about 0.6–1 KiB each (average full row below).
        let averageFullRow = fullTree / nodes
        #expect(perBlock.allSatisfy { $0 < 3 * averageFullRow }, "bytes per block \(perBlock), a full row \(averageFullRow)")
        #expect(try store.value(for: StateSample.key(21 * 97)) == model[StateSample.key(21 * 97)])
    }

    /// Random blocks (changes, new keys, deletions) with pruning, then a reopened store with almost
    /// no cache reads every retained version from its rows, delta rows on their full rows included:
    /// roots, every value, and proofs of present and absent keys.
    @Test(arguments: [1, 3])
    func everyRetainedVersionReadsBackFromItsRowsAfterPruning(pruneBatch: UInt64) throws {
        let folder = try TemporaryStateStore()
        let options = StateStoreOptions(cacheNodeLimit: 300, retainedVersions: 6, pruneBatch: pruneBatch)
        let store = try folder.open(options)
        var random = SplitMix64(seed: 41 + pruneBatch)
        var model: [[UInt8]: [UInt8]] = [:]
        var history: [UInt64: [[UInt8]: [UInt8]]] = [:]
        for version in UInt64(1)...40 {
            var updates: [(key: [UInt8], value: [UInt8]?)] = []
            let count = version == 1 ? 3_000 : 1 + Int(random.next() % 60)
            for _ in 0..<count {
                let key = StateSample.key(Int(random.next() % 4_000))
                let value: [UInt8]? = random.next() % 4 == 0 ? nil : StateSample.value(Int(random.next() % 1_000))
                updates.append((key, value))
                model[key] = value
            }
            try store.apply(version: version, updates: updates)
            history[version] = model
        }
        let reopened = try folder.open(StateStoreOptions(cacheNodeLimit: 20, retainedVersions: 6, pruneBatch: pruneBatch))
        let oldest = try #require(reopened.oldestRetainedVersion)
        #expect(oldest >= 35 - pruneBatch + 1 && oldest <= 35)
        for version in oldest...40 {
            let expected = try #require(history[version])
            let root = try reopened.root(at: version)
            #expect(root == StateSample.root(of: expected), "root of version \(version)")
            let entries = try reopened.entries(at: version)
            #expect(entries.count == expected.count, "keys of version \(version)")
            for index in stride(from: 0, to: 4_000, by: 37) {
                let key = StateSample.key(index)
                #expect(try reopened.value(for: key, at: version) == expected[key], "value of key \(index) at version \(version)")
                let proof = try reopened.proof(for: key, at: version)
                #expect(StateProof.verify(root: root, key: key, value: expected[key], proof: proof), "proof of key \(index) at \(version)")
            }
        }
        #expect(try reopened.integrityCheck() == ["ok"])
        // Reopened with the default cache, the resident levels are read in from delta and full rows
        // alike, and the next block builds on them.
        let resident = try folder.open(StateStoreOptions(retainedVersions: 6, pruneBatch: pruneBatch))
        let change: [(key: [UInt8], value: [UInt8]?)] = (0..<400).map { (StateSample.key($0 * 10), $0 % 3 == 0 ? nil : [7, UInt8($0 % 256)]) }
        for update in change { model[update.key] = update.value }
        #expect(try resident.apply(version: 41, updates: change) == StateSample.root(of: model))
        #expect(try resident.entries().count == model.count)
    }
}
