import Foundation
import KeelCore
import KeelKernel
import Logging

/// The node's plugin schedules and what changes them at runtime: an `upgrade` record of the change
/// log adds an instance from its height on, a `cancel-upgrade` removes it (docs/NODE.md, "Plugins
/// per height"). Only the slots a node runs per block take runtime upgrades: execution, sequencer
/// and proof; a DA change is a swap, and the bridge and GPU slots change only through the manifest.
final class RuntimeUpgrades: Sendable {
    static let slots: Set<PluginKind> = [.execution, .sequencer, .proof]

    let executions: PluginSchedule<ExecutionClient>
    let sequencers: PluginSchedule<SequencerClient>
    let proofs: PluginSchedule<ProofClient>
    /// The bridge of each height: the manifest's `upgrades:` only, each seeing the same settlement layer.
    let bridges: PluginSchedule<BridgeClient>
    let catalog: PluginCatalog
    let services: HostServices
    let logger: Logger

    init(_ assembly: Assembly, services: HostServices, logger: Logger) throws {
        executions = try PluginSchedule(assembly, kind: .execution, client: ExecutionClient.init)
        sequencers = try PluginSchedule(assembly, kind: .sequencer, client: SequencerClient.init)
        proofs = try PluginSchedule(assembly, kind: .proof, client: ProofClient.init)
        bridges = try PluginSchedule(assembly, kind: .bridge, client: BridgeClient.init)
        catalog = assembly.catalog
        self.services = services
        self.logger = logger
    }

    /// Resolves and creates the plugin a record or an admin call names: `name` in slot `kind`, of
    /// a version satisfying `constraint`, with `config`. Throws the reason when it cannot.
    func create(kind: PluginKind, name: String, constraint: VersionConstraint?, config: String) throws -> PluginInstance {
        guard Self.slots.contains(kind) else {
            throw UpgradeError("the \(kind) slot cannot be upgraded at runtime (only execution, sequencer and proof); "
                               + "a DA change is `keel da swap`, other slots change through the manifest's `upgrades:`")
        }
        let library: PluginLibrary
        switch catalog.resolve(kind: kind, name: name, constraint: constraint) {
        case .success(let found): library = found
        case .failure(let error): throw UpgradeError(error.message)
        }
        do {
            return try PluginInstance(library: library, configJSON: config, services: services)
        } catch {
            let path = error.configPath.map { " at `\($0)`" } ?? ""
            throw UpgradeError("the \(kind) plugin \(name) refused its config\(path): \(error.message)")
        }
    }

    /// Applies an `upgrade` or `cancel-upgrade` record.
    func apply(_ record: ChangeRecord) throws {
        switch record {
        case .upgrade(let height, let slot, let plugin):
            guard let kind = PluginKind(name: slot) else { throw UpgradeError("an upgrade of the unknown slot `\(slot)`") }
            let constraint = try? VersionConstraint("=" + plugin.version)
            let instance = try create(kind: kind, name: plugin.plugin, constraint: constraint, config: plugin.config)
            let replaced: PluginInstance?
            switch kind {
            case .execution: replaced = executions.add(.init(fromHeight: height, client: ExecutionClient(instance), instance: instance, source: "change log"))
            case .sequencer: replaced = sequencers.add(.init(fromHeight: height, client: SequencerClient(instance), instance: instance, source: "change log"))
            default: replaced = proofs.add(.init(fromHeight: height, client: ProofClient(instance), instance: instance, source: "change log"))
            }
            replaced?.destroy()
            logger.notice("upgrade scheduled", metadata: ["slot": "\(slot)", "plugin": "\(plugin.plugin) \(plugin.version)", "height": "\(height)"])
        case .cancelUpgrade(let height, let slot):
            let removed: PluginInstance?
            switch PluginKind(name: slot) {
            case .execution?: removed = executions.remove(from: height)
            case .sequencer?: removed = sequencers.remove(from: height)
            case .proof?: removed = proofs.remove(from: height)
            default: removed = nil
            }
            removed?.destroy()
            logger.notice("upgrade cancelled", metadata: ["slot": "\(slot)", "height": "\(height)"])
        case .daSwap, .consensusFlag:
            return
        }
    }

    /// Every instance of every slot by height: what `keel_upgrades` and `keel status` list.
    var entries: [(slot: PluginKind, fromHeight: UInt64, plugin: String, version: String, source: String)] {
        func list<Client>(_ kind: PluginKind, _ schedule: PluginSchedule<Client>) -> [(slot: PluginKind, fromHeight: UInt64, plugin: String, version: String, source: String)] {
            schedule.all.map { (kind, $0.fromHeight, $0.instance.library.name, $0.instance.library.version.description, $0.source) }
        }
        return (list(.execution, executions) + list(.sequencer, sequencers) + list(.proof, proofs) + list(.bridge, bridges))
            .sorted { ($0.fromHeight, $0.slot.rawValue) < ($1.fromHeight, $1.slot.rawValue) }
    }

    /// Destroys the instances that runtime upgrades created (the manifest's belong to the assembly).
    func destroyRuntimeInstances() {
        for entry in executions.all where entry.source == "change log" { entry.instance.destroy() }
        for entry in sequencers.all where entry.source == "change log" { entry.instance.destroy() }
        for entry in proofs.all where entry.source == "change log" { entry.instance.destroy() }
    }
}

/// Why an upgrade cannot be scheduled, cancelled or applied.
struct UpgradeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension RuntimeUpgrades {
    /// Refuses a bridge upgrade whose instance sees another settlement layer than the genesis
    /// bridge's: an upgrade may change the bridge plugin's version or config (a fixed contract, a new
    /// endpoint), never the chain's batch records, deposits or change log.
    func checkBridgesShareOneSettlementLayer() throws {
        let all = bridges.all
        guard let first = all.first, all.count > 1 else { return }
        func view(_ bridge: BridgeClient) throws -> String {
            let count = try bridge.batchCount().count
            let last = count == 0 ? "" : Hex.encode(try bridge.batch(count - 1).root)
            let deposit = try bridge.deposits(from: 0, limit: 1).first.map { "\($0.index):\($0.amount):\(Hex.encode($0.to))" } ?? "none"
            return "\(count) batches (last root \(last.isEmpty ? "none" : last)), first deposit \(deposit), \(try bridge.changeCount()) change records"
        }
        /// The two heads at one L1 block (read again when a block passed between the reads): a
        /// layer's head hash names its chain, which a fresh layer's empty records cannot.
        func sameHead(_ a: BridgeClient, _ b: BridgeClient) throws -> Bool {
            for _ in 0..<3 {
                let (one, two) = (try a.l1Head(), try b.l1Head())
                if one.number == two.number { return one.hash == two.hash }
            }
            return false
        }
        let expected = try view(first.client)
        for entry in all.dropFirst() {
            let seen = try view(entry.client)
            guard seen == expected, try sameHead(first.client, entry.client) else {
                throw UpgradeError("the bridge upgrade at height \(entry.fromHeight) (\(entry.instance.library.name) \(entry.instance.library.version)) "
                                   + "sees another settlement layer than the chain's (its L1 head, or \(seen), against \(expected)). An upgrade may change the "
                                   + "bridge's version or config, not the layer it settles on; point its config at the same settlement layer")
            }
        }
    }
}
