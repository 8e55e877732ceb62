/// A deposit from L1 to L2, made by the bridge, not by a user: it carries no signature.
///
/// Encoded as `0x7e ‖ rlp([depositIndex, l1Block, from, to, amount])`; its hash is the Keccak-256
/// of that encoding. `Transaction.decode(raw:)` refuses this type: only `Transaction.decodeDeposit(raw:)`
/// reads it, and only code that takes deposits from the bridge should call that. See docs/TRANSACTIONS.md.
public struct DepositTransaction: Hashable, Sendable {
    /// The type byte, 0x7e, outside the range Ethereum uses.
    public static let typeByte: UInt8 = 0x7E

    /// The bridge's sequence number of the deposit; each is included exactly once, in order.
    public let depositIndex: UInt64
    /// The L1 block in which the deposit was made.
    public let l1Block: UInt64
    /// The L1 account that deposited.
    public let from: Address
    /// The L2 account credited.
    public let to: Address
    /// The amount credited, in wei.
    public let amount: UInt128

    /// Makes a deposit.
    public init(depositIndex: UInt64, l1Block: UInt64, from: Address, to: Address, amount: UInt128) {
        self.depositIndex = depositIndex
        self.l1Block = l1Block
        self.from = from
        self.to = to
        self.amount = amount
    }

    /// `0x7e ‖ rlp([depositIndex, l1Block, from, to, amount])`.
    public var encoded: [UInt8] {
        var encoder = RLPEncoder(reservingCapacity: 80)
        encoder.append(encoded: [Self.typeByte])
        encoder.appendList { list in
            list.append(depositIndex)
            list.append(l1Block)
            list.append(from)
            list.append(to)
            list.append(amount)
        }
        return encoder.bytes
    }

    /// Keccak-256 of `encoded`.
    public var hash: Hash32 { Keccak256.hash(encoded) }
}

extension Transaction {
    /// Decodes a deposit transaction (type 0x7e). Call this only for deposits that came from the
    /// bridge: a deposit has no signature, so anything decoded here must not come from a user.
    public static func decodeDeposit(raw: [UInt8]) throws(TransactionError) -> DepositTransaction {
        guard raw.first == DepositTransaction.typeByte else { throw TransactionError(.notADeposit(firstByte: raw.first)) }
        guard raw.count <= maxRawSize else { throw TransactionError(.tooLarge(size: raw.count, limit: maxRawSize)) }
        do throws(RLPError) {
            var input = try RLPReader(raw, from: 1)
            var fields = try input.readList(field: "deposit")
            try input.finish()
            let count = try fields.remainingItemCount()
            guard count == 5 else { throw RLPError(.wrongItemCount(expected: 5, found: count), at: 1, field: "deposit") }
            return DepositTransaction(
                depositIndex: try fields.readUInt64(field: "depositIndex"),
                l1Block: try fields.readUInt64(field: "l1Block"),
                from: try fields.readAddress(field: "from"),
                to: try fields.readAddress(field: "to"),
                amount: try fields.readUInt128(field: "amount"))
        } catch {
            throw TransactionError(.malformed(error))
        }
    }
}
