import KeelABI

/// The `keel_proof_table` of a Swift `ProofSystem`.
enum ProofExport {
    static func plugin(_ any: any KeelPlugin) -> (any ProofSystem)? { any as? any ProofSystem }

    static func transition(_ t: UnsafePointer<keel_transition>?) throws(PluginError) -> Transition {
        guard let t else { throw PluginError(.invalidArgument, "the kernel passed no transition") }
        return Transition(t.pointee)
    }

    static func table(hasDisputes: Bool) -> keel_proof_table {
        keel_proof_table(
            struct_size: abiSize(keel_proof_table.self),
            prove: { instance, state, t, proof, error in
                invoke(instance, error, ProofExport.plugin) { p throws(PluginError) in
                    proof?.pointee = .owning(try p.prove(try ProofExport.transition(t), state: try ExecutionExport.accessor(state)))
                }
            },
            verify: { instance, t, proof, error in
                invoke(instance, error, ProofExport.plugin) { p throws(PluginError) in
                    try p.verify(try ProofExport.transition(t), proof: proof.array)
                }
            },
            dispute_move: hasDisputes ? { instance, state, t, dispute, move, error in
                invoke(instance, error, ProofExport.plugin) { p throws(PluginError) in
                    move?.pointee = .owning(try p.disputeMove(try ProofExport.transition(t), dispute: dispute.array,
                                                              state: try ExecutionExport.accessor(state)))
                }
            } : nil)
    }
}
