import KeelABI

/// The `keel_da_table` of a Swift `DAProvider`.
enum DAExport {
    static func plugin(_ any: any KeelPlugin) -> (any DAProvider)? { any as? any DAProvider }

    static func table(providerID: UInt8) -> keel_da_table {
        keel_da_table(
            struct_size: abiSize(keel_da_table.self),
            provider_id: providerID,
            max_blob_size: { instance in
                var size: UInt64 = 0
                _ = invoke(instance, nil, DAExport.plugin) { p in size = p.maxBlobSize }
                return size
            },
            submit: { instance, blob, commitment, error in
                invoke(instance, error, DAExport.plugin) { p throws(PluginError) in
                    commitment?.pointee = .owning(try p.submit(blob.array))
                }
            },
            retrieve: { instance, commitment, blob, error in
                invoke(instance, error, DAExport.plugin) { p throws(PluginError) in
                    blob?.pointee = .owning(try p.retrieve(commitment.array))
                }
            },
            health: { instance, health, error in
                invoke(instance, error, DAExport.plugin) { p in
                    if let health { p.health().write(to: &health.pointee) }
                }
            })
    }
}
