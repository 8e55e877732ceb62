import Foundation
import KeelCore
import KeelKernel
import KeelPluginTesting
import Testing

/// Loads the real `execution transfer` library from the build folder, as the kernel does, and
/// gives the tests accounts, blocks and deposits to work with.
struct TransferHarness {
    static let chainID: UInt64 = 901
    static let bridge = Address(hex: "0x4200000000000000000000000000000000000016")!

    let client: ExecutionClient
    let state = MemoryState()
    private var nextDeposit: UInt64 = 0

    init(config: String = "{}", chainID: UInt64 = TransferHarness.chainID, flags: FeatureFlags? = nil) throws {
        let catalog = PluginCatalog(searchPath: PluginSearchPath(directories: [PluginUnderTest.buildDirectory]))
        let library = try catalog.resolve(kind: .execution, name: "transfer", constraint: nil).get()
        client = ExecutionClient(try PluginUnderTest.create(path: library.path, configJSON: config, chainID: chainID, flags: flags))
    }

    /// A block of this chain; the fee recipient is `TransferHarness.feeRecipient`.
    static func block(number: UInt64 = 1, baseFee: UInt128 = 1_000_000_000, gasLimit: UInt64 = 30_000_000) -> BlockContext {
        BlockContext(chainID: chainID, number: number, timestamp: 1_700_000_000 + number, gasLimit: gasLimit,
                     baseFeePerGas: baseFee, feeRecipient: feeRecipient.bytes, parentHash: [UInt8](repeating: 7, count: 32))
    }

    static let feeRecipient = Address(hex: "0x00000000000000000000000000000000000fee00")!

    /// A fixed key per number, so failures reproduce.
    static func key(_ number: UInt8) throws -> PrivateKey {
        try PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [number])
    }

    /// Funds `address` through a deposit (the next deposit index), as the bridge would.
    mutating func fund(_ address: Address, _ amount: UInt128) throws {
        let deposit = DepositTransaction(depositIndex: nextDeposit, l1Block: 10, from: address, to: address, amount: amount)
        let outcome = try client.execute(deposit.encoded, block: Self.block(), blockGasUsed: 0, state: state)
        #expect(outcome == TransactionOutcome(succeeded: true, gasUsed: 0, feePaid: 0))
        nextDeposit += 1
    }

    func balance(_ address: Address) throws -> UInt128 {
        try client.account(address.bytes, state: state).balance
    }

    func nonce(_ address: Address) throws -> UInt64 {
        try client.account(address.bytes, state: state).nonce
    }

    /// The sum of every account's balance in the state: the wei that exist on L2.
    var totalSupply: UInt128 {
        get throws {
            var total: UInt128 = 0
            for (key, value) in state.values where key.first == 0x01 && key.count == 21 {
                var reader = try RLPReader(value)
                var fields = try reader.readList()
                _ = try fields.readUInt64()
                total += try fields.readUInt128()
            }
            return total
        }
    }
}

/// Runs `body` and returns the plugin's refusal, failing the test if it was accepted.
func refusal(_ body: () throws -> Void, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> PluginCallError? {
    do {
        try body()
        Issue.record("accepted; expected a refusal", sourceLocation: sourceLocation)
        return nil
    } catch let error as PluginCallError {
        return error
    } catch {
        Issue.record("threw \(error), not a plugin error", sourceLocation: sourceLocation)
        return nil
    }
}
