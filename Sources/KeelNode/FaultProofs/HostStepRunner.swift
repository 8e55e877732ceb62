import Foundation
import KeelCore
import KeelKernel

/// The host's side of `keel_host.execute_step` (ABI 1.2; docs/FAULT_PROOFS.md, "The host's step"):
/// a bridge judging a game sends the batch record, the opening of `R_{i−1}`, the witness and the
/// L1 deposit the step may consume; the host fetches the batch's bytes from DA itself (the DA
/// plugin checks them against the commitment), derives its steps, and answers the correct leaf.
struct HostStepRunner: Sendable {
    let da: DARouter
    let executions: PluginSchedule<ExecutionClient>
    let chainID: UInt64

    func run(_ request: [UInt8]) throws(StepRunnerError) -> [UInt8] {
        let fields: [String: Any]
        do { fields = try SettlementCall.response(request) } catch { throw StepRunnerError(.invalidArgument, "the step request is not a JSON object") }
        guard let batch = fields["batch"] as? [String: Any], let record = Self.record(batch),
              let opening = (fields["opening"] as? String).flatMap(Hex.decode).flatMap(StepRoot.init(encoded:)),
              let witnessBytes = (fields["witness"] as? String).flatMap(Hex.decode) else {
            throw StepRunnerError(.invalidArgument, "the step request needs `batch` (its record), `opening` (R_{i−1}) and `witness`, in hex")
        }
        let deposit = (fields["deposit"] as? [String: Any]).flatMap(Self.deposit)
        let blob: [UInt8]
        do { blob = try da.retrieve(record.daCommitment) } catch {
            throw StepRunnerError(.unsupported, "batch \(record.index)'s data cannot be had from DA here: \(error)")
        }
        let steps = BatchStep.steps(ofBlob: blob, record: record, chainID: chainID)
        let machine = StepMachine(execution: { executions.at($0) }, chainID: chainID) { index in
            deposit.flatMap { $0.index == index ? $0 : nil }
        }
        do {
            let witness = try StepWitness(encoded: witnessBytes)
            let leaf = try OneStepVerifier(machine: machine).correctLeaf(after: opening, steps: steps, witness: witness)
            return Array("{\"leaf\":\"\(leaf)\"}".utf8)
        } catch {
            throw StepRunnerError(.rejected, "the witness proves nothing: \(error)")
        }
    }

    private static func record(_ fields: [String: Any]) -> BatchRecord? {
        func number(_ name: String) -> UInt64? { (fields[name] as? NSNumber).map { $0.uint64Value } }
        func bytes(_ name: String) -> [UInt8]? { (fields[name] as? String).flatMap(Hex.decode) }
        guard let index = number("index"), let first = number("first_block"), let last = number("last_block"),
              let previous = bytes("previous_root"), let root = bytes("root"), let withdrawals = bytes("withdrawals_root"),
              let commitment = bytes("da_commitment") else { return nil }
        return BatchRecord(index: index, firstBlock: first, lastBlock: last, previousRoot: previous, root: root,
                           withdrawalsRoot: withdrawals, daCommitment: commitment)
    }

    private static func deposit(_ fields: [String: Any]) -> Deposit? {
        guard let index = (fields["index"] as? NSNumber)?.uint64Value, let block = (fields["l1_block"] as? NSNumber)?.uint64Value,
              let from = (fields["from"] as? String).flatMap(Hex.decode), let to = (fields["to"] as? String).flatMap(Hex.decode),
              let amount = (fields["amount"] as? String).flatMap({ UInt128($0) }) else { return nil }
        return Deposit(index: index, l1Block: block, from: from, to: to, amount: amount)
    }
}
