import KeelCore

/// 10,000 signed EIP-1559 transfers between 1,000 accounts in 100 blocks, made once, the same on
/// every run (a fixed-seed generator).
enum TransferBatch {
    static let chainID: UInt64 = 901
    static let accountCount = 1_000
    static let blockCount = 100
    static let transfersPerBlock = 100

    static let batch: Batch = make()
    static let payload: [UInt8] = batch.blocks.flatMap(\.encoded)
    static let payloadBytes = payload.count

    private static func make() -> Batch {
        var random = SplitMix64(seed: 0x4B45_454C)
        let keys: [PrivateKey] = (0..<accountCount).compactMap { _ in
            var bytes = [UInt8](repeating: 0, count: 32)
            for offset in stride(from: 0, to: 32, by: 8) {
                withUnsafeBytes(of: random.next().bigEndian) { bytes.replaceSubrange(offset..<offset + 8, with: $0) }
            }
            bytes[0] = 0x01 // below the curve order
            return try? PrivateKey(bytes: bytes)
        }
        let sequencer = keys[0]
        var nonces = [UInt64](repeating: 0, count: keys.count)
        var blocks: [Block] = []
        var parent = Hash32.zero
        for number in 1...UInt64(blockCount) {
            // A base fee that drifts between blocks, as EIP-1559 makes it.
            let baseFee = UInt128(7_000_000_000 + random.next() % 3_000_000_000)
            var transactions: [[UInt8]] = []
            for _ in 0..<transfersPerBlock {
                let from = Int(random.next() % UInt64(keys.count))
                var to = Int(random.next() % UInt64(keys.count))
                if to == from { to = (to + 1) % keys.count }
                // Half of real transfers are round amounts (0.05 ETH), half are arbitrary wei.
                let value: UInt128 = random.next() % 2 == 0
                    ? UInt128(1 + random.next() % 500) * 10_000_000_000_000_000
                    : UInt128(random.next() % 10_000_000_000_000_000_000)
                let tip = UInt128([1_000_000_000, 1_500_000_000, 2_000_000_000][Int(random.next() % 3)])
                let transaction = Transaction.dynamicFee(
                    chainId: chainID, nonce: nonces[from], maxPriorityFeePerGas: tip, maxFeePerGas: baseFee * 2 + tip,
                    gasLimit: 21_000, to: keys[to].address, value: value)
                nonces[from] += 1
                if let signed = try? transaction.signed(with: keys[from]) { transactions.append(signed.raw) }
            }
            let receipts = transactions.indices.map {
                Receipt(succeeded: true, cumulativeGasUsed: UInt64($0 + 1) * 21_000, gasUsed: 21_000)
            }
            let header = BlockHeader(
                parentHash: parent, number: number, timestamp: 1_750_000_000_000 + number * 250,
                stateRoot: Keccak256.hash(Array("state \(number)".utf8)),
                transactionsRoot: BlockRoots.transactionsRoot(transactions), receiptsRoot: BlockRoots.receiptsRoot(receipts),
                withdrawalsRoot: .zero, baseFee: baseFee, gasUsed: UInt64(transactions.count) * 21_000, gasLimit: 30_000_000
            ).signed(with: sequencer)
            blocks.append(Block(header: header, transactions: transactions))
            parent = header.hash
        }
        return Batch(chainID: chainID, blocks: blocks)
    }
}
