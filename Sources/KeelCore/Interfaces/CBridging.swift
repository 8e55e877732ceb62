import KeelABI

// Conversions between Swift values and the ABI's C structs, shared by the kernel (host side) and
// KeelPluginKit (plugin side) so that each struct is bridged in exactly one place.

extension keel_u128 {
    package init(_ value: UInt128) {
        self.init(lo: UInt64(truncatingIfNeeded: value), hi: UInt64(truncatingIfNeeded: value >> 64))
    }

    package var value: UInt128 { UInt128(hi) << 64 | UInt128(lo) }
}

extension keel_bytes {
    /// A copy of the borrowed bytes.
    package var array: [UInt8] {
        guard let ptr, len > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: ptr, count: len))
    }
}

extension keel_buffer {
    /// Copies the bytes out and releases the buffer (its `release`, exactly once).
    package mutating func take() -> [UInt8] {
        let bytes = ptr.map { Array(UnsafeBufferPointer(start: $0, count: len)) } ?? []
        if let release { release(&self) }
        self = keel_buffer()
        return bytes
    }

    /// A buffer holding a copy of `bytes`, released by freeing it: what a plugin returns.
    package static func owning(_ bytes: [UInt8]) -> keel_buffer {
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
        bytes.withUnsafeBufferPointer { if let base = $0.baseAddress { storage.update(from: base, count: bytes.count) } }
        return keel_buffer(ptr: storage, len: bytes.count, release: { buffer in
            buffer?.pointee.ptr?.deallocate()
            buffer?.pointee.ptr = nil
            buffer?.pointee.len = 0
        }, context: nil)
    }
}

/// Calls `body` with a borrowed `keel_bytes` view of `bytes`.
package func withKeelBytes<Result>(_ bytes: [UInt8], _ body: (keel_bytes) throws -> Result) rethrows -> Result {
    try bytes.withUnsafeBufferPointer { buffer in
        try body(keel_bytes(ptr: buffer.baseAddress, len: buffer.count))
    }
}

/// Copies a fixed-size C byte array (imported as a tuple, e.g. `uint8_t[32]`) into an array.
package func tupleBytes<T>(_ tuple: T) -> [UInt8] {
    withUnsafeBytes(of: tuple) { Array($0) }
}

/// Writes `bytes` into a fixed-size C byte array, truncating or zero-filling to its size.
package func setTupleBytes<T>(_ tuple: inout T, _ bytes: [UInt8]) {
    withUnsafeMutableBytes(of: &tuple) { raw in
        for index in 0..<raw.count { raw[index] = index < bytes.count ? bytes[index] : 0 }
    }
}

/// Reads a NUL-terminated C char array as a string.
package func tupleString<T>(_ tuple: T) -> String {
    withUnsafeBytes(of: tuple) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
}

/// Writes `text` NUL-terminated into a C char array, truncated to fit.
package func setTupleString<T>(_ tuple: inout T, _ text: String) {
    setTupleBytes(&tuple, Array(text.utf8.prefix(MemoryLayout<T>.size - 1)) + [0])
}

/// The size a host- or plugin-allocated ABI struct declares for itself.
package func abiSize<T>(_ type: T.Type) -> UInt32 { UInt32(MemoryLayout<T>.size) }

/// Whether a struct that declares `structSize` bytes holds the field at `field` (the Swift side of
/// the header's `KEEL_HAS_FIELD`): a struct from a side built for an older minor version lacks the
/// newer fields, which are then neither read nor written.
package func abiCovers<T, Field>(_ structSize: UInt32, _ field: KeyPath<T, Field>) -> Bool {
    guard let offset = MemoryLayout<T>.offset(of: field) else { return false }
    return Int(structSize) >= offset + MemoryLayout<Field>.size
}
