import KeelPluginHTTP
import KeelPluginKit

/// One committee member as the config names it: where it listens and the address it signs with.
struct DACMember: Sendable, Equatable {
    /// Where its `keel dac-member` server listens.
    let endpoint: HTTPEndpoint
    let address: Address

    /// The base URL, as messages show it.
    var url: String { endpoint.url }
}

/// The `dac` plugin's config (docs/plugins/dac.md, "Configuration"), checked.
struct DACSettings: Sendable {
    static let defaultTimeoutMilliseconds: UInt64 = 5000
    static let defaultMaxBlobBytes: UInt64 = 16 << 20
    /// The largest blob the plugin takes in any config (what one member holds in memory per request).
    static let largestBlobBytes: UInt64 = 64 << 20

    let members: [DACMember]
    let threshold: Int
    let timeoutMilliseconds: UInt64
    let chainID: UInt64
    let maxBlobBytes: UInt64
    let allowsInsecureCommittee: Bool

    init(config: PluginConfig, hostChainID: UInt64) throws(PluginError) {
        try config.allowKeys(["members", "threshold", "timeout_ms", "chain_id", "allow_insecure_dev_committee", "max_blob_bytes"])
        allowsInsecureCommittee = try config.bool("allow_insecure_dev_committee", default: false)
        members = try Self.members(config)
        let threshold = try config.uint64("threshold")
        guard threshold >= 1, threshold <= UInt64(members.count) else {
            throw PluginError.config(config.path(of: "threshold"),
                                     "`threshold` must be from 1 to the number of members (\(members.count)), not \(threshold)")
        }
        self.threshold = Int(threshold)
        if !allowsInsecureCommittee {
            guard members.count >= 2 else {
                throw PluginError.config(config.path(of: "members"),
                                         "a committee of \(members.count) member is no committee: one operator could withhold the data. "
                                         + "List at least 2 members, or set `allow_insecure_dev_committee: true` for a development chain")
            }
            guard threshold >= 2 else {
                throw PluginError.config(config.path(of: "threshold"),
                                         "`threshold` 1 lets any single member certify data it may withhold; use at least 2, "
                                         + "or set `allow_insecure_dev_committee: true` for a development chain")
            }
        }
        timeoutMilliseconds = try config.uint64("timeout_ms", default: Self.defaultTimeoutMilliseconds)
        guard timeoutMilliseconds >= 1, timeoutMilliseconds <= 600_000 else {
            throw PluginError.config(config.path(of: "timeout_ms"), "`timeout_ms` must be from 1 to 600000 (ten minutes), not \(timeoutMilliseconds)")
        }
        chainID = try config.uint64("chain_id", default: hostChainID)
        maxBlobBytes = try config.uint64("max_blob_bytes", default: Self.defaultMaxBlobBytes)
        guard maxBlobBytes >= 1, maxBlobBytes <= Self.largestBlobBytes else {
            throw PluginError.config(config.path(of: "max_blob_bytes"), "`max_blob_bytes` must be from 1 to \(Self.largestBlobBytes), not \(maxBlobBytes)")
        }
    }

    private static func members(_ config: PluginConfig) throws(PluginError) -> [DACMember] {
        var members: [DACMember] = []
        for (path, value) in try config.list("members") {
            guard case .object(let fields) = value else {
                throw PluginError.config(path, "a member is an object: { url: \"http://127.0.0.1:7101\", address: \"0x…\" }")
            }
            let member = PluginConfig(values: fields, path: path)
            try member.allowKeys(["url", "address"])
            let url = try member.string("url")
            let endpoint: HTTPEndpoint
            do { endpoint = try HTTPEndpoint(parsing: url) } catch {
                throw PluginError.config(member.path(of: "url"), "`\(url)` is not an http:// URL of a `keel dac-member` server: it \(error.description)")
            }
            let text = try member.string("address")
            guard let address = Address(hex: text) else {
                throw PluginError.config(member.path(of: "address"),
                                         "`\(text)` is not an address: expected 0x and 40 hex digits (mixed case must carry a valid EIP-55 checksum)")
            }
            guard !members.contains(where: { $0.address == address }) else {
                throw PluginError.config(member.path(of: "address"), "\(address) is listed twice; each member counts once, remove the repeat")
            }
            members.append(DACMember(endpoint: endpoint, address: address))
        }
        guard !members.isEmpty else {
            throw PluginError.config(config.path(of: "members"), "missing `members`: list the committee as { url, address } objects, in the order the bridge registered them")
        }
        return members
    }
}
