import KeelABI

/// What ABI 1.x requires of each kind's function table: the functions that must not be NULL.
/// They are all of ABI 1.0; functions a later minor version appends are optional (NULL allowed, or
/// absent from an older plugin's shorter table). The sizes are `ABIVersion`'s.
struct TableRequirements {
    /// Required function pointers: name and whether the one in `table` (the host-sized copy) is NULL.
    let functions: [(name: String, isNull: (UnsafeRawPointer) -> Bool)]

    /// A host-sized, zero-padded copy of a plugin's `table` of `kind` that declares `declaredSize` bytes.
    static func paddedTable(_ kind: PluginKind, _ table: UnsafeRawPointer, declaredSize: Int) -> UnsafeRawPointer {
        switch kind {
        case .execution: ABIVersion.paddedCopy(of: table, declaredSize: declaredSize, as: keel_execution_table.self)
        case .da: ABIVersion.paddedCopy(of: table, declaredSize: declaredSize, as: keel_da_table.self)
        case .proof: ABIVersion.paddedCopy(of: table, declaredSize: declaredSize, as: keel_proof_table.self)
        case .gpu: ABIVersion.paddedCopy(of: table, declaredSize: declaredSize, as: keel_gpu_table.self)
        case .sequencer: ABIVersion.paddedCopy(of: table, declaredSize: declaredSize, as: keel_sequencer_table.self)
        case .bridge: ABIVersion.paddedCopy(of: table, declaredSize: declaredSize, as: keel_bridge_table.self)
        }
    }

    static func of(_ kind: PluginKind) -> TableRequirements {
        switch kind {
        case .execution:
            TableRequirements(functions: [
                ("validate_tx", { $0.load(as: keel_execution_table.self).validate_tx == nil }),
                ("get_account", { $0.load(as: keel_execution_table.self).get_account == nil }),
                ("begin_block", { $0.load(as: keel_execution_table.self).begin_block == nil }),
                ("execute_tx", { $0.load(as: keel_execution_table.self).execute_tx == nil }),
                ("end_block", { $0.load(as: keel_execution_table.self).end_block == nil }),
                ("call", { $0.load(as: keel_execution_table.self).call == nil }),
            ])
        case .da:
            TableRequirements(functions: [
                ("max_blob_size", { $0.load(as: keel_da_table.self).max_blob_size == nil }),
                ("submit", { $0.load(as: keel_da_table.self).submit == nil }),
                ("retrieve", { $0.load(as: keel_da_table.self).retrieve == nil }),
                ("health", { $0.load(as: keel_da_table.self).health == nil }),
            ])
        case .proof:
            TableRequirements(functions: [
                ("prove", { $0.load(as: keel_proof_table.self).prove == nil }),
                ("verify", { $0.load(as: keel_proof_table.self).verify == nil }),
            ])
        case .gpu:
            TableRequirements(functions: [
                ("device_info", { $0.load(as: keel_gpu_table.self).device_info == nil }),
                ("ntt", { $0.load(as: keel_gpu_table.self).ntt == nil }),
                ("merkle_tree", { $0.load(as: keel_gpu_table.self).merkle_tree == nil }),
            ])
        case .sequencer:
            TableRequirements(functions: [
                ("is_leader", { $0.load(as: keel_sequencer_table.self).is_leader == nil }),
                ("order", { $0.load(as: keel_sequencer_table.self).order == nil }),
                ("sign_header", { $0.load(as: keel_sequencer_table.self).sign_header == nil }),
                ("verify_header", { $0.load(as: keel_sequencer_table.self).verify_header == nil }),
            ])
        case .bridge:
            TableRequirements(functions: [
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
