import KeelCore
import Testing

@Suite struct TransactionRefusalTests {
    /// The first shared vector of a type ("legacy", "eip155", "eip2930", "eip1559"), as raw bytes.
    private func vector(_ type: String) throws -> [UInt8] {
        let vector = try #require(try SharedVectors.load().transactions.first { $0.type == type })
        return try #require(Hex.decode(vector.raw))
    }

    /// `raw` with the item at `index` of its field list replaced by `item` (the type byte is kept).
    private func replacing(_ index: Int, with item: RLPItem, in raw: [UInt8]) throws -> [UInt8] {
        let typed = raw[0] < 0xC0
        guard case .list(var items) = try RLPItem.decode(typed ? Array(raw.dropFirst()) : raw) else {
            Issue.record("not a list")
            return raw
        }
        items[index] = item
        return (typed ? [raw[0]] : []) + RLPItem.list(items).encoded
    }

    private func refusal(_ raw: [UInt8]) throws -> TransactionError {
        let error = #expect(throws: TransactionError.self) { try Transaction.decode(raw: raw) }
        return try #require(error)
    }

    private static func integer(_ value: UInt64) -> RLPItem {
        var encoder = RLPEncoder()
        encoder.append(value)
        return (try? RLPItem.decode(encoder.bytes)) ?? .bytes([])
    }

    @Test func theUntouchedVectorsDecode() throws {
        for type in ["legacy", "eip155", "eip2930", "eip1559"] {
            _ = try Transaction.decode(raw: try vector(type))
        }
    }

    @Test func inputOver128KiBIsRefused() throws {
        let key = try PrivateKey(hex: Secp256k1Tests.devKeyHex)
        let big = try Transaction.dynamicFee(chainId: 901, nonce: 0, maxPriorityFeePerGas: 1, maxFeePerGas: 2, gasLimit: 30_000_000,
                                             to: nil, value: 0, data: [UInt8](repeating: 0x60, count: 131_072)).signed(with: key)
        let error = try refusal(big.raw)
        #expect(error.reason == .tooLarge(size: big.raw.count, limit: 131_072))
        #expect(error.description.contains("over the limit of 131072 bytes (128 KiB)"))
        // Just under the limit is fine.
        let fits = try Transaction.dynamicFee(chainId: 901, nonce: 0, maxPriorityFeePerGas: 1, maxFeePerGas: 2, gasLimit: 30_000_000,
                                              to: nil, value: 0, data: [UInt8](repeating: 0x60, count: 130_000)).signed(with: key)
        #expect(try Transaction.decode(raw: fits.raw).sender == key.address)
    }

    @Test func malformedAndNonCanonicalEncodingsAreRefused() throws {
        let raw = try vector("eip1559")
        #expect(try refusal([]).reason == .empty)
        let truncated = try refusal(Array(raw.dropLast()))
        #expect(truncated.description.contains("not a valid transaction encoding"))
        let trailing = try refusal(raw + [0x00])
        #expect(trailing.reason == .malformed(RLPError(.trailingBytes, at: raw.count)))
        // A nonce with a leading zero byte.
        let padded = try refusal(try replacing(1, with: .bytes([0x00, 0x01]), in: raw))
        guard case .malformed(let rlp) = padded.reason else {
            Issue.record("expected a malformed-encoding refusal, got \(padded)")
            return
        }
        #expect(rlp.rule == .integerHasLeadingZeros)
        #expect(rlp.field == "nonce")
        #expect(padded.description.contains("field 'nonce'"))
        // A recipient of 19 bytes.
        let shortTo = try refusal(try replacing(5, with: .bytes([UInt8](repeating: 1, count: 19)), in: raw))
        #expect(shortTo.description.contains("field 'to'"))
        #expect(shortTo.description.contains("expected 20 bytes, found 19"))
        // A field missing.
        let legacy = try vector("legacy")
        guard case .list(let items) = try RLPItem.decode(legacy) else { return }
        let missing = try refusal(RLPItem.list(Array(items.dropLast())).encoded)
        #expect(missing.description.contains("expected a list of 9 items, found 8"))
        // A byte string instead of a list.
        #expect(try refusal([0x83, 0x01, 0x02, 0x03]).description.contains("expected a list"))
    }

    @Test func unknownAndUnsupportedTypesAreRefused() throws {
        let body = Array(try vector("eip1559").dropFirst())
        let blob = try refusal([0x03] + body)
        #expect(blob.reason == .unsupportedType(0x03))
        #expect(blob.description.contains("transaction type not supported"))
        #expect(blob.description.contains("blob transactions (type 3, EIP-4844)"))
        #expect(try refusal([0x04] + body).reason == .unsupportedType(0x04))
        for type: UInt8 in [0x00, 0x05, 0x42, 0x7F] {
            let error = try refusal([type] + body)
            #expect(error.reason == .unknownType(type))
            #expect(error.description.contains("unknown transaction type 0x\(String(type, radix: 16))"))
        }
    }

    @Test func aBadLegacyVIsRefused() throws {
        let raw = try vector("eip155")
        for v: UInt64 in [0, 1, 26, 29, 30, 34] {
            let error = try refusal(try replacing(6, with: Self.integer(v), in: raw))
            #expect(error.reason == .invalidV(v))
            #expect(error.description.contains("invalid signature v = \(v)"))
            #expect(error.description.contains("27 or 28"))
        }
    }

    @Test func aBadYParityIsRefused() throws {
        for (type, index) in [("eip2930", 8), ("eip1559", 9)] {
            let error = try refusal(try replacing(index, with: Self.integer(2), in: try vector(type)))
            #expect(error.reason == .invalidYParity(2))
            #expect(error.description.contains("y-parity 2: it must be 0 or 1"))
            // 27 is a legacy v, not a y-parity.
            #expect(try refusal(try replacing(index, with: Self.integer(27), in: try vector(type))).reason == .invalidYParity(27))
        }
    }

    @Test func aHighSIsRefused() throws {
        let raw = try vector("eip1559")
        let decoded = try Transaction.decode(raw: raw)
        let twin = try Secp256k1Tests.highS(decoded.signature)
        var malleated = try replacing(11, with: .bytes(Array(twin.s.bytes.drop { $0 == 0 })), in: raw)
        malleated = try replacing(9, with: Self.integer(UInt64(twin.yParity)), in: malleated)
        let error = try refusal(malleated)
        #expect(error.reason == .invalidSignature(SignatureError(.sInUpperHalf)))
        #expect(error.description.contains("upper half"))
        #expect(error.description.contains("EIP-2"))
        // Legacy too (EIP-2 applies since Homestead).
        let legacy = try vector("legacy")
        let legacyTwin = try Secp256k1Tests.highS(try Transaction.decode(raw: legacy).signature)
        let flipped = try replacing(8, with: .bytes(Array(legacyTwin.s.bytes.drop { $0 == 0 })), in: legacy)
        #expect(try refusal(flipped).reason == .invalidSignature(SignatureError(.sInUpperHalf)))
    }

    @Test func zeroAndOutOfRangeRAndSAreRefused() throws {
        let raw = try vector("eip2930")
        let order = RLPItem.bytes(Secp256k1.curveOrder.bytes)
        let cases: [(Int, RLPItem, SignatureError.Reason, String)] = [
            (9, .bytes([]), .rIsZero, "r is zero"),
            (9, order, .rNotBelowCurveOrder, "r is zero or not below the curve order"),
            (10, .bytes([]), .sIsZero, "s is zero"),
            (10, order, .sNotBelowCurveOrder, "s is zero or not below the curve order"),
        ]
        for (index, item, reason, words) in cases {
            let error = try refusal(try replacing(index, with: item, in: raw))
            #expect(error.reason == .invalidSignature(SignatureError(reason)))
            #expect(error.description.contains(words))
        }
        let wide = try refusal(try replacing(9, with: .bytes([0x01] + [UInt8](repeating: 0, count: 32)), in: raw))
        #expect(wide.description.contains("the r field is too large"))
    }

    @Test func valuesOver128BitsAreRefusedNotTruncated() throws {
        let raw = try vector("eip1559")
        let twoTo128 = RLPItem.bytes([0x01] + [UInt8](repeating: 0, count: 16))
        let value = try refusal(try replacing(6, with: twoTo128, in: raw))
        #expect(value.description.contains("the value field is too large: it does not fit in 128 bits"))
        #expect(value.description.contains("2^128 wei"))
        let fee = try refusal(try replacing(3, with: twoTo128, in: raw))
        #expect(fee.description.contains("the maxFeePerGas field is too large"))
        let nonce = try refusal(try replacing(1, with: .bytes([0x01] + [UInt8](repeating: 0, count: 8)), in: raw))
        #expect(nonce.description.contains("the nonce field is too large: it does not fit in 64 bits"))
        // The largest 128-bit value is accepted.
        let key = try PrivateKey(hex: Secp256k1Tests.devKeyHex)
        let rich = try Transaction.dynamicFee(chainId: 1, nonce: 0, maxPriorityFeePerGas: 0, maxFeePerGas: 0, gasLimit: 21_000,
                                              to: .zero, value: .max).signed(with: key)
        #expect(try Transaction.decode(raw: rich.raw).value == UInt128.max)
    }

    @Test func theChainIdIsExposedForTheCallerToCheck() throws {
        #expect(try Transaction.decode(raw: try vector("eip155")).chainId == 42069)
        #expect(try Transaction.decode(raw: try vector("legacy")).chainId == nil)
        let key = try PrivateKey(hex: Secp256k1Tests.devKeyHex)
        for chainId: UInt64 in [1, 901, 0xFFFF_FFFF] {
            let signed = try Transaction.legacy(chainId: chainId, nonce: 1, gasPrice: 1, gasLimit: 21_000, to: .zero, value: 5).signed(with: key)
            #expect(signed.v == 35 + 2 * chainId + UInt64(signed.signature.yParity))
            #expect(try Transaction.decode(raw: signed.raw).chainId == chainId)
        }
        let error = #expect(throws: TransactionError.self) {
            try Transaction.legacy(chainId: UInt64.max / 2, nonce: 0, gasPrice: 1, gasLimit: 21_000, to: nil, value: 0).signed(with: key)
        }
        #expect(error?.description.contains("too large for a legacy (EIP-155) signature") == true)
    }

    @Test func aContractCreationHasNoRecipient() throws {
        let key = try PrivateKey(hex: Secp256k1Tests.devKeyHex)
        let create = try Transaction.accessList(chainId: 5, nonce: 3, gasPrice: 7, gasLimit: 100_000, to: nil, value: 0,
                                                data: [0x60, 0x00]).signed(with: key)
        let decoded = try Transaction.decode(raw: create.raw)
        #expect(decoded.to == nil)
        #expect(decoded == create)
    }
}
