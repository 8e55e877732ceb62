import KeelCore
import PropertyBased
import Testing

/// Receipts and the three roots of a header.
@Suite struct BlockReceiptTests {
    static let emitter = BlockTestChain.key(3).address

    static func sample() -> Receipt {
        Receipt(succeeded: true, cumulativeGasUsed: 63_000, gasUsed: 21_000, logs: [
            Log(address: emitter, topics: [Keccak256.hash(Array("Transfer".utf8)), .zero], data: [0xCA, 0xFE]),
            Log(address: .zero, topics: [], data: []),
        ])
    }

    @Test func encodingIsTheDocumentedList() {
        let receipt = Self.sample()
        let expected: RLPItem = .list([
            .bytes([0x01]), .bytes([0xF6, 0x18]), .bytes([0x52, 0x08]),
            .list([
                .list([.bytes(Self.emitter.bytes), .list([.bytes(Keccak256.hash(Array("Transfer".utf8)).bytes), .bytes(Hash32.zero.bytes)]), .bytes([0xCA, 0xFE])]),
                .list([.bytes(Address.zero.bytes), .list([]), .bytes([])]),
            ]),
        ])
        #expect(receipt.encoded == expected.encoded)
        // A failed transaction's status is zero, the empty string.
        #expect(Receipt(succeeded: false, cumulativeGasUsed: 0, gasUsed: 0).encoded == [0xC4, 0x80, 0x80, 0x80, 0xC0])
    }

    @Test func randomReceiptsRoundTripExactly() async {
        let input = zip(Gen.bool, Gen.uint64(), Gen.uint64(), Gen.int(in: 0...3), Gen.uint8().array(of: 0...80))
        await propertyCheck(count: 100, input: input) { succeeded, cumulative, used, logCount, data in
            let logs = (0..<logCount).map { index in
                Log(address: BlockTestChain.key(index).address, topics: (0..<index).map { Keccak256.hash([UInt8($0)]) }, data: data)
            }
            let receipt = Receipt(succeeded: succeeded, cumulativeGasUsed: cumulative, gasUsed: used, logs: logs)
            let decoded = try Receipt(rlp: receipt.encoded)
            #expect(decoded == receipt)
            #expect(decoded.encoded == receipt.encoded)
        }
    }

    @Test func malformedReceiptsAreRefusedWithTheField() throws {
        let status = try #require(throws: RLPError.self) { try Receipt(rlp: RLPItem.list([.bytes([2]), .bytes([]), .bytes([]), .list([])]).encoded) }
        #expect(status.field == "status")
        #expect(status.offset == 1)

        let topic = try #require(throws: RLPError.self) {
            try Receipt(rlp: RLPItem.list([.bytes([1]), .bytes([]), .bytes([]), .list([
                .list([.bytes(Self.emitter.bytes), .list([.bytes([UInt8](repeating: 7, count: 31))]), .bytes([])]),
            ])]).encoded)
        }
        #expect(topic.field == "logs[0].topics[0]")
        #expect(topic.rule == .wrongByteCount(expected: 32, found: 31))

        let count = try #require(throws: RLPError.self) { try Receipt(rlp: RLPItem.list([.bytes([1]), .bytes([]), .bytes([])]).encoded) }
        #expect(count.rule == .wrongItemCount(expected: 4, found: 3))
    }

    @Test func rootsAreMerkleRootsOverKeccakOfEachItem() {
        let transactions = (0..<5).map { BlockTestChain.transfer(from: $0, to: $0 + 1, nonce: 0, value: 1) }
        #expect(BlockRoots.transactionsRoot(transactions) == MerkleTree.root(leaves: transactions.map { Keccak256.hash($0) }))
        // The leaves are the transaction hashes wallets see.
        let hashes = transactions.compactMap { try? Transaction.decode(raw: $0).hash }
        #expect(hashes.count == 5)
        #expect(BlockRoots.transactionsRoot(transactions) == MerkleTree.root(leaves: hashes))

        let receipts = [Self.sample(), Receipt(succeeded: false, cumulativeGasUsed: 84_000, gasUsed: 21_000)]
        #expect(BlockRoots.receiptsRoot(receipts) == MerkleTree.root(leaves: receipts.map { Keccak256.hash($0.encoded) }))
        #expect(BlockRoots.receiptsRoot([]) == .zero)

        let messages: [[UInt8]] = [Array("withdraw 1 to A".utf8), Array("withdraw 2 to B".utf8)]
        let root = BlockRoots.withdrawalsRoot(messages: messages)
        let tree = MerkleTree(leaves: messages.map { Keccak256.hash($0) })
        #expect(root == tree.root)
        #expect(MerkleTree.verify(root: root, leaf: Keccak256.hash(messages[1]), index: 1, proof: (try? tree.proof(index: 1)) ?? []))
        #expect(BlockRoots.withdrawalsRoot(messages: []) == .zero)
    }

    @Test func blocksRoundTripWithTheirRawTransactions() throws {
        let block = BlockTestChain.batch(blocks: 1, transfersPerBlock: 3).blocks[0]
        let decoded = try Block(rlp: block.encoded)
        #expect(decoded == block)
        #expect(decoded.transactions == block.transactions)
        #expect(decoded.hash == block.header.hash)
    }
}
