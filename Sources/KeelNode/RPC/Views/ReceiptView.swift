import KeelCore
import KeelJSONRPC

/// Receipts as go-ethereum's `eth_getTransactionReceipt` shows them.
enum ReceiptView {
    static func json(_ stored: StoredTransaction) throws(RPCError) -> JSONValue {
        let type: UInt64
        let to: JSONValue
        if stored.raw.first == DepositTransaction.typeByte {
            type = UInt64(DepositTransaction.typeByte)
            do {
                to = .address(try Transaction.decodeDeposit(raw: stored.raw).to)
            } catch {
                throw RPCError.internalError("a stored deposit (\(stored.hash)) does not decode: \(error); the node's database may be damaged")
            }
        } else {
            let transaction = try TransactionView.decode(stored.raw).transaction
            type = UInt64(transaction.type.rawValue)
            to = transaction.to.map(JSONValue.address) ?? .null
        }
        return .object([
            "transactionHash": .hash(stored.hash),
            "transactionIndex": .quantity(stored.index),
            "blockHash": .hash(stored.blockHash),
            "blockNumber": .quantity(stored.blockNumber),
            "from": .address(stored.sender),
            "to": to,
            "cumulativeGasUsed": .quantity(stored.cumulativeGasUsed),
            "gasUsed": .quantity(stored.gasUsed),
            "effectiveGasPrice": .quantity(stored.effectiveGasPrice),
            "status": .quantity(UInt64(stored.succeeded ? 1 : 0)),
            "logs": .array([]),
            "logsBloom": BlockView.emptyBloom,
            "type": .quantity(type),
            "contractAddress": .null,
        ])
    }
}
