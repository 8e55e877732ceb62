/// One RLP item: a byte string or a list of items.
public enum RLPItem: Hashable, Sendable {
    /// A byte string (possibly empty).
    case bytes([UInt8])
    /// A list of items (possibly empty).
    indirect case list([RLPItem])

    /// The canonical encoding of this item.
    public var encoded: [UInt8] {
        var encoder = RLPEncoder()
        encoder.append(self)
        return encoder.bytes
    }

    /// Decodes exactly one item from `bytes`, refusing non-canonical input, trailing bytes, and
    /// input beyond `limits`.
    public static func decode(_ bytes: [UInt8], limits: RLPLimits = .default) throws(RLPError) -> RLPItem {
        var reader = try RLPReader(bytes, limits: limits)
        let item = try reader.readItem()
        try reader.finish()
        return item
    }

    /// The bytes of a byte string; `nil` for a list.
    public var byteString: [UInt8]? {
        if case .bytes(let bytes) = self { return bytes }
        return nil
    }

    /// The items of a list; `nil` for a byte string.
    public var listItems: [RLPItem]? {
        if case .list(let items) = self { return items }
        return nil
    }
}

/// The limits a decoder enforces so that hostile input cannot exhaust the stack or memory.
public struct RLPLimits: Hashable, Sendable {
    /// The deepest nesting of lists accepted (a bare string is depth 0, `[x]` is depth 1).
    public var maxDepth: Int
    /// The largest input accepted, in bytes.
    public var maxInputBytes: Int

    /// Sets both limits.
    public init(maxDepth: Int, maxInputBytes: Int) {
        self.maxDepth = maxDepth
        self.maxInputBytes = maxInputBytes
    }

    /// 64 levels of nesting (Ethereum's structures need fewer than 10) and 16 MiB of input.
    public static let `default` = RLPLimits(maxDepth: 64, maxInputBytes: 16 << 20)
}
