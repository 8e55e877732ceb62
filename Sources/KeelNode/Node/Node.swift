import Foundation
import KeelCore
import KeelKernel
import Logging
import Prometheus

/// A running node: the assembled plugins, the chain, the mempool and the services of docs/NODE.md.
/// `Node.open` starts nothing; `NodeRunner` runs the services until a signal stops them.
public final class Node: @unchecked Sendable {
    public let manifest: Manifest
    public let assembly: Assembly
    public let dataDirectory: String
    public let rpcHost: String
    public let rpcPort: Int
    public let adminToken: String
    /// The manifest file, read again on SIGHUP.
    public let manifestPath: String
    public let flags: FeatureFlags
    let services: HostServices
    let directory: DataDirectory
    let chain: ChainStore
    let mempool: Mempool
    /// The execution, sequencer and proof plugins of each height, and the runtime upgrades that change them.
    let upgrades: RuntimeUpgrades
    let da: DARouter
    let bridge: BridgeClient
    /// The settlement layer's change log: DA swaps and upgrades every node learns.
    let changeLog: ChangeLog
    /// What a block at a height must be (its gas limit, by the consensus flags).
    let rules: ChainRules
    /// The roles this node has the parts for, each with its state (docs/NODE.md, "Roles").
    public let roles: [RoleSwitch]
    /// The sequencer's parts; `nil` on a follower.
    let producer: BlockProducer?
    let batcher: Batcher?
    /// The follower's derivation; `nil` on a sequencer.
    let follower: Follower?
    let challenger: Challenger?
    let attestor: Attestor?
    let metrics = NodeMetrics()
    /// The rollout features' requests, errors and latency by cohort, for `/metrics` and the guards.
    let cohorts: CohortMonitor
    /// Serialises DA swaps.
    let swapLock = NSLock()
    /// Senders the execution plugin recovered at admission, for the in-node attestor's replay.
    let senders = RecoveryCache()
    let logger: Logger

    /// The genesis base fee: 1 gwei, as Ethereum's London block.
    public static let genesisBaseFee: UInt128 = 1_000_000_000

    /// Loads the manifest, assembles its plugins, opens (or creates) the data directory and the
    /// databases, writes genesis on first start and restores the mempool.
    public static func open(_ options: NodeOptions, logger: Logger) throws -> Node {
        let loaded: LoadedManifest
        do { loaded = try ManifestLoader.load(path: options.manifestPath) } catch { throw NodeStartError(error.description) }
        for warning in loaded.warnings { logger.warning("\(warning.description)") }
        let manifest = loaded.manifest
        let dataPath = options.dataDirectory ?? manifest.node.dataDirectory.resolved
        let directory = try DataDirectory(path: dataPath)
        do {
            // The flags come first: plugins read them through the host table from `create` on.
            let flags: FeatureFlags
            do {
                flags = try FeatureFlags(definitions: manifest.features, dataDirectory: directory.path, minimumLead: manifest.node.upgradeMinimumLead)
            } catch {
                throw NodeStartError(error.description)
            }
            let services = HostServices(dataDirectory: dataPath, chainID: manifest.rollup.chainID, flags: flags) { level, plugin, message in
                let text: Logger.Message = "\(message)"
                let metadata: Logger.Metadata = ["plugin": "\(plugin)"]
                switch level {
                case .error: logger.error(text, metadata: metadata)
                case .warning: logger.warning(text, metadata: metadata)
                case .info: logger.info(text, metadata: metadata)
                default: logger.debug(text, metadata: metadata)
                }
            }
            let assembly: Assembly
            do { assembly = try Assembler.assemble(loaded, services: services) } catch { throw NodeStartError(error.description) }
            for warning in assembly.warnings { logger.warning("\(warning.description)") }
            return try Node(manifest: manifest, assembly: assembly, services: services, flags: flags, directory: directory, options: options,
                            logger: logger)
        } catch {
            directory.unlock()
            throw error
        }
    }

    private init(manifest: Manifest, assembly: Assembly, services: HostServices, flags: FeatureFlags, directory: DataDirectory,
                 options: NodeOptions, logger: Logger) throws {
        self.manifest = manifest
        self.flags = flags
        cohorts = CohortMonitor(registry: metrics.registry,
                                declared: Set(RolloutFeature.allCases.filter { flags.setting(of: $0.rawValue) != nil }))
        self.assembly = assembly
        self.services = services
        self.directory = directory
        self.logger = logger
        dataDirectory = directory.path
        rpcHost = options.rpcHost ?? manifest.node.rpcHost
        rpcPort = options.rpcPort ?? Int(manifest.node.rpcPort)
        adminToken = try directory.adminToken()
        manifestPath = options.manifestPath
        func plugin(_ kind: PluginKind) throws -> AssembledPlugin {
            guard let part = assembly.plugin(kind) else { throw NodeStartError("the manifest names no \(kind) plugin") }
            return part
        }
        upgrades = try RuntimeUpgrades(assembly, services: services, logger: logger)
        let providers = DARouter.manifestProviders(assembly)
        guard !providers.isEmpty else { throw NodeStartError("the manifest names no da plugin") }
        da = DARouter(providers: providers, policy: DAFailoverPolicy(manifest.node), logger: logger)
        bridge = upgrades.bridges.at(0)
        do { try upgrades.checkBridgesShareOneSettlementLayer() } catch { throw NodeStartError("\(error)") }
        services.setStepRunner(HostStepRunner(da: da, executions: upgrades.executions, chainID: manifest.rollup.chainID).run)
        // A follower only reads the settlement layer; the node that sequences backs the genesis.
        if !options.follower { try Self.backGenesisInEscrow(manifest, bridge: bridge) }
        changeLog = ChangeLog(bridge: bridge, logger: logger,
                              loadProvider: Self.changeLogLoader(da: da, catalog: assembly.catalog, services: services),
                              applyUpgrade: { [upgrades] in try upgrades.apply($0) })
        let proofPart = try plugin(.proof)
        let synchronousFull = manifest.node.synchronousFull
        chain = try ChainStore(path: directory.file("node.sqlite"), synchronousFull: synchronousFull)
        let genesis = try GenesisState.updates(manifest, execution: upgrades.executions.at(0))
        rules = ChainRules(flags: flags, baseGasLimit: manifest.node.gasLimit)
        _ = try chain.initializeGenesis(chainID: manifest.rollup.chainID, updates: genesis, gasLimit: rules.gasLimit(atHeight: 0),
                                        baseFee: Self.genesisBaseFee)
        changeLog.applyFlag = { [flags, chain] name, height in try Self.applyFlagRecord(name, height: height, flags: flags, chain: chain) }
        // The change log before any block: the upgrades, DA swaps and consensus flags recorded on the
        // settlement layer shape every block this node makes or replays, from the first after a restart.
        do { try changeLog.catchUp() } catch { throw NodeStartError("the settlement layer's change log: \(error)") }
        mempool = Mempool(store: try MempoolStore(path: directory.file("mempool.sqlite"), synchronousFull: synchronousFull))
        if options.follower {
            producer = nil
            batcher = nil
            let replayer = BatchReplayer(chain: chain, executions: upgrades.executions, sequencers: upgrades.sequencers, da: da,
                                         bridges: upgrades.bridges, chainID: manifest.rollup.chainID, rules: rules, senders: senders,
                                         recordBatches: true)
            follower = Follower(replayer: replayer, bridge: bridge, changeLog: changeLog, logger: logger)
            // Under fault proofs the chain is what DA holds; a posted root is a claim that games
            // settle, so a follower does not stop at a wrong one (it is disputed, then rejected).
            if proofPart.library.capabilities.contains(DeclaredCapabilities.faultProof) { replayer.checksClaimedRoots = false }
            if let key = options.challengerKey {
                guard bridge.answersCalls else { throw NodeStartError("this settlement layer runs no dispute games, so there is nothing to challenge") }
                replayer.checksClaimedRoots = false
                guard options.challengerLie.isEmpty || bridge.isDevelopmentL1 else {
                    throw NodeStartError("lying on purpose (--dev-lie-about-batch) is for tests against a development L1; this settlement layer is not one")
                }
                var lie = options.challengerLie
                lie.label = "lie"
                challenger = Challenger(replayer: replayer, da: da, executions: upgrades.executions,
                                        player: DisputePlayer(bridge: bridge, chainID: manifest.rollup.chainID,
                                                              signer: .key(key, chainID: manifest.rollup.chainID)),
                                        chainID: manifest.rollup.chainID, lie: lie, logger: logger)
            } else {
                challenger = nil
            }
        } else {
            producer = try BlockProducer(chain: chain, mempool: mempool, executions: upgrades.executions, sequencers: upgrades.sequencers,
                                         bridges: upgrades.bridges, chainID: manifest.rollup.chainID, rules: rules,
                                         maxDepositsPerBlock: manifest.node.maxDepositsPerBlock)
            batcher = Batcher(chain: chain, da: da, bridges: upgrades.bridges, flags: flags, chainID: manifest.rollup.chainID,
                              maxBlocks: manifest.node.batchMaxBlocks, maxAgeMilliseconds: manifest.node.batchMaxAgeMilliseconds,
                              logger: logger)
            follower = nil
            challenger = nil
        }
        // Which roles run: `keel follow` the follower alone; `keel up` the manifest's `node.roles`
        // or the defaults (an attestor when the proof plugin declares attestation), less the
        // attestor under --no-attest. The parts of every role this node can play are made, so a
        // stopped role can be started at runtime.
        let canAttest = !options.follower && proofPart.library.capabilities.contains("proof:attestation")
        let followerRoles: [NodeRole] = options.challengerKey == nil ? [.follower] : [.follower, .challenger]
        var configured = options.follower ? followerRoles
            : manifest.node.roles ?? NodeRole.defaults(proofCapabilities: proofPart.library.capabilities)
        if !options.attest { configured.removeAll { $0 == .attestor } }
        let available: [NodeRole] = options.follower ? followerRoles : [.sequencer, .batcher, .proposer] + (canAttest ? [.attestor] : [])
        if let missing = configured.first(where: { !available.contains($0) }) {
            throw NodeStartError("node.roles names `\(missing)`, but this node cannot play it: "
                                 + (missing == .attestor ? "the proof plugin \(proofPart.library.name) does not declare proof:attestation"
                                    : "run `keel follow` for a follower"))
        }
        roles = available.map { RoleSwitch($0, running: configured.contains($0)) }
        if canAttest {
            try FileManager.default.createDirectory(atPath: directory.file("attestor"), withIntermediateDirectories: true)
            let replayChain = try ChainStore(path: directory.file("attestor/node.sqlite"), synchronousFull: synchronousFull)
            _ = try replayChain.initializeGenesis(chainID: manifest.rollup.chainID, updates: genesis, gasLimit: rules.gasLimit(atHeight: 0),
                                                  baseFee: Self.genesisBaseFee)
            let replayer = BatchReplayer(chain: replayChain, executions: upgrades.executions, sequencers: upgrades.sequencers, da: da,
                                         bridges: upgrades.bridges, chainID: manifest.rollup.chainID, rules: rules, senders: senders)
            attestor = Attestor(replayer: replayer, proofs: upgrades.proofs, bridges: upgrades.bridges, chainID: manifest.rollup.chainID,
                                logger: logger)
        } else {
            attestor = nil
        }
        if let batcher, bridge.answersCalls {
            let proposer = FaultProposer(chain: chain, executions: upgrades.executions, proofs: upgrades.proofs, bridge: bridge,
                                         chainID: manifest.rollup.chainID, injection: options.faultInjection, logger: logger)
            batcher.faultProposer = proposer
            if proposer.posts(atBlock: chain.head?.number ?? 0) { producer?.maxTransactionsPerBlock = TraceCommitment.maxSteps - 2 }
        }
        if !options.faultInjection.isEmpty, !bridge.isDevelopmentL1 || !(batcher?.faultProposer?.posts(atBlock: chain.head?.number ?? 0) ?? false) {
            throw NodeStartError("posting wrong roots on purpose (--dev-post-wrong-root, --dev-post-wrong-withdrawals-root) is for tests "
                                 + "against a development L1 under fault proofs; this settlement layer is not one")
        }
        try restoreSwaps()
        da.onFailover = { [metrics] _ in metrics.daFailovers.increment() }
        batcher?.onBatchStart = { [unowned self] first in try applyDAUpgrades(upTo: first) }
        if !options.follower {
            try checkSettlementLayer()
            try restoreMempool()
        }
    }

    /// Refuses to start against an L1 that holds batches this data directory did not post (the
    /// data directory was deleted but not the L1 and DA), since every new batch would conflict.
    private func checkSettlementLayer() throws {
        let onL1 = try bridge.batchCount().count
        guard onL1 > 0 else { return }
        let mine = try chain.lastBatch()
        let last = try bridge.batch(onL1 - 1)
        guard let mine, mine.index >= onL1 - 1, let row = try chain.batchRow(onL1 - 1),
              row.root.bytes == last.root, row.previousRoot.bytes == last.previousRoot else {
            throw NodeStartError("the settlement layer already holds \(onL1) batches of chain \(manifest.rollup.chainID) that this data "
                                 + "directory (\(dataDirectory)) did not post; it was started afresh against an old L1. Delete the L1 and DA "
                                 + "files with it (for the devnet: rm -rf .keel/devnet, keeping keys/) or restore the data directory")
        }
    }

    /// Reloads `mempool.sqlite`: drops what a committed block holds or what no longer validates.
    private func restoreMempool() throws {
        var dropped: [Hash32] = []
        let stored = try mempool.store.all()
        for entry in stored {
            if try chain.contains(transaction: entry.hash) {
                dropped.append(entry.hash)
                continue
            }
            let state = headState()
            let execution = upgrades.executions.at((state.baseVersion ?? 0) + 1)
            do {
                let summary = try execution.validate(entry.raw, state: state)
                let nonce = try execution.account(summary.sender, state: state).nonce
                mempool.restore(summary: summary, raw: entry.raw, arrival: entry.arrival, accountNonce: nonce)
            } catch {
                dropped.append(entry.hash)
            }
        }
        if !dropped.isEmpty { mempool.store.enqueue(dropped.map { .delete($0) }) }
        if !stored.isEmpty {
            logger.info("mempool restored", metadata: ["pending": "\(mempool.count)", "dropped": "\(dropped.count)"])
        }
    }

    /// A view of the state at the head, for validation and reads.
    func headState() -> StateView {
        StateView(store: chain.state, baseVersion: chain.head?.number)
    }

    /// Asks a settlement layer that keeps a ledger to back the L2's genesis supply in escrow, so that
    /// withdrawals of genesis money are paid and the escrow always equals what L2 holds
    /// (docs/FAULT_PROOFS.md, §5). Repeating it is harmless; another amount is refused.
    static func backGenesisInEscrow(_ manifest: Manifest, bridge: BridgeClient) throws {
        let supply = manifest.genesis.reduce(UInt128(0)) { $0 + $1.balance }
        guard bridge.answersCalls, supply > 0 else { return }
        do {
            _ = try bridge.settle(["method": "escrow.genesis", "amount": "\(supply)"], chainID: manifest.rollup.chainID)
        } catch {
            throw NodeStartError("the settlement layer refuses to back the genesis supply of \(supply) wei: \(error)")
        }
    }

    /// The funded development accounts, for `keel up`'s banner.
    public var genesisAccounts: [(address: Address, balance: UInt128)] {
        manifest.genesis.map { ($0.address, $0.balance) }
    }

    /// Closes everything: the plugins, then the lock.
    public func close() {
        upgrades.destroyRuntimeInstances()
        assembly.destroy()
        directory.unlock()
    }

    static func nowMilliseconds() -> UInt64 { UInt64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
