import KeelCore
import KeelJSONRPC
import KeelKernel
import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP: reads the manifest again and, when its `da:` list changed, swaps to it as
/// `admin_swapDA` would (loaded and health-checked first; nothing changes on an error).
struct ManifestReloadService: Service {
    let node: Node

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            // Loading, creating and health-checking plugins blocks: off the cooperative pool.
            await BlockingWork.run { reload() }
        }
    }

    func reload() {
        let logger = node.logger
        let manifest: Manifest
        do {
            manifest = try ManifestLoader.load(path: node.manifestPath).manifest
        } catch {
            logger.error("SIGHUP: the manifest does not load; nothing changed", metadata: ["error": "\(error.description)"])
            return
        }
        let wanted = manifest.plugins.da.map { DASwap.Provider(plugin: $0.plugin, config: $0.configJSON) }
        let current = node.da.providers.map(\.name)
        let unchanged = wanted.map(\.plugin) == current && zip(wanted, node.da.providers).allSatisfy { provider, entry in
            Keccak256.hash(Array(provider.config.utf8)) == entry.configHash
        }
        if unchanged {
            logger.info("SIGHUP: the manifest's da list is unchanged")
            return
        }
        do {
            let swap = try node.swapDA(to: wanted, source: "sighup")
            logger.notice("SIGHUP: DA swapped to the manifest's list", metadata: ["provider": "\(swap.primary)"])
        } catch {
            logger.error("SIGHUP: the DA swap failed; nothing changed", metadata: ["error": "\(error.message)"])
        }
    }
}
