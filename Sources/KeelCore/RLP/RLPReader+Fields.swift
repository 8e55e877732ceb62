extension RLPReader {
    /// Reads a canonical unsigned integer of at most 64 bits: no leading zero bytes, zero as the
    /// empty string. Wider values are refused, never truncated.
    public mutating func readUInt64(field: String? = nil) throws(RLPError) -> UInt64 {
        let start = position
        let payload = try readBytes(field: field)
        try Self.checkScalar(payload, maxBytes: 8, at: start, field: field)
        var value: UInt64 = 0
        for byte in payload { value = value << 8 | UInt64(byte) }
        return value
    }

    /// Reads a canonical unsigned integer of at most 128 bits (balances, values, fees). Wider
    /// values are refused, never truncated.
    public mutating func readUInt128(field: String? = nil) throws(RLPError) -> UInt128 {
        let start = position
        let payload = try readBytes(field: field)
        try Self.checkScalar(payload, maxBytes: 16, at: start, field: field)
        var value: UInt128 = 0
        for byte in payload { value = value << 8 | UInt128(byte) }
        return value
    }

    /// Reads a canonical unsigned integer of at most 256 bits as 32 big-endian bytes (a signature's `r` or `s`).
    public mutating func readScalar256(field: String? = nil) throws(RLPError) -> Hash32 {
        let start = position
        let payload = try readBytes(field: field)
        try Self.checkScalar(payload, maxBytes: 32, at: start, field: field)
        var padded = [UInt8](repeating: 0, count: 32 - payload.count)
        padded.append(contentsOf: payload)
        return Hash32(bytes: padded) ?? .zero
    }

    /// Reads a byte string of exactly 20 bytes as an address.
    public mutating func readAddress(field: String? = nil) throws(RLPError) -> Address {
        let start = position
        let payload = try readBytes(field: field)
        guard let address = Address(bytes: payload) else {
            throw RLPError(.wrongByteCount(expected: 20, found: payload.count), at: start, field: field)
        }
        return address
    }

    /// Reads a byte string of exactly 32 bytes as a hash (leading zeros are part of it).
    public mutating func readHash32(field: String? = nil) throws(RLPError) -> Hash32 {
        let start = position
        let payload = try readBytes(field: field)
        guard let hash = Hash32(bytes: payload) else {
            throw RLPError(.wrongByteCount(expected: 32, found: payload.count), at: start, field: field)
        }
        return hash
    }

    private static func checkScalar(_ payload: ArraySlice<UInt8>, maxBytes: Int, at offset: Int, field: String?) throws(RLPError) {
        if let first = payload.first, first == 0 { throw RLPError(.integerHasLeadingZeros, at: offset, field: field) }
        if payload.count > maxBytes { throw RLPError(.integerTooWide(bits: maxBytes * 8), at: offset, field: field) }
    }
}
