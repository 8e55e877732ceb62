/// Builds canonical RLP by appending into one byte array.
///
/// Lists are written in place: a one-byte header is reserved, the items are appended after it, and
/// only a list of 56 bytes or more moves its payload to widen the header.
///
/// ```swift
/// var encoder = RLPEncoder()
/// encoder.appendList { list in
///     list.append(UInt64(9))
///     list.append(bytes: [0xde, 0xad])
/// }
/// encoder.bytes  // c5 09 82 de ad
/// ```
public struct RLPEncoder: Sendable {
    /// The encoding so far.
    public private(set) var bytes: [UInt8]

    /// An empty encoder with room for `capacity` bytes.
    public init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends a byte string.
    public mutating func append(bytes payload: UnsafeRawBufferPointer) {
        if payload.count == 1 && payload[0] < 0x80 {
            bytes.append(payload[0])
            return
        }
        appendHeader(offset: 0x80, length: payload.count)
        bytes.append(contentsOf: payload)
    }

    /// Appends a byte string.
    public mutating func append<Bytes: Collection<UInt8>>(bytes payload: Bytes) {
        if payload.withContiguousStorageIfAvailable({ append(bytes: UnsafeRawBufferPointer($0)) }) != nil { return }
        append(bytes: Array(payload))
    }

    /// Appends an integer as a canonical scalar: big-endian without leading zeros, zero as the empty string.
    public mutating func append(_ value: UInt64) {
        if value < 0x80 {
            bytes.append(value == 0 ? 0x80 : UInt8(value))
            return
        }
        let width = (64 - value.leadingZeroBitCount + 7) / 8
        bytes.append(0x80 + UInt8(width))
        for index in stride(from: width - 1, through: 0, by: -1) {
            bytes.append(UInt8(truncatingIfNeeded: value >> (index * 8)))
        }
    }

    /// Appends an integer as a canonical scalar.
    public mutating func append(_ value: UInt128) {
        if value <= UInt128(UInt64.max) {
            append(UInt64(value))
            return
        }
        let width = (128 - value.leadingZeroBitCount + 7) / 8
        bytes.append(0x80 + UInt8(width))
        for index in stride(from: width - 1, through: 0, by: -1) {
            bytes.append(UInt8(truncatingIfNeeded: value >> (index * 8)))
        }
    }

    /// Appends a 32-byte big-endian integer (a signature's `r` or `s`) as a canonical scalar.
    public mutating func append(scalar value: Hash32) {
        value.withUnsafeBytes { raw in
            let start = raw.firstIndex { $0 != 0 } ?? 32
            append(bytes: UnsafeRawBufferPointer(rebasing: raw[start...]))
        }
    }

    /// Appends the 20 bytes of an address as a byte string.
    public mutating func append(_ address: Address) {
        append(bytes: address.bytes)
    }

    /// Appends the 32 bytes of a hash as a byte string (not as an integer: leading zeros stay).
    public mutating func append(_ hash: Hash32) {
        hash.withUnsafeBytes { append(bytes: $0) }
    }

    /// Appends an item.
    public mutating func append(_ item: RLPItem) {
        switch item {
        case .bytes(let payload):
            append(bytes: payload)
        case .list(let items):
            appendList { list in
                for item in items { list.append(item) }
            }
        }
    }

    /// Appends bytes that are already a complete RLP encoding, as they are.
    public mutating func append(encoded item: [UInt8]) {
        bytes.append(contentsOf: item)
    }

    /// Appends a list whose items `body` appends.
    public mutating func appendList<Failure: Error>(_ body: (inout RLPEncoder) throws(Failure) -> Void) throws(Failure) {
        let headerAt = bytes.count
        bytes.append(0xC0)
        try body(&self)
        let length = bytes.count - headerAt - 1
        if length < 56 {
            bytes[headerAt] = 0xC0 + UInt8(length)
            return
        }
        let width = (64 - UInt64(length).leadingZeroBitCount + 7) / 8
        bytes[headerAt] = 0xF7 + UInt8(width)
        var lengthBytes: UInt64 = 0
        for index in 0..<width { lengthBytes |= UInt64(UInt8(truncatingIfNeeded: length >> ((width - 1 - index) * 8))) << (index * 8) }
        withUnsafeBytes(of: lengthBytes) { raw in
            bytes.insert(contentsOf: raw[0..<width], at: headerAt + 1)
        }
    }

    /// Appends the header of a string (`offset` 0x80) or list (`offset` 0xc0) of `length` bytes.
    mutating func appendHeader(offset: UInt8, length: Int) {
        if length < 56 {
            bytes.append(offset + UInt8(length))
            return
        }
        let width = (64 - UInt64(length).leadingZeroBitCount + 7) / 8
        bytes.append(offset + 55 + UInt8(width))
        for index in stride(from: width - 1, through: 0, by: -1) {
            bytes.append(UInt8(truncatingIfNeeded: length >> (index * 8)))
        }
    }
}
