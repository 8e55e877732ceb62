import KeelCore
import PropertyBased
import Testing

/// The binary Merkle tree behind the transactions, receipts and withdrawals roots, and its proofs
/// as an L1 contract would check them.
@Suite struct BlockMerkleTreeTests {
    static func leaves(_ count: Int) -> [Hash32] {
        (0..<count).map { Keccak256.hash(Array("withdrawal \($0)".utf8)) }
    }

    /// `keccak(prefix ‖ parts…)`, written out here so the tests pin the documented layout.
    static func keccak(_ prefix: UInt8, _ parts: Hash32...) -> Hash32 {
        Keccak256.hash([prefix] + parts.flatMap(\.bytes))
    }

    @Test func noLeavesHaveTheZeroRoot() {
        #expect(MerkleTree.root(leaves: []) == .zero)
        #expect(MerkleTree(leaves: []).root == .zero)
        #expect(MerkleTree(leaves: []).depth == 0)
    }

    @Test func rootsFollowTheDocumentedLayout() {
        let l = Self.leaves(3)
        let n = l.map { Self.keccak(0x00, $0) }
        // One leaf still has a (zero) sibling.
        #expect(MerkleTree.root(leaves: [l[0]]) == Self.keccak(0x01, n[0], .zero))
        #expect(MerkleTree.root(leaves: Array(l[..<2])) == Self.keccak(0x01, n[0], n[1]))
        // Three leaves: the odd node at each level is paired with zero.
        let expected = Self.keccak(0x01, Self.keccak(0x01, n[0], n[1]), Self.keccak(0x01, n[2], .zero))
        #expect(MerkleTree.root(leaves: l) == expected)
        #expect(MerkleTree(leaves: l).root == expected)
        #expect(MerkleTree(leaves: l).depth == 2)
    }

    @Test func orderMatters() {
        let l = Self.leaves(4)
        #expect(MerkleTree.root(leaves: l) != MerkleTree.root(leaves: l.reversed()))
        // A trailing zero-looking leaf still changes the root: leaves are hashed before pairing.
        #expect(MerkleTree.root(leaves: l) != MerkleTree.root(leaves: l + [.zero]))
    }

    @Test func everyLeafVerifiesAndNoOtherIndexDoes() throws {
        for count in [1, 2, 3, 4, 5, 7, 8, 9, 33] {
            let l = Self.leaves(count)
            let tree = MerkleTree(leaves: l)
            #expect(tree.root == MerkleTree.root(leaves: l))
            for index in 0..<count {
                let proof = try tree.proof(index: index)
                #expect(proof.count == tree.depth)
                #expect(MerkleTree.verify(root: tree.root, leaf: l[index], index: index, proof: proof), "leaf \(index) of \(count)")
                for other in 0..<(1 << proof.count) + 2 where other != index {
                    #expect(!MerkleTree.verify(root: tree.root, leaf: l[index], index: other, proof: proof))
                }
            }
        }
    }

    @Test func proofsVerifyForRandomTrees() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...200), Gen.int(in: 0...199)) { count, pick in
            let l = Self.leaves(count)
            let tree = MerkleTree(leaves: l)
            let index = pick % count
            let proof = try tree.proof(index: index)
            #expect(MerkleTree.verify(root: tree.root, leaf: l[index], index: index, proof: proof))
            if count > 1 {
                #expect(!MerkleTree.verify(root: tree.root, leaf: l[(index + 1) % count], index: index, proof: proof))
            }
        }
    }

    @Test func aFlippedByteAnywhereFails() throws {
        let l = Self.leaves(6)
        let tree = MerkleTree(leaves: l)
        let proof = try tree.proof(index: 4)
        #expect(MerkleTree.verify(root: tree.root, leaf: l[4], index: 4, proof: proof))
        for byte in [0, 17, 31] {
            #expect(!MerkleTree.verify(root: Self.flip(tree.root, byte), leaf: l[4], index: 4, proof: proof))
            #expect(!MerkleTree.verify(root: tree.root, leaf: Self.flip(l[4], byte), index: 4, proof: proof))
            for step in proof.indices {
                var damaged = proof
                damaged[step] = Self.flip(damaged[step], byte)
                #expect(!MerkleTree.verify(root: tree.root, leaf: l[4], index: 4, proof: damaged))
            }
        }
    }

    @Test func emptyProofsZeroRootsAndLongProofsAreRefused() throws {
        let single = MerkleTree(leaves: Self.leaves(1))
        #expect(try single.proof(index: 0).count == 1)
        // The leaf node alone is not a root anyone can prove against with an empty proof.
        let leafNode = Self.keccak(0x00, Self.leaves(1)[0])
        #expect(!MerkleTree.verify(root: leafNode, leaf: Self.leaves(1)[0], index: 0, proof: []))
        #expect(!MerkleTree.verify(root: .zero, leaf: .zero, index: 0, proof: [.zero]))
        #expect(!MerkleTree.verify(root: single.root, leaf: Self.leaves(1)[0], index: -1, proof: try single.proof(index: 0)))
        #expect(!MerkleTree.verify(root: single.root, leaf: .zero, index: 0, proof: Array(repeating: .zero, count: 64)))
    }

    @Test func anInnerNodeCannotPassForALeaf() throws {
        let l = Self.leaves(4)
        let tree = MerkleTree(leaves: l)
        let n = l.map { Self.keccak(0x00, $0) }
        let inner = Self.keccak(0x01, n[0], n[1])
        // The second step of leaf 0's proof, offered for the inner node as if it were a leaf.
        let proof = try tree.proof(index: 0)
        #expect(!MerkleTree.verify(root: tree.root, leaf: inner, index: 0, proof: [proof[1]]))
    }

    @Test func proofsOfMissingLeavesAreRefused() throws {
        let tree = MerkleTree(leaves: Self.leaves(3))
        #expect(throws: MerkleProofError.indexOutOfRange(index: 3, leafCount: 3)) { try tree.proof(index: 3) }
        #expect(throws: MerkleProofError.self) { try tree.proof(index: -1) }
        #expect(throws: MerkleProofError.self) { try MerkleTree(leaves: []).proof(index: 0) }
        #expect(MerkleProofError.indexOutOfRange(index: 3, leafCount: 3).description.contains("valid indices are 0..<3"))
    }

    static func flip(_ hash: Hash32, _ byte: Int) -> Hash32 {
        var bytes = hash.bytes
        bytes[byte] ^= 0x01
        return Hash32(bytes: bytes) ?? .zero
    }
}
