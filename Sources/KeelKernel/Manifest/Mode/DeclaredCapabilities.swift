/// What one loaded plugin declares in its descriptor's capabilities string, with its name for messages.
public struct DeclaredCapabilities: Sendable, Hashable {
    /// A proof plugin that produces validity proofs.
    public static let validityProof = "proof:validity"
    /// A proof plugin that settles by fault proofs (a bond and a challenge window).
    public static let faultProof = "proof:fault"
    /// A proof plugin that settles by signatures of attestors.
    public static let attestationProof = "proof:attestation"
    /// A DA plugin that keeps the data away from the settlement layer.
    public static let offchainData = "da:offchain"

    /// The plugin's name, e.g. `fault`.
    public var plugin: String
    /// Its capability tokens, e.g. `proof:fault`, `thread-safe`.
    public var tokens: Set<String>

    public init(plugin: String, tokens: Set<String>) {
        self.plugin = plugin
        self.tokens = tokens
    }

    /// Splits a descriptor's space-separated capabilities string.
    public init(plugin: String, capabilities: String) {
        self.init(plugin: plugin, tokens: Set(capabilities.split { $0 == " " || $0 == "\t" || $0 == "\n" }.map(String.init)))
    }

    /// Whether the plugin declares `token`.
    public func declares(_ token: String) -> Bool { tokens.contains(token) }

    /// "declares proof:fault" or "declares no proof capability", for messages.
    func declaredPhrase(prefix: String) -> String {
        let relevant = tokens.filter { $0.hasPrefix(prefix + ":") }.sorted()
        return relevant.isEmpty ? "declares no \(prefix) capability" : "declares " + relevant.joined(separator: ", ")
    }
}
