import KeelABI

/// The `keel_sequencer_table` of a Swift `SequencerConsensus`.
enum SequencerExport {
    static func plugin(_ any: any KeelPlugin) -> (any SequencerConsensus)? { any as? any SequencerConsensus }

    static func hash(_ pointer: UnsafePointer<UInt8>?) throws(PluginError) -> [UInt8] {
        guard let pointer else { throw PluginError(.invalidArgument, "no header hash") }
        return Array(UnsafeBufferPointer(start: pointer, count: 32))
    }

    static func table() -> keel_sequencer_table {
        keel_sequencer_table(
            struct_size: abiSize(keel_sequencer_table.self),
            is_leader: { instance, height, leader, error in
                invoke(instance, error, SequencerExport.plugin) { p throws(PluginError) in
                    leader?.pointee = try p.isLeader(height: height) ? 1 : 0
                }
            },
            order: { instance, candidates, count, baseFee, gasLimit, order, chosen, error in
                invoke(instance, error, SequencerExport.plugin) { p throws(PluginError) in
                    let list = (0..<count).compactMap { index in candidates.map { OrderCandidate($0[index]) } }
                    let picked = try p.order(list, baseFee: baseFee.value, gasLimit: gasLimit)
                    guard picked.count <= count, picked.allSatisfy({ $0 >= 0 && $0 < count }) else {
                        throw PluginError(.internalError, "order returned indices outside the candidates")
                    }
                    for (slot, index) in picked.enumerated() { order?[slot] = UInt32(index) }
                    chosen?.pointee = picked.count
                }
            },
            sign_header: { instance, header, signature, error in
                invoke(instance, error, SequencerExport.plugin) { p throws(PluginError) in
                    signature?.pointee = .owning(try p.signHeader(try SequencerExport.hash(header)))
                }
            },
            verify_header: { instance, height, header, signature, error in
                invoke(instance, error, SequencerExport.plugin) { p throws(PluginError) in
                    try p.verifyHeader(height: height, hash: try SequencerExport.hash(header), signature: signature.array)
                }
            })
    }
}
