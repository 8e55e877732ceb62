import KeelABI

/// What ABI 1.0 requires of each kind's function table: the bytes the host reads, and the
/// functions that must not be NULL. Optional functions (NULL allowed) come after the required ones.
struct TableRequirements {
    /// The smallest `struct_size` the table may declare.
    let minimumSize: Int
    /// Required function pointers: name and whether the one in `table` is NULL.
    let functions: [(name: String, isNull: (UnsafeRawPointer) -> Bool)]

    static func of(_ kind: PluginKind) -> TableRequirements {
        switch kind {
        case .execution:
            TableRequirements(minimumSize: MemoryLayout<keel_execution_table>.size, functions: [
                ("validate_tx", { $0.load(as: keel_execution_table.self).validate_tx == nil }),
                ("get_account", { $0.load(as: keel_execution_table.self).get_account == nil }),
                ("begin_block", { $0.load(as: keel_execution_table.self).begin_block == nil }),
                ("execute_tx", { $0.load(as: keel_execution_table.self).execute_tx == nil }),
                ("end_block", { $0.load(as: keel_execution_table.self).end_block == nil }),
                ("call", { $0.load(as: keel_execution_table.self).call == nil }),
            ])
        case .da:
            TableRequirements(minimumSize: MemoryLayout<keel_da_table>.size, functions: [
                ("max_blob_size", { $0.load(as: keel_da_table.self).max_blob_size == nil }),
                ("submit", { $0.load(as: keel_da_table.self).submit == nil }),
                ("retrieve", { $0.load(as: keel_da_table.self).retrieve == nil }),
                ("health", { $0.load(as: keel_da_table.self).health == nil }),
            ])
        case .proof:
            TableRequirements(minimumSize: MemoryLayout<keel_proof_table>.size, functions: [
                ("prove", { $0.load(as: keel_proof_table.self).prove == nil }),
                ("verify", { $0.load(as: keel_proof_table.self).verify == nil }),
            ])
        case .gpu:
            TableRequirements(minimumSize: MemoryLayout<keel_gpu_table>.size, functions: [
                ("device_info", { $0.load(as: keel_gpu_table.self).device_info == nil }),
                ("ntt", { $0.load(as: keel_gpu_table.self).ntt == nil }),
                ("merkle_tree", { $0.load(as: keel_gpu_table.self).merkle_tree == nil }),
            ])
        case .sequencer:
            TableRequirements(minimumSize: MemoryLayout<keel_sequencer_table>.size, functions: [
                ("is_leader", { $0.load(as: keel_sequencer_table.self).is_leader == nil }),
                ("order", { $0.load(as: keel_sequencer_table.self).order == nil }),
                ("sign_header", { $0.load(as: keel_sequencer_table.self).sign_header == nil }),
                ("verify_header", { $0.load(as: keel_sequencer_table.self).verify_header == nil }),
            ])
        case .bridge:
            TableRequirements(minimumSize: MemoryLayout<keel_bridge_table>.size, functions: [
                ("l1_head", { $0.load(as: keel_bridge_table.self).l1_head == nil }),
                ("submit_batch", { $0.load(as: keel_bridge_table.self).submit_batch == nil }),
                ("batch_count", { $0.load(as: keel_bridge_table.self).batch_count == nil }),
                ("get_batch", { $0.load(as: keel_bridge_table.self).get_batch == nil }),
                ("submit_proof", { $0.load(as: keel_bridge_table.self).submit_proof == nil }),
                ("deposits", { $0.load(as: keel_bridge_table.self).deposits == nil }),
                ("claim_withdrawal", { $0.load(as: keel_bridge_table.self).claim_withdrawal == nil }),
            ])
        }
    }
}
