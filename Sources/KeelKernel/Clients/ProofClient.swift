import KeelABI
import KeelCore

/// A proof system plugin, called through its `keel_proof_table`.
public struct ProofClient: Sendable {
    public let instance: PluginInstance
    private var table: keel_proof_table { instance.table(as: keel_proof_table.self) }

    public init(_ instance: PluginInstance) {
        precondition(instance.library.kind == .proof, "ProofClient needs a proof plugin")
        self.instance = instance
    }

    /// The proof (or attestation) for `transition`, made against the pre-state `state`.
    public func prove(_ transition: Transition, state: any StateAccess) throws(PluginCallError) -> [UInt8] {
        var proof = keel_buffer()
        let prove = table.prove!
        try instance.call("prove") { pointer, error in
            withKeelState(state) { keelState in transition.withC { prove(pointer, keelState, $0, &proof, error) } }
        }
        return proof.take()
    }

    /// Throws `rejected`, with the reason, unless `proof` holds for `transition`.
    public func verify(_ transition: Transition, proof: [UInt8]) throws(PluginCallError) {
        let verify = table.verify!
        try instance.call("verify") { pointer, error in
            transition.withC { t in withKeelBytes(proof) { verify(pointer, t, $0, error) } }
        }
    }

    /// Whether the plugin plays interactive disputes.
    public var hasDisputes: Bool { table.dispute_move != nil }

    /// The next move in a dispute, or empty when there is nothing to do.
    public func disputeMove(_ transition: Transition, dispute: [UInt8], state: any StateAccess) throws(PluginCallError) -> [UInt8] {
        guard let move = table.dispute_move else {
            throw PluginCallError(plugin: instance.label, function: "dispute_move", code: Int32(KEEL_ERR_UNSUPPORTED),
                                  message: "this proof system has no disputes")
        }
        var output = keel_buffer()
        try instance.call("dispute_move") { pointer, error in
            withKeelState(state) { keelState in
                transition.withC { t in withKeelBytes(dispute) { move(pointer, keelState, t, $0, &output, error) } }
            }
        }
        return output.take()
    }
}
