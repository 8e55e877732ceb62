import Foundation
import KeelCore
import KeelKernel
import Logging

/// The node's DA layer: an ordered list of providers (the manifest's `da:`, or what the last swap
/// set), submitting to the first that is not passed over and failing over down the list; reads go
/// to whichever loaded provider the commitment's id byte names, so batches on a provider that was
/// swapped out or failed over stay readable (docs/NODE.md).
final class DARouter: @unchecked Sendable {
    let policy: DAFailoverPolicy
    let logger: Logger
    private let lock = NSLock()
    // Guarded by `lock`.
    private var preference: [DAProviderEntry]
    private var loaded: [DAProviderEntry]
    private(set) var failovers: [DAFailover] = []
    /// Called with each failover (metrics).
    var onFailover: (@Sendable (DAFailover) -> Void)?

    init(providers: [DAProviderEntry], policy: DAFailoverPolicy, logger: Logger) {
        preference = providers
        loaded = providers
        self.policy = policy
        self.logger = logger
    }

    /// The manifest's `da:` list, in its order.
    static func manifestProviders(_ assembly: Assembly) -> [DAProviderEntry] {
        assembly.plugins.filter { $0.slot.kind == .da && $0.fromHeight == nil }.map { part in
            DAProviderEntry(name: part.library.name, client: DAClient(part.instance), configJSON: part.slot.configJSON, loadedAtRuntime: false)
        }
    }

    /// The providers in order of preference.
    var providers: [DAProviderEntry] { lock.withLock { preference } }

    /// The provider new batches go to now.
    var current: DAProviderEntry? { lock.withLock { preference.first { !$0.down } ?? preference.first } }

    /// The largest blob every provider in the list accepts.
    var maxBlobSize: UInt64 { lock.withLock { preference.map(\.client.maxBlobSize).min() ?? 0 } }

    /// Submits to the preferred provider that is not passed over, falling over down the list on
    /// errors; throws when every provider failed (the batch stays in the outbox and is retried).
    func submit(_ blob: [UInt8]) throws -> (commitment: [UInt8], provider: DAProviderEntry) {
        var failures: [String] = []
        for entry in candidates() {
            do {
                let commitment = try entry.client.submit(blob)
                record(success: entry)
                return (commitment, entry)
            } catch {
                failures.append("\(entry.name): \(error.message)")
                record(error: error.message, of: entry, during: "submit")
            }
        }
        throw DARouterError(message: "no DA provider took the batch: " + failures.joined(separator: "; "))
    }

    /// Reads a blob from the loaded provider whose id byte starts `commitment`.
    func retrieve(_ commitment: [UInt8]) throws -> [UInt8] {
        guard let id = commitment.first else { throw DARouterError(message: "an empty DA commitment") }
        let matching = lock.withLock { loaded.filter { $0.providerID == id } }
        guard !matching.isEmpty else {
            throw DARouterError(message: "the commitment names DA provider 0x\(String(id, radix: 16)), which this node has not loaded; "
                                + "add that provider to the manifest's `da:` list")
        }
        var failures: [String] = []
        for entry in matching {
            do { return try entry.client.retrieve(commitment) } catch { failures.append("\(entry.name): \(error.message)") }
        }
        throw DARouterError(message: "the batch cannot be had from DA: " + failures.joined(separator: "; "))
    }

    /// Makes `providers` the new order of preference (a swap); the old ones stay loaded for reads.
    func replace(with providers: [DAProviderEntry]) {
        lock.withLock {
            preference = providers
            for entry in providers where !loaded.contains(where: { $0 === entry }) { loaded.append(entry) }
        }
    }

    /// Loads `entry` for reads only (a provider a change record names), leaving the order as it is.
    func addForReads(_ entry: DAProviderEntry) {
        lock.withLock {
            if !loaded.contains(where: { $0 === entry }) { loaded.append(entry) }
        }
    }

    /// Health-checks every provider in the list; moves the passed-over ones back once healthy long enough.
    func checkHealth() {
        for entry in providers {
            let health: DAHealth
            do { health = try entry.client.health() } catch {
                record(error: error.message, of: entry, during: "health")
                continue
            }
            if health.healthy {
                lock.withLock {
                    entry.consecutiveHealthy += 1
                    if entry.down, entry.consecutiveHealthy >= policy.healthyChecksBeforeReturn {
                        entry.down = false
                        entry.consecutiveErrors = 0
                        logger.notice("DA provider is back", metadata: ["provider": "\(entry.name)"])
                    }
                }
            } else {
                record(error: health.detail.isEmpty ? "unhealthy" : health.detail, of: entry, during: "health")
            }
        }
    }

    /// Every loaded provider, for status.
    var allLoaded: [DAProviderEntry] { lock.withLock { loaded } }

    func destroyRuntimeProviders() {
        for entry in allLoaded where entry.loadedAtRuntime { entry.client.instance.destroy() }
    }

    private func candidates() -> [DAProviderEntry] {
        lock.withLock {
            let up = preference.filter { !$0.down }
            return up.isEmpty ? preference : up
        }
    }

    private func record(success entry: DAProviderEntry) {
        lock.withLock {
            entry.consecutiveErrors = 0
            entry.lastError = nil
        }
    }

    private func record(error: String, of entry: DAProviderEntry, during step: String) {
        let failover: DAFailover? = lock.withLock {
            entry.consecutiveErrors += 1
            entry.consecutiveHealthy = 0
            entry.lastError = error
            guard !entry.down, entry.consecutiveErrors >= policy.errorsBeforeFailover else { return nil }
            entry.down = true
            let next = preference.first { !$0.down }
            let event = DAFailover(from: entry.name, to: next?.name, reason: "\(step): \(error)", at: Date())
            failovers.append(event)
            return event
        }
        if let failover {
            logger.warning("DA failover", metadata: ["from": "\(failover.from)", "to": "\(failover.to ?? "none")", "reason": "\(failover.reason)"])
            onFailover?(failover)
        }
    }
}

/// A provider passed over for the next one.
struct DAFailover: Sendable {
    var from: String
    var to: String?
    var reason: String
    var at: Date
}

struct DARouterError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
