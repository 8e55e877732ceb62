import Foundation
import KeelCore
import KeelJSONRPC
import KeelKernel
import Logging

extension Node {
    /// Loads `providers`, checks the first one's health, and makes them the DA list from the next
    /// batch on. With `keepFallbacks` (admin_swapDA) the list before follows them as fallback;
    /// without (SIGHUP) they are the whole list. Every loaded provider stays loaded for reads.
    /// Nothing changes unless every step succeeds.
    func swapDA(to providers: [DASwap.Provider], source: String, keepFallbacks: Bool = false) throws(RPCError) -> DASwap {
        swapLock.lock()
        defer { swapLock.unlock() }
        var created: [DAProviderEntry] = []
        do {
            return try performSwap(to: providers, source: source, keepFallbacks: keepFallbacks, created: &created)
        } catch {
            for entry in created { entry.client.instance.destroy() }
            throw error
        }
    }

    private func performSwap(to providers: [DASwap.Provider], source: String, keepFallbacks: Bool,
                             created: inout [DAProviderEntry]) throws(RPCError) -> DASwap {
        do {
            var entries: [DAProviderEntry] = []
            do {
                for provider in providers {
                    let configHash = Keccak256.hash(Array(provider.config.utf8))
                    if let loaded = da.allLoaded.first(where: { $0.name == provider.plugin && $0.configHash == configHash }) {
                        entries.append(loaded)
                        continue
                    }
                    let entry = try loadProvider(provider)
                    created.append(entry)
                    entries.append(entry)
                }
                guard let first = entries.first else { throw RPCError.invalidParams("a swap needs at least one provider") }
                let health: DAHealth
                do { health = try first.client.health() } catch {
                    throw RPCError.unavailable("the new DA provider \(first.name) failed its health check: \(error); nothing changed")
                }
                guard health.healthy else {
                    throw RPCError.unavailable("the new DA provider \(first.name) is not healthy (\(health.detail)); nothing changed")
                }
                let nextBatch = ((try? chain.lastBatch())??.index).map { $0 + 1 } ?? 0
                // The settlement layer first: a follower learns the swap there (docs/NODE.md).
                let published = zip(entries, providers).map { entry, provider in
                    ChangeRecord.Plugin(plugin: entry.name, version: entry.client.instance.library.version.description,
                                        config: PublicConfig.strip(provider.config))
                }
                do {
                    try changeLog.publish(.daSwap(batch: nextBatch, height: headNumber(), providers: published))
                } catch {
                    throw RPCError.unavailable("the swap could not be recorded on the settlement layer: \(error); nothing changed")
                }
                let swap: DASwap
                do {
                    swap = try chain.recordSwap(height: headNumber(), batchIndex: nextBatch, providers: providers, source: source)
                } catch {
                    throw RPCError.internalError("the swap could not be recorded: \(error); nothing changed")
                }
                da.replace(with: keepFallbacks ? entries + da.providers.filter { old in !entries.contains { $0 === old } } : entries)
                logger.notice("DA swapped", metadata: ["provider": "\(swap.primary)", "from_batch": "\(nextBatch)",
                                                       "height": "\(swap.height)", "source": "\(source)"])
                return swap
            }
        }
    }

    /// Creates a DA plugin instance at runtime from the catalog the assembly used.
    func loadProvider(_ provider: DASwap.Provider) throws(RPCError) -> DAProviderEntry {
        try Self.loadProvider(provider, catalog: assembly.catalog, services: services)
    }

    static func loadProvider(_ provider: DASwap.Provider, catalog: PluginCatalog, services: HostServices) throws(RPCError) -> DAProviderEntry {
        let library: PluginLibrary
        switch catalog.resolve(kind: .da, name: provider.plugin, constraint: nil) {
        case .success(let found): library = found
        case .failure(let error): throw RPCError.invalidParams("\(error)")
        }
        do {
            let instance = try PluginInstance(library: library, configJSON: provider.config, services: services)
            return DAProviderEntry(name: library.name, client: DAClient(instance), configJSON: provider.config, loadedAtRuntime: true)
        } catch {
            let path = error.configPath.map { " at `\($0)`" } ?? ""
            throw RPCError.invalidParams("the da plugin \(provider.plugin) refused its config\(path): \(error.message)")
        }
    }

    /// What reading a DA swap from the change log does: loads each provider it names for reads,
    /// unless one of that name and config is loaded already.
    static func changeLogLoader(da: DARouter, catalog: PluginCatalog, services: HostServices) -> (ChangeRecord.Plugin) throws -> Void {
        { plugin in
            let hash = Keccak256.hash(Array(plugin.config.utf8))
            if da.allLoaded.contains(where: { $0.name == plugin.plugin && $0.configHash == hash }) { return }
            let entry = try loadProvider(DASwap.Provider(plugin: plugin.plugin, config: plugin.config), catalog: catalog, services: services)
            if entry.client.instance.library.version.description != plugin.version {
                da.logger.warning("the change log names another version of a DA provider than this node has", metadata: [
                    "provider": "\(plugin.plugin)", "recorded": "\(plugin.version)", "loaded": "\(entry.client.instance.library.version)"])
            }
            da.addForReads(entry)
        }
    }

    /// The manifest's DA upgrades (`upgrades:` entries with `da`) whose height is at or below `firstBlock`
    /// and not applied yet: each becomes a swap of the whole list, recorded like `admin_swapDA`'s
    /// (source `upgrade at H`), before the batch starting at `firstBlock` is encoded.
    func applyDAUpgrades(upTo firstBlock: UInt64) throws {
        let due = manifest.upgrades.filter { upgrade in upgrade.atHeight <= firstBlock && upgrade.slots.contains { $0.kind == .da } }
        guard !due.isEmpty else { return }
        let done = Set(try chain.swaps().map(\.source))
        for upgrade in due where !done.contains("upgrade at \(upgrade.atHeight)") {
            let providers = upgrade.slots.filter { $0.kind == .da }.map { DASwap.Provider(plugin: $0.plugin, config: $0.configJSON) }
            do {
                _ = try swapDA(to: providers, source: "upgrade at \(upgrade.atHeight)")
            } catch {
                throw DARouterError(message: "the DA upgrade at height \(upgrade.atHeight) cannot be applied: \(error.message)")
            }
        }
    }

    /// At start: loads every provider that a recorded swap named (for reads) and restores the
    /// latest swap's order.
    func restoreSwaps() throws {
        let swaps = try chain.swaps()
        guard let latest = swaps.last else { return }
        var loadedAll: [DAProviderEntry] = []
        for swap in swaps {
            for provider in swap.providers {
                let hash = Keccak256.hash(Array(provider.config.utf8))
                if (da.allLoaded + loadedAll).contains(where: { $0.name == provider.plugin && $0.configHash == hash }) { continue }
                do {
                    loadedAll.append(try loadProvider(provider))
                } catch {
                    logger.error("a DA provider of an earlier swap cannot be loaded; its batches cannot be read here",
                                 metadata: ["provider": "\(provider.plugin)", "error": "\(error.message)"])
                }
            }
        }
        da.replace(with: loadedAll)
        let current = latest.providers.compactMap { provider in
            (da.allLoaded).first { $0.name == provider.plugin && $0.configHash == Keccak256.hash(Array(provider.config.utf8)) }
        }
        let manifestOnes = da.providers.filter { old in !current.contains { $0 === old } && !loadedAll.contains { $0 === old } }
        da.replace(with: current + manifestOnes)
    }

    /// keel_daStatus: the providers in order, their health, the failovers and the swaps.
    public func daStatus() throws(RPCError) -> JSONValue {
        let swaps: [DASwap]
        do { swaps = try chain.swaps() } catch { throw RPCError.internalError("\(error)") }
        let preference = da.providers
        let current = da.current
        let providers: [JSONValue] = da.allLoaded.map { entry in
            let position = preference.firstIndex { $0 === entry }
            return .object([
                "name": .string(entry.name),
                "id": .string("0x" + String(format: "%02x", entry.providerID)),
                "preference": position.map { .quantity($0) } ?? .null,
                "current": .bool(entry === current),
                "passedOver": .bool(entry.down),
                "consecutiveErrors": .quantity(entry.consecutiveErrors),
                "lastError": entry.lastError.map { .string($0) } ?? .null,
                "configHash": .string(entry.configHash.description),
            ])
        }
        return .object([
            "current": current.map { .string($0.name) } ?? .null,
            "providers": .array(providers),
            "failovers": .array(da.failovers.map { failover in
                .object(["from": .string(failover.from), "to": failover.to.map { .string($0) } ?? .null, "reason": .string(failover.reason),
                         "atMs": .quantity(UInt64(failover.at.timeIntervalSince1970 * 1000))])
            }),
            "swaps": .array(swaps.map { swap in
                .object(["height": .quantity(swap.height), "batchIndex": .quantity(swap.batchIndex), "provider": .string(swap.primary),
                         "providers": .array(swap.providers.map { .string($0.plugin) }), "configHash": .string(swap.configHash.description),
                         "atMs": .quantity(swap.atMilliseconds), "source": .string(swap.source)])
            }),
        ])
    }
}

extension Node {
    public func swapDA(plugin: String, configJSON: String) throws(RPCError) -> JSONValue {
        let swap = try swapDA(to: [DASwap.Provider(plugin: plugin, config: configJSON)], source: "admin_swapDA", keepFallbacks: true)
        return .object(["height": .integer(swap.height), "batchIndex": .integer(swap.batchIndex), "provider": .string(swap.primary),
                        "configHash": .string(swap.configHash.description), "atMs": .integer(swap.atMilliseconds)])
    }
}
