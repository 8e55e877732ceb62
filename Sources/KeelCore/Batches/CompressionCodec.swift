/// How a batch payload is compressed; the raw value is the codec byte in a batch header.
///
/// The byte is part of the batch format and a batch says which codec made it, so every codec here
/// must decode forever: the node switches from `zlib` to `brotli` when the consensus flag
/// `batch-codec-brotli` activates, and followers replaying history meet both.
public enum CompressionCodec: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Stored as is.
    case none = 0
    /// A zlib stream (RFC 1950: deflate, RFC 1951, with an Adler-32 trailer), from system zlib.
    case zlib = 1
    /// A brotli stream (RFC 7932) with a window of at most 2^24 bytes, from system libbrotli.
    case brotli = 2

    public var description: String {
        switch self {
        case .none: "none"
        case .zlib: "zlib"
        case .brotli: "brotli"
        }
    }

    /// The levels `compress(_:level:)` accepts: zlib 0...9, brotli quality 0...11; `none` has only 0.
    public var levels: ClosedRange<Int> {
        switch self {
        case .none: 0...0
        case .zlib: 0...9
        case .brotli: 0...11
        }
    }

    /// The level used when none is given, chosen from the batch codec benchmarks (docs/PERFORMANCE.md):
    /// on signed transfers brotli 5 packs within 1% of brotli 9 and 11 at a tenth of the time or
    /// less, and zlib 6 within 0.3% of zlib 9.
    public var defaultLevel: Int {
        switch self {
        case .none: 0
        case .zlib: 6
        case .brotli: 5
        }
    }

    /// Compresses `bytes` in one go.
    ///
    /// Throws `CompressionError` with kind `invalidLevel` for a level outside `levels`, or
    /// `libraryFailure` if the library cannot allocate.
    public func compress(_ bytes: [UInt8], level: Int? = nil) throws -> [UInt8] {
        let chosen = level ?? defaultLevel
        guard levels.contains(chosen) else {
            throw CompressionError(.invalidLevel, codec: self, offset: 0, produced: 0, limit: chosen)
        }
        return try bytes.withUnsafeBytes { input in
            switch self {
            case .none: Array(input)
            case .zlib: try ZlibStream.compress(input, level: chosen)
            case .brotli: try BrotliStream.compress(input, quality: chosen)
            }
        }
    }

    /// Restores what `compress` made, refusing to produce more than `limit` bytes.
    ///
    /// Decoding streams into a buffer that never grows past `limit + 1` bytes, and stops with
    /// `CompressionError.Kind.exceedsBound` the moment the output would pass `limit`, so a small
    /// input that expands enormously (a decompression bomb) costs at most the bound in output.
    /// The libraries' own working memory is separate and fixed by the formats: 32 KiB of window for
    /// zlib, and for brotli a ring buffer the stream's header sizes, at most 16 MiB (large windows
    /// are not enabled). Also throws for corrupt or truncated streams and for bytes after the end
    /// of the stream.
    public func decompress(_ bytes: [UInt8], limit: Int) throws -> [UInt8] {
        try bytes.withUnsafeBytes { try decompress($0, limit: limit) }
    }

    func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws -> [UInt8] {
        let limit = max(0, limit)
        switch self {
        case .none:
            guard input.count <= limit else {
                throw CompressionError(.exceedsBound, codec: self, offset: limit + 1, produced: limit + 1, limit: limit)
            }
            return Array(input)
        case .zlib:
            return try ZlibStream.decompress(input, limit: limit)
        case .brotli:
            return try BrotliStream.decompress(input, limit: limit)
        }
    }
}

/// An output buffer for streaming decompression that grows by doubling but never past `limit + 1` bytes.
///
/// One byte past the limit is room enough to learn that the stream wants more than the limit.
struct BoundedOutput {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Space the library may write into next; empty once `limit + 1` bytes exist.
    mutating func withFreeSpace<Result>(_ body: (UnsafeMutableRawBufferPointer) throws -> (Result, written: Int)) rethrows -> Result {
        let ceiling = limit == Int.max ? limit : limit + 1
        if count == bytes.count, bytes.count < ceiling {
            let grown = Swift.min(ceiling, Swift.max(64 * 1024, bytes.count * 2))
            bytes.append(contentsOf: repeatElement(0, count: grown - bytes.count))
        }
        let start = count
        let (result, written) = try bytes.withUnsafeMutableBytes { raw in
            try body(UnsafeMutableRawBufferPointer(rebasing: raw[start...]))
        }
        count += written
        return result
    }

    /// True once the output holds more than `limit` bytes.
    var passedLimit: Bool { count > limit }

    /// The bytes written so far.
    consuming func finish() -> [UInt8] {
        bytes.removeSubrange(count...)
        return bytes
    }
}
