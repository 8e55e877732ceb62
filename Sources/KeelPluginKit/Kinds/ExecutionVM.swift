/// An execution VM: decides what a transaction means and applies it to state.
///
/// Contract:
/// - State is reached only through the `StateAccessor` passed to each call; it is valid only during
///   that call. Key layout is the VM's own.
/// - `validateTransaction` decodes a raw transaction, checks signature, chain id and intrinsic gas,
///   and recovers the sender. It refuses deposits (type 0x7E): those come from the bridge.
/// - `execute` either applies the transaction and returns its outcome, or throws leaving state
///   untouched: `PluginError.refused(rule, message)`, with a message a wallet user understands. The
///   kernel keeps or drops the transaction by the rule (`TransactionRefusal.mayLaterSucceed`), never
///   by the message; `validateTransaction` reports its refusals the same way.
/// - `writeGenesis` writes the manifest's `genesis` section into the empty state in the VM's own
///   key layout; the default writes nothing and refuses a non-empty `alloc`.
///   Deposits (type 0x7E, docs/TRANSACTIONS.md) arrive through `execute` too.
/// - The same inputs give the same state changes on every node: no clocks, no randomness.
public protocol ExecutionVM: KeelPlugin {
    func validateTransaction(_ raw: [UInt8], state: StateAccessor) throws(PluginError) -> TransactionSummary
    func account(_ address: [UInt8], state: StateAccessor) throws(PluginError) -> AccountState
    func beginBlock(_ block: BlockContext, state: StateAccessor) throws(PluginError)
    func execute(_ raw: [UInt8], block: BlockContext, blockGasUsed: UInt64, state: StateAccessor) throws(PluginError) -> TransactionOutcome
    /// Ends a block; returns the next block's base fee per gas.
    func endBlock(_ block: BlockContext, blockGasUsed: UInt64, state: StateAccessor) throws(PluginError) -> UInt128
    /// Runs a call whose effects the kernel discards (eth_call, eth_estimateGas).
    func call(_ request: CallRequest, block: BlockContext, state: StateAccessor) throws(PluginError) -> CallResult
    /// Writes the genesis state (ABI 1.1), once, before block 1.
    func writeGenesis(_ genesis: GenesisSpec, state: StateAccessor) throws(PluginError)
    /// The state key under which this VM keeps the account `address` (ABI 1.1), for `keel_getProof`;
    /// nil (the default) when it keeps no accounts under one key.
    func accountKey(_ address: Address) -> [UInt8]?
}

extension ExecutionVM {
    public func accountKey(_ address: Address) -> [UInt8]? { nil }

    public func writeGenesis(_ genesis: GenesisSpec, state: StateAccessor) throws(PluginError) {
        guard genesis.alloc.isEmpty else {
            throw PluginError(.unsupported, "the \(Self.name) execution plugin writes no genesis state; remove `genesis.alloc` from the manifest")
        }
    }
}
