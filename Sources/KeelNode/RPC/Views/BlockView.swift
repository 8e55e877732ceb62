import KeelCore
import KeelJSONRPC

/// Blocks as go-ethereum's `eth_getBlockByNumber` shows them, with the fields a proof-of-stake
/// chain has fixed (no uncles, no difficulty, zero nonce and mix hash).
enum BlockView {
    /// keccak256(rlp([])): the uncles hash of a block without uncles.
    static let emptyUnclesHash = JSONValue.string("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347")
    static let emptyBloom = JSONValue.data([UInt8](repeating: 0, count: 256))
    static let zeroNonce = JSONValue.string("0x0000000000000000")

    /// `block` with its transaction hashes, or with `transactions` as full objects when given.
    static func json(_ block: StoredBlock, transactions: [StoredTransaction]?) throws(RPCError) -> JSONValue {
        let header = block.header
        let miner: Address
        do {
            miner = try header.sequencerAddress() ?? .zero
        } catch {
            throw RPCError.internalError("block \(header.number)'s sequencer signature does not recover: \(error); the node's database may be damaged")
        }
        let transactionValues: [JSONValue]
        if let transactions {
            var values: [JSONValue] = []
            values.reserveCapacity(transactions.count)
            for transaction in transactions { values.append(try TransactionView.json(transaction)) }
            transactionValues = values
        } else {
            transactionValues = block.transactionHashes.map(JSONValue.hash)
        }
        return .object([
            "number": .quantity(header.number),
            "hash": .hash(block.hash),
            "parentHash": .hash(header.parentHash),
            "nonce": zeroNonce,
            "mixHash": .hash(.zero),
            "sha3Uncles": emptyUnclesHash,
            "logsBloom": emptyBloom,
            "transactionsRoot": .hash(header.transactionsRoot),
            "stateRoot": .hash(header.stateRoot),
            "receiptsRoot": .hash(header.receiptsRoot),
            "withdrawalsRoot": .hash(header.withdrawalsRoot),
            "miner": .address(miner),
            "difficulty": .quantity(UInt64(0)),
            "totalDifficulty": .quantity(UInt64(0)),
            "extraData": .data([]),
            "size": .quantity(block.size),
            "gasLimit": .quantity(header.gasLimit),
            "gasUsed": .quantity(header.gasUsed),
            // The header keeps milliseconds; Ethereum's timestamp is seconds.
            "timestamp": .quantity(header.timestamp / 1000),
            "baseFeePerGas": .quantity(header.baseFee),
            "transactions": .array(transactionValues),
            "uncles": .array([]),
        ])
    }
}
