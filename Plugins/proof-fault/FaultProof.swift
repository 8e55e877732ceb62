import Foundation
import KeelPluginKit

/// proof fault: optimistic settlement by bonds, a challenge window and interactive dispute games
/// (docs/plugins/fault.md, docs/FAULT_PROOFS.md).
///
/// The games themselves are the settlement layer's: it checks every move and re-executes the
/// disputed step. This plugin holds the player's key — the proposer's on a sequencing node, a
/// challenger's under `keel challenge` — and signs the settlement calls that move its money
/// (posting a batch, staking, opening a game), so the key never leaves the plugin. `dispute_move`
/// takes a call's body and returns the signed envelope (docs/FAULT_PROOFS.md, "Settlement calls");
/// it refuses to sign anything but the fault-proof calls; a body `{"method": "address"}` answers
/// `{"address": "0x…"}`, the player's address. Thread-safe: immutable after `init`.
final class FaultProof: ProofSystem, @unchecked Sendable {
    // @unchecked: every stored property is immutable and Sendable; the class is final.
    static let name = "fault"
    static let version = "1.0.0"
    static let capabilities = ["thread-safe", "proof:fault"]
    static let hasDisputes = true

    /// The settlement calls this plugin signs.
    static let signedMethods: Set<String> = ["batch.post", "stake.deposit", "stake.withdraw", "game.open"]

    private let key: PrivateKey?
    private let chainID: UInt64

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        try config.allowKeys(["key_file"])
        chainID = host.chainID
        if let path = try config.optionalString("key_file") {
            do {
                key = try PrivateKey(contentsOfFile: path)
            } catch {
                throw PluginError.config("key_file", error.description)
            }
        } else {
            key = nil
        }
    }

    /// Fault proofs have no proof to hand over: a batch is posted with its trace and defended in games.
    func prove(_ transition: Transition, state: StateAccessor) throws(PluginError) -> [UInt8] {
        throw PluginError(.unsupported, "fault proofs are posted with the batch's trace commitment and decided in dispute games on the settlement layer; there is no proof to make")
    }

    func verify(_ transition: Transition, proof: [UInt8]) throws(PluginError) {
        throw PluginError(.unsupported, "fault proofs are checked by the settlement layer's dispute games, not by a proof")
    }

    /// Signs the settlement call whose body is `dispute` (a JSON object naming a fault-proof
    /// method) with the player's key; returns the envelope to send (`SettlementCall`).
    func disputeMove(_ transition: Transition, dispute: [UInt8], state: StateAccessor) throws(PluginError) -> [UInt8] {
        guard let key else {
            throw PluginError(.unsupported, "this fault instance has no `key_file`: it cannot post, stake or challenge; configure the player's key file")
        }
        let body = (try? JSONSerialization.jsonObject(with: Data(dispute))) as? [String: Any]
        if body?["method"] as? String == "address" { return Array("{\"address\":\"\(key.address)\"}".utf8) }
        guard let method = body?["method"] as? String, Self.signedMethods.contains(method) else {
            throw PluginError(.rejected, "fault signs only the settlement calls \(Self.signedMethods.sorted().joined(separator: ", ")); this is not one")
        }
        guard let envelope = try? SettlementCall.envelope(body: dispute, signature: SettlementCall.sign(body: dispute, chainID: chainID, key: key)) else {
            throw PluginError(.internalError, "cannot encode the signed call")
        }
        return envelope
    }
}

@_cdecl("keel_plugin_entry_v1")
public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: FaultProof.self) }
