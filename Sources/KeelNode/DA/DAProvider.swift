import Foundation
import KeelCore
import KeelKernel

/// One DA provider the node has loaded: its client, where it came from, and its health as the
/// router sees it.
final class DAProviderEntry: @unchecked Sendable {
    let name: String
    let client: DAClient
    /// keccak of its config JSON, as swaps record it.
    let configHash: Hash32
    /// Loaded by a swap at runtime (destroyed when the node stops); manifest ones belong to the assembly.
    let loadedAtRuntime: Bool
    // Guarded by the router's lock.
    var consecutiveErrors = 0
    var consecutiveHealthy = 0
    var down = false
    var lastError: String?

    init(name: String, client: DAClient, configJSON: String, loadedAtRuntime: Bool) {
        self.name = name
        self.client = client
        configHash = Keccak256.hash(Array(configJSON.utf8))
        self.loadedAtRuntime = loadedAtRuntime
    }

    var providerID: UInt8 { client.providerID }
}

/// The failover rule of the manifest's `node.da_failover` (docs/NODE.md, "DA: failover and swaps").
public struct DAFailoverPolicy: Sendable {
    /// A provider that fails this many submits or health checks in a row is passed over.
    public var errorsBeforeFailover: Int
    /// A passed-over provider is used again once this many health checks in a row pass.
    public var healthyChecksBeforeReturn: Int
    /// Milliseconds between health checks.
    public var healthIntervalMilliseconds: UInt64

    /// The manifest's `node.da_failover`.
    public init(_ node: NodeSettings) {
        self.init(errorsBeforeFailover: node.daFailoverErrors, healthyChecksBeforeReturn: node.daRecoverChecks,
                  healthIntervalMilliseconds: node.daHealthIntervalMilliseconds)
    }

    public init(errorsBeforeFailover: Int = 3, healthyChecksBeforeReturn: Int = 5, healthIntervalMilliseconds: UInt64 = 1000) {
        self.errorsBeforeFailover = errorsBeforeFailover
        self.healthyChecksBeforeReturn = healthyChecksBeforeReturn
        self.healthIntervalMilliseconds = healthIntervalMilliseconds
    }
}
