/// The settlement layer: batch records, deposits, withdrawals, proofs.
///
/// Contract:
/// - It enforces the rules a contract would: `submitBatch` accepts only the next index chained to
///   the previous root (the identical record again succeeds without a second record);
///   `claimWithdrawal` pays only against a final batch, with a valid proof, once.
/// - Every proof and signature is checked before money moves.
/// - `devDeposit` and `devAdvance` exist only on development L1s (`isDevelopmentL1`).
/// - A bridge that `keepsChangeLog` (ABI 1.1) stores the kernel's change records in order, never
///   altering one: `recordChange` appends (the same bytes as the last record again return its
///   index), `changeCount` and `change(_:)` read them back for every follower.
/// - A bridge that `answersCalls` (ABI 1.2) serves settlement calls beyond these functions — dispute
///   games, stakes, forced withdrawals, the escape hatch — as JSON requests naming a `method`
///   (docs/FAULT_PROOFS.md, "Settlement calls"); an unknown method throws `.unsupported`.
public protocol SettlementBridge: KeelPlugin {
    func l1Head() throws(PluginError) -> L1Head
    func submitBatch(_ record: BatchRecord) throws(PluginError)
    func batchCount() throws(PluginError) -> (count: UInt64, final: UInt64)
    func batch(_ index: UInt64) throws(PluginError) -> BatchRecord
    func submitProof(batch index: UInt64, proof: [UInt8]) throws(PluginError)
    func deposits(from index: UInt64, limit: Int) throws(PluginError) -> [Deposit]
    func claimWithdrawal(batch index: UInt64, message: [UInt8], proof: [UInt8]) throws(PluginError)

    static var isDevelopmentL1: Bool { get }
    func devDeposit(from: [UInt8], to: [UInt8], amount: UInt128) throws(PluginError) -> UInt64
    func devAdvance(blocks: UInt64) throws(PluginError)

    static var keepsChangeLog: Bool { get }
    func recordChange(_ record: [UInt8]) throws(PluginError) -> UInt64
    func changeCount() throws(PluginError) -> UInt64
    func change(_ index: UInt64) throws(PluginError) -> [UInt8]

    static var answersCalls: Bool { get }
    func call(_ request: [UInt8]) throws(PluginError) -> [UInt8]
}

extension SettlementBridge {
    public static var isDevelopmentL1: Bool { false }

    public func devDeposit(from: [UInt8], to: [UInt8], amount: UInt128) throws(PluginError) -> UInt64 {
        throw PluginError(.unsupported, "\(Self.name) is not a development L1")
    }

    public func devAdvance(blocks: UInt64) throws(PluginError) {
        throw PluginError(.unsupported, "\(Self.name) is not a development L1")
    }

    public static var keepsChangeLog: Bool { false }

    public func recordChange(_ record: [UInt8]) throws(PluginError) -> UInt64 {
        throw PluginError(.unsupported, "\(Self.name) keeps no change log")
    }

    public func changeCount() throws(PluginError) -> UInt64 { 0 }

    public func change(_ index: UInt64) throws(PluginError) -> [UInt8] {
        throw PluginError(.unsupported, "\(Self.name) keeps no change log")
    }

    public static var answersCalls: Bool { false }

    public func call(_ request: [UInt8]) throws(PluginError) -> [UInt8] {
        throw PluginError(.unsupported, "\(Self.name) answers no settlement calls")
    }
}
