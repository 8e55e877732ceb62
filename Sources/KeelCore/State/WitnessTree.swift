/// The part of a state tree that a set of proofs reveals, which can be read, changed and rehashed
/// as if it were the whole tree: the state a one-step fault proof re-executes against
/// (docs/FAULT_PROOFS.md, §3) and the tree a proposer's trace is computed on.
///
/// Every proof is checked against the root the tree starts from before it adds anything. Reads and
/// writes are allowed only for keys a proof was given for (present or absent); any other key throws
/// `WitnessTreeError.missingWitness`, which makes a fault proof *invalid* rather than its claim
/// wrong. Writes follow the tree's rules exactly (docs/STATE.md): a new key splits the leaf it
/// meets, a deletion collapses a subtree left with one leaf — and where that needs to know whether
/// an unrevealed sibling is a leaf, the tree throws `missingWitness` for a key hash under that sibling,
/// whose proof (a probe: any key hash under it, present or not) reveals it.
public struct WitnessTree: Sendable {
    /// A node of the revealed tree; `opaque` is a subtree known only by its (nonzero) hash.
    indirect enum Node: Sendable {
        case empty
        case leaf(keyHash: Hash32, valueHash: Hash32)
        case inner(left: Node, right: Node, hash: Hash32)
        case opaque(Hash32)

        var hash: Hash32 {
            switch self {
            case .empty: .zero
            case .leaf(let keyHash, let valueHash): StateTree.leafHash(keyHash: keyHash, valueHash: valueHash)
            case .inner(_, _, let hash): hash
            case .opaque(let hash): hash
            }
        }

        static func inner(_ left: Node, _ right: Node) -> Node {
            .inner(left: left, right: right, hash: StateTree.innerHash(left.hash, right.hash))
        }
    }

    /// The root the tree started from: every proof is checked against it.
    public let startRoot: Hash32
    private var top: Node
    /// The current value of every witnessed key (by key hash); `nil`: absent.
    private var values: [Hash32: [UInt8]?] = [:]

    /// The tree with root `root`, nothing revealed yet.
    public init(root: Hash32) {
        startRoot = root
        top = root == .zero ? .empty : .opaque(root)
    }

    /// The current root.
    public var root: Hash32 { top.hash }

    /// Whether a proof for the key with this hash has been added (its value can be read and written).
    public func isWitnessed(keyHash: Hash32) -> Bool { values[keyHash] != nil }

    /// Adds `key`'s proof: `value` for a proof of presence, `nil` for a proof of absence.
    public mutating func add(key: [UInt8], value: [UInt8]?, proof: StateProof) throws(WitnessTreeError) {
        try add(keyHash: StateTree.keyHash(key), value: value, proof: proof)
    }

    /// Adds the proof of the key whose hash is `keyHash`, checked against `startRoot` (proofs are
    /// of the starting state). Added after writes, it reveals what is still unrevealed and witnesses
    /// its key if no write has touched it, so a prover can add the probes a collapse asks for.
    public mutating func add(keyHash: Hash32, value: [UInt8]?, proof: StateProof) throws(WitnessTreeError) {
        do {
            try StateProof.check(root: startRoot, keyHash: keyHash, valueHash: value.map(StateTree.valueHash), proof: proof)
        } catch {
            throw .invalidProof(keyHash: keyHash, error)
        }
        let terminal: Node
        switch proof.terminal {
        case .queriedLeaf: terminal = .leaf(keyHash: keyHash, valueHash: StateTree.valueHash(value ?? []))
        case .empty: terminal = .empty
        case .otherLeaf(let other, let valueHash): terminal = .leaf(keyHash: other, valueHash: valueHash)
        }
        // The hashes along the path, bottom up, so each expanded node keeps the hash the proof gave it.
        var pathHashes = [Hash32](repeating: .zero, count: proof.depth + 1)
        pathHashes[proof.depth] = terminal.hash
        for level in stride(from: proof.depth - 1, through: 0, by: -1) {
            let sibling = proof.siblings[level]
            pathHashes[level] = keyHash.bit(level) == 0
                ? StateTree.innerHash(pathHashes[level + 1], sibling) : StateTree.innerHash(sibling, pathHashes[level + 1])
        }
        top = try Self.reveal(top, keyHash: keyHash, depth: 0, proof: proof, pathHashes: pathHashes, terminal: terminal)
        if values[keyHash] == nil { values[keyHash] = .some(value) }
    }

    private static func reveal(_ node: Node, keyHash: Hash32, depth: Int, proof: StateProof, pathHashes: [Hash32],
                               terminal: Node) throws(WitnessTreeError) -> Node {
        if case .opaque(let hash) = node {
            // An unrevealed node was never written, so it is still the starting tree's node here.
            guard hash == pathHashes[depth] else { throw .inconsistentProofs(keyHash: keyHash) }
            if depth == proof.depth { return terminal }
            let sibling: Node = proof.siblings[depth] == .zero ? .empty : .opaque(proof.siblings[depth])
            let child = try reveal(.opaque(pathHashes[depth + 1]), keyHash: keyHash, depth: depth + 1, proof: proof,
                                   pathHashes: pathHashes, terminal: terminal)
            return keyHash.bit(depth) == 1 ? .inner(left: sibling, right: child, hash: hash) : .inner(left: child, right: sibling, hash: hash)
        }
        // Revealed already, by another proof or by a write: only unrevealed nodes below need the proof.
        guard depth < proof.depth, case .inner(let left, let right, let hash) = node else { return node }
        if keyHash.bit(depth) == 1 {
            return .inner(left: left, right: try reveal(right, keyHash: keyHash, depth: depth + 1, proof: proof,
                                                        pathHashes: pathHashes, terminal: terminal), hash: hash)
        }
        return .inner(left: try reveal(left, keyHash: keyHash, depth: depth + 1, proof: proof,
                                       pathHashes: pathHashes, terminal: terminal), right: right, hash: hash)
    }

    /// The current value of `key` (`nil`: absent); throws `missingWitness` for a key no proof covered.
    public func value(for key: [UInt8]) throws(WitnessTreeError) -> [UInt8]? {
        let keyHash = StateTree.keyHash(key)
        guard let value = values[keyHash] else { throw .missingWitness(keyHash: keyHash) }
        return value
    }

    /// Sets `key` to `value` (`nil` deletes it) and rehashes its path.
    public mutating func set(_ key: [UInt8], _ value: [UInt8]?) throws(WitnessTreeError) {
        let keyHash = StateTree.keyHash(key)
        guard values[keyHash] != nil else { throw .missingWitness(keyHash: keyHash) }
        top = try Self.write(top, keyHash: keyHash, valueHash: value.map(StateTree.valueHash), depth: 0)
        values[keyHash] = .some(value)
    }

    private static func write(_ node: Node, keyHash: Hash32, valueHash: Hash32?, depth: Int) throws(WitnessTreeError) -> Node {
        switch node {
        case .opaque:
            throw .missingWitness(keyHash: keyHash)
        case .empty:
            return valueHash.map { .leaf(keyHash: keyHash, valueHash: $0) } ?? .empty
        case .leaf(let other, let otherValue):
            if other == keyHash { return valueHash.map { .leaf(keyHash: keyHash, valueHash: $0) } ?? .empty }
            guard let valueHash else { return node }
            return split((other, otherValue), (keyHash, valueHash), depth: depth)
        case .inner(let left, let right, _):
            var (left, right) = (left, right)
            if keyHash.bit(depth) == 1 {
                right = try write(right, keyHash: keyHash, valueHash: valueHash, depth: depth + 1)
            } else {
                left = try write(left, keyHash: keyHash, valueHash: valueHash, depth: depth + 1)
            }
            return try collapse(left, right, prefixOf: keyHash, depth: depth)
        }
    }

    /// Two leaves under one node at `depth`: inner nodes down to the first bit where they differ.
    private static func split(_ first: (Hash32, Hash32), _ second: (Hash32, Hash32), depth: Int) -> Node {
        let a = Node.leaf(keyHash: first.0, valueHash: first.1), b = Node.leaf(keyHash: second.0, valueHash: second.1)
        let firstBit = first.0.bit(depth)
        guard firstBit == second.0.bit(depth) else { return firstBit == 0 ? .inner(a, b) : .inner(b, a) }
        let below = split(first, second, depth: depth + 1)
        return firstBit == 0 ? .inner(below, .empty) : .inner(.empty, below)
    }

    /// The canonical node over `left` and `right`: nothing under an empty pair, the leaf itself when
    /// the other side is empty. An unrevealed other side must be revealed first.
    private static func collapse(_ left: Node, _ right: Node, prefixOf keyHash: Hash32, depth: Int) throws(WitnessTreeError) -> Node {
        switch (left, right) {
        case (.empty, .empty): return .empty
        case (.empty, .leaf): return right
        case (.leaf, .empty): return left
        case (.empty, .opaque):
            throw .missingWitness(keyHash: probe(keyHash, depth: depth, side: 1))
        case (.opaque, .empty):
            throw .missingWitness(keyHash: probe(keyHash, depth: depth, side: 0))
        default: return .inner(left, right)
        }
    }

    /// A key hash whose path passes under the child `side` of the node at `depth` on `keyHash`'s path.
    private static func probe(_ keyHash: Hash32, depth: Int, side: UInt8) -> Hash32 {
        var bytes = keyHash.keepingBits(depth).bytes
        if side == 1 { bytes[depth >> 3] |= 0x80 >> UInt8(depth & 7) }
        return Hash32(bytes: bytes) ?? keyHash
    }

    /// The proof of the key with hash `keyHash` in the current tree, if its path is revealed.
    public func proof(forKeyHash keyHash: Hash32) throws(WitnessTreeError) -> StateProof {
        var siblings: [Hash32] = []
        var node = top
        var depth = 0
        while true {
            switch node {
            case .opaque:
                throw .missingWitness(keyHash: keyHash)
            case .empty:
                return StateProof(siblings: siblings, terminal: .empty)
            case .leaf(let other, let valueHash):
                return StateProof(siblings: siblings, terminal: other == keyHash ? .queriedLeaf : .otherLeaf(keyHash: other, valueHash: valueHash))
            case .inner(let left, let right, _):
                let goRight = keyHash.bit(depth) == 1
                siblings.append(goRight ? left.hash : right.hash)
                node = goRight ? right : left
                depth += 1
            }
        }
    }
}

/// Why a witness tree refused a proof, a read or a write.
public enum WitnessTreeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No proof reveals the key (or the subtree) with this hash: the witness is incomplete.
    case missingWitness(keyHash: Hash32)
    /// A proof does not hold against the starting root.
    case invalidProof(keyHash: Hash32, StateProofError)
    /// Two proofs disagree on the shape of the tree (only possible with a hash collision).
    case inconsistentProofs(keyHash: Hash32)

    public var description: String {
        switch self {
        case .missingWitness(let keyHash):
            "the witness has no proof for key hash \(keyHash): a step may only touch keys whose inclusion or exclusion it proves"
        case .invalidProof(let keyHash, let error):
            "the witness's proof for key hash \(keyHash) does not hold against the step's starting root: \(error)"
        case .inconsistentProofs(let keyHash):
            "the witness's proof for key hash \(keyHash) contradicts another of its proofs"
        }
    }
}
