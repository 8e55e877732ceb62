import KeelABI

/// What each minor version of ABI 1.x made of the structs the kernel reads from a plugin: the
/// descriptor and the six function tables (docs/ABI.md, "Versions").
///
/// A plugin built for minor `m` must declare at least `size(…, minor: m)` bytes; the kernel reads
/// only the bytes a plugin declares and treats the fields past them as absent (zero, NULL). The
/// sizes are written out rather than taken from `MemoryLayout` of the host's structs, because the
/// host's structs are those of the newest minor; `ABIVersionTests` checks each against the header
/// of its version (the older headers are kept under Tests/Fixtures/abi-1.x).
package enum ABIVersion {
    /// This kernel's minor version.
    package static let currentMinor = Int(KEEL_ABI_MINOR)

    /// `sizeof(keel_plugin_descriptor)` in each minor version, oldest first.
    package static let descriptorSizes = [72, 72, 72]

    /// `sizeof` of each kind's table in each minor version, oldest first.
    package static func tableSizes(_ kind: PluginKind) -> [Int] {
        switch kind {
        case .execution: [56, 72, 72]   // 1.1: genesis, account_key
        case .da: [40, 40, 40]
        case .proof: [32, 32, 32]
        case .gpu: [32, 32, 32]
        case .sequencer: [40, 40, 40]
        case .bridge: [80, 104, 112]   // 1.1: record_change, change_count, get_change; 1.2: call
        }
    }

    /// The smallest table a plugin of `minor` may declare (the newest known size for a newer minor,
    /// which the loader refuses before asking).
    static func minimumTableSize(_ kind: PluginKind, minor: Int) -> Int {
        let sizes = tableSizes(kind)
        return sizes[min(max(minor, 0), sizes.count - 1)]
    }

    static func minimumDescriptorSize(minor: Int) -> Int {
        descriptorSizes[min(max(minor, 0), descriptorSizes.count - 1)]
    }

    /// A copy of a plugin's struct as large as the host's `Host` type: the `declaredSize` bytes the
    /// plugin declared, then zeroes. Allocated once per library and never freed (libraries are never
    /// unloaded), so a newer field the plugin lacks reads as absent instead of past its memory.
    static func paddedCopy<Host>(of source: UnsafeRawPointer, declaredSize: Int, as host: Host.Type) -> UnsafeRawPointer {
        let size = MemoryLayout<Host>.size
        let copy = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<Host>.alignment)
        copy.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        copy.copyMemory(from: source, byteCount: min(declaredSize, size))
        return UnsafeRawPointer(copy)
    }

    /// The value of a plugin's struct as the host's `Host` type, padded as `paddedCopy` pads it.
    static func paddedValue<Host>(of source: UnsafeRawPointer, declaredSize: Int, as host: Host.Type) -> Host {
        let copy = paddedCopy(of: source, declaredSize: declaredSize, as: Host.self)
        defer { copy.deallocate() }
        return copy.load(as: Host.self)
    }
}
