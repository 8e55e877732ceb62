import Foundation
import KeelCore
import KeelKernel
import Logging
import ServiceLifecycle
import UnixSignals

/// `keel attest`: an attestor on its own, beside a node. It loads the manifest's plugins with the
/// proof plugin's `key_file` set to its own key, replays every batch from DA on its own chain
/// (`DATA_DIR/node.sqlite`) and attests what it reproduced (docs/NODE.md, "The attestor").
public final class AttestorNode: @unchecked Sendable {
    let assembly: Assembly
    let directory: DataDirectory
    let attestor: Attestor
    let logger: Logger

    public static func open(manifestPath: String, keyFile: String, dataDirectory: String?, logger: Logger) throws -> AttestorNode {
        var loaded: LoadedManifest
        do { loaded = try ManifestLoader.load(path: manifestPath) } catch { throw NodeStartError(error.description) }
        let manifest = loaded.manifest
        guard var config = try JSONSerialization.jsonObject(with: Data(manifest.plugins.proof.configJSON.utf8)) as? [String: Any] else {
            throw NodeStartError("the proof plugin's config is not a mapping")
        }
        config["key_file"] = keyFile
        let json = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
        loaded.manifest.plugins.proof.configJSON = String(decoding: json, as: UTF8.self)
        let keyAddress = try PrivateKey(contentsOfFile: keyFile).address
        let dataPath = dataDirectory ?? (manifest.node.dataDirectory.resolved as NSString)
            .appendingPathComponent("attestor-\(keyAddress.description.lowercased())")
        let directory = try DataDirectory(path: dataPath)
        do {
            // Consensus flags decide what blocks mean, so the replaying plugins must see them too.
            let flags: FeatureFlags
            do { flags = try FeatureFlags(definitions: manifest.features, dataDirectory: dataPath, minimumLead: manifest.node.upgradeMinimumLead) } catch {
                throw NodeStartError(error.description)
            }
            let services = HostServices(dataDirectory: dataPath, chainID: manifest.rollup.chainID, flags: flags)
            let assembly: Assembly
            do { assembly = try Assembler.assemble(loaded, services: services) } catch { throw NodeStartError(error.description) }
            let chain = try ChainStore(path: directory.file("node.sqlite"), synchronousFull: manifest.node.synchronousFull)
            let upgrades = try RuntimeUpgrades(assembly, services: services, logger: logger)
            let execution = upgrades.executions.at(0)
            let rules = ChainRules(flags: flags, baseGasLimit: manifest.node.gasLimit)
            _ = try chain.initializeGenesis(chainID: manifest.rollup.chainID, updates: try GenesisState.updates(manifest, execution: execution),
                                            gasLimit: rules.gasLimit(atHeight: 0), baseFee: Node.genesisBaseFee)
            let bridge = upgrades.bridges.at(0)
            do { try upgrades.checkBridgesShareOneSettlementLayer() } catch { throw NodeStartError("\(error)") }
            let da = DARouter(providers: DARouter.manifestProviders(assembly), policy: DAFailoverPolicy(manifest.node), logger: logger)
            let replayer = BatchReplayer(chain: chain, executions: upgrades.executions, sequencers: upgrades.sequencers, da: da,
                                         bridges: upgrades.bridges, chainID: manifest.rollup.chainID, rules: rules)
            let changeLog = ChangeLog(bridge: bridge, logger: logger,
                                      loadProvider: Node.changeLogLoader(da: da, catalog: assembly.catalog, services: services),
                                      applyUpgrade: { [upgrades] in try upgrades.apply($0) })
            changeLog.applyFlag = { [flags, chain] name, height in try Node.applyFlagRecord(name, height: height, flags: flags, chain: chain) }
            let attestor = Attestor(replayer: replayer, proofs: upgrades.proofs, bridges: upgrades.bridges,
                                    chainID: manifest.rollup.chainID, changeLog: changeLog, logger: logger)
            return AttestorNode(assembly: assembly, directory: directory, attestor: attestor, logger: logger)
        } catch {
            directory.unlock()
            throw error
        }
    }

    private init(assembly: Assembly, directory: DataDirectory, attestor: Attestor, logger: Logger) {
        self.assembly = assembly
        self.directory = directory
        self.attestor = attestor
        self.logger = logger
    }

    /// The next batch index this attestor will check.
    public var nextBatch: UInt64 { attestor.attested }

    /// Attests what is waiting, once; returns how many batches. Throws the alarm of a batch that
    /// could not be reproduced.
    public func attestWaiting() throws -> Int { try attestor.step() }

    /// Runs until SIGTERM or SIGINT, or until a batch cannot be reproduced (then throws its alarm).
    public func run() async throws {
        let alarm = AlarmBox()
        let loop = BackgroundLoop(name: "attestor", intervalMilliseconds: 500, logger: logger) { [self] in
            do {
                try attestor.step()
                return .again
            } catch let error as ReplayAlarm {
                alarm.set(error)
                logger.critical("\(error.description); the attestor stops and signs nothing more")
                return .stop
            }
        }
        let group = ServiceGroup(configuration: .init(services: [.init(service: loop)], gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        defer {
            assembly.destroy()
            directory.unlock()
        }
        try await group.run()
        if let error = alarm.value { throw error }
    }
}

private final class AlarmBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: ReplayAlarm?
    func set(_ alarm: ReplayAlarm) { lock.withLock { stored = alarm } }
    var value: ReplayAlarm? { lock.withLock { stored } }
}
