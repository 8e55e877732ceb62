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
        do throws(PluginCallError) {
            try instance.call("validate_tx") { pointer, error in
                withKeelState(state) { s in withKeelBytes(raw) { validate(pointer, s, $0, &summary, error) } }
            }
        } catch var failure {
            failure.refusal = TransactionRefusal(code: summary.refusal)
            throw failure
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
        do throws(PluginCallError) {
            try instance.call("execute_tx") { pointer, error in
                withKeelState(state) { s in withKeelBytes(raw) { execute(pointer, s, &b, $0, blockGasUsed, &outcome, error) } }
            }
        } catch var failure {
            failure.refusal = TransactionRefusal(code: outcome.refusal)
            throw failure
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

    /// Whether the plugin writes its own genesis state (ABI 1.1's `genesis`).
    public var hasGenesisHook: Bool { table.genesis != nil }

    /// Writes the genesis state of `genesis` (the manifest's section) into the empty `state`.
    /// A plugin without the hook (built for ABI 1.0) can only start from an empty state.
    public func writeGenesis(_ genesis: GenesisSpec, state: any StateAccess) throws(PluginCallError) {
        guard let write = table.genesis else {
            guard genesis.alloc.isEmpty else {
                throw PluginCallError(plugin: instance.label, function: "genesis", code: Int32(KEEL_ERR_UNSUPPORTED), message:
                    "the plugin has no genesis hook (it was built for ABI \(instance.library.abiMajor).\(instance.library.abiMinor)), so it "
                    + "cannot write the \(genesis.alloc.count) accounts of `genesis.alloc`; rebuild it against ABI 1.1 or remove `genesis.alloc`")
            }
            return
        }
        let json = genesis.json
        try instance.call("genesis") { pointer, error in
            withKeelState(state) { s in json.withCString { write(pointer, s, $0, error) } }
        }
    }

    /// The state key of the account `address` (ABI 1.1's `account_key`); nil when the plugin names none.
    public func accountKey(_ address: [UInt8]) throws(PluginCallError) -> [UInt8]? {
        guard let name = table.account_key else { return nil }
        guard address.count == 20 else {
            throw PluginCallError(plugin: instance.label, function: "account_key", code: Int32(KEEL_ERR_INVALID_ARGUMENT),
                                  message: "an address must be 20 bytes, not \(address.count)")
        }
        var key = keel_buffer()
        try instance.call("account_key") { pointer, error in address.withUnsafeBufferPointer { name(pointer, $0.baseAddress, &key, error) } }
        return key.take()
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
