/// JSON text that `JSONParser` refused: what was wrong and the byte offset where it was found.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The offset of the offending byte from the start of the input (0 is the first byte).
    public var offset: Int
    /// What was wrong there, e.g. "expected ',' or ']' after an array element, found '}'".
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// "invalid JSON at byte 17: expected ':' after an object key, found '}'".
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// The limits `JSONParser` enforces, so a hostile document costs bounded time, memory and stack.
public struct JSONParseLimits: Sendable, Hashable {
    /// The deepest nesting of arrays and objects accepted (the top-level value is depth 1).
    public var maxDepth: Int
    /// The largest input accepted, in bytes.
    public var maxBytes: Int

    public init(maxDepth: Int = 128, maxBytes: Int = 16 * 1024 * 1024) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
    }

    /// 128 levels, 16 MiB.
    public static let `default` = JSONParseLimits()
}
