import Foundation
import KeelPluginKit

/// A settlement call as the bridge reads it: the body's fields (docs/FAULT_PROOFS.md, "Settlement
/// calls") and, for a signed call, who signed it. Every accessor names the field it refuses.
struct CallBody {
    let method: String
    let fields: [String: Any]
    /// The recovered signer, for a signed call.
    let caller: Address?

    /// Reads the envelope of `request`, recovering its signer over this chain's digest.
    init(request: [UInt8], chainID: UInt64) throws(PluginError) {
        let envelope: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: Data(request)) as? [String: Any] else { throw CocoaError(.coderReadCorrupt) }
            envelope = object
        } catch {
            throw PluginError(.invalidArgument, "a settlement call is a JSON object {\"body\": \"<JSON text>\", \"signature\": \"0x…\"}; this one does not parse")
        }
        guard let text = envelope["body"] as? String, let bodyBytes = Optional([UInt8](text.utf8)),
              let body = (try? JSONSerialization.jsonObject(with: Data(bodyBytes))) as? [String: Any] else {
            throw PluginError(.invalidArgument, "the settlement call's `body` must be the text of a JSON object")
        }
        guard let method = body["method"] as? String, !method.isEmpty else {
            throw PluginError(.invalidArgument, "the settlement call's body names no `method`")
        }
        self.method = method
        fields = body
        if let signature = envelope["signature"] {
            guard let hex = signature as? String, let bytes = Hex.decode(hex), bytes.count == AttestorCommittee.signatureSize else {
                throw PluginError(.invalidArgument, "the settlement call's `signature` must be 0x and 65 bytes (r ‖ s ‖ yParity)")
            }
            caller = try AttestorCommittee.recover(bytes[...], message: SettlementCall.digest(chainID: chainID, body: bodyBytes), number: 1)
        } else {
            caller = nil
        }
    }

    /// The signer, for a call that moves the caller's money.
    func signer() throws(PluginError) -> Address {
        guard let caller else {
            throw PluginError(.rejected, "`\(method)` moves the caller's money, so it must be signed by the caller's key (the envelope's `signature`)")
        }
        return caller
    }

    func string(_ name: String) throws(PluginError) -> String {
        guard let value = fields[name] as? String else { throw missing(name, "a string") }
        return value
    }

    func bytes(_ name: String) throws(PluginError) -> [UInt8] {
        guard let bytes = Hex.decode(try string(name)) else { throw missing(name, "0x-prefixed hex") }
        return bytes
    }

    func hash(_ name: String) throws(PluginError) -> Hash32 {
        guard let hash = Hash32(bytes: try bytes(name)) else { throw missing(name, "a 32-byte hash") }
        return hash
    }

    func hashes(_ name: String) throws(PluginError) -> [Hash32] {
        guard let list = fields[name] as? [String], list.count <= 64 else { throw missing(name, "a list of at most 64 hashes") }
        var hashes: [Hash32] = []
        for text in list {
            guard let hash = Hash32(hex: text) else { throw missing(name, "a list of 32-byte hashes") }
            hashes.append(hash)
        }
        return hashes
    }

    func uint64(_ name: String) throws(PluginError) -> UInt64 {
        if let number = fields[name] as? NSNumber, let value = UInt64(exactly: number.doubleValue), number.doubleValue < 9e15 { return value }
        if let text = fields[name] as? String, let value = UInt64(text) { return value }
        throw missing(name, "an unsigned integer")
    }

    func amount(_ name: String) throws(PluginError) -> UInt128 {
        guard let text = fields[name] as? String, let value = UInt128(text) else { throw missing(name, "an amount of wei in decimal digits, as a string") }
        return value
    }

    func address(_ name: String) throws(PluginError) -> Address {
        guard let address = Address(hex: try string(name)) else { throw missing(name, "a 20-byte address") }
        return address
    }

    private func missing(_ name: String, _ kind: String) -> PluginError {
        PluginError(.invalidArgument, "`\(method)`: `\(name)` must be \(kind)")
    }
}

/// Builds a call's JSON response.
enum CallResponse {
    static func encode(_ object: [String: Any]) throws(PluginError) -> [UInt8] {
        do {
            return [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        } catch {
            throw PluginError(.internalError, "cannot encode the settlement call's response: \(error)")
        }
    }
}
