import KeelCore
import KeelKernel

/// Runs one step of a batch's trace from its opening `R_{i−1}` to `R_i`, by the rules of
/// docs/FAULT_PROOFS.md §1 and §3: the prover's trace and the settlement layer's one-step verifier
/// are this same code, so they cannot disagree on what a step means.
struct StepMachine {
    /// The execution plugin of a block height.
    let execution: (UInt64) -> ExecutionClient
    let chainID: UInt64
    /// The settlement layer's deposit with this index, or nil if it has none.
    let deposit: (UInt64) throws -> Deposit?

    /// Runs `step` from `opening` on `state`. `withdrawalPath` is the append path of the withdrawals
    /// tree, needed only when the step sends a withdrawal message; `pathFor` may supply it then.
    /// Throws `StepProofError` when the witness does not cover what the step touched: the proof is
    /// invalid, nothing is said about the claim.
    func run(_ step: BatchStep, from opening: StepRoot, state: WitnessState,
             withdrawalPath: () -> [Hash32]?) throws(StepProofError) -> (root: StepRoot, message: [UInt8]) {
        var next = opening
        next.index = opening.index &+ 1
        var message: [UInt8] = []
        switch step {
        case .blockStart(let header):
            guard !opening.context.inBlock, header.number == opening.context.number &+ 1,
                  let feeRecipient = try? header.sequencerAddress() else { break }
            next.context = StepRoot.Context(number: header.number, inBlock: true, gasUsed: 0, timestamp: header.timestamp,
                                            gasLimit: header.gasLimit, baseFee: header.baseFee, feeRecipient: feeRecipient,
                                            parentHash: header.parentHash)
            do { try execution(header.number).beginBlock(blockContext(next.context), state: state) } catch { state.discard() }
        case .transaction(let raw):
            guard opening.context.inBlock else { break }
            var isDeposit = false
            if raw.first == DepositTransaction.typeByte {
                guard try matchesL1Deposit(raw, index: opening.depositCount) else { break }
                isDeposit = true
            }
            do {
                let outcome = try execution(opening.context.number).execute(raw, block: blockContext(opening.context), blockGasUsed: opening.context.gasUsed, state: state)
                next.context.gasUsed = opening.context.gasUsed &+ outcome.gasUsed
                if isDeposit { next.depositCount = opening.depositCount &+ 1 }
                message = outcome.l2ToL1Message
            } catch {
                state.discard()
            }
        case .blockEnd:
            guard opening.context.inBlock else { break }
            do {
                _ = try execution(opening.context.number).endBlock(blockContext(opening.context), blockGasUsed: opening.context.gasUsed, state: state)
            } catch {
                state.discard()
            }
            next.context = .between(afterBlock: opening.context.number)
        }
        state.commit()
        guard state.isComplete else {
            throw StepProofError.missingWitness(state.missing, failure: state.failure.map { "\($0)" })
        }
        next.stateRoot = state.tree.root
        if !message.isEmpty {
            guard let path = withdrawalPath() else { throw StepProofError.missingWithdrawalPath }
            do {
                next.withdrawalsRoot = try MerkleAppend.root(appending: Keccak256.hash(message), to: opening.withdrawalsRoot,
                                                             count: opening.withdrawalCount, path: path)
            } catch {
                throw StepProofError.badWithdrawalPath(error)
            }
            next.withdrawalCount = opening.withdrawalCount &+ 1
        }
        return (next, message)
    }

    private func blockContext(_ context: StepRoot.Context) -> BlockContext {
        BlockContext(chainID: chainID, number: context.number, timestamp: context.timestamp, gasLimit: context.gasLimit,
                     baseFeePerGas: context.baseFee, feeRecipient: context.feeRecipient.bytes, parentHash: context.parentHash.bytes)
    }

    /// Whether `raw` is exactly the settlement layer's deposit number `index`.
    private func matchesL1Deposit(_ raw: [UInt8], index: UInt64) throws(StepProofError) -> Bool {
        guard let carried = try? Transaction.decodeDeposit(raw: raw), carried.depositIndex == index else { return false }
        let recorded: Deposit?
        do { recorded = try deposit(index) } catch { throw StepProofError.settlementUnavailable("\(error)") }
        guard let recorded else { return false }
        return recorded.from == carried.from.bytes && recorded.to == carried.to.bytes && recorded.amount == carried.amount
            && recorded.l1Block == carried.l1Block
    }
}

/// Why a one-step proof is invalid (the claim it was made for is neither confirmed nor refuted).
enum StepProofError: Error, Equatable, CustomStringConvertible {
    /// The step touched keys the witness does not reveal.
    case missingWitness([MissingWitness], failure: String?)
    /// The step sent a withdrawal message and the witness has no append path.
    case missingWithdrawalPath
    case badWithdrawalPath(MerkleAppendError)
    /// The witness's opening is not the agreed leaf, or a proof in it does not hold.
    case badWitness(String)
    /// The settlement layer's deposit records could not be read.
    case settlementUnavailable(String)

    var description: String {
        switch self {
        case .missingWitness(let keys, let failure):
            if keys.isEmpty { "the witness is unusable: \(failure ?? "unknown failure")" }
            else { "the witness lacks proofs for \(keys.map(\.description).joined(separator: ", ")), which the step touches" }
        case .missingWithdrawalPath:
            "the step sends a withdrawal message, and the witness has no append path for the withdrawals tree"
        case .badWithdrawalPath(let error):
            "the witness's withdrawals append path is wrong: \(error)"
        case .badWitness(let reason):
            "the witness is invalid: \(reason)"
        case .settlementUnavailable(let reason):
            "the settlement layer's deposits cannot be read: \(reason)"
        }
    }
}
