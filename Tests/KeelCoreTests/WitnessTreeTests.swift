import Foundation
import KeelCore
@testable import KeelState
import PropertyBased
import Testing

/// The witness tree a one-step fault proof runs on (docs/FAULT_PROOFS.md, §3): built from a real
/// store's proofs, changed, and compared with the root the definition gives for the changed map.
@Suite struct WitnessTreeTests {
    /// A store holding `model` at version 1.
    static func store(_ model: [[UInt8]: [UInt8]]) throws -> (TemporaryStateStore, StateStore) {
        let folder = try TemporaryStateStore()
        let store = try folder.open()
        try store.apply(version: 1, updates: model.map { (key: $0.key, value: Optional($0.value)) })
        return (folder, store)
    }

    /// Adds `key`'s proof from `store` to `tree`.
    static func witness(_ tree: inout WitnessTree, _ store: StateStore, _ key: [UInt8]) throws {
        try tree.add(key: key, value: try store.value(for: key), proof: try store.proof(for: key))
    }

    /// Writes `value` to `key`, adding the probe proofs from `store` that a collapse asks for.
    static func write(_ tree: inout WitnessTree, _ store: StateStore, _ key: [UInt8], _ value: [UInt8]?) throws -> Int {
        var probes = 0
        while true {
            var attempt = tree
            let needed: Hash32
            do {
                try attempt.set(key, value)
                tree = attempt
                return probes
            } catch {
                guard case .missingWitness(let keyHash) = error else { throw error }
                needed = keyHash
            }
            probes += 1
            try #require(probes <= 256, "no end of probes")
            try tree.add(keyHash: needed, value: nil, proof: try store.proof(forKeyHash: needed))
        }
    }

    @Test func changesOnARevealedSubsetGiveTheRootOfTheChangedMap() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 0...120), Gen.uint64()) { count, seed in
            var random = SplitMix64(seed: seed)
            var model: [[UInt8]: [UInt8]] = [:]
            for index in 0..<count { model[StateSample.key(index)] = StateSample.value(index &+ Int(seed % 1000)) }
            let (folder, store) = try Self.store(model)
            _ = folder
            var tree = WitnessTree(root: store.latestRoot)
            #expect(tree.root == store.latestRoot)
            // Touch some present keys and some absent ones; each is updated, deleted or inserted.
            let touched = (0..<Int.random(in: 1...12, using: &random)).map { _ in StateSample.key(Int.random(in: 0...(count + 20), using: &random)) }
            for key in Set(touched) { try Self.witness(&tree, store, key) }
            #expect(tree.root == store.latestRoot, "revealing changes nothing")
            for key in touched {
                let value: [UInt8]? = Bool.random(using: &random) ? nil : StateSample.value(Int.random(in: 0...100, using: &random))
                _ = try Self.write(&tree, store, key, value)
                model[key] = value
                #expect(try tree.value(for: key) == value)
            }
            #expect(tree.root == StateSample.root(of: model))
            // The changed tree proves what it holds, against its new root.
            for key in Set(touched) {
                let proof = try tree.proof(forKeyHash: StateTree.keyHash(key))
                #expect(StateProof.verify(root: tree.root, key: key, value: model[key], proof: proof))
            }
        }
    }

    @Test func readOrWriteOutsideTheWitnessIsMissingNotWrong() throws {
        let model = Dictionary(uniqueKeysWithValues: (0..<40).map { (StateSample.key($0), StateSample.value($0 + 1)) })
        let (folder, store) = try Self.store(model)
        _ = folder
        var tree = WitnessTree(root: store.latestRoot)
        try Self.witness(&tree, store, StateSample.key(3))
        let outside = StateSample.key(4)
        #expect(throws: WitnessTreeError.missingWitness(keyHash: StateTree.keyHash(outside))) { try tree.value(for: outside) }
        #expect(throws: WitnessTreeError.missingWitness(keyHash: StateTree.keyHash(outside))) { try tree.set(outside, [1]) }
        #expect(tree.root == store.latestRoot, "a refused write leaves the tree as it was")
    }

    @Test func forgedProofsAreRefusedBeforeTheyRevealAnything() throws {
        let model = Dictionary(uniqueKeysWithValues: (0..<40).map { (StateSample.key($0), StateSample.value($0 + 1)) })
        let (folder, store) = try Self.store(model)
        _ = folder
        let key = StateSample.key(7)
        let real = try store.proof(for: key)
        var tree = WitnessTree(root: store.latestRoot)
        // Absence claimed for a present key, with its real siblings.
        #expect(throws: WitnessTreeError.self) { try tree.add(key: key, value: nil, proof: StateProof(siblings: real.siblings, terminal: .empty) ) }
        // Absence claimed by a made-up other leaf.
        let forged = StateProof(siblings: real.siblings, terminal: .otherLeaf(keyHash: StateTree.keyHash(StateSample.key(99)), valueHash: .zero))
        #expect(throws: WitnessTreeError.self) { try tree.add(key: key, value: nil, proof: forged) }
        // Another value than the tree holds.
        #expect(throws: WitnessTreeError.self) { try tree.add(key: key, value: [0xEE], proof: real) }
        // A proof from another state.
        var other = model
        other[key] = [1, 2, 3]
        let (otherFolder, otherStore) = try Self.store(other)
        _ = otherFolder
        #expect(throws: WitnessTreeError.self) { try tree.add(key: key, value: [1, 2, 3], proof: try otherStore.proof(for: key)) }
        #expect(!tree.isWitnessed(keyHash: StateTree.keyHash(key)))
        #expect(tree.root == store.latestRoot)
    }

    @Test func keysSharingAPathPrefixSplitAndCollapseByTheTreeRules() throws {
        // Two keys whose hashes share their first 12 bits, and a third elsewhere.
        var first: [UInt8] = []
        var second: [UInt8] = []
        var seen: [Int: [UInt8]] = [:]
        for index in 0..<100_000 {
            let key = Array("prefix-\(index)".utf8)
            let hash = StateTree.keyHash(key)
            let prefix = Int(hash[0]) << 4 | Int(hash[1] >> 4)
            if let earlier = seen[prefix] { (first, second) = (earlier, key); break }
            seen[prefix] = key
        }
        try #require(!first.isEmpty)
        #expect(StateTree.keyHash(first).commonPrefixBits(with: StateTree.keyHash(second)) >= 12)
        let model: [[UInt8]: [UInt8]] = [StateSample.key(1): [1]]
        let (folder, store) = try Self.store(model)
        _ = folder
        var tree = WitnessTree(root: store.latestRoot)
        for key in [first, second] { try Self.witness(&tree, store, key) }
        try tree.set(first, [0xA])
        try tree.set(second, [0xB])
        #expect(tree.root == StateSample.root(of: [StateSample.key(1): [1], first: [0xA], second: [0xB]]))
        try tree.set(first, nil)
        #expect(tree.root == StateSample.root(of: [StateSample.key(1): [1], second: [0xB]]))
        try tree.set(second, nil)
        #expect(tree.root == store.latestRoot)
    }

    @Test func deletionNeedsItsSiblingRevealedAndAProbeRevealsIt() throws {
        let model = Dictionary(uniqueKeysWithValues: (0..<64).map { (StateSample.key($0), StateSample.value($0 + 3)) })
        let (folder, store) = try Self.store(model)
        _ = folder
        // Some key whose leaf has an unrevealed sibling subtree: deleting it needs a probe.
        var needed = 0
        for index in 0..<64 {
            let key = StateSample.key(index)
            var tree = WitnessTree(root: store.latestRoot)
            try Self.witness(&tree, store, key)
            var changed = model
            changed[key] = nil
            let probes = try Self.write(&tree, store, key, nil)
            needed += probes
            #expect(tree.root == StateSample.root(of: changed))
        }
        #expect(needed > 0, "some deletion had to reveal its sibling")
    }

    @Test func theSameKeyWrittenTwiceKeepsTheLastValue() throws {
        let model: [[UInt8]: [UInt8]] = [StateSample.key(1): [1], StateSample.key(2): [2]]
        let (folder, store) = try Self.store(model)
        _ = folder
        var tree = WitnessTree(root: store.latestRoot)
        try Self.witness(&tree, store, StateSample.key(1))
        try tree.set(StateSample.key(1), [5])
        try tree.set(StateSample.key(1), [6])
        #expect(tree.root == StateSample.root(of: [StateSample.key(1): [6], StateSample.key(2): [2]]))
        // A proof added after writes still witnesses a key no write touched.
        try Self.witness(&tree, store, StateSample.key(2))
        #expect(try tree.value(for: StateSample.key(2)) == [2])
        try tree.set(StateSample.key(2), nil)
        #expect(tree.root == StateSample.root(of: [StateSample.key(1): [6]]))
    }
}
