import KeelPluginKit

/// The `erasure` plugin's config (docs/plugins/erasure.md):
///
/// ```yaml
/// config:
///   data_chunks: 4          # k
///   parity_chunks: 2        # m
///   locations: [da/0, da/1, da/2, da/3, da/4, da/5]   # n = k + m directories, chunk i in location i
///   max_blob_bytes: 16777216
/// ```
struct ErasureSettings: Sendable {
    let dataChunks: Int
    let parityChunks: Int
    /// As written; relative paths are resolved against the working directory when opened.
    let locations: [String]
    let maxBlobSize: UInt64

    /// The largest `max_blob_bytes`: chunks must stay below 2 GiB for ISA-L's `int` lengths, and a
    /// batch is far smaller.
    static let largestBlobSize: UInt64 = 1 << 30

    init(_ config: PluginConfig) throws(PluginError) {
        try config.allowKeys(["data_chunks", "parity_chunks", "locations", "max_blob_bytes"])
        let k = try config.uint64("data_chunks")
        let m = try config.uint64("parity_chunks")
        guard k >= 1, k < UInt64(ReedSolomonCode.largestTotalChunks) else {
            throw PluginError.config("data_chunks", "must be between 1 and \(ReedSolomonCode.largestTotalChunks - 1), not \(k)")
        }
        guard m >= 1, k + m <= UInt64(ReedSolomonCode.largestTotalChunks) else {
            throw PluginError.config("parity_chunks", "must be at least 1, with data_chunks + parity_chunks at most "
                + "\(ReedSolomonCode.largestTotalChunks) (GF(2^8)); got \(m) with data_chunks \(k)")
        }
        dataChunks = Int(k)
        parityChunks = Int(m)

        let items = try config.list("locations")
        guard items.count == dataChunks + parityChunks else {
            throw PluginError.config("locations", "needs exactly data_chunks + parity_chunks = \(dataChunks + parityChunks) "
                + "entries (chunk i goes to location i), got \(items.count)")
        }
        var locations: [String] = []
        for (path, value) in items {
            guard case .string(let location) = value, !location.isEmpty else {
                throw PluginError.config(path, "a location must be a directory path (a non-empty string)")
            }
            if location.hasPrefix("http://") || location.hasPrefix("https://") {
                throw PluginError.config(path, "URL locations are not supported yet; give a directory")
            }
            if let earlier = locations.firstIndex(of: location) {
                throw PluginError.config(path, "`\(location)` is already location \(earlier); each chunk needs its own location")
            }
            locations.append(location)
        }
        self.locations = locations

        maxBlobSize = try config.uint64("max_blob_bytes", default: 16 << 20)
        guard maxBlobSize > 0, maxBlobSize <= Self.largestBlobSize else {
            throw PluginError.config("max_blob_bytes", "must be between 1 and \(Self.largestBlobSize)")
        }
    }
}
