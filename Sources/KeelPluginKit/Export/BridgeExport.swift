import KeelABI

/// The `keel_bridge_table` of a Swift `SettlementBridge`.
enum BridgeExport {
    static func plugin(_ any: any KeelPlugin) -> (any SettlementBridge)? { any as? any SettlementBridge }

    static func address(_ pointer: UnsafePointer<UInt8>?) throws(PluginError) -> [UInt8] {
        guard let pointer else { throw PluginError(.invalidArgument, "no address") }
        return Array(UnsafeBufferPointer(start: pointer, count: 20))
    }

    static func table(isDevelopmentL1: Bool, keepsChangeLog: Bool, answersCalls: Bool) -> keel_bridge_table {
        keel_bridge_table(
            struct_size: abiSize(keel_bridge_table.self),
            l1_head: { instance, head, error in
                invoke(instance, error, BridgeExport.plugin) { p throws(PluginError) in
                    let result = try p.l1Head()
                    if let head { result.write(to: &head.pointee) }
                }
            },
            submit_batch: { instance, record, error in
                invoke(instance, error, BridgeExport.plugin) { p throws(PluginError) in
                    guard let record else { throw PluginError(.invalidArgument, "no batch record") }
                    try p.submitBatch(BatchRecord(record.pointee, commitment: record.pointee.da_commitment.array))
                }
            },
            batch_count: { instance, count, final, error in
                invoke(instance, error, BridgeExport.plugin) { p throws(PluginError) in
                    let result = try p.batchCount()
                    count?.pointee = result.count
                    final?.pointee = result.final
                }
            },
            get_batch: { instance, index, record, commitment, error in
                invoke(instance, error, BridgeExport.plugin) { p throws(PluginError) in
                    let result = try p.batch(index)
                    if let record { result.write(to: &record.pointee) }
                    commitment?.pointee = .owning(result.daCommitment)
                }
            },
            submit_proof: { instance, index, proof, error in
                invoke(instance, error, BridgeExport.plugin) { p throws(PluginError) in
                    try p.submitProof(batch: index, proof: proof.array)
                }
            },
            deposits: { instance, from, deposits, capacity, count, error in
                invoke(instance, error, BridgeExport.plugin) { p throws(PluginError) in
                    let list = try p.deposits(from: from, limit: capacity)
                    let written = min(list.count, capacity)
                    for index in 0..<written { if let deposits { list[index].write(to: &deposits[index]) } }
                    count?.pointee = written
                }
            },
            claim_withdrawal: { instance, index, message, proof, error in
                invoke(instance, error, BridgeExport.plugin) { p throws(PluginError) in
                    try p.claimWithdrawal(batch: index, message: message.array, proof: proof.array)
                }
            },
            dev_deposit: isDevelopmentL1 ? { instance, from, to, amount, index, error in
                invoke(instance, error, BridgeExport.plugin) { p throws(PluginError) in
                    index?.pointee = try p.devDeposit(from: try BridgeExport.address(from), to: try BridgeExport.address(to), amount: amount.value)
                }
            } : nil,
            dev_advance: isDevelopmentL1 ? { instance, blocks, error in
                invoke(instance, error, BridgeExport.plugin) { p throws(PluginError) in try p.devAdvance(blocks: blocks) }
            } : nil,
            record_change: keepsChangeLog ? { instance, record, index, error in
                invoke(instance, error, BridgeExport.plugin) { p throws(PluginError) in index?.pointee = try p.recordChange(record.array) }
            } : nil,
            change_count: keepsChangeLog ? { instance, count, error in
                invoke(instance, error, BridgeExport.plugin) { p throws(PluginError) in count?.pointee = try p.changeCount() }
            } : nil,
            get_change: keepsChangeLog ? { instance, index, record, error in
                invoke(instance, error, BridgeExport.plugin) { p throws(PluginError) in record?.pointee = .owning(try p.change(index)) }
            } : nil,
            call: answersCalls ? { instance, request, response, error in
                invoke(instance, error, BridgeExport.plugin) { p throws(PluginError) in response?.pointee = .owning(try p.call(request.array)) }
            } : nil)
    }
}
