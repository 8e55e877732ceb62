import KeelCore
import KeelKernel

/// The rules every execution VM must keep on garbage and on empty blocks: malformed input is
/// refused with a reason and changes nothing; unknown accounts are empty; an empty block runs.
/// A VM's own tests add its real transactions (see the transfer plugin's).
public enum ExecutionConformance {
    public static func run(_ client: ExecutionClient, chainID: UInt64 = 901) -> [ConformanceFailure] {
        var report = ConformanceReport()
        var random = SeededBytes(seed: 17)
        let state = MemoryState()
        for garbage in [[], [0xFF], [0x02, 0xC0], random.bytes(300)] as [[UInt8]] {
            report.expectRefusal("validate_tx of \(garbage.count) garbage bytes", codes: [.invalidArgument, .rejected, .unsupported]) {
                _ = try client.validate(garbage, state: state)
            }
        }
        let deposit: [UInt8] = [0x7E, 0xC0]
        report.expectRefusal("validate_tx of a deposit (deposits come from the bridge)", codes: [.invalidArgument, .rejected, .unsupported]) {
            _ = try client.validate(deposit, state: state)
        }
        let stranger = random.bytes(20)
        if let account = report.attempt("get_account", { try client.account(stranger, state: state) }) {
            report.expect(account == AccountState(nonce: 0, balance: 0), "get_account", "an unknown account is not empty: \(account)")
        }
        let block = BlockContext(chainID: chainID, number: 1, timestamp: 1_700_000_000, gasLimit: 30_000_000,
                                 baseFeePerGas: 1_000_000_000, feeRecipient: random.bytes(20), parentHash: random.bytes(32))
        _ = report.attempt("begin_block", { try client.beginBlock(block, state: state) })
        let before = state.values
        report.expectRefusal("execute_tx of garbage", codes: [.invalidArgument, .rejected, .unsupported]) {
            _ = try client.execute(random.bytes(50), block: block, blockGasUsed: 0, state: state)
        }
        report.expect(state.values == before, "a refused transaction changes nothing", "state changed")
        if let nextFee = report.attempt("end_block", { try client.endBlock(block, blockGasUsed: 0, state: state) }) {
            report.expect(nextFee <= block.baseFeePerGas, "end_block", "an empty block raised the base fee from \(block.baseFeePerGas) to \(nextFee)")
        }
        _ = report.attempt("call", { try client.call(CallRequest(sender: stranger, recipient: random.bytes(20), value: 0), block: block, state: MemoryState()) })
        return report.failures
    }
}
