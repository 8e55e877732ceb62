import KeelABI
import KeelCore

/// An execution VM plugin, called through its `keel_execution_table`.
public struct ExecutionClient: Sendable {
    public let instance: PluginInstance
    private var table: keel_execution_table { instance.table(as: keel_execution_table.self) }

    public init(_ instance: PluginInstance) {
        precondition(instance.library.kind == .execution, "ExecutionClient needs an execution plugin")
        self.instance = instance
    }

    /// Decodes and checks a raw transaction against the head `state`.
    public func validate(_ raw: [UInt8], state: any StateAccess) throws(PluginCallError) -> TransactionSummary {
        var summary = keel_tx_summary()
        summary.struct_size = UInt32(MemoryLayout<keel_tx_summary>.size)
        let validate = table.validate_tx!
        try instance.call("validate_tx") { pointer, error in
            withKeelState(state) { s in withKeelBytes(raw) { validate(pointer, s, $0, &summary, error) } }
        }
        return TransactionSummary(summary)
    }

    /// The nonce and balance of `address` in `state`.
    public func account(_ address: [UInt8], state: any StateAccess) throws(PluginCallError) -> AccountState {
        guard address.count == 20 else {
            throw PluginCallError(plugin: instance.label, function: "get_account", code: Int32(KEEL_ERR_INVALID_ARGUMENT), message: "an address must be 20 bytes, not \(address.count)")
        }
        var account = keel_account()
        account.struct_size = UInt32(MemoryLayout<keel_account>.size)
        let read = table.get_account!
        try instance.call("get_account") { pointer, error in
            withKeelState(state) { s in address.withUnsafeBufferPointer { read(pointer, s, $0.baseAddress, &account, error) } }
        }
        return AccountState(nonce: account.nonce, balance: account.balance.value)
    }

    public func beginBlock(_ block: BlockContext, state: any StateAccess) throws(PluginCallError) {
        var b = block.c
        let begin = table.begin_block!
        try instance.call("begin_block") { pointer, error in withKeelState(state) { begin(pointer, $0, &b, error) } }
    }

    /// Applies one transaction; throws (state untouched) when it cannot be included.
    public func execute(_ raw: [UInt8], block: BlockContext, blockGasUsed: UInt64, state: any StateAccess) throws(PluginCallError) -> TransactionOutcome {
        var b = block.c
        var outcome = keel_tx_outcome()
        outcome.struct_size = UInt32(MemoryLayout<keel_tx_outcome>.size)
        let execute = table.execute_tx!
        try instance.call("execute_tx") { pointer, error in
            withKeelState(state) { s in withKeelBytes(raw) { execute(pointer, s, &b, $0, blockGasUsed, &outcome, error) } }
        }
        return TransactionOutcome(taking: &outcome)
    }

    /// Ends a block; returns the next block's base fee.
    public func endBlock(_ block: BlockContext, blockGasUsed: UInt64, state: any StateAccess) throws(PluginCallError) -> UInt128 {
        var b = block.c
        var outcome = keel_block_outcome()
        outcome.struct_size = UInt32(MemoryLayout<keel_block_outcome>.size)
        let end = table.end_block!
        try instance.call("end_block") { pointer, error in withKeelState(state) { end(pointer, $0, &b, blockGasUsed, &outcome, error) } }
        return outcome.next_base_fee_per_gas.value
    }

    /// Runs `request` against `state` (which the caller discards afterwards).
    public func call(_ request: CallRequest, block: BlockContext, state: any StateAccess) throws(PluginCallError) -> CallResult {
        var b = block.c
        var result = keel_call_result()
        result.struct_size = UInt32(MemoryLayout<keel_call_result>.size)
        let run = table.call!
        try instance.call("call") { pointer, error in
            withKeelState(state) { s in request.withC { run(pointer, s, &b, $0, &result, error) } }
        }
        return CallResult(taking: &result)
    }
}
