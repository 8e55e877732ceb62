import Foundation
import KeelCore
import Testing

@Suite struct Secp256k1Tests {
    /// The well-known development key of Hardhat and Anvil's first account.
    static let devKeyHex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
    static let devAddress = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"

    @Test func aKnownKeyHasItsKnownAddress() throws {
        let key = try PrivateKey(hex: Self.devKeyHex)
        #expect(key.address.description == Self.devAddress)
        #expect(key.publicKey.address == key.address)
    }

    @Test func signingIsDeterministicLowSAndRecoversTheSigner() throws {
        let key = try PrivateKey(hex: Self.devKeyHex)
        for index in 0..<20 {
            let hash = Keccak256.hash(Array("message \(index)".utf8))
            let signature = key.sign(hash: hash)
            #expect(key.sign(hash: hash) == signature)
            #expect(!(Secp256k1.halfCurveOrder < signature.s))
            #expect(try Secp256k1.recoverAddress(hash: hash, signature: signature) == key.address)
            #expect(try Secp256k1.recoverPublicKey(hash: hash, signature: signature) == key.publicKey)
            #expect(Secp256k1.verify(hash: hash, signature: signature, publicKey: key.publicKey))
            let otherHash = Keccak256.hash(Array("other \(index)".utf8))
            #expect(!Secp256k1.verify(hash: otherHash, signature: signature, publicKey: key.publicKey))
            #expect(try Secp256k1.recoverAddress(hash: otherHash, signature: signature) != key.address)
        }
    }

    /// n − s, the other valid `s` for the same signature: the malleated twin EIP-2 refuses.
    static func highS(_ signature: Signature) throws -> Signature {
        let n = Secp256k1.curveOrder.bytes
        let s = signature.s.bytes
        var result = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for index in stride(from: 31, through: 0, by: -1) {
            var digit = Int(n[index]) - Int(s[index]) - borrow
            borrow = digit < 0 ? 1 : 0
            if digit < 0 { digit += 256 }
            result[index] = UInt8(digit)
        }
        return Signature(r: signature.r, s: try #require(Hash32(bytes: result)), yParity: signature.yParity ^ 1)
    }

    @Test func aHighSSignatureIsRefusedUnlessAllowed() throws {
        let key = try PrivateKey(hex: Self.devKeyHex)
        let hash = Keccak256.hash(Array("malleable".utf8))
        let twin = try Self.highS(key.sign(hash: hash))
        let error = #expect(throws: SignatureError.self) { try Secp256k1.recoverAddress(hash: hash, signature: twin) }
        #expect(error?.reason == .sInUpperHalf)
        #expect(error?.description.contains("EIP-2") == true)
        #expect(!Secp256k1.verify(hash: hash, signature: twin, publicKey: key.publicKey))
        // ecrecover-style callers may accept it: it still recovers the same signer.
        #expect(try Secp256k1.recoverAddress(hash: hash, signature: twin, allowHighS: true) == key.address)
    }

    @Test func zeroAndOutOfRangeScalarsAreRefused() throws {
        let key = try PrivateKey(hex: Self.devKeyHex)
        let hash = Keccak256.hash(Array("range".utf8))
        let good = key.sign(hash: hash)
        let cases: [(Signature, SignatureError.Reason)] = [
            (Signature(r: .zero, s: good.s, yParity: 0), .rIsZero),
            (Signature(r: Secp256k1.curveOrder, s: good.s, yParity: 0), .rNotBelowCurveOrder),
            (Signature(r: good.r, s: .zero, yParity: 0), .sIsZero),
            (Signature(r: good.r, s: Secp256k1.curveOrder, yParity: 0), .sNotBelowCurveOrder),
            (Signature(r: good.r, s: good.s, yParity: 2), .recoveryIdOutOfRange(2)),
        ]
        for (signature, reason) in cases {
            let error = #expect(throws: SignatureError.self) { try Secp256k1.recoverAddress(hash: hash, signature: signature) }
            #expect(error?.reason == reason)
        }
        #expect(SignatureError(.rIsZero).description.contains("r is zero"))
        #expect(SignatureError(.sNotBelowCurveOrder).description.contains("s is not below the secp256k1 curve order"))
    }

    @Test func anRThatIsNoCurvePointRecoversNothing() throws {
        // x = 5 is not the x coordinate of any point on secp256k1 (5³ + 7 = 132 is not a square mod p).
        var r = [UInt8](repeating: 0, count: 32)
        r[31] = 5
        let signature = Signature(r: try #require(Hash32(bytes: r)), s: try #require(Hash32(bytes: r)), yParity: 0)
        let error = #expect(throws: SignatureError.self) {
            try Secp256k1.recoverAddress(hash: Keccak256.hash([UInt8]()), signature: signature)
        }
        #expect(error?.reason == .noPublicKeyRecovered)
    }

    @Test func invalidPrivateKeysAreRefused() throws {
        #expect(throws: SignatureError(.invalidPrivateKey)) { try PrivateKey(bytes: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: SignatureError(.invalidPrivateKey)) { try PrivateKey(bytes: Secp256k1.curveOrder.bytes) }
        #expect(throws: SignatureError(.invalidPrivateKey)) { try PrivateKey(bytes: [UInt8](repeating: 1, count: 31)) }
        #expect(throws: SignatureError(.invalidPrivateKey)) { try PrivateKey(hex: "0xnothex") }
    }

    @Test func thePrivateKeyNeverPrintsItsBytes() throws {
        let key = try PrivateKey(hex: Self.devKeyHex)
        var dumped = ""
        dump(key, to: &dumped)
        let secretDigits = String(Self.devKeyHex.dropFirst(2))
        for text in [key.description, key.debugDescription, "\(key)", String(reflecting: key), dumped] {
            #expect(!text.lowercased().contains(secretDigits.prefix(8)))
            #expect(!text.lowercased().contains(secretDigits.suffix(8)))
            #expect(text.contains("redacted"))
        }
        #expect(key == (try PrivateKey(hex: Self.devKeyHex)))
    }

    @Test func theBareBenchmarkHookRecoversTheSameKey() throws {
        let key = try PrivateKey(hex: Self.devKeyHex)
        let hash = Keccak256.hash(Array("hook".utf8))
        let signature = key.sign(hash: hash)
        var output = [UInt8](repeating: 0, count: 64)
        let compact = signature.r.bytes + signature.s.bytes
        let ok = hash.bytes.withUnsafeBufferPointer { message in
            compact.withUnsafeBufferPointer { signatureBytes in
                output.withUnsafeMutableBufferPointer { out in
                    Secp256k1.rawRecover(hash: message.baseAddress!, compactSignature: signatureBytes.baseAddress!,
                                         recoveryId: Int32(signature.yParity), uncompressedPublicKey: out.baseAddress!)
                }
            }
        }
        #expect(ok)
        #expect(output == key.publicKey.bytes)
        #expect(signature.compactBytes == compact + [signature.yParity])
    }
}
