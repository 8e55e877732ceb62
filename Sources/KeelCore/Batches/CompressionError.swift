/// A compressor or decompressor refused its input.
///
/// `offset` is the number of compressed input bytes consumed when the problem was found, so a
/// message can point at the spot in a batch; `produced` is how many output bytes existed by then.
public struct CompressionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Hashable, Sendable {
        /// The output would pass the caller's bound; decoding stopped at the bound, before allocating past it.
        case exceedsBound
        /// The compressed stream is malformed (the library's own words are in `detail`).
        case corrupt
        /// The compressed stream ends before its end marker.
        case truncated
        /// Bytes follow the end of the compressed stream.
        case trailingBytes
        /// A level outside the codec's range was asked for.
        case invalidLevel
        /// The library failed for a reason that is not the input's fault (out of memory, bad state).
        case libraryFailure
    }

    /// What went wrong.
    public let kind: Kind
    /// The codec that was running.
    public let codec: CompressionCodec
    /// Compressed input bytes consumed when the problem was found.
    public let offset: Int
    /// Output bytes held when the problem was found. For `exceedsBound` this is `limit + 1`: the
    /// one byte past the bound that proved the overflow, and the most the decoder ever holds.
    public let produced: Int
    /// The limit in force, for `exceedsBound`; the bad level for `invalidLevel`; otherwise 0.
    public let limit: Int
    /// The library's message, if it gave one.
    public let detail: String

    /// Makes an error; the decoders build these, and tests compare them by `kind`.
    public init(_ kind: Kind, codec: CompressionCodec, offset: Int, produced: Int, limit: Int = 0, detail: String = "") {
        self.kind = kind
        self.codec = codec
        self.offset = offset
        self.produced = produced
        self.limit = limit
        self.detail = detail
    }

    public var description: String {
        let suffix = detail.isEmpty ? "" : " (\(detail))"
        switch kind {
        case .exceedsBound:
            return "\(codec) data decompresses to more than the bound of \(limit) bytes "
                + "(stopped after \(offset) compressed bytes); refuse the batch, or raise the bound if it is legitimate"
        case .corrupt:
            return "\(codec) data is corrupt at compressed byte \(offset)\(suffix); the batch is damaged and cannot be restored"
        case .truncated:
            return "\(codec) data ends early after \(offset) compressed bytes (\(produced) bytes restored); "
                + "the batch was cut short in transfer or storage"
        case .trailingBytes:
            return "\(codec) data has bytes after its end marker at compressed byte \(offset); the batch carries trailing garbage"
        case .invalidLevel:
            return "\(codec) has no compression level \(limit); use \(codec.levels.lowerBound)...\(codec.levels.upperBound)"
        case .libraryFailure:
            return "\(codec) library failed\(suffix); this is not the input's fault (out of memory?)"
        }
    }
}
