import KeelABI

/// The `keel_gpu_table` of a Swift `GPUBackend`.
enum GPUExport {
    static func plugin(_ any: any KeelPlugin) -> (any GPUBackend)? { any as? any GPUBackend }

    static func table() -> keel_gpu_table {
        keel_gpu_table(
            struct_size: abiSize(keel_gpu_table.self),
            device_info: { instance, info, error in
                invoke(instance, error, GPUExport.plugin) { p throws(PluginError) in
                    let result = try p.deviceInfo()
                    if let info { result.write(to: &info.pointee) }
                }
            },
            ntt: { instance, field, values, logN, batch, inverse, error in
                invoke(instance, error, GPUExport.plugin) { p throws(PluginError) in
                    guard let kind = NTTField(rawValue: field) else { throw PluginError(.unsupported, "unknown field \(field)") }
                    guard logN < 40, let values else { throw PluginError(.invalidArgument, "log_n \(logN) out of range or no values") }
                    let buffer = UnsafeMutableBufferPointer(start: values, count: Int(batch) << Int(logN))
                    try p.ntt(field: kind, values: buffer, logN: Int(logN), inverse: inverse != 0)
                }
            },
            merkle_tree: { instance, hash, leaves, leafSize, leafCount, nodes, error in
                invoke(instance, error, GPUExport.plugin) { p throws(PluginError) in
                    guard hash == UInt32(KEEL_HASH_KECCAK256) else { throw PluginError(.unsupported, "unknown hash \(hash)") }
                    guard leafCount > 0, leafCount & (leafCount - 1) == 0, let nodes, leaves != nil || leafSize == 0 else {
                        throw PluginError(.invalidArgument, "leaf_count must be a power of two, not \(leafCount)")
                    }
                    try p.merkleTree(leaves: UnsafeBufferPointer(start: leaves, count: leafSize * leafCount), leafSize: leafSize,
                                     nodes: UnsafeMutableBufferPointer(start: nodes, count: 64 * leafCount))
                }
            })
    }
}
