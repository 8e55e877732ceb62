import Foundation

/// The envelope of a settlement call (`keel_bridge_table.call`, ABI 1.2; docs/FAULT_PROOFS.md,
/// "Settlement calls"): a JSON object `{"body": "<JSON text>", "signature": "0x<65 bytes>"}`.
///
/// The body is itself a JSON object naming the `method`, its parameters, and for calls that move
/// the caller's money a `nonce` (the caller's next L1 nonce). The signature, when present, is the
/// caller's secp256k1 signature (r ‖ s ‖ yParity) over
/// `keccak256("keel-l1-call" ‖ chain id (8 bytes, big-endian) ‖ body's UTF-8 bytes)`, as an L1
/// transaction is signed: the settlement layer takes the caller to be whoever it recovers to, and
/// never a field of the body. Calls that move no one's money (reveals, steps, resolutions, reads)
/// need no signature: anyone may make them.
public enum SettlementCall {
    /// The tag that starts every signed digest.
    public static let domain = Array("keel-l1-call".utf8)

    /// What the caller signs.
    public static func digest(chainID: UInt64, body: [UInt8]) -> Hash32 {
        var bytes = domain
        bytes.appendBigEndian(chainID)
        bytes += body
        return Keccak256.hash(bytes)
    }

    /// The request bytes for `body` (a JSON object), signed with `key` when given.
    public static func request(body: [String: Any], chainID: UInt64, key: PrivateKey? = nil) throws -> [UInt8] {
        let bodyBytes = [UInt8](try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
        return try envelope(body: bodyBytes, signature: key.map { sign(body: bodyBytes, chainID: chainID, key: $0) })
    }

    /// The caller's signature (r ‖ s ‖ yParity) over a body's digest.
    public static func sign(body: [UInt8], chainID: UInt64, key: PrivateKey) -> [UInt8] {
        key.sign(hash: digest(chainID: chainID, body: body)).compactBytes
    }

    /// The envelope around a body's bytes, with its signature when given.
    public static func envelope(body: [UInt8], signature: [UInt8]?) throws -> [UInt8] {
        var envelope: [String: Any] = ["body": String(decoding: body, as: UTF8.self)]
        if let signature { envelope["signature"] = Hex.encode(signature) }
        return [UInt8](try JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys]))
    }

    /// Reads a response (a JSON object).
    public static func response(_ bytes: [UInt8]) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw SettlementCallError("the settlement layer answered something other than a JSON object")
        }
        return object
    }
}

/// A settlement call's request or response that is not what the envelope promises.
public struct SettlementCallError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
