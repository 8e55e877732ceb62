import KeelABI
import KeelCore

/// A sequencer consensus plugin, called through its `keel_sequencer_table`.
public struct SequencerClient: Sendable {
    public let instance: PluginInstance
    private var table: keel_sequencer_table { instance.table(as: keel_sequencer_table.self) }

    public init(_ instance: PluginInstance) {
        precondition(instance.library.kind == .sequencer, "SequencerClient needs a sequencer plugin")
        self.instance = instance
    }

    public func isLeader(height: UInt64) throws(PluginCallError) -> Bool {
        var leader: keel_bool = 0
        let check = table.is_leader!
        try instance.call("is_leader") { pointer, error in check(pointer, height, &leader, error) }
        return leader != 0
    }

    /// Indices into `candidates`, in block order.
    public func order(_ candidates: [OrderCandidate], baseFee: UInt128, gasLimit: UInt64) throws(PluginCallError) -> [Int] {
        let raw = candidates.map(\.c)
        var chosen = 0
        var order = [UInt32](repeating: 0, count: max(1, candidates.count))
        let pick = table.order!
        try instance.call("order") { pointer, error in
            raw.withUnsafeBufferPointer { input in
                order.withUnsafeMutableBufferPointer { output in
                    pick(pointer, input.baseAddress, input.count, keel_u128(baseFee), gasLimit, output.baseAddress, &chosen, error)
                }
            }
        }
        let picked = order.prefix(min(chosen, candidates.count)).map(Int.init)
        guard picked.allSatisfy({ $0 < candidates.count }), Set(picked).count == picked.count else {
            throw PluginCallError(plugin: instance.label, function: "order", code: Int32(KEEL_ERR_INTERNAL),
                                  message: "returned an index out of range or twice: \(picked)")
        }
        return picked
    }

    public func signHeader(_ hash: [UInt8]) throws(PluginCallError) -> [UInt8] {
        try instance.require32(hash, "sign_header")
        var signature = keel_buffer()
        let sign = table.sign_header!
        try instance.call("sign_header") { pointer, error in
            hash.withUnsafeBufferPointer { sign(pointer, $0.baseAddress, &signature, error) }
        }
        return signature.take()
    }

    /// Throws `rejected` if `signature` is not the sequencer's for `height`.
    public func verifyHeader(height: UInt64, hash: [UInt8], signature: [UInt8]) throws(PluginCallError) {
        try instance.require32(hash, "verify_header")
        let verify = table.verify_header!
        try instance.call("verify_header") { pointer, error in
            hash.withUnsafeBufferPointer { hashBuffer in
                withKeelBytes(signature) { verify(pointer, height, hashBuffer.baseAddress, $0, error) }
            }
        }
    }
}
