/// A proof that a key holds a value in the state tree with a given root, or that it holds none.
///
/// The proof lists the sibling of every node on the key's path, from the root down, and says how the
/// path ends: at the key's own leaf (inclusion), in an empty subtree, or at the leaf of another key
/// that shares the path so far (both exclusion). `StateProof.verify` checks it against a root
/// without any other state; `encoded()` and `init(encoded:)` carry it over RPC and to the bridge.
public struct StateProof: Sendable, Hashable {
    /// How the key's path ends.
    public enum Terminal: Sendable, Hashable {
        /// In an empty subtree: the key is absent.
        case empty
        /// At the leaf of the key the proof is for: the key is present (the verifier supplies the value).
        case queriedLeaf
        /// At the leaf of another key whose hash shares the path so far: the key is absent.
        case otherLeaf(keyHash: Hash32, valueHash: Hash32)
    }

    /// The deepest path a proof can have: two keys whose hashes differ only in the last bit.
    public static let maximumDepth = 256

    /// The sibling hash at each depth from the root (index 0) down; `Hash32.zero` for an empty sibling.
    public var siblings: [Hash32]

    /// How the path ends, at depth `siblings.count`.
    public var terminal: Terminal

    /// Creates a proof from its parts (`siblings.count` must not exceed `maximumDepth` to verify).
    public init(siblings: [Hash32], terminal: Terminal) {
        self.siblings = siblings
        self.terminal = terminal
    }

    /// The depth at which the path ends (the number of siblings, empty ones included).
    public var depth: Int { siblings.count }

    /// The number of siblings that are not empty: the hashes the encoding carries.
    public var nonEmptySiblingCount: Int { siblings.reduce(0) { $0 + ($1 == .zero ? 0 : 1) } }

    /// Whether this is a proof of presence (it ends at the key's own leaf).
    public var provesPresence: Bool { terminal == .queriedLeaf }
}

extension StateProof {
    /// Whether `proof` shows that, in the tree whose root is `root`, `key` holds `value`
    /// (or, for a `nil` value, that `key` is absent).
    ///
    /// Needs nothing but its arguments. A zero root proves no key present, and a proof of absence
    /// never passes for presence; `check` says why a proof fails.
    public static func verify(root: Hash32, key: [UInt8], value: [UInt8]?, proof: StateProof) -> Bool {
        (try? check(root: root, key: key, value: value, proof: proof)) != nil
    }

    /// `verify` for a proof in its encoded form: bytes that do not decode strictly prove nothing.
    public static func verify(root: Hash32, key: [UInt8], value: [UInt8]?, encodedProof: [UInt8]) -> Bool {
        guard let proof = try? StateProof(encoded: encodedProof) else { return false }
        return verify(root: root, key: key, value: value, proof: proof)
    }

    /// Checks `proof` as `verify` does, throwing the reason it fails.
    public static func check(root: Hash32, key: [UInt8], value: [UInt8]?, proof: StateProof) throws(StateProofError) {
        try check(root: root, keyHash: StateTree.keyHash(key), valueHash: value.map(StateTree.valueHash), proof: proof)
    }

    /// Checks `proof` for a key and value given by their hashes (a `nil` value hash: the key is absent).
    public static func check(root: Hash32, keyHash: Hash32, valueHash: Hash32?, proof: StateProof) throws(StateProofError) {
        let depth = proof.siblings.count
        guard depth <= maximumDepth else { throw .tooDeep(depth: depth) }
        var node: Hash32
        switch (proof.terminal, valueHash) {
        case (.queriedLeaf, let valueHash?):
            guard root != .zero else { throw .zeroRoot }
            node = StateTree.leafHash(keyHash: keyHash, valueHash: valueHash)
        case (.queriedLeaf, nil):
            throw .presenceProofForAbsence
        case (.empty, nil):
            node = .zero
        case (.otherLeaf(let otherKey, let otherValue), nil):
            guard otherKey != keyHash else { throw .otherLeafIsTheKey }
            guard otherKey.commonPrefixBits(with: keyHash) >= depth else { throw .otherLeafOffPath(depth: depth) }
            node = StateTree.leafHash(keyHash: otherKey, valueHash: otherValue)
        case (.empty, _?), (.otherLeaf, _?):
            throw .absenceProofForPresence
        }
        // In the canonical tree the path ends as high as it can: a subtree with one leaf is that
        // leaf, an empty subtree has no empty sibling. So the last sibling is never empty.
        if depth > 0, proof.siblings[depth - 1] == .zero { throw .notCanonical(depth: depth) }
        for level in stride(from: depth - 1, through: 0, by: -1) {
            let sibling = proof.siblings[level]
            node = keyHash.bit(level) == 0 ? StateTree.innerHash(node, sibling) : StateTree.innerHash(sibling, node)
        }
        guard node == root else { throw .rootMismatch(computed: node, expected: root) }
    }
}

/// Why a state proof does not show what it was asked to show.
public enum StateProofError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The proof's path is longer than the 256 bits of a key hash.
    case tooDeep(depth: Int)
    /// Presence was asked against the zero root, which is the empty tree.
    case zeroRoot
    /// The proof ends at the key's leaf, but absence was asked.
    case presenceProofForAbsence
    /// The proof ends in an empty subtree or at another key's leaf, but presence was asked.
    case absenceProofForPresence
    /// The proof ends at "another" leaf that is the key itself.
    case otherLeafIsTheKey
    /// The other leaf of an absence proof does not share the key's path down to where the proof ends.
    case otherLeafOffPath(depth: Int)
    /// The last sibling is empty, so the path ends lower than the canonical tree allows.
    case notCanonical(depth: Int)
    /// Hashing up the path gives another root.
    case rootMismatch(computed: Hash32, expected: Hash32)
    /// The encoded proof is malformed.
    case malformed(String)

    public var description: String {
        switch self {
        case .tooDeep(let depth):
            "state proof has \(depth) levels, more than the 256 a key hash has: it cannot be valid"
        case .zeroRoot:
            "the zero root is the empty tree: it proves no key present; check that the root was set"
        case .presenceProofForAbsence:
            "the proof shows the key present, but absence (no value) was asked"
        case .absenceProofForPresence:
            "the proof shows the key absent, but a value was asked: fetch a proof of presence"
        case .otherLeafIsTheKey:
            "the absence proof ends at the key's own leaf: the key is present"
        case .otherLeafOffPath(let depth):
            "the absence proof ends at a leaf that does not share the key's first \(depth) bits"
        case .notCanonical(let depth):
            "the proof's last sibling (depth \(depth - 1)) is empty: no canonical tree has that path"
        case .rootMismatch(let computed, let expected):
            "the proof hashes to root \(computed), not \(expected): wrong value, wrong root or a stale proof"
        case .malformed(let reason):
            "malformed state proof: \(reason)"
        }
    }
}
