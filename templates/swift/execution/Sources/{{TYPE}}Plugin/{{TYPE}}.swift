import KeelPluginKit

/// execution {{NAME}}: a counter VM. Each transaction adds a number to a named, public counter.
///
/// Written by `keel new plugin --kind execution --lang swift`. It is complete, builds with
/// `swift build`, and passes Keel's execution conformance suite (`swift test`). It shows the shape
/// every VM has: decode strictly, refuse with a reason, keep state only through the
/// `StateAccessor`, change nothing when refusing. Make it yours:
///
/// - REPLACE the transaction format. This toy format carries NO SIGNATURE: anyone can send a
///   transaction in anyone's name. That is harmless here only because counters belong to no one.
///   A VM with balances decodes signed Ethereum transactions: `Transaction.decode(raw:)` from
///   KeelCore checks the signature and recovers the sender (docs/TRANSACTIONS.md).
/// - REPLACE the fees: this VM charges none (gas is counted, the price is zero), so the mempool
///   cannot price out spam. Charge `gasUsed × effective gas price` from a balance.
/// - REPLACE deposits: a deposit (type 0x7E) is decoded and credits nothing, since counters hold no
///   money. A VM with balances credits `deposit.amount` to `deposit.to`.
/// - KEEP determinism: no clocks, no randomness, no files; the same inputs give the same writes.
///
/// Transaction: `0x70 ‖ sender (20) ‖ nonce (8, big-endian) ‖ counter id (32) ‖ delta (8, big-endian)`.
/// State keys: `"n" ‖ sender` → the sender's next nonce; `"c" ‖ counter id` → the counter; 8 bytes each.
/// Config: none. Stateless between calls, so thread-safe.
final class {{TYPE}}: ExecutionVM, Sendable {
    static let name = "{{NAME}}"
    static let version = "0.1.0"
    static let capabilities = ["thread-safe"]
    static let transactionType: UInt8 = 0x70
    static let transactionSize = 69
    static let gasPerTransaction: UInt64 = 25_000

    /// A decoded counter transaction.
    struct CounterTransaction {
        var sender: [UInt8]
        var nonce: UInt64
        var counter: [UInt8]
        var delta: UInt64
    }

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        try config.allowKeys([]) // REPLACE: your settings
    }

    func validateTransaction(_ raw: [UInt8], state: StateAccessor) throws(PluginError) -> TransactionSummary {
        let transaction = try Self.decode(raw)
        let next = try number(prefix: "n", transaction.sender, state: state)
        guard transaction.nonce >= next else {
            throw PluginError(.rejected, "nonce too low: the sender's next nonce is \(next), this transaction has \(transaction.nonce)")
        }
        return TransactionSummary(type: Self.transactionType, hash: Keccak256.hash(raw).bytes, sender: transaction.sender,
                                  recipient: nil, nonce: transaction.nonce, gasLimit: Self.gasPerTransaction,
                                  intrinsicGas: Self.gasPerTransaction, maxFeePerGas: 0, maxPriorityFeePerGas: 0,
                                  value: 0, maxCost: 0, encodedSize: UInt64(raw.count))
    }

    func account(_ address: [UInt8], state: StateAccessor) throws(PluginError) -> AccountState {
        AccountState(nonce: try number(prefix: "n", address, state: state), balance: 0) // REPLACE: no balances here
    }

    func beginBlock(_ block: BlockContext, state: StateAccessor) throws(PluginError) {}

    func execute(_ raw: [UInt8], block: BlockContext, blockGasUsed: UInt64, state: StateAccessor) throws(PluginError) -> TransactionOutcome {
        if raw.first == DepositTransaction.typeByte {
            do {
                _ = try Transaction.decodeDeposit(raw: raw) // REPLACE: credit the deposit in a VM with balances
            } catch {
                throw PluginError(.invalidArgument, "\(error)")
            }
            return TransactionOutcome(succeeded: true, gasUsed: 0, feePaid: 0)
        }
        let transaction = try Self.decode(raw)
        let next = try number(prefix: "n", transaction.sender, state: state)
        let counter = try number(prefix: "c", transaction.counter, state: state)
        // Every check before the first write: a refused transaction changes nothing.
        guard transaction.nonce == next else {
            throw PluginError(.rejected, "wrong nonce: the sender's next nonce is \(next), this transaction has \(transaction.nonce)")
        }
        guard blockGasUsed <= block.gasLimit, Self.gasPerTransaction <= block.gasLimit - blockGasUsed else {
            throw PluginError(.rejected, "the block has no gas left for this transaction")
        }
        let (sum, overflow) = counter.addingReportingOverflow(transaction.delta)
        guard !overflow else { throw PluginError(.rejected, "the counter would overflow") }
        try setNumber(next + 1, prefix: "n", transaction.sender, state: state)
        do {
            try setNumber(sum, prefix: "c", transaction.counter, state: state)
        } catch {
            try? setNumber(next, prefix: "n", transaction.sender, state: state) // put the nonce back
            throw error
        }
        return TransactionOutcome(succeeded: true, gasUsed: Self.gasPerTransaction, feePaid: 0)
    }

    func endBlock(_ block: BlockContext, blockGasUsed: UInt64, state: StateAccessor) throws(PluginError) -> UInt128 {
        block.baseFeePerGas // REPLACE: e.g. EIP-1559's adjustment
    }

    /// A call with a 32-byte counter id as data returns the counter (8 bytes); with no data, nothing.
    func call(_ request: CallRequest, block: BlockContext, state: StateAccessor) throws(PluginError) -> CallResult {
        if request.data.isEmpty { return CallResult(succeeded: true, gasUsed: 0) }
        guard request.data.count == 32 else {
            throw PluginError(.invalidArgument, "a call's data is a 32-byte counter id, or nothing")
        }
        return CallResult(succeeded: true, gasUsed: 0, returnData: Self.bigEndian(try number(prefix: "c", request.data, state: state)))
    }

    /// Decodes a counter transaction, refusing anything else with the reason.
    static func decode(_ raw: [UInt8]) throws(PluginError) -> CounterTransaction {
        guard let type = raw.first else { throw PluginError(.invalidArgument, "no transaction bytes were given") }
        guard type != DepositTransaction.typeByte else {
            throw PluginError(.rejected, "deposit transactions (type 0x7e) come from the bridge; users cannot send them")
        }
        guard type == transactionType else {
            throw PluginError(.invalidArgument, "unknown transaction type \(Hex.encode([type])): {{NAME}} takes counter transactions (type 0x70)")
        }
        guard raw.count == transactionSize else {
            throw PluginError(.invalidArgument, "a counter transaction is \(transactionSize) bytes, not \(raw.count)")
        }
        return CounterTransaction(sender: Array(raw[1..<21]), nonce: number(raw[21..<29]),
                                  counter: Array(raw[29..<61]), delta: number(raw[61..<69]))
    }

    private func number(prefix: Character, _ id: [UInt8], state: StateAccessor) throws(PluginError) -> UInt64 {
        guard let bytes = try state.value(for: [prefix.asciiValue ?? 0] + id) else { return 0 }
        guard bytes.count == 8 else { throw PluginError(.corrupt, "a stored number is \(bytes.count) bytes, not 8") }
        return Self.number(bytes[...])
    }

    private func setNumber(_ value: UInt64, prefix: Character, _ id: [UInt8], state: StateAccessor) throws(PluginError) {
        try state.setValue(Self.bigEndian(value), for: [prefix.asciiValue ?? 0] + id)
    }

    static func number(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }
}

@_cdecl("keel_plugin_entry_v1")
public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: {{TYPE}}.self) }
