import Foundation
import KeelCore
import KeelKernel
import KeelPluginTesting
import Testing

/// What `execution transfer` refuses, with the words wallets know, and that a refused transaction
/// changes nothing.
@Suite struct TransferRefusalTests {
    let gwei: UInt128 = 1_000_000_000

    /// A harness with `key(1)` holding `balance` wei.
    func funded(_ balance: UInt128) throws -> (TransferHarness, PrivateKey) {
        var harness = try TransferHarness()
        let key = try TransferHarness.key(1)
        try harness.fund(key.address, balance)
        return (harness, key)
    }

    func transfer(_ key: PrivateKey, nonce: UInt64 = 0, chainId: UInt64 = 901, maxFee: UInt128 = 2_000_000_000,
                  tip: UInt128 = 1_000_000_000, gasLimit: UInt64 = 21_000, value: UInt128 = 1) throws -> SignedTransaction {
        try Transaction.dynamicFee(chainId: chainId, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee,
                                   gasLimit: gasLimit, to: try TransferHarness.key(2).address, value: value).signed(with: key)
    }

    @Test func aNonceAlreadyUsedIsTooLow() throws {
        let (harness, alice) = try funded(1_000_000_000_000_000)
        let first = try transfer(alice)
        _ = try harness.client.execute(first.raw, block: TransferHarness.block(), blockGasUsed: 0, state: harness.state)
        let before = harness.state.values
        for attempt in [{ _ = try harness.client.validate(first.raw, state: harness.state) },
                        { _ = try harness.client.execute(first.raw, block: TransferHarness.block(), blockGasUsed: 0, state: harness.state) }] {
            let error = refusal(attempt)
            #expect(error?.codeName == "rejected")
            #expect(error?.message.hasPrefix("nonce too low: address \(alice.address), tx: 0 state: 1") == true)
            #expect(error?.refusal == .nonceTooLow)
        }
        #expect(harness.state.values == before)
    }

    @Test func aLaterNonceWaitsInTheMempoolButCannotEnterABlock() throws {
        let (harness, alice) = try funded(1_000_000_000_000_000)
        let later = try transfer(alice, nonce: 3)
        #expect(try harness.client.validate(later.raw, state: harness.state).nonce == 3)
        let error = refusal { _ = try harness.client.execute(later.raw, block: TransferHarness.block(), blockGasUsed: 0, state: harness.state) }
        #expect(error?.message.hasPrefix("nonce too high: address \(alice.address), tx: 3 state: 0") == true)
        #expect(error?.refusal == .nonceTooHigh)
        #expect(error?.refusal.mayLaterSucceed == true)
    }

    @Test func aBalanceBelowGasTimesPricePlusValueIsInsufficient() throws {
        let want: UInt128 = 21_000 * 2_000_000_000 + 1
        let (harness, alice) = try funded(want - 1)
        let signed = try transfer(alice)
        let before = harness.state.values
        for attempt in [{ _ = try harness.client.validate(signed.raw, state: harness.state) },
                        { _ = try harness.client.execute(signed.raw, block: TransferHarness.block(), blockGasUsed: 0, state: harness.state) }] {
            let error = refusal(attempt)
            #expect(error?.codeName == "rejected")
            #expect(error?.message.hasPrefix("insufficient funds for gas * price + value: address \(alice.address) have \(want - 1) want \(want)") == true)
            #expect(error?.refusal == .insufficientFunds)
        }
        #expect(harness.state.values == before)
    }

    @Test func anotherChainsTransactionIsRefused() throws {
        let (harness, alice) = try funded(1_000_000_000_000_000)
        let error = refusal { _ = try harness.client.validate(try transfer(alice, chainId: 1).raw, state: harness.state) }
        #expect(error?.codeName == "rejected")
        #expect(error?.message == "invalid chain id: the transaction is signed for chain 1, this rollup is chain 901; sign it for chain 901")
        #expect(error?.refusal == .chainID)
        let unprotected = try Transaction.legacy(chainId: nil, nonce: 0, gasPrice: gwei, gasLimit: 21_000, to: alice.address, value: 1).signed(with: alice)
        let legacyError = refusal { _ = try harness.client.execute(unprotected.raw, block: TransferHarness.block(), blockGasUsed: 0, state: harness.state) }
        #expect(legacyError?.message.hasPrefix("invalid chain id: the transaction has no chain id") == true)
        #expect(legacyError?.refusal == .chainID)
    }

    @Test func gasBelowTheIntrinsicCostIsRefused() throws {
        let (harness, alice) = try funded(1_000_000_000_000_000)
        let error = refusal { _ = try harness.client.validate(try transfer(alice, gasLimit: 20_999).raw, state: harness.state) }
        #expect(error?.message == "intrinsic gas too low: gas 20999, minimum needed 21000")
        #expect(error?.refusal == .intrinsicGas)
    }

    @Test func aFeeCapBelowTheBaseFeeWaitsForACheaperBlock() throws {
        let (harness, alice) = try funded(1_000_000_000_000_000)
        let cheap = try transfer(alice, maxFee: gwei, tip: 0)
        _ = try harness.client.validate(cheap.raw, state: harness.state)
        let error = refusal {
            _ = try harness.client.execute(cheap.raw, block: TransferHarness.block(baseFee: gwei + 1), blockGasUsed: 0, state: harness.state)
        }
        #expect(error?.message.hasPrefix("max fee per gas less than block base fee: address \(alice.address), maxFeePerGas: 1000000000, baseFee: 1000000001") == true)
        #expect(error?.refusal == .feeBelowBaseFee)
        #expect(error?.refusal.mayLaterSucceed == true)
    }

    @Test func aTipAboveTheFeeCapIsRefused() throws {
        let (harness, alice) = try funded(1_000_000_000_000_000)
        let error = refusal { _ = try harness.client.validate(try transfer(alice, maxFee: gwei, tip: gwei + 1).raw, state: harness.state) }
        #expect(error?.message.hasPrefix("max priority fee per gas higher than max fee per gas") == true)
        #expect(error?.refusal == .tipAboveFeeCap)
    }

    @Test func aFullBlockLeavesTheTransactionOut() throws {
        let (harness, alice) = try funded(1_000_000_000_000_000)
        let block = TransferHarness.block(gasLimit: 100_000)
        let error = refusal { _ = try harness.client.execute(try transfer(alice).raw, block: block, blockGasUsed: 79_001, state: harness.state) }
        #expect(error?.message.hasPrefix("gas limit reached") == true)
        #expect(error?.refusal == .blockGasExhausted)
        #expect(error?.refusal.mayLaterSucceed == true)
        _ = try harness.client.execute(try transfer(alice).raw, block: block, blockGasUsed: 79_000, state: harness.state)
    }

    /// A gas limit above the block's can never fit: dropped, where a full block only defers.
    @Test func aGasLimitAboveTheBlocksNeverFits() throws {
        let (harness, alice) = try funded(1_000_000_000_000_000)
        let block = TransferHarness.block(gasLimit: 100_000)
        let error = refusal { _ = try harness.client.execute(try transfer(alice, gasLimit: 100_001).raw, block: block, blockGasUsed: 0, state: harness.state) }
        #expect(error?.message == "exceeds block gas limit: the transaction's gas limit 100001 is above the block gas limit 100000; lower the gas limit")
        #expect(error?.refusal == .gasLimitTooHigh)
        #expect(error?.refusal.mayLaterSucceed == false)
    }

    @Test func aBadSignatureAndUndecodableBytesAreCoded() throws {
        let (harness, alice) = try funded(1_000_000_000_000_000)
        var raw = try transfer(alice).raw
        #expect(refusal { _ = try harness.client.validate(Array(raw.prefix(10)), state: harness.state) }?.refusal == .malformed)
        raw[raw.count - 40] ^= 0xFF   // inside s: recovers another key or none
        let error = refusal { _ = try harness.client.execute(raw, block: TransferHarness.block(), blockGasUsed: 0, state: harness.state) }
        #expect(error.map { [.signature, .insufficientFunds].contains($0.refusal) } == true, "\(String(describing: error))")
    }

    @Test func otherTypesDepositsAndContractCreationAreRefused() throws {
        let (harness, alice) = try funded(1_000_000_000_000_000)
        let blob = refusal { _ = try harness.client.validate([0x03, 0xC0], state: harness.state) }
        #expect(blob?.codeName == "unsupported")
        #expect(blob?.message.contains("transaction type not supported") == true)
        #expect(blob?.refusal == .unsupportedType)
        let deposit = DepositTransaction(depositIndex: 1, l1Block: 1, from: alice.address, to: alice.address, amount: 1)
        #expect(refusal { _ = try harness.client.validate(deposit.encoded, state: harness.state) }?.codeName == "invalid argument")
        let creation = try Transaction.dynamicFee(chainId: 901, nonce: 0, maxPriorityFeePerGas: 0, maxFeePerGas: gwei, gasLimit: 60_000,
                                                  to: nil, value: 0, data: [0x60]).signed(with: alice)
        #expect(refusal { _ = try harness.client.validate(creation.raw, state: harness.state) }?.refusal == .unsupportedType)
        let empty = try Transaction.dynamicFee(chainId: 901, nonce: 0, maxPriorityFeePerGas: 0, maxFeePerGas: gwei, gasLimit: 21_000,
                                               to: TransferHarness.bridge, value: 0).signed(with: alice)
        #expect(refusal { _ = try harness.client.validate(empty.raw, state: harness.state) }?.message.hasPrefix("withdrawal of 0 wei") == true)
    }
}
