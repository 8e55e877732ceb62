import KeelPluginKit

/// The gas a transfer uses before it does anything: Ethereum's intrinsic gas (Yellow Paper, EIP-2028,
/// EIP-2930). A transfer does nothing else, so this is also the gas it uses.
enum IntrinsicGas {
    /// Every transaction (G_transaction).
    static let base: UInt64 = 21_000
    /// Each zero byte of call data (G_txdatazero).
    static let zeroByte: UInt64 = 4
    /// Each non-zero byte of call data (G_txdatanonzero, EIP-2028).
    static let nonZeroByte: UInt64 = 16
    /// Each address of an access list (EIP-2930).
    static let accessListAddress: UInt64 = 2_400
    /// Each storage key of an access list (EIP-2930).
    static let accessListStorageKey: UInt64 = 1_900

    /// 21,000 + 16 per non-zero and 4 per zero byte of `data` + 2,400 per access-list address and
    /// 1,900 per storage key. Cannot overflow: a raw transaction is at most 128 KiB.
    static func of(data: [UInt8], accessList: [AccessListEntry] = []) -> UInt64 {
        let zeros = UInt64(data.lazy.filter { $0 == 0 }.count)
        let nonZeros = UInt64(data.count) - zeros
        let keys = UInt64(accessList.reduce(0) { $0 + $1.storageKeys.count })
        return base + zeros * zeroByte + nonZeros * nonZeroByte
            + UInt64(accessList.count) * accessListAddress + keys * accessListStorageKey
    }

    static func of(_ transaction: Transaction) -> UInt64 {
        of(data: transaction.data, accessList: transaction.accessList)
    }

    /// The consensus flag that adds EIP-7623's floor: from its activation height a transaction uses
    /// at least `21,000 + 10 × tokens` gas, tokens being zero bytes + 4 × non-zero bytes of its data.
    static let calldataFloorFlag = "eip-7623"
    /// EIP-7623's TOTAL_COST_FLOOR_PER_TOKEN.
    static let floorPerToken: UInt64 = 10

    /// EIP-7623's floor for `data`: 21,000 + 10 × (zero bytes + 4 × non-zero bytes).
    static func floor(data: [UInt8]) -> UInt64 {
        let zeros = UInt64(data.lazy.filter { $0 == 0 }.count)
        let tokens = zeros + 4 * (UInt64(data.count) - zeros)
        return base + floorPerToken * tokens
    }

    /// The gas a transfer of `data` uses in a block where the floor is `floorActive` or not.
    static func used(data: [UInt8], accessList: [AccessListEntry] = [], floorActive: Bool) -> UInt64 {
        let intrinsic = of(data: data, accessList: accessList)
        return floorActive ? max(intrinsic, floor(data: data)) : intrinsic
    }
}
