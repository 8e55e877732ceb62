import Foundation
import KeelCore
import KeelKernel
import Logging

/// The node's view of the settlement layer's change log (ABI 1.1): how far it has read, and
/// what reading them does here. A DA swap loads the providers it names (for reads, so a follower
/// derives across the swap with the chain's original manifest); an upgrade or its cancellation is
/// applied to the plugin schedules (`RuntimeUpgrades`). A bridge without a change log reads as an empty one.
final class ChangeLog: @unchecked Sendable {
    let bridge: BridgeClient
    let logger: Logger
    /// Loads a DA provider a record names, for reads.
    let loadProvider: (ChangeRecord.Plugin) throws -> Void
    /// Applies an upgrade or a cancellation to the plugin schedules.
    let applyUpgrade: (ChangeRecord) throws -> Void
    /// Applies a consensus flag scheduled (or cancelled, `nil`) at runtime; set once the node's chain is open.
    var applyFlag: (@Sendable (String, UInt64?) throws -> Void)? {
        get { lock.withLock { flagHandler } }
        set { lock.withLock { flagHandler = newValue } }
    }
    private var flagHandler: (@Sendable (String, UInt64?) throws -> Void)?
    private let lock = NSLock()
    /// One reader at a time: the follower's loop and an admin call may both catch up.
    private let reading = NSLock()
    // Guarded by `lock`.
    private var next: UInt64 = 0

    init(bridge: BridgeClient, logger: Logger, loadProvider: @escaping (ChangeRecord.Plugin) throws -> Void,
         applyUpgrade: @escaping (ChangeRecord) throws -> Void = { _ in }) {
        self.bridge = bridge
        self.logger = logger
        self.loadProvider = loadProvider
        self.applyUpgrade = applyUpgrade
    }

    /// Reads the records added since the last call and acts on each; returns how many were new.
    /// A provider that cannot be loaded is logged, and its batches then fail to derive with that reason.
    @discardableResult
    func catchUp() throws -> Int {
        reading.lock()
        defer { reading.unlock() }
        let count = try bridge.changeCount()
        var added = 0
        while true {
            let index: UInt64? = lock.withLock { next < count ? next : nil }
            guard let index else { return added }
            let bytes = try bridge.change(index)
            let record: ChangeRecord?
            do {
                record = try ChangeRecord(bytes: bytes)
            } catch {
                throw ChangeRecordError("change record \(index) on the settlement layer is not a Keel record: \(error)")
            }
            if let record {
                try act(on: record, index: index)
            } else {
                logger.warning("a change record of a type this node does not know was skipped", metadata: ["record": "\(index)"])
            }
            lock.withLock { next = index + 1 }
            added += 1
        }
    }

    private func act(on record: ChangeRecord, index: UInt64) throws {
        switch record {
        case .daSwap(_, _, let providers):
            for provider in providers {
                do { try loadProvider(provider) } catch {
                    logger.error("a DA provider named by the change log cannot be loaded; its batches cannot be read here",
                                 metadata: ["provider": "\(provider.plugin)", "record": "\(index)", "error": "\(error)"])
                }
            }
        case .consensusFlag(let name, let height):
            do { try applyFlag?(name, height) } catch {
                throw ChangeRecordError("change record \(index) (consensus flag \(name)) cannot be applied here: \(error)")
            }
        case .upgrade, .cancelUpgrade:
            // An upgrade this node cannot load would have it build or replay blocks with the old
            // plugin: it stops here, with the reason, and reads the record again on the next try.
            do { try applyUpgrade(record) } catch {
                throw ChangeRecordError("change record \(index) cannot be applied here: \(error)")
            }
        }
    }

    /// Appends `record` to the settlement layer's log (a no-op where the bridge keeps none: the
    /// node then only records locally, and followers must list what changed in their manifests).
    func publish(_ record: ChangeRecord) throws {
        guard bridge.keepsChangeLog else { return }
        _ = try bridge.recordChange(record.bytes)
    }
}
