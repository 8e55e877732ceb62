import KeelABI
import KeelCore

/// A bridge (settlement layer) plugin, called through its `keel_bridge_table`.
public struct BridgeClient: Sendable {
    public let instance: PluginInstance
    private var table: keel_bridge_table { instance.table(as: keel_bridge_table.self) }

    public init(_ instance: PluginInstance) {
        precondition(instance.library.kind == .bridge, "BridgeClient needs a bridge plugin")
        self.instance = instance
    }

    public func l1Head() throws(PluginCallError) -> L1Head {
        var head = keel_l1_head()
        head.struct_size = UInt32(MemoryLayout<keel_l1_head>.size)
        let read = table.l1_head!
        try instance.call("l1_head") { pointer, error in read(pointer, &head, error) }
        return L1Head(head)
    }

    public func submitBatch(_ record: BatchRecord) throws(PluginCallError) {
        let submit = table.submit_batch!
        try instance.call("submit_batch") { pointer, error in
            record.withC { submit(pointer, $0, error) }
        }
    }

    /// How many batches are recorded, and how many of the first are final.
    public func batchCount() throws(PluginCallError) -> (count: UInt64, final: UInt64) {
        var count: UInt64 = 0
        var final: UInt64 = 0
        let read = table.batch_count!
        try instance.call("batch_count") { pointer, error in read(pointer, &count, &final, error) }
        return (count, final)
    }

    public func batch(_ index: UInt64) throws(PluginCallError) -> BatchRecord {
        var r = keel_batch_record()
        r.struct_size = UInt32(MemoryLayout<keel_batch_record>.size)
        var commitment = keel_buffer()
        let read = table.get_batch!
        try instance.call("get_batch") { pointer, error in read(pointer, index, &r, &commitment, error) }
        return BatchRecord(r, commitment: commitment.take())
    }

    public func submitProof(batch index: UInt64, proof: [UInt8]) throws(PluginCallError) {
        let submit = table.submit_proof!
        try instance.call("submit_proof") { pointer, error in withKeelBytes(proof) { submit(pointer, index, $0, error) } }
    }

    /// Up to `limit` deposits from `index` on.
    public func deposits(from index: UInt64, limit: Int = 256) throws(PluginCallError) -> [Deposit] {
        var raw = [keel_deposit](repeating: keel_deposit(), count: max(1, limit))
        for i in raw.indices { raw[i].struct_size = UInt32(MemoryLayout<keel_deposit>.size) }
        var count = 0
        let read = table.deposits!
        try instance.call("deposits") { pointer, error in
            raw.withUnsafeMutableBufferPointer { read(pointer, index, $0.baseAddress, limit, &count, error) }
        }
        return raw.prefix(min(count, limit)).map(Deposit.init)
    }

    public func claimWithdrawal(batch index: UInt64, message: [UInt8], proof: [UInt8]) throws(PluginCallError) {
        let claim = table.claim_withdrawal!
        try instance.call("claim_withdrawal") { pointer, error in
            withKeelBytes(message) { m in withKeelBytes(proof) { p in claim(pointer, index, m, p, error) } }
        }
    }

    /// Whether the settlement layer is a development L1 that takes deposits and advances on command.
    public var isDevelopmentL1: Bool { table.dev_deposit != nil && table.dev_advance != nil }

    /// Queues a deposit on a development L1; returns its index.
    public func devDeposit(from: [UInt8], to: [UInt8], amount: UInt128) throws(PluginCallError) -> UInt64 {
        guard let deposit = table.dev_deposit else { throw unsupported("dev_deposit") }
        guard from.count == 20, to.count == 20 else {
            throw PluginCallError(plugin: instance.label, function: "dev_deposit", code: Int32(KEEL_ERR_INVALID_ARGUMENT),
                                  message: "addresses must be 20 bytes")
        }
        var index: UInt64 = 0
        try instance.call("dev_deposit") { pointer, error in
            from.withUnsafeBufferPointer { f in to.withUnsafeBufferPointer { t in
                deposit(pointer, f.baseAddress, t.baseAddress, keel_u128(amount), &index, error)
            } }
        }
        return index
    }

    /// Advances a development L1 by `blocks`.
    public func devAdvance(blocks: UInt64) throws(PluginCallError) {
        guard let advance = table.dev_advance else { throw unsupported("dev_advance") }
        try instance.call("dev_advance") { pointer, error in advance(pointer, blocks, error) }
    }

    // MARK: The change log (ABI 1.1)

    /// Whether the settlement layer keeps the chain's change log (DA swaps, upgrades) for followers.
    public var keepsChangeLog: Bool { table.record_change != nil && table.change_count != nil && table.get_change != nil }

    /// Appends a change record (docs/FORMATS.md, "Change records"); returns its index.
    public func recordChange(_ record: [UInt8]) throws(PluginCallError) -> UInt64 {
        guard let write = table.record_change else { throw noChangeLog("record_change") }
        var index: UInt64 = 0
        try instance.call("record_change") { pointer, error in withKeelBytes(record) { write(pointer, $0, &index, error) } }
        return index
    }

    /// How many change records there are; 0 where the settlement layer keeps no change log.
    public func changeCount() throws(PluginCallError) -> UInt64 {
        guard let read = table.change_count else { return 0 }
        var count: UInt64 = 0
        try instance.call("change_count") { pointer, error in read(pointer, &count, error) }
        return count
    }

    /// Change record `index`.
    public func change(_ index: UInt64) throws(PluginCallError) -> [UInt8] {
        guard let read = table.get_change else { throw noChangeLog("get_change") }
        var buffer = keel_buffer()
        try instance.call("get_change") { pointer, error in read(pointer, index, &buffer, error) }
        return buffer.take()
    }

    // MARK: Settlement calls (ABI 1.2)

    /// Whether the settlement layer answers calls beyond the fixed functions (games, stakes, escapes).
    public var answersCalls: Bool { table.call != nil }

    /// A settlement call: a JSON request naming its `method`, a JSON response (docs/FAULT_PROOFS.md,
    /// "Settlement calls").
    public func call(_ request: [UInt8]) throws(PluginCallError) -> [UInt8] {
        guard let call = table.call else {
            throw PluginCallError(plugin: instance.label, function: "call", code: Int32(KEEL_ERR_UNSUPPORTED), message:
                "this settlement layer answers no settlement calls (a bridge built before ABI 1.2): it runs no dispute games, stakes or escape hatch")
        }
        var buffer = keel_buffer()
        try instance.call("call") { pointer, error in withKeelBytes(request) { call(pointer, $0, &buffer, error) } }
        return buffer.take()
    }

    /// An unsigned settlement call: `body` (its `method` and fields) in, the JSON response out.
    public func settle(_ body: [String: Any], chainID: UInt64) throws -> [String: Any] {
        try SettlementCall.response(try call(try SettlementCall.request(body: body, chainID: chainID)))
    }

    private func unsupported(_ function: String) -> PluginCallError {
        PluginCallError(plugin: instance.label, function: function, code: Int32(KEEL_ERR_UNSUPPORTED),
                        message: "this settlement layer is not a development L1")
    }

    private func noChangeLog(_ function: String) -> PluginCallError {
        PluginCallError(plugin: instance.label, function: function, code: Int32(KEEL_ERR_UNSUPPORTED), message:
            "this settlement layer keeps no change log (a bridge built for ABI 1.0, or one without record_change); "
            + "followers must list every DA provider and upgrade in their manifests")
    }
}
