/// A signed transaction: the transaction, its signature, the sender recovered from it, and its hash.
///
/// The fields of the transaction read through directly (`signed.nonce`, `signed.value`, `signed.to`).
@dynamicMemberLookup
public struct SignedTransaction: Hashable, Sendable {
    /// What was signed.
    public let transaction: Transaction
    /// The signature (`r`, low `s`, y-parity).
    public let signature: Signature
    /// The address whose key made the signature.
    public let sender: Address
    /// The hash that was signed.
    public let signingHash: Hash32
    /// The transaction hash: Keccak-256 of `raw`, as wallets and explorers show it.
    public let hash: Hash32
    /// The canonical encoding, as sent to `eth_sendRawTransaction` (the input, for a decoded transaction).
    public let raw: [UInt8]

    init(transaction: Transaction, signature: Signature, sender: Address, signingHash: Hash32, hash: Hash32, raw: [UInt8]) {
        self.transaction = transaction
        self.signature = signature
        self.sender = sender
        self.signingHash = signingHash
        self.hash = hash
        self.raw = raw
    }

    /// The `v` as encoded: 27/28 for legacy without EIP-155, `35 + 2·chainId + parity` with it,
    /// and the y-parity (0/1) for typed transactions.
    public var v: UInt64 {
        let parity = UInt64(signature.yParity)
        guard transaction.type == .legacy else { return parity }
        guard let chainId = transaction.chainId else { return 27 + parity }
        return 35 + 2 * chainId + parity
    }

    /// Reads a field of the transaction.
    public subscript<Value>(dynamicMember keyPath: KeyPath<Transaction, Value>) -> Value {
        transaction[keyPath: keyPath]
    }
}
