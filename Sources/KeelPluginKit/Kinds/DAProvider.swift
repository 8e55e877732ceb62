/// A data-availability provider: stores batch blobs and returns commitments that identify them.
///
/// Contract:
/// - `providerID` is the first byte of every commitment (so any node can tell which provider holds
///   a batch). Ids below 0x80 are reserved for Keel's own providers (docs/ABI.md lists them).
/// - `submit` returns only once the blob is durable and retrievable; the same blob gives the same
///   commitment. A blob over `maxBlobSize` throws `.tooLarge`.
/// - `retrieve` checks the data against the commitment before returning it: `.notFound` if absent,
///   `.corrupt` if it does not match, `.invalidArgument` for a malformed or foreign commitment.
/// - `health` answers quickly and does not throw for an unhealthy provider: it says why.
public protocol DAProvider: KeelPlugin {
    static var providerID: UInt8 { get }
    /// The largest blob this instance accepts (it may come from the config).
    var maxBlobSize: UInt64 { get }

    func submit(_ blob: [UInt8]) throws(PluginError) -> [UInt8]
    func retrieve(_ commitment: [UInt8]) throws(PluginError) -> [UInt8]
    func health() -> DAHealth
}
