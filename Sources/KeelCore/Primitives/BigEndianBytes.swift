/// Fixed-width integers as big-endian bytes: the byte order of every binary format Keel defines
/// (batch headers, step roots, L1 records).
extension Array where Element == UInt8 {
    /// Appends `value` in `MemoryLayout<Value>.size` bytes, most significant first.
    package mutating func appendBigEndian<Value: FixedWidthInteger>(_ value: Value) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}

extension Collection where Element == UInt8, Index == Int {
    /// The integer in the `MemoryLayout<Value>.size` bytes at `offset`, most significant first; the
    /// caller has checked that they are there.
    package func readBigEndian<Value: FixedWidthInteger>(at offset: Int) -> Value {
        var value: Value = 0
        for index in offset..<(offset + MemoryLayout<Value>.size) {
            value = value << 8 | Value(self[index])
        }
        return value
    }
}
