import KeelCore
/// How `keel up` starts a node: the manifest and what the command line overrides.
public struct NodeOptions: Sendable {
    public var manifestPath: String
    /// Overrides `node.data_dir`.
    public var dataDirectory: String?
    /// Overrides `node.rpc.port`; 0 picks a free port (printed at start).
    public var rpcPort: Int?
    /// Overrides `node.rpc.host`.
    public var rpcHost: String?
    /// Runs the in-node attestor when the proof plugin can prove (has a key). Default on.
    public var attest: Bool
    /// A follower (`keel follow`): no sequencer, batcher or attestor; it derives the chain from
    /// the settlement layer's batch records and DA, and serves the read methods.
    public var follower: Bool = false
    /// With a follower: the key of a challenger (`keel challenge`), which disputes wrong roots.
    public var challengerKey: PrivateKey?
    /// Tests only: a batch the challenger lies about (refused unless the settlement layer is a development L1).
    public var challengerLie = FaultInjection()
    /// Test-only faults the proposer posts on purpose (refused unless the settlement layer is a development L1).
    public var faultInjection = FaultInjection()

    public init(manifestPath: String, dataDirectory: String? = nil, rpcPort: Int? = nil, rpcHost: String? = nil, attest: Bool = true) {
        self.manifestPath = manifestPath
        self.dataDirectory = dataDirectory
        self.rpcPort = rpcPort
        self.rpcHost = rpcHost
        self.attest = attest
    }
}

/// Why a node could not start, said so that the operator knows what to do.
public struct NodeStartError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
