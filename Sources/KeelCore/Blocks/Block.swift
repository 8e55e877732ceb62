/// A block as batches carry it: the signed header and the raw transactions, byte for byte as they
/// were received (docs/FORMATS.md, "Block").
///
/// Receipts are not carried: a follower re-executes the transactions and checks its receipts
/// against `header.receiptsRoot`.
public struct Block: Hashable, Sendable {
    /// The signed header.
    public var header: BlockHeader
    /// Each transaction's raw bytes: a typed envelope (`0x01`/`0x02` ‖ RLP) or a legacy RLP list.
    public var transactions: [[UInt8]]

    /// A block of `header` and `transactions`; `header.transactionsRoot` should be
    /// `BlockRoots.transactionsRoot(transactions)`, which `BatchEncoder` and `BatchDecoder` check.
    public init(header: BlockHeader, transactions: [[UInt8]]) {
        self.header = header
        self.transactions = transactions
    }

    /// The block hash (the header's).
    public var hash: Hash32 { header.hash }

    /// The RLP list `[header, [tx0, tx1, …]]`, each transaction as a byte string.
    public var encoded: [UInt8] {
        var encoder = RLPEncoder(reservingCapacity: 512 + transactions.reduce(0) { $0 + $1.count + 3 })
        append(to: &encoder)
        return encoder.bytes
    }

    /// Decodes what `encoded` makes, and nothing else. Throws `RLPError` naming the field and offset.
    ///
    /// This checks the encoding only; `BatchDecoder` also checks roots, heights and parent hashes.
    public init(rlp bytes: [UInt8]) throws(RLPError) {
        var reader = try RLPReader(bytes)
        self = try Block(reading: &reader)
        try reader.finish()
    }

    func append(to encoder: inout RLPEncoder) {
        encoder.appendList { list in
            header.append(to: &list)
            list.appendList { items in
                for transaction in transactions { items.append(bytes: transaction) }
            }
        }
    }

    init(reading reader: inout RLPReader) throws(RLPError) {
        let start = reader.position
        var fields = try reader.readList(field: "block")
        let count = try fields.remainingItemCount()
        guard count == 2 else { throw RLPError(.wrongItemCount(expected: 2, found: count), at: start, field: "block") }
        header = try BlockHeader(reading: &fields)
        var items = try fields.readList(field: "transactions")
        var transactions: [[UInt8]] = []
        while !items.isAtEnd {
            // The field name is built only on failure: batches hold thousands of transactions.
            do {
                transactions.append(Array(try items.readBytes()))
            } catch {
                throw error.naming("transactions[\(transactions.count)]")
            }
        }
        self.transactions = transactions
        try fields.finish()
    }
}
