/// What executing one transaction produced (docs/FORMATS.md, "Receipt").
///
/// Encoded as the RLP list `[status, cumulativeGasUsed, gasUsed, logs]`; a block's receipts root is
/// `MerkleTree.root` over the keccak of each encoding, in transaction order.
public struct Receipt: Hashable, Sendable {
    /// Whether the transaction succeeded (status 1) or failed (status 0, its fee still paid).
    public var succeeded: Bool
    /// The gas used by this transaction and every one before it in the block.
    public var cumulativeGasUsed: UInt64
    /// The gas used by this transaction alone.
    public var gasUsed: UInt64
    /// The logs the transaction emitted, in order.
    public var logs: [Log]

    /// A receipt with every field given.
    public init(succeeded: Bool, cumulativeGasUsed: UInt64, gasUsed: UInt64, logs: [Log] = []) {
        self.succeeded = succeeded
        self.cumulativeGasUsed = cumulativeGasUsed
        self.gasUsed = gasUsed
        self.logs = logs
    }

    /// The RLP list `[status, cumulativeGasUsed, gasUsed, [[address, [topic…], data]…]]`,
    /// status 1 (`0x01`) or 0 (`0x80`).
    public var encoded: [UInt8] {
        var encoder = RLPEncoder(reservingCapacity: 64 + logs.reduce(0) { $0 + 64 + 33 * $1.topics.count + $1.data.count })
        encoder.appendList { list in
            list.append(UInt64(succeeded ? 1 : 0))
            list.append(cumulativeGasUsed)
            list.append(gasUsed)
            list.appendList { entries in
                for log in logs {
                    entries.appendList { entry in
                        entry.append(log.address)
                        entry.appendList { topics in
                            for topic in log.topics { topics.append(topic) }
                        }
                        entry.append(bytes: log.data)
                    }
                }
            }
        }
        return encoder.bytes
    }

    /// Decodes what `encoded` makes, and nothing else: a status of exactly 0 or 1, canonical
    /// integers, 20-byte addresses, 32-byte topics, no extra items or trailing bytes.
    ///
    /// Throws `RLPError` naming the field (`logs[2].topics[0]`) and the byte offset.
    public init(rlp bytes: [UInt8]) throws(RLPError) {
        var reader = try RLPReader(bytes)
        let start = reader.position
        var fields = try reader.readList(field: "receipt")
        let count = try fields.remainingItemCount()
        guard count == 4 else { throw RLPError(.wrongItemCount(expected: 4, found: count), at: start, field: "receipt") }

        let statusAt = fields.position
        switch try fields.readUInt64(field: "status") {
        case 0: succeeded = false
        case 1: succeeded = true
        default: throw RLPError(.integerTooWide(bits: 1), at: statusAt, field: "status")
        }
        cumulativeGasUsed = try fields.readUInt64(field: "cumulativeGasUsed")
        gasUsed = try fields.readUInt64(field: "gasUsed")

        var entries = try fields.readList(field: "logs")
        var logs: [Log] = []
        while !entries.isAtEnd {
            let name = "logs[\(logs.count)]"
            let entryAt = entries.position
            var entry = try entries.readList(field: name)
            let entryCount = try entry.remainingItemCount()
            guard entryCount == 3 else { throw RLPError(.wrongItemCount(expected: 3, found: entryCount), at: entryAt, field: name) }
            let address = try entry.readAddress(field: "\(name).address")
            var topicsReader = try entry.readList(field: "\(name).topics")
            var topics: [Hash32] = []
            while !topicsReader.isAtEnd {
                topics.append(try topicsReader.readHash32(field: "\(name).topics[\(topics.count)]"))
            }
            let data = try entry.readBytes(field: "\(name).data")
            try entry.finish()
            logs.append(Log(address: address, topics: topics, data: Array(data)))
        }
        self.logs = logs
        try fields.finish()
        try reader.finish()
    }
}

/// An event a transaction emitted: who emitted it, indexed topics, and unindexed data (as in Ethereum).
public struct Log: Hashable, Sendable {
    /// The account that emitted the log.
    public var address: Address
    /// The indexed topics, in order.
    public var topics: [Hash32]
    /// The unindexed data.
    public var data: [UInt8]

    /// A log with every field given.
    public init(address: Address, topics: [Hash32], data: [UInt8]) {
        self.address = address
        self.topics = topics
        self.data = data
    }
}
