import KeelCore

/// A checked rollup manifest: every value typed, every default filled in, every path resolved.
///
/// Produced by `ManifestLoader`; plugins are named but not loaded (the loader does that).
public struct Manifest: Sendable, Hashable {
    /// The manifest's path as it was given (the name used in diagnostics).
    public var file: String
    /// The absolute folder that relative paths in the manifest are resolved against.
    public var directory: String
    public var rollup: RollupIdentity
    public var node: NodeSettings
    public var genesis: [GenesisAccount]
    public var plugins: ManifestPlugins
    /// Folders to search for plugin libraries, in order, after the folder of the `keel` executable.
    public var pluginPaths: [ManifestPath]
    /// The feature flags, in file order.
    public var features: [FlagDefinition]
    /// Where each feature flag is declared, by name.
    public var featureLocations: [String: SourceLocation]
    /// Plugin swaps, by strictly increasing height.
    public var upgrades: [ManifestUpgrade]

    /// The plugins serving blocks at `height`: the manifest's plugins with every upgrade at or
    /// below `height` applied in order.
    public func plugins(atHeight height: UInt64) -> ManifestPlugins {
        var result = plugins
        for upgrade in upgrades where upgrade.atHeight <= height {
            result.apply(upgrade)
        }
        return result
    }
}

/// The `rollup:` section: what the chain is called and what kind of rollup it is.
public struct RollupIdentity: Sendable, Hashable {
    public var name: String
    public var chainID: UInt64
    public var mode: RollupMode
    /// Where the mode is written: mode checks against plugin capabilities point here.
    public var modeLocation: SourceLocation
}

/// The `node:` section, with defaults for what it leaves out.
public struct NodeSettings: Sendable, Hashable {
    /// Default `block_time_ms`.
    public static let defaultBlockTimeMilliseconds: UInt64 = 1000
    /// Default `rpc.host`: loopback only.
    public static let defaultRPCHost = "127.0.0.1"
    /// Default `rpc.port`.
    public static let defaultRPCPort: UInt16 = 8545

    /// Where the node keeps its databases; default `.keel/<rollup name>` beside the manifest.
    public var dataDirectory: ManifestPath
    /// The JSON-RPC listener's address.
    public var rpcHost: String
    /// The JSON-RPC listener's port, 1–65535.
    public var rpcPort: UInt16
    /// The target time between blocks, at least 1.
    public var blockTimeMilliseconds: UInt64
    /// `gas_limit`: the gas limit of every block.
    public var gasLimit: UInt64 = NodeSettings.defaultGasLimit
    /// `sender_pending_limit`: the pending transactions a sender may have when the rollout feature
    /// `mempool-sender-limit` is on for it.
    public var senderPendingLimit: Int = 8
    /// `roles`: the roles `keel up` runs; nil for the defaults (`NodeRole.defaults`).
    public var roles: [NodeRole]? = nil
    /// Where `roles` is written, for errors about it.
    public var rolesLocation: SourceLocation? = nil
    /// `upgrade_min_lead`: how many blocks ahead of the head an upgrade (or a consensus flag) may be
    /// scheduled at runtime, so every other operator has time to learn it.
    public var upgradeMinimumLead: UInt64 = NodeSettings.defaultUpgradeMinimumLead
    /// `max_deposits_per_block`: how many queued deposits one block includes at most (forced inclusion).
    public var maxDepositsPerBlock: Int = NodeSettings.defaultMaxDepositsPerBlock
    /// `batch.max_blocks`: a batch closes once it holds this many blocks.
    public var batchMaxBlocks: Int = NodeSettings.defaultBatchMaxBlocks
    /// `batch.max_age_ms`: a batch closes once its first block is this old.
    public var batchMaxAgeMilliseconds: UInt64 = NodeSettings.defaultBatchMaxAgeMilliseconds
    /// `synchronous: full`: SQLite syncs every commit to disk (survives a power cut, slower).
    public var synchronousFull: Bool = false
    /// `da_failover.errors`: a DA provider failing this many times in a row is passed over.
    public var daFailoverErrors: Int = 3
    /// `da_failover.recover_after`: a passed-over provider returns after this many healthy checks in a row.
    public var daRecoverChecks: Int = 5
    /// `da_failover.health_interval_ms`: time between DA health checks.
    public var daHealthIntervalMilliseconds: UInt64 = 1000

    public static let defaultGasLimit: UInt64 = 30_000_000
    public static let defaultUpgradeMinimumLead: UInt64 = 10
    public static let defaultMaxDepositsPerBlock = 256
    public static let defaultBatchMaxBlocks = 20
    public static let defaultBatchMaxAgeMilliseconds: UInt64 = 2_000
}

/// One `genesis.alloc` entry: an account's balance at block 0.
public struct GenesisAccount: Sendable, Hashable {
    public var address: Address
    /// The balance in wei.
    public var balance: UInt128
    /// Where the address is written.
    public var location: SourceLocation
}

/// The result of loading a manifest: the manifest and the warnings found on the way.
public struct LoadedManifest: Sendable, Hashable {
    public var manifest: Manifest
    /// Findings that do not stop the manifest from loading, in file order.
    public var warnings: [ManifestDiagnostic]
}
