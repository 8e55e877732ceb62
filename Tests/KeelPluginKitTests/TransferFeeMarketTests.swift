import Foundation
import KeelCore
import KeelKernel
import KeelPluginTesting
import Testing

/// The EIP-1559 base fee of `execution transfer`: it moves toward the gas target by at most 1/8 a
/// block, never below `min_base_fee`; and its configuration is checked.
@Suite struct TransferFeeMarketTests {
    let gwei: UInt128 = 1_000_000_000

    func nextBaseFee(_ harness: TransferHarness, baseFee: UInt128, gasUsed: UInt64, gasLimit: UInt64 = 30_000_000) throws -> UInt128 {
        try harness.client.endBlock(TransferHarness.block(baseFee: baseFee, gasLimit: gasLimit), blockGasUsed: gasUsed, state: harness.state)
    }

    @Test func theBaseFeeRisesByAnEighthForAFullBlockAndFallsForAnEmptyOne() throws {
        let harness = try TransferHarness()
        #expect(try nextBaseFee(harness, baseFee: gwei, gasUsed: 30_000_000) == gwei + gwei / 8)
        #expect(try nextBaseFee(harness, baseFee: gwei, gasUsed: 0) == gwei - gwei / 8)
        #expect(try nextBaseFee(harness, baseFee: gwei, gasUsed: 15_000_000) == gwei)
        // Half-way above the target: 1/16 up (EIP-1559's integer arithmetic).
        #expect(try nextBaseFee(harness, baseFee: 1_600, gasUsed: 22_500_000) == 1_700)
        // A tiny base fee still rises by at least 1 wei when the block is over its target.
        #expect(try nextBaseFee(harness, baseFee: 7, gasUsed: 15_000_001) == 8)
        #expect(try nextBaseFee(harness, baseFee: 0, gasUsed: 30_000_000) == 1)
    }

    @Test func aFullBlockOfRealTransfersRaisesTheFee() throws {
        var harness = try TransferHarness()
        let alice = try TransferHarness.key(1)
        try harness.fund(alice.address, 1_000_000_000_000_000_000)
        let block = TransferHarness.block(baseFee: gwei, gasLimit: 4 * 21_000)
        var used: UInt64 = 0
        for nonce in 0..<4 as Range<UInt64> {
            let signed = try Transaction.dynamicFee(chainId: 901, nonce: nonce, maxPriorityFeePerGas: 0, maxFeePerGas: gwei,
                                                    gasLimit: 21_000, to: alice.address, value: 1).signed(with: alice)
            used += try harness.client.execute(signed.raw, block: block, blockGasUsed: used, state: harness.state).gasUsed
        }
        #expect(try harness.client.endBlock(block, blockGasUsed: used, state: harness.state) == gwei * 9 / 8)
    }

    @Test func theFloorHoldsTheFeeUp() throws {
        let harness = try TransferHarness(config: #"{"min_base_fee": "100000000"}"#)
        #expect(try nextBaseFee(harness, baseFee: 100_000_000, gasUsed: 0) == 100_000_000)
        #expect(try nextBaseFee(harness, baseFee: 110_000_000, gasUsed: 0) == 100_000_000)
        #expect(try nextBaseFee(harness, baseFee: 200_000_000, gasUsed: 0) == 175_000_000)
    }

    @Test func aFixedTargetOrAnElasticityMovesTheTarget() throws {
        let fixed = try TransferHarness(config: #"{"gas_target": 1000000}"#)
        #expect(try nextBaseFee(fixed, baseFee: gwei, gasUsed: 2_000_000) == gwei + gwei / 8)
        #expect(try nextBaseFee(fixed, baseFee: gwei, gasUsed: 1_000_000) == gwei)
        let elastic = try TransferHarness(config: #"{"elasticity": 4}"#)
        #expect(try nextBaseFee(elastic, baseFee: gwei, gasUsed: 7_500_000) == gwei)
        #expect(try nextBaseFee(elastic, baseFee: gwei, gasUsed: 0) == gwei - gwei / 8)
    }

    @Test func aHugeBaseFeeDoesNotOverflow() throws {
        let harness = try TransferHarness(config: #"{"gas_target": 1}"#)
        #expect(try nextBaseFee(harness, baseFee: .max - 1, gasUsed: 30_000_000) == .max)
    }

    @Test func badConfigurationNamesItsKey() throws {
        let cases: [(String, String, String)] = [
            (#"{"gas_target": 100, "elasticity": 2}"#, "gas_target", "set either `gas_target` or `elasticity`, not both"),
            (#"{"elasticity": 0}"#, "elasticity", "`elasticity` must be at least 1"),
            (#"{"gas_target": 0}"#, "gas_target", "`gas_target` must be at least 1 gas"),
            (#"{"min_base_fee": "cheap"}"#, "min_base_fee", "`min_base_fee` must be a whole number of wei"),
            (#"{"base_fee": 1}"#, "base_fee", "unknown key `base_fee`; known keys: elasticity, gas_target, min_base_fee"),
        ]
        for (config, path, message) in cases {
            let error = refusal { _ = try TransferHarness(config: config) }
            #expect(error?.configPath == path, "\(config)")
            #expect(error?.message.hasPrefix(message) == true, "\(config): \(error?.message ?? "")")
        }
    }

    @Test func aBlockOfAnotherChainIsRefused() throws {
        let harness = try TransferHarness()
        var block = TransferHarness.block()
        block.chainID = 902
        #expect(refusal { try harness.client.beginBlock(block, state: harness.state) }?.message == "block 1 is for chain 902, but this node's chain id is 901")
    }
}
