import KeelPluginKit

/// The transfer plugin's layout of the state tree, and a write buffer over it for one call.
///
/// Keys (docs/plugins/transfer.md):
/// - `0x01 ‖ address` (21 bytes): an account, valued `rlp([nonce, balance])` with canonical
///   integers. An account with nonce 0 and balance 0 is absent (its key is deleted).
/// - `0x02 ‖ "withdrawal-nonce"`: the nonce the next withdrawal message gets, `rlp(integer)`.
/// - `0x02 ‖ "deposit-index"`: the index the next deposit must carry, `rlp(integer)`.
///
/// Reads go through the buffer, so a transaction that touches one account twice (a transfer to
/// oneself, a sender who is also the fee recipient) sees its own writes. Nothing reaches the state
/// until `commit()`: a transaction refused half-way leaves the state untouched.
struct AccountLedger {
    static let accountPrefix: UInt8 = 0x01
    static let counterPrefix: UInt8 = 0x02
    static let withdrawalNonceKey: [UInt8] = [counterPrefix] + Array("withdrawal-nonce".utf8)
    static let depositIndexKey: [UInt8] = [counterPrefix] + Array("deposit-index".utf8)

    private let state: StateAccessor
    private var accounts: [Address: AccountState] = [:]
    private var counters: [[UInt8]: UInt64] = [:]
    /// Keys in the order they were first written, so commits write in a deterministic order.
    private var writeOrder: [[UInt8]] = []

    init(_ state: StateAccessor) {
        self.state = state
    }

    static func key(of address: Address) -> [UInt8] { [accountPrefix] + address.bytes }

    /// The account at `address`; a missing one is nonce 0, balance 0.
    mutating func account(_ address: Address) throws(PluginError) -> AccountState {
        if let pending = accounts[address] { return pending }
        guard let stored = try state.value(for: Self.key(of: address)) else { return AccountState(nonce: 0, balance: 0) }
        return try Self.decodeAccount(stored, address: address)
    }

    /// Buffers a new value for `address`.
    mutating func setAccount(_ account: AccountState, for address: Address) {
        if accounts.updateValue(account, forKey: address) == nil { writeOrder.append(Self.key(of: address)) }
    }

    /// Adds `amount` to the balance of `address`; refuses a balance that would pass 2^128 − 1 wei.
    mutating func credit(_ address: Address, _ amount: UInt128) throws(PluginError) {
        guard amount > 0 else { return }
        var account = try account(address)
        let (sum, overflow) = account.balance.addingReportingOverflow(amount)
        guard !overflow else {
            throw PluginError.refused(.other, "balance overflow: crediting \(amount) wei to \(address) would pass 2^128 − 1 wei")
        }
        account.balance = sum
        setAccount(account, for: address)
    }

    /// The value of a counter (0 when absent).
    mutating func counter(_ key: [UInt8]) throws(PluginError) -> UInt64 {
        if let pending = counters[key] { return pending }
        guard let stored = try state.value(for: key) else { return 0 }
        do throws(RLPError) {
            var reader = try RLPReader(stored)
            let value = try reader.readUInt64(field: "counter")
            try reader.finish()
            return value
        } catch {
            throw PluginError(.corrupt, "the state value at \(Hex.encode(key)) is not an RLP integer (\(error)); the state was written by another execution plugin or is damaged")
        }
    }

    /// Buffers a new value for a counter.
    mutating func setCounter(_ value: UInt64, for key: [UInt8]) {
        if counters.updateValue(value, forKey: key) == nil { writeOrder.append(key) }
    }

    /// Writes every buffered value to the state, in the order first written.
    func commit() throws(PluginError) {
        for key in writeOrder {
            if key.first == Self.accountPrefix, let address = Address(bytes: key.dropFirst()), let account = accounts[address] {
                try state.setValue(Self.encodeAccount(account), for: key)
            } else if let value = counters[key] {
                var encoder = RLPEncoder(reservingCapacity: 9)
                encoder.append(value)
                try state.setValue(encoder.bytes, for: key)
            }
        }
    }

    /// `rlp([nonce, balance])`, or nothing (delete the key) for an empty account.
    static func encodeAccount(_ account: AccountState) -> [UInt8] {
        guard account.nonce != 0 || account.balance != 0 else { return [] }
        var encoder = RLPEncoder(reservingCapacity: 28)
        encoder.appendList { list in
            list.append(account.nonce)
            list.append(account.balance)
        }
        return encoder.bytes
    }

    static func decodeAccount(_ bytes: [UInt8], address: Address) throws(PluginError) -> AccountState {
        do throws(RLPError) {
            var reader = try RLPReader(bytes)
            var fields = try reader.readList(field: "account")
            let nonce = try fields.readUInt64(field: "nonce")
            let balance = try fields.readUInt128(field: "balance")
            try fields.finish()
            try reader.finish()
            return AccountState(nonce: nonce, balance: balance)
        } catch {
            throw PluginError(.corrupt, "the account \(address) in the state is not rlp([nonce, balance]) (\(error)); the state was written by another execution plugin or is damaged")
        }
    }
}
