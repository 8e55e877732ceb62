import KeelABI
import KeelCore

/// A GPU backend plugin, called through its `keel_gpu_table`.
public struct GPUClient: Sendable {
    public let instance: PluginInstance
    private var table: keel_gpu_table { instance.table(as: keel_gpu_table.self) }

    public init(_ instance: PluginInstance) {
        precondition(instance.library.kind == .gpu, "GPUClient needs a gpu plugin")
        self.instance = instance
    }

    public func deviceInfo() throws(PluginCallError) -> GPUDeviceInfo {
        var info = keel_device_info()
        info.struct_size = UInt32(MemoryLayout<keel_device_info>.size)
        let describe = table.device_info!
        try instance.call("device_info") { pointer, error in describe(pointer, &info, error) }
        return GPUDeviceInfo(info)
    }

    /// In-place NTTs of `values.count >> logN` vectors of `2^logN` elements each.
    public func ntt(field: NTTField, values: inout [UInt64], logN: UInt32, inverse: Bool) throws(PluginCallError) {
        let size = 1 << Int(logN)
        guard size > 0, values.count % size == 0 else {
            throw PluginCallError(plugin: instance.label, function: "ntt", code: Int32(KEEL_ERR_INVALID_ARGUMENT),
                                  message: "\(values.count) values are not whole vectors of 2^\(logN)")
        }
        let batch = UInt32(values.count / size)
        let transform = table.ntt!
        try values.withUnsafeMutableBufferPointer { buffer throws(PluginCallError) in
            try instance.call("ntt") { pointer, error in
                transform(pointer, field.rawValue, buffer.baseAddress, logN, batch, inverse ? 1 : 0, error)
            }
        }
    }

    /// The full Merkle tree over `leaves` (each `leafSize` bytes): `2 * count` nodes of 32 bytes,
    /// node 1 the root (docs/ABI.md).
    public func merkleTree(leaves: [UInt8], leafSize: Int) throws(PluginCallError) -> [UInt8] {
        let count = leafSize > 0 ? leaves.count / leafSize : 0
        var nodes = [UInt8](repeating: 0, count: 2 * count * 32)
        let build = table.merkle_tree!
        try nodes.withUnsafeMutableBufferPointer { output throws(PluginCallError) in
            try instance.call("merkle_tree") { pointer, error in
                leaves.withUnsafeBufferPointer { input in
                    build(pointer, UInt32(KEEL_HASH_KECCAK256), input.baseAddress, leafSize, count, output.baseAddress, error)
                }
            }
        }
        return nodes
    }
}

