import KeelABI

/// The six kinds of plugin, one per slot of a rollup (the ABI's `keel_kind`).
public enum PluginKind: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case execution = 1
    case da = 2
    case proof = 3
    case gpu = 4
    case sequencer = 5
    case bridge = 6

    /// The name used in manifests, file names and messages: `execution`, `da`, `proof`, `gpu`, `sequencer`, `bridge`.
    public var description: String {
        switch self {
        case .execution: "execution"
        case .da: "da"
        case .proof: "proof"
        case .gpu: "gpu"
        case .sequencer: "sequencer"
        case .bridge: "bridge"
        }
    }

    /// The kind named `name` in a manifest, or `nil`.
    public init?(name: String) {
        guard let kind = PluginKind.allCases.first(where: { $0.description == name }) else { return nil }
        self = kind
    }

    /// "an execution", "a da", … for messages.
    public var withArticle: String { self == .execution ? "an execution" : "a \(self)" }
}
