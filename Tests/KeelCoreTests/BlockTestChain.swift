import KeelCore

/// Builds valid chain segments for the block and batch tests: signed EIP-1559 transfers between a
/// few accounts, blocks whose roots and parent links are right, signed by a sequencer key.
enum BlockTestChain {
    static let chainID: UInt64 = 901

    static func key(_ seed: Int) -> PrivateKey {
        var bytes = [UInt8](repeating: 0, count: 32)
        bytes[0] = 0x11
        bytes[30] = UInt8(truncatingIfNeeded: seed >> 8)
        bytes[31] = UInt8(truncatingIfNeeded: seed)
        // A key of 0x11 00 … seed is far below the curve order and never zero.
        return (try? PrivateKey(bytes: bytes)) ?? sequencerKey
    }

    static let sequencerKey: PrivateKey = {
        (try? PrivateKey(hex: "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")) ?? key(1)
    }()

    /// A signed EIP-1559 transfer from account `from` to account `to`.
    static func transfer(from: Int, to: Int, nonce: UInt64, value: UInt128) -> [UInt8] {
        let transaction = Transaction.dynamicFee(
            chainId: chainID, nonce: nonce, maxPriorityFeePerGas: 1_000_000_000, maxFeePerGas: 30_000_000_000,
            gasLimit: 21_000, to: key(to).address, value: value)
        return (try? transaction.signed(with: key(from)).raw) ?? []
    }

    /// A header for `transactions` on top of `parent`, signed by the sequencer.
    static func header(number: UInt64, parent: Hash32, transactions: [[UInt8]], signed: Bool = true) -> BlockHeader {
        let header = BlockHeader(
            parentHash: parent, number: number, timestamp: 1_750_000_000_000 + number * 250,
            stateRoot: Keccak256.hash(Array("state \(number)".utf8)),
            transactionsRoot: BlockRoots.transactionsRoot(transactions),
            receiptsRoot: BlockRoots.receiptsRoot(transactions.indices.map {
                Receipt(succeeded: true, cumulativeGasUsed: UInt64($0 + 1) * 21_000, gasUsed: 21_000)
            }),
            withdrawalsRoot: .zero, baseFee: 7, gasUsed: UInt64(transactions.count) * 21_000, gasLimit: 30_000_000)
        return signed ? header.signed(with: sequencerKey) : header
    }

    /// `count` blocks from `first`, each with the transactions `transactionsPerBlock` gives.
    static func blocks(first: UInt64 = 1, count: Int, transactionsPerBlock: (Int) -> [[UInt8]]) -> [Block] {
        var blocks: [Block] = []
        var parent = Keccak256.hash(Array("genesis".utf8))
        for index in 0..<count {
            let transactions = transactionsPerBlock(index)
            let header = header(number: first + UInt64(index), parent: parent, transactions: transactions)
            blocks.append(Block(header: header, transactions: transactions))
            parent = header.hash
        }
        return blocks
    }

    /// A small realistic batch: `count` blocks of a few signed transfers each.
    static func batch(blocks count: Int = 3, transfersPerBlock: Int = 4) -> Batch {
        Batch(chainID: chainID, blocks: blocks(count: count) { block in
            (0..<transfersPerBlock).map { index in
                transfer(from: index % 7, to: (index + block) % 11, nonce: UInt64(block), value: UInt128(1_000 + index))
            }
        })
    }
}
