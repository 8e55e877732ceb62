import KeelPluginKit

/// gpu {{NAME}}: a GPU backend skeleton that computes on the CPU.
///
/// Written by `keel new plugin --kind gpu --lang swift`. It is complete, builds with `swift build`,
/// and passes Keel's GPU conformance suite (`swift test`), whose answers must be bit-identical to
/// Keel's `cpu` backend. It does the arithmetic plainly, on the calling thread, so that you can see
/// what each call owes:
///
/// - REPLACE `transform` with your device's NTT (copy `values` to the device, transform every
///   vector at once, copy back). The reference here is radix-2 Cooley–Tukey, natural order in and out.
/// - REPLACE `merkleTree`'s loops with device hashing; keep the node layout.
/// - REPLACE `deviceInfo` with what your device reports.
/// - KEEP the argument checks: elements must be canonical, leaf counts a power of two.
///
/// Config: none; any key is refused. Stateless, so thread-safe.
final class {{TYPE}}: GPUBackend, Sendable {
    static let name = "{{NAME}}"
    static let version = "0.1.0"
    /// Say what you support: the conformance suite checks every field you list.
    static let capabilities = ["thread-safe", "gpu:ntt:goldilocks", "gpu:ntt:babybear", "gpu:merkle:keccak256"]

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        try config.allowKeys([]) // REPLACE: your settings, e.g. "device"
    }

    func deviceInfo() throws(PluginError) -> GPUDeviceInfo {
        GPUDeviceInfo(name: "{{NAME}} (reference code on the CPU)", memoryBytes: 0, computeUnits: 1)
    }

    func ntt(field: NTTField, values: UnsafeMutableBufferPointer<UInt64>, logN: Int, inverse: Bool) throws(PluginError) {
        let twoAdicity = field == .goldilocks ? 32 : 27
        guard logN >= 0, logN <= twoAdicity else {
            throw PluginError(.invalidArgument, "log_n \(logN) exceeds the field's two-adicity \(twoAdicity)")
        }
        let p = field.modulus
        if let index = values.firstIndex(where: { $0 >= p }) {
            throw PluginError(.invalidArgument, "element \(index) is not below the field's modulus")
        }
        let n = 1 << logN
        guard values.count % n == 0 else {
            throw PluginError(.invalidArgument, "\(values.count) values are not whole vectors of 2^\(logN)")
        }
        let generator: UInt64 = field == .goldilocks ? 7 : 31
        for start in stride(from: 0, to: values.count, by: n) {
            transform(UnsafeMutableBufferPointer(rebasing: values[start..<(start + n)]), p: p, generator: generator, inverse: inverse)
        }
    }

    /// One NTT in place (REPLACE with your device's).
    private func transform(_ v: UnsafeMutableBufferPointer<UInt64>, p: UInt64, generator: UInt64, inverse: Bool) {
        let n = v.count
        guard n > 1 else { return }
        var root = power(generator, (p - 1) / UInt64(n), p) // a primitive n-th root of unity
        if inverse { root = power(root, p - 2, p) }
        var j = 0
        for i in 1..<n { // bit-reversal permutation
            var bit = n >> 1
            while j & bit != 0 { j ^= bit; bit >>= 1 }
            j ^= bit
            if i < j { v.swapAt(i, j) }
        }
        var length = 2
        while length <= n {
            let step = power(root, UInt64(n / length), p)
            for start in stride(from: 0, to: n, by: length) {
                var w: UInt64 = 1
                for k in 0..<(length / 2) {
                    let even = v[start + k], odd = multiply(v[start + k + length / 2], w, p)
                    v[start + k] = UInt64((UInt128(even) + UInt128(odd)) % UInt128(p))
                    v[start + k + length / 2] = even >= odd ? even - odd : p - (odd - even)
                    w = multiply(w, step, p)
                }
            }
            length <<= 1
        }
        if inverse {
            let nInverse = power(UInt64(n) % p, p - 2, p)
            for i in 0..<n { v[i] = multiply(v[i], nInverse, p) }
        }
    }

    func merkleTree(leaves: UnsafeBufferPointer<UInt8>, leafSize: Int, nodes: UnsafeMutableBufferPointer<UInt8>) throws(PluginError) {
        let count = nodes.count / 64 // the kernel passes 2 * leaf_count nodes of 32 bytes
        guard count > 0, count & (count - 1) == 0 else {
            throw PluginError(.invalidArgument, "leaf_count must be a power of two, not \(count)")
        }
        guard leaves.count == count * leafSize else {
            throw PluginError(.invalidArgument, "\(leaves.count) leaf bytes are not \(count) leaves of \(leafSize) bytes")
        }
        func write(_ hash: Hash32, at node: Int) {
            for (offset, byte) in hash.bytes.enumerated() { nodes[32 * node + offset] = byte }
        }
        for offset in 0..<32 { nodes[offset] = 0 } // node 0 is unused
        for leaf in 0..<count { // node count + j = hash(leaf j)
            write(Keccak256.hash(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: leaves[(leaf * leafSize)..<((leaf + 1) * leafSize)]))), at: count + leaf)
        }
        for node in stride(from: count - 1, through: 1, by: -1) { // node i = hash(node 2i ‖ node 2i+1)
            write(Keccak256.hash(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: nodes[(64 * node)..<(64 * node + 64)]))), at: node)
        }
    }

    private func multiply(_ a: UInt64, _ b: UInt64, _ p: UInt64) -> UInt64 {
        UInt64(UInt128(a) * UInt128(b) % UInt128(p))
    }

    private func power(_ base: UInt64, _ exponent: UInt64, _ p: UInt64) -> UInt64 {
        var result: UInt64 = 1, b = base % p, e = exponent
        while e > 0 {
            if e & 1 == 1 { result = multiply(result, b, p) }
            b = multiply(b, b, p)
            e >>= 1
        }
        return result
    }
}

@_cdecl("keel_plugin_entry_v1")
public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: {{TYPE}}.self) }
