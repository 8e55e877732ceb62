import KeelCore
import KeelJSONRPC
import Testing

@Suite struct RPCHexTests {
    @Test(arguments: [
        (UInt64(0), "0x0"), (1, "0x1"), (15, "0xf"), (16, "0x10"), (1024, "0x400"),
        (0xDEAD_BEEF, "0xdeadbeef"), (UInt64.max, "0xffffffffffffffff"),
    ])
    func encodesQuantitiesWithoutLeadingZeros(_ value: UInt64, _ text: String) throws {
        #expect(EthereumHex.quantity(value) == text)
        #expect(try EthereumHex.decodeQuantity(text) == value)
    }

    @Test func encodesAndDecodes128BitQuantities() throws {
        let cases: [(UInt128, String)] = [
            (0, "0x0"),
            (UInt128(UInt64.max) + 1, "0x10000000000000000"),
            (1_000_000_000_000_000_000_000, "0x3635c9adc5dea00000"),
            (UInt128.max, "0xffffffffffffffffffffffffffffffff"),
        ]
        for (value, text) in cases {
            #expect(EthereumHex.quantity(value) == text)
            #expect(try EthereumHex.decodeQuantity128(text) == value)
        }
    }

    @Test(arguments: [
        ("", "empty hex string"),
        ("12", "hex string without 0x prefix"),
        ("0x", "hex string \"0x\""),
        ("0x01", "hex number with leading zero digits"),
        ("0x00", "hex number with leading zero digits"),
        ("0xg", "invalid hex string"),
        ("0x10000000000000000", "hex number > 64 bits"),
    ])
    func refusesQuantitiesAsGethDoes(_ text: String, _ message: String) {
        #expect(refusal { try EthereumHex.decodeQuantity(text) } == message)
    }

    @Test func refusesQuantitiesOver128Bits() throws {
        #expect(throws: EthereumHexError.self) { try EthereumHex.decodeQuantity128("0x1" + String(repeating: "0", count: 32)) }
        #expect(try EthereumHex.decodeQuantity128("0xABCDEF") == 0xABCDEF)
    }

    @Test func decodesDataOfEvenLength() throws {
        #expect(try EthereumHex.decodeData("0x") == [])
        #expect(try EthereumHex.decodeData("0x00fF") == [0x00, 0xFF])
        #expect(EthereumHex.data([0x00, 0xAB]) == "0x00ab")
        for (text, message) in [("0x0", "hex string of odd length"), ("ab", "hex string without 0x prefix"),
                                ("0xzz", "invalid hex string"), ("", "empty hex string")] {
            #expect(refusal { try EthereumHex.decodeData(text) } == message)
        }
    }

    @Test func parsesAddressesCheckingMixedCaseChecksums() throws {
        let lower = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
        let checksummed = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
        #expect(try EthereumHex.decodeAddress(lower) == EthereumHex.decodeAddress(checksummed))
        #expect(JSONValue.address(try EthereumHex.decodeAddress(checksummed)) == .string(lower))
        #expect(refusal { try EthereumHex.decodeAddress("0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266") }?.contains("EIP-55 checksum") == true)
        #expect(refusal { try EthereumHex.decodeAddress("0x1234") } == "hex string has length 4, want 40 for an address")
    }

    @Test func parsesHashes() throws {
        let text = "0x" + String(repeating: "ab", count: 32)
        #expect(try EthereumHex.decodeHash(text).description == text)
        #expect(throws: EthereumHexError.self) { try EthereumHex.decodeHash("0xabcd") }
    }

    @Test func jsonValuesDecodeOnlyFromStrings() throws {
        #expect(refusal { try JSONValue.number("5").decodeQuantity() } == "expected a 0x-prefixed hex string, found a number")
    }
}

/// The message of the error `body` throws; nil when it throws nothing.
func refusal<T>(_ body: () throws -> T) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return "\(error)"
    }
}
