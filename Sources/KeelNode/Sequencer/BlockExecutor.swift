import KeelCore
import KeelState
import KeelKernel

/// Runs a block's transactions through the execution plugin against an overlay of the parent
/// state: `begin_block`, `execute_tx` for each, `end_block`. The sequencer leaves refused
/// transactions out (`skipRefused`); a re-executing attestor or follower treats any refusal as a
/// fault in the batch.
struct BlockExecutor {
    let execution: ExecutionClient
    let chainID: UInt64
    let feeRecipient: Address

    /// A transaction to run, with what the node already knows of it.
    struct Input {
        var raw: [UInt8]
        var hash: Hash32
        var sender: Address
        var isDeposit: Bool
    }

    struct Refusal {
        var input: Input
        var error: PluginCallError
    }

    /// Runs `inputs` in order on top of `parent` and returns the block ready to commit, with the
    /// transactions it left out and why. With `skipRefused` false, the first refusal throws.
    func run(number: UInt64, timestamp: UInt64, parentHash: Hash32, baseFee: UInt128, gasLimit: UInt64,
             nextDeposit: UInt64, inputs: [Input], store: StateStore, baseVersion: UInt64,
             skipRefused: Bool) throws -> (block: ExecutedBlock, refused: [Refusal]) {
        let state = StateView(store: store, baseVersion: baseVersion)
        let context = BlockContext(chainID: chainID, number: number, timestamp: timestamp, gasLimit: gasLimit,
                                   baseFeePerGas: baseFee, feeRecipient: feeRecipient.bytes, parentHash: parentHash.bytes)
        try execution.beginBlock(context, state: state)
        var executed: [ExecutedTransaction] = []
        executed.reserveCapacity(inputs.count)
        var refused: [Refusal] = []
        var gasUsed: UInt64 = 0
        var deposits = nextDeposit
        for input in inputs {
            let outcome: TransactionOutcome
            do {
                outcome = try execution.execute(input.raw, block: context, blockGasUsed: gasUsed, state: state)
            } catch {
                if !skipRefused || input.isDeposit { throw BlockExecutionError(block: number, transaction: input.hash, error: error) }
                refused.append(Refusal(input: input, error: error))
                continue
            }
            gasUsed += outcome.gasUsed
            if input.isDeposit { deposits += 1 }
            executed.append(ExecutedTransaction(hash: input.hash, raw: input.raw, sender: input.sender, outcome: outcome,
                                                cumulativeGasUsed: gasUsed, isDeposit: input.isDeposit))
        }
        let nextBaseFee = try execution.endBlock(context, blockGasUsed: gasUsed, state: state)
        try state.check()
        let block = ExecutedBlock(number: number, timestamp: timestamp, parentHash: parentHash, baseFee: baseFee,
                                  gasLimit: gasLimit, gasUsed: gasUsed, transactions: executed, nextBaseFee: nextBaseFee,
                                  nextDeposit: deposits, updates: state.updates)
        return (block, refused)
    }
}

/// A transaction the execution plugin refused where it had to run (a deposit, or any transaction
/// of a block being re-executed).
struct BlockExecutionError: Error, CustomStringConvertible {
    var block: UInt64
    var transaction: Hash32
    var error: PluginCallError
    var description: String { "block \(block), transaction \(transaction): \(error)" }
}
