/// A backend for heavy proving arithmetic: NTTs over prime fields and Merkle trees.
///
/// Contract (docs/ABI.md has the exact layouts):
/// - `ntt` transforms `values.count / 2^logN` vectors in place; forward maps natural-order
///   coefficients to natural-order evaluations over the 2^logN-th roots of unity; inverse is the
///   exact inverse, 1/n scaling included. Elements are canonical (below the modulus).
/// - `merkleTree` returns `2 * leafCount` nodes of 32 bytes: node 1 the root, node i the parent of
///   2i and 2i+1, node leafCount + j the hash of leaf j, node 0 zero.
/// - Results are bit-identical to the `cpu` backend's for the same input.
public protocol GPUBackend: KeelPlugin {
    func deviceInfo() throws(PluginError) -> GPUDeviceInfo
    func ntt(field: NTTField, values: UnsafeMutableBufferPointer<UInt64>, logN: Int, inverse: Bool) throws(PluginError)
    func merkleTree(leaves: UnsafeBufferPointer<UInt8>, leafSize: Int, nodes: UnsafeMutableBufferPointer<UInt8>) throws(PluginError)
}
