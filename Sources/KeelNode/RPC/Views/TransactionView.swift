import KeelCore
import KeelJSONRPC

/// Transactions as go-ethereum's `eth_getTransactionByHash` shows them (and op-geth shows deposits),
/// so ethers, viem and web3.py read them unchanged.
enum TransactionView {
    /// Where an included transaction sits.
    struct Inclusion {
        var blockHash: Hash32
        var blockNumber: UInt64
        var index: Int
        var effectiveGasPrice: UInt128
    }

    /// An included transaction.
    static func json(_ stored: StoredTransaction) throws(RPCError) -> JSONValue {
        try json(raw: stored.raw, hash: stored.hash, sender: stored.sender,
                 inclusion: Inclusion(blockHash: stored.blockHash, blockNumber: stored.blockNumber, index: stored.index,
                                      effectiveGasPrice: stored.effectiveGasPrice))
    }

    /// A transaction from its EIP-2718 bytes; block fields are null while it is pending (`inclusion` nil).
    static func json(raw: [UInt8], hash: Hash32?, sender: Address, inclusion: Inclusion?) throws(RPCError) -> JSONValue {
        var fields: [String: JSONValue]
        if raw.first == DepositTransaction.typeByte {
            fields = try depositFields(raw)
        } else {
            fields = try userFields(raw, inclusion: inclusion)
        }
        fields["hash"] = .hash(hash ?? Keccak256.hash(raw))
        fields["from"] = .address(sender)
        fields["blockHash"] = inclusion.map { .hash($0.blockHash) } ?? .null
        fields["blockNumber"] = inclusion.map { .quantity($0.blockNumber) } ?? .null
        fields["transactionIndex"] = inclusion.map { .quantity($0.index) } ?? .null
        return .object(fields)
    }

    /// Decodes a stored user transaction; a failure means the node's own data is damaged.
    static func decode(_ raw: [UInt8]) throws(RPCError) -> SignedTransaction {
        do {
            return try Transaction.decode(raw: raw)
        } catch {
            throw RPCError.internalError("a stored transaction (\(Keccak256.hash(raw))) does not decode: \(error); the node's database may be damaged")
        }
    }

    private static func userFields(_ raw: [UInt8], inclusion: Inclusion?) throws(RPCError) -> [String: JSONValue] {
        let signed = try decode(raw)
        let transaction = signed.transaction
        var fields: [String: JSONValue] = [
            "type": .quantity(UInt64(transaction.type.rawValue)),
            "nonce": .quantity(transaction.nonce),
            "gas": .quantity(transaction.gasLimit),
            "to": transaction.to.map(JSONValue.address) ?? .null,
            "value": .quantity(transaction.value),
            "input": .data(transaction.data),
            "v": .quantity(signed.v),
            "r": .string(scalar(signed.signature.r)),
            "s": .string(scalar(signed.signature.s)),
        ]
        if let chainId = transaction.chainId { fields["chainId"] = .quantity(chainId) }
        switch transaction.fees {
        case .gasPrice(let price):
            fields["gasPrice"] = .quantity(price)
        case .dynamic(let tip, let cap):
            fields["maxPriorityFeePerGas"] = .quantity(tip)
            fields["maxFeePerGas"] = .quantity(cap)
            // geth: the price paid once included, the fee cap while pending.
            fields["gasPrice"] = .quantity(inclusion?.effectiveGasPrice ?? cap)
        }
        if transaction.type != .legacy {
            fields["accessList"] = accessList(transaction.accessList)
            fields["yParity"] = .quantity(UInt64(signed.signature.yParity))
        }
        return fields
    }

    /// op-geth's deposit view (type 0x7e): no signature, no gas, `mint` and `sourceHash`; Keel adds
    /// `depositIndex` and `l1BlockNumber`.
    private static func depositFields(_ raw: [UInt8]) throws(RPCError) -> [String: JSONValue] {
        let deposit: DepositTransaction
        do {
            deposit = try Transaction.decodeDeposit(raw: raw)
        } catch {
            throw RPCError.internalError("a stored deposit (\(Keccak256.hash(raw))) does not decode: \(error); the node's database may be damaged")
        }
        return [
            "type": .quantity(UInt64(DepositTransaction.typeByte)),
            "sourceHash": .hash(sourceHash(deposit)),
            "mint": .quantity(deposit.amount),
            "value": .quantity(deposit.amount),
            "to": .address(deposit.to),
            "nonce": .quantity(UInt64(0)),
            "gas": .quantity(UInt64(0)),
            "gasPrice": .quantity(UInt64(0)),
            "input": .data([]),
            "isSystemTx": .bool(false),
            "v": .quantity(UInt64(0)),
            "r": .quantity(UInt64(0)),
            "s": .quantity(UInt64(0)),
            "depositIndex": .quantity(deposit.depositIndex),
            "l1BlockNumber": .quantity(deposit.l1Block),
        ]
    }

    /// The OP Stack's user-deposit source hash, `keccak256(bytes32(0) ‖ keccak256(l1 ‖ index))`, with
    /// the L1 block number (32 bytes) where the OP Stack has the L1 block hash, and the bridge's
    /// deposit index as the log index: unique per deposit, and the same on every node.
    static func sourceHash(_ deposit: DepositTransaction) -> Hash32 {
        let inner = Keccak256.hash(word(deposit.l1Block) + word(deposit.depositIndex))
        return Keccak256.hash([UInt8](repeating: 0, count: 32) + inner.bytes)
    }

    private static func word(_ value: UInt64) -> [UInt8] {
        [UInt8](repeating: 0, count: 24) + withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    /// A 256-bit signature scalar as a quantity (geth writes r and s without leading zeros).
    static func scalar(_ value: Hash32) -> String {
        let digits = Hex.encode(value.bytes, prefix: false).drop { $0 == "0" }
        return digits.isEmpty ? "0x0" : "0x" + digits
    }

    static func accessList(_ entries: [AccessListEntry]) -> JSONValue {
        .array(entries.map { entry in
            ["address": .address(entry.address), "storageKeys": .array(entry.storageKeys.map(JSONValue.hash))]
        })
    }
}
