/// The kinds of user transaction Keel accepts.
public enum TransactionType: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// The original format, an RLP list with no type byte; with or without EIP-155 replay protection.
    case legacy = 0x00
    /// EIP-2930: type byte 0x01, a chain id and an access list.
    case accessList = 0x01
    /// EIP-1559: type byte 0x02, a priority fee and a fee cap instead of a gas price.
    case dynamicFee = 0x02

    public var description: String {
        switch self {
        case .legacy: "legacy"
        case .accessList: "EIP-2930 (type 1)"
        case .dynamicFee: "EIP-1559 (type 2)"
        }
    }
}

/// One entry of an EIP-2930 access list: an address and the storage slots the transaction will touch there.
public struct AccessListEntry: Hashable, Sendable {
    /// The account.
    public var address: Address
    /// The storage keys at that account.
    public var storageKeys: [Hash32]

    /// Makes an entry.
    public init(address: Address, storageKeys: [Hash32] = []) {
        self.address = address
        self.storageKeys = storageKeys
    }
}
