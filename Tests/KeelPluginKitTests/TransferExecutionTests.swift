import Foundation
import KeelCore
import KeelKernel
import KeelPluginTesting
import Testing

/// `execution transfer`, loaded from the build folder through the kernel's loader: value moves,
/// fees are split between the fee recipient and the burn, deposits credit, withdrawals leave L2.
@Suite struct TransferExecutionTests {
    let gwei: UInt128 = 1_000_000_000
    let ether: UInt128 = 1_000_000_000_000_000_000

    @Test func theLibraryPassesTheExecutionConformanceSuite() throws {
        let harness = try TransferHarness()
        #expect(harness.client.instance.library.version.description == "1.0.0")
        #expect(harness.client.instance.library.capabilities == ["thread-safe"])
        #expect(ExecutionConformance.run(harness.client, chainID: TransferHarness.chainID).map(\.description) == [])
    }

    @Test func anEIP1559TransferPaysTheTipAndBurnsTheBaseFee() throws {
        var harness = try TransferHarness()
        let alice = try TransferHarness.key(1), bob = try TransferHarness.key(2).address
        try harness.fund(alice.address, ether)
        let supplyBefore = try harness.totalSupply
        let value: UInt128 = 1_000_000_000_000_000
        let signed = try Transaction.dynamicFee(chainId: 901, nonce: 0, maxPriorityFeePerGas: 2 * gwei, maxFeePerGas: 5 * gwei,
                                                gasLimit: 21_000, to: bob, value: value).signed(with: alice)

        let summary = try harness.client.validate(signed.raw, state: harness.state)
        #expect(summary.sender == alice.address.bytes)
        #expect(summary.hash == signed.hash.bytes)
        #expect(summary.type == 2)
        #expect(summary.intrinsicGas == 21_000)
        #expect(summary.maxCost == 21_000 * 5 * gwei + value)

        let block = TransferHarness.block(baseFee: gwei)
        try harness.client.beginBlock(block, state: harness.state)
        let outcome = try harness.client.execute(signed.raw, block: block, blockGasUsed: 0, state: harness.state)
        // Effective price = base fee 1 gwei + tip min(2, 5 − 1) gwei = 3 gwei.
        #expect(outcome == TransactionOutcome(succeeded: true, gasUsed: 21_000, feePaid: 21_000 * 3 * gwei))
        #expect(try harness.balance(alice.address) == ether - 21_000 * 3 * gwei - value)
        #expect(try harness.nonce(alice.address) == 1)
        #expect(try harness.balance(bob) == value)
        #expect(try harness.balance(TransferHarness.feeRecipient) == 21_000 * 2 * gwei)
        #expect(try harness.totalSupply == supplyBefore - 21_000 * gwei)
    }

    @Test func aLegacyTransferPaysForTheGasItUsesNotItsLimit() throws {
        var harness = try TransferHarness()
        let carol = try TransferHarness.key(3), dave = try TransferHarness.key(4).address
        try harness.fund(carol.address, ether)
        let price = 3 * gwei / 2
        let value: UInt128 = 12_345
        // Call data 00 01 02: one zero byte (4 gas) and two non-zero bytes (16 each).
        let signed = try Transaction.legacy(chainId: 901, nonce: 0, gasPrice: price, gasLimit: 30_000, to: dave,
                                            value: value, data: [0, 1, 2]).signed(with: carol)
        #expect(try harness.client.validate(signed.raw, state: harness.state).intrinsicGas == 21_036)

        let outcome = try harness.client.execute(signed.raw, block: TransferHarness.block(baseFee: gwei), blockGasUsed: 0, state: harness.state)
        #expect(outcome == TransactionOutcome(succeeded: true, gasUsed: 21_036, feePaid: 21_036 * price))
        #expect(try harness.balance(carol.address) == ether - 21_036 * price - value)
        #expect(try harness.balance(dave) == value)
        // A gas price is both cap and tip: the tip is what is left above the base fee.
        #expect(try harness.balance(TransferHarness.feeRecipient) == 21_036 * (price - gwei))
        #expect(try harness.totalSupply == ether - 21_036 * gwei)
    }

    /// ABI 1.1's genesis hook: the plugin funds `genesis.alloc` in its own layout (the kernel knows none).
    @Test func genesisFundsTheAllocInThePluginsLayout() throws {
        let harness = try TransferHarness()
        #expect(harness.client.hasGenesisHook)
        let grace = try TransferHarness.key(8).address, heidi = try TransferHarness.key(9).address
        try harness.client.writeGenesis(GenesisSpec(alloc: [(grace, 5 * ether), (heidi, 0)]), state: harness.state)
        #expect(try harness.balance(grace) == 5 * ether)
        #expect(try harness.nonce(grace) == 0)
        #expect(harness.state.values.keys.sorted { $0.lexicographicallyPrecedes($1) } == [[0x01] + grace.bytes])
        #expect(try harness.totalSupply == 5 * ether)
        #expect(try harness.client.accountKey(grace.bytes) == [0x01] + grace.bytes)
    }

    /// The consensus feature `eip-7623`, decided inside the plugin through the host's flag service:
    /// below its height a data-heavy transfer uses its intrinsic gas, from it the calldata floor.
    @Test func theCalldataFloorStartsAtTheFlagsHeight() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keel-eip7623-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let flags = try FeatureFlags(definitions: [FlagDefinition(name: "eip-7623", rule: .consensus(activateAtHeight: 10))],
                                     dataDirectory: folder, minimumLead: 1)
        var harness = try TransferHarness(flags: flags)
        let ivan = try TransferHarness.key(10)
        try harness.fund(ivan.address, ether)
        let data = [UInt8](repeating: 0xAB, count: 100)   // intrinsic 21,000 + 1,600; floor 21,000 + 10 × 400
        func transfer(_ nonce: UInt64, gas: UInt64) throws -> SignedTransaction {
            try Transaction.dynamicFee(chainId: 901, nonce: nonce, maxPriorityFeePerGas: 0, maxFeePerGas: gwei, gasLimit: gas,
                                       to: ivan.address, value: 1, data: data).signed(with: ivan)
        }
        let before = try harness.client.execute(try transfer(0, gas: 30_000).raw, block: TransferHarness.block(number: 9, baseFee: gwei),
                                                blockGasUsed: 0, state: harness.state)
        #expect(before.gasUsed == 22_600)
        let after = try harness.client.execute(try transfer(1, gas: 30_000).raw, block: TransferHarness.block(number: 10, baseFee: gwei),
                                               blockGasUsed: 0, state: harness.state)
        #expect(after.gasUsed == 25_000)
        let short = refusal {
            _ = try harness.client.execute(try transfer(2, gas: 24_999).raw, block: TransferHarness.block(number: 10, baseFee: gwei),
                                           blockGasUsed: 0, state: harness.state)
        }
        #expect(short?.refusal == .intrinsicGas)
        #expect(short?.message.contains("EIP-7623") == true)
        let call = CallRequest(sender: ivan.address.bytes, recipient: ivan.address.bytes, value: 0, data: data)
        #expect(try harness.client.call(call, block: TransferHarness.block(number: 9), state: harness.state).gasUsed == 22_600)
        #expect(try harness.client.call(call, block: TransferHarness.block(number: 10), state: harness.state).gasUsed == 25_000)
    }

    @Test func anAccessListCostsGasPerAddressAndKey() throws {
        var harness = try TransferHarness()
        let erin = try TransferHarness.key(5)
        try harness.fund(erin.address, ether)
        let entry = AccessListEntry(address: try TransferHarness.key(6).address, storageKeys: [.zero, .zero])
        let signed = try Transaction.accessList(chainId: 901, nonce: 0, gasPrice: gwei, gasLimit: 40_000, to: erin.address,
                                                value: 1, accessList: [entry]).signed(with: erin)
        #expect(try harness.client.validate(signed.raw, state: harness.state).intrinsicGas == 21_000 + 2_400 + 2 * 1_900)
        let outcome = try harness.client.execute(signed.raw, block: TransferHarness.block(baseFee: gwei), blockGasUsed: 0, state: harness.state)
        #expect(outcome.gasUsed == 27_200)
        // A transfer to oneself costs only the fee.
        #expect(try harness.balance(erin.address) == ether - 27_200 * gwei)
    }

    @Test func aTransferToTheBridgeAddressSendsAWithdrawalMessage() throws {
        var harness = try TransferHarness()
        let frank = try TransferHarness.key(7)
        let funds = 100_000 * ether
        try harness.fund(frank.address, funds)
        let amount: UInt128 = 0x0102_0304_0506_0708_090A
        var messages: [[UInt8]] = []
        for nonce in 0..<2 as Range<UInt64> {
            let signed = try Transaction.dynamicFee(chainId: 901, nonce: nonce, maxPriorityFeePerGas: 0, maxFeePerGas: gwei,
                                                    gasLimit: 21_000, to: TransferHarness.bridge, value: amount).signed(with: frank)
            let outcome = try harness.client.execute(signed.raw, block: TransferHarness.block(baseFee: gwei), blockGasUsed: 0, state: harness.state)
            #expect(outcome.succeeded && outcome.gasUsed == 21_000)
            messages.append(outcome.l2ToL1Message)
        }
        // version 0x01 ‖ sender ‖ recipient on L1 (the sender) ‖ amount (16 bytes) ‖ withdrawal nonce (8 bytes).
        let amountBytes: [UInt8] = [0, 0, 0, 0, 0, 0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A]
        #expect(messages[0] == [0x01] + frank.address.bytes + frank.address.bytes + amountBytes + [0, 0, 0, 0, 0, 0, 0, 0])
        #expect(messages[1] == [0x01] + frank.address.bytes + frank.address.bytes + amountBytes + [0, 0, 0, 0, 0, 0, 0, 1])
        // The value left L2: no one holds it, not even the bridge address.
        #expect(try harness.balance(TransferHarness.bridge) == 0)
        #expect(try harness.balance(frank.address) == funds - 2 * amount - 2 * 21_000 * gwei)
        #expect(try harness.totalSupply == funds - 2 * amount - 2 * 21_000 * gwei)
    }

    @Test func accountsLiveUnderTheirDocumentedKeys() throws {
        var harness = try TransferHarness()
        let grace = try TransferHarness.key(8).address
        try harness.fund(grace, 0x1234)
        // 0x01 ‖ address → rlp([nonce 0, balance 0x1234]).
        #expect(harness.state.values[[0x01] + grace.bytes] == [0xC4, 0x80, 0x82, 0x12, 0x34])
        // The next deposit index, rlp(1).
        #expect(harness.state.values[[0x02] + Array("deposit-index".utf8)] == [0x01])
    }

    @Test func depositsMustComeInTheBridgesOrder() throws {
        var harness = try TransferHarness()
        let heidi = try TransferHarness.key(9).address
        try harness.fund(heidi, 5)
        let before = harness.state.values
        for index in [0, 2] as [UInt64] {
            let deposit = DepositTransaction(depositIndex: index, l1Block: 11, from: heidi, to: heidi, amount: 5)
            let error = refusal { _ = try harness.client.execute(deposit.encoded, block: TransferHarness.block(), blockGasUsed: 0, state: harness.state) }
            #expect(error?.codeName == "rejected")
            #expect(error?.message.hasPrefix("deposit \(index) is out of order: the next deposit to include is 1") == true)
        }
        #expect(harness.state.values == before)
        try harness.fund(heidi, 5)
        #expect(try harness.balance(heidi) == 10)
    }

    @Test func ethCallReportsTheGasOfATransferWithoutChangingState() throws {
        var harness = try TransferHarness()
        let ivan = try TransferHarness.key(10).address, judy = try TransferHarness.key(11).address
        try harness.fund(ivan, 1_000)
        let before = harness.state.values
        let result = try harness.client.call(CallRequest(sender: ivan.bytes, recipient: judy.bytes, value: 1_000, data: [0, 7]),
                                             block: TransferHarness.block(), state: harness.state)
        #expect(result == CallResult(succeeded: true, gasUsed: 21_000 + 4 + 16))
        #expect(harness.state.values == before)
        let error = refusal {
            _ = try harness.client.call(CallRequest(sender: ivan.bytes, recipient: judy.bytes, value: 1_001), block: TransferHarness.block(), state: harness.state)
        }
        #expect(error?.message == "insufficient funds for transfer: address \(ivan) have 1000 want 1001")
    }
}
