/// An Ethereum transaction before signing: legacy (with or without EIP-155), EIP-2930 or EIP-1559.
///
/// Make one with `.legacy`, `.accessList` or `.dynamicFee`; sign it with `signed(with:)`; read one
/// from the wire with `Transaction.decode(raw:)`. Amounts are in wei and held in 128 bits.
public struct Transaction: Hashable, Sendable {
    /// How the fee is given: a gas price (legacy, EIP-2930) or a fee cap with a priority fee (EIP-1559).
    public enum Fees: Hashable, Sendable {
        /// One price per gas.
        case gasPrice(UInt128)
        /// EIP-1559: at most `maxFeePerGas` per gas, of which up to `maxPriorityFeePerGas` goes to the block producer.
        case dynamic(maxPriorityFeePerGas: UInt128, maxFeePerGas: UInt128)
    }

    /// The format.
    public let type: TransactionType
    /// The chain the signature is bound to; `nil` only for a legacy transaction without EIP-155.
    /// Keel does not check it against the rollup's chain id: callers do.
    public let chainId: UInt64?
    /// The sender's sequence number.
    public let nonce: UInt64
    /// The fee terms.
    public let fees: Fees
    /// The most gas the transaction may use.
    public let gasLimit: UInt64
    /// The recipient; `nil` creates a contract.
    public let to: Address?
    /// The amount sent, in wei.
    public let value: UInt128
    /// The call data (or init code).
    public let data: [UInt8]
    /// The EIP-2930 access list; empty for legacy transactions.
    public let accessList: [AccessListEntry]

    /// The gas price of a legacy or EIP-2930 transaction; `nil` for EIP-1559.
    public var gasPrice: UInt128? {
        if case .gasPrice(let price) = fees { return price }
        return nil
    }

    /// The most paid per gas: the fee cap of EIP-1559, the gas price otherwise.
    public var maxFeePerGas: UInt128 {
        switch fees {
        case .gasPrice(let price): price
        case .dynamic(_, let cap): cap
        }
    }

    /// The most paid per gas to the block producer: the priority fee of EIP-1559, the gas price otherwise.
    public var maxPriorityFeePerGas: UInt128 {
        switch fees {
        case .gasPrice(let price): price
        case .dynamic(let tip, _): tip
        }
    }

    /// A legacy transaction; `chainId` adds EIP-155 replay protection (leave it `nil` only for pre-EIP-155 signing).
    public static func legacy(chainId: UInt64?, nonce: UInt64, gasPrice: UInt128, gasLimit: UInt64, to: Address?,
                              value: UInt128, data: [UInt8] = []) -> Transaction {
        Transaction(type: .legacy, chainId: chainId, nonce: nonce, fees: .gasPrice(gasPrice), gasLimit: gasLimit,
                    to: to, value: value, data: data, accessList: [])
    }

    /// An EIP-2930 transaction.
    public static func accessList(chainId: UInt64, nonce: UInt64, gasPrice: UInt128, gasLimit: UInt64, to: Address?,
                                  value: UInt128, data: [UInt8] = [], accessList: [AccessListEntry] = []) -> Transaction {
        Transaction(type: .accessList, chainId: chainId, nonce: nonce, fees: .gasPrice(gasPrice), gasLimit: gasLimit,
                    to: to, value: value, data: data, accessList: accessList)
    }

    /// An EIP-1559 transaction.
    public static func dynamicFee(chainId: UInt64, nonce: UInt64, maxPriorityFeePerGas: UInt128, maxFeePerGas: UInt128,
                                  gasLimit: UInt64, to: Address?, value: UInt128, data: [UInt8] = [],
                                  accessList: [AccessListEntry] = []) -> Transaction {
        Transaction(type: .dynamicFee, chainId: chainId, nonce: nonce,
                    fees: .dynamic(maxPriorityFeePerGas: maxPriorityFeePerGas, maxFeePerGas: maxFeePerGas),
                    gasLimit: gasLimit, to: to, value: value, data: data, accessList: accessList)
    }

    /// The hash the sender signs: Keccak-256 of the unsigned payload (EIP-155 for legacy with a
    /// chain id; `type ‖ rlp(fields)` for typed transactions, EIP-2718).
    public var signingHash: Hash32 {
        Keccak256.hash(signingPayload)
    }

    /// Signs with `key` (RFC 6979, low-s). Fails only for a legacy transaction whose chain id is
    /// too large for an EIP-155 `v` (over (2^64 − 36) / 2).
    public func signed(with key: PrivateKey) throws(TransactionError) -> SignedTransaction {
        if type == .legacy, let chainId, chainId > (UInt64.max - 36) / 2 {
            throw TransactionError(.chainIdTooLargeForLegacy(chainId))
        }
        let signingHash = self.signingHash
        let signature = key.sign(hash: signingHash)
        let raw = encode(signature: signature)
        return SignedTransaction(transaction: self, signature: signature, sender: key.address,
                                 signingHash: signingHash, hash: Keccak256.hash(raw), raw: raw)
    }
}
