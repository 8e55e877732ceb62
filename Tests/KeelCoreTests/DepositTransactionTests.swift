import KeelCore
import Testing

@Suite struct DepositTransactionTests {
    private let deposit = DepositTransaction(
        depositIndex: 7, l1Block: 1_234_567,
        from: Address(hex: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266") ?? .zero,
        to: Address(hex: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8") ?? .zero,
        amount: 1_000_000_000_000_000_000)

    @Test func theEncodingIsTheTypeByteAndAnRLPListOfFiveFields() throws {
        let fields = RLPItem.list([
            .bytes([0x07]), .bytes([0x12, 0xD6, 0x87]), .bytes(deposit.from.bytes), .bytes(deposit.to.bytes),
            .bytes([0x0D, 0xE0, 0xB6, 0xB3, 0xA7, 0x64, 0x00, 0x00]),
        ])
        #expect(deposit.encoded == [0x7E] + fields.encoded)
        #expect(deposit.hash == Keccak256.hash(deposit.encoded))
    }

    @Test func aDepositRoundTripsThroughTheExplicitDecoder() throws {
        #expect(try Transaction.decodeDeposit(raw: deposit.encoded) == deposit)
        let big = DepositTransaction(depositIndex: .max, l1Block: 0, from: .zero, to: .zero, amount: .max)
        #expect(try Transaction.decodeDeposit(raw: big.encoded) == big)
    }

    @Test func theUserPathRefusesDeposits() throws {
        let error = #expect(throws: TransactionError.self) { try Transaction.decode(raw: deposit.encoded) }
        #expect(error?.reason == .depositNotAccepted)
        #expect(error?.description.contains("deposit transactions (type 0x7e) cannot be sent by users") == true)
    }

    @Test func theDepositPathRefusesEverythingElse() throws {
        let key = try PrivateKey(hex: Secp256k1Tests.devKeyHex)
        let user = try Transaction.dynamicFee(chainId: 901, nonce: 0, maxPriorityFeePerGas: 1, maxFeePerGas: 1, gasLimit: 21_000,
                                              to: .zero, value: 1).signed(with: key)
        let notDeposit = #expect(throws: TransactionError.self) { try Transaction.decodeDeposit(raw: user.raw) }
        #expect(notDeposit?.reason == .notADeposit(firstByte: 0x02))
        #expect(notDeposit?.description.contains("a deposit starts with 0x7e") == true)

        let wideAmount = [0x7E] + RLPItem.list([
            .bytes([0x01]), .bytes([0x02]), .bytes(deposit.from.bytes), .bytes(deposit.to.bytes),
            .bytes([0x01] + [UInt8](repeating: 0, count: 16)),
        ]).encoded
        let wide = #expect(throws: TransactionError.self) { try Transaction.decodeDeposit(raw: wideAmount) }
        #expect(wide?.description.contains("the amount field is too large") == true)

        let fourFields = [0x7E] + RLPItem.list([.bytes([0x01]), .bytes([0x02]), .bytes(deposit.from.bytes), .bytes(deposit.to.bytes)]).encoded
        let short = #expect(throws: TransactionError.self) { try Transaction.decodeDeposit(raw: fourFields) }
        #expect(short?.description.contains("expected a list of 5 items, found 4") == true)
    }
}
