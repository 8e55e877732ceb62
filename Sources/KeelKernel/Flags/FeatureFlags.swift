import Foundation
import GRDB
import KeelCore
import Synchronization

/// The node's feature flags (DESIGN.md §5, docs/FLAGS.md): the manifest's definitions with the
/// runtime changes recorded in the audit trail re-applied, evaluated per transaction.
///
/// Evaluation (`isActive`, `isEnabled`) takes no lock, allocates nothing and never waits on
/// SQLite: each flag's value is one atomic word, and a rollout flag's name is absorbed into a
/// Keccak sponge once, at start. Changes (`scheduleConsensus`, `setRollout`, `kill`) are serialised,
/// written to the audit trail in their own transaction first, and take effect only once recorded.
/// Unknown flags are off.
public final class FeatureFlags: Sendable {
    /// How many blocks ahead of the chain a consensus flag must be scheduled at runtime.
    public let minimumLead: UInt64

    /// The manifest's definitions, in the order `slots` numbers them.
    let definitions: [FlagDefinition]
    let slots: [String: Int]
    let hot: [HotSlot]
    let cells: FlagCells
    let trail: FlagAuditTrail
    let changes = Mutex(())
    let clock: @Sendable () -> Int64

    /// What evaluation needs of a flag, with nothing reference-counted in it.
    struct HotSlot: Sendable {
        /// The sponge after absorbing the flag's name (unused for consensus flags).
        var prefix: Keccak256.Hasher
        var isRollout: Bool
    }

    /// The flags of `definitions` with the changes recorded in `<dataDirectory>/flags.sqlite`
    /// re-applied; the directory and the file are created when missing.
    ///
    /// - Parameters:
    ///   - minimumLead: how many blocks ahead of the chain a consensus flag may be scheduled.
    ///   - clock: milliseconds since 1970 for the audit trail; the system clock unless a test sets one.
    public convenience init(definitions: [FlagDefinition], dataDirectory: String, minimumLead: UInt64,
                            clock: @escaping @Sendable () -> Int64 = FeatureFlags.systemClock) throws(FlagError) {
        let path = (dataDirectory as NSString).appendingPathComponent("flags.sqlite")
        let database: DatabasePool
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            database = try DatabasePool(path: path)
        } catch {
            throw FlagError(code: .storage, flag: nil, message:
                "could not open the flag audit trail at \(path): \(error); check that the data directory is writable")
        }
        try self.init(definitions: definitions, database: database, minimumLead: minimumLead, clock: clock)
    }

    /// The flags of `definitions` with the changes recorded in `database` re-applied, in order.
    ///
    /// A flag the manifest declares differently than at the last start (or for the first time)
    /// gets a `manifest` record, which wins over the runtime changes before it; see docs/FLAGS.md.
    /// Pass the node's own database to keep the trail (table `keel_flag_audit`) beside its other tables.
    public init(definitions: [FlagDefinition], database: any DatabaseWriter, minimumLead: UInt64,
                clock: @escaping @Sendable () -> Int64 = FeatureFlags.systemClock) throws(FlagError) {
        try Self.check(definitions)
        let trail = try FlagAuditTrail(database: database)
        let records = try trail.records()
        let start = try Self.replay(records, over: definitions, at: clock(), trail: trail)
        if !start.manifestEntries.isEmpty {
            _ = try trail.append(start.manifestEntries)
        }

        var slots: [String: Int] = [:]
        var hot: [HotSlot] = []
        var words: [UInt64] = []
        for (index, definition) in definitions.enumerated() {
            slots[definition.name] = index
            let setting = start.settings[definition.name] ?? FlagSetting(definition.rule)
            hot.append(HotSlot(prefix: RolloutBucket.prefix(flag: definition.name), isRollout: !setting.isConsensus))
            words.append(Self.word(for: setting))
        }
        self.minimumLead = minimumLead
        self.definitions = definitions
        self.slots = slots
        self.hot = hot
        self.cells = FlagCells(words)
        self.trail = trail
        self.clock = clock
    }

    /// Milliseconds since 1970-01-01 UTC from the system clock.
    public static let systemClock: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    // MARK: Evaluation (the hot path)

    /// Whether the consensus flag `flag` is active for the block at `height`: off below its
    /// activation height, on from it. Rollout flags and unknown flags are off.
    public func isActive(_ flag: String, atHeight height: UInt64) -> Bool {
        activationHeight(flag).map { height >= $0 } ?? false
    }

    /// Whether the rollout flag `flag` is on for `subject` (an address's 20 bytes, say).
    /// Consensus flags and unknown flags are off.
    public func isEnabled(_ flag: String, subject: [UInt8]) -> Bool {
        subject.withUnsafeBytes { isEnabled(flag, subject: $0) }
    }

    /// Whether the rollout flag `flag` is on for the address `subject`.
    public func isEnabled(_ flag: String, subject: Address) -> Bool {
        isEnabled(flag, subject: subject.bytes)
    }

    /// Whether the rollout flag `flag` is on for a text subject (a client's IP address), by its UTF-8 bytes.
    public func isEnabled(_ flag: String, subject: String) -> Bool {
        subject.utf8.withContiguousStorageIfAvailable { isEnabled(flag, subject: UnsafeRawBufferPointer($0)) }
            ?? isEnabled(flag, subject: Array(subject.utf8))
    }

    /// Whether the rollout flag `flag` is on for the subject bytes `subject`.
    public func isEnabled(_ flag: String, subject: UnsafeRawBufferPointer) -> Bool {
        guard let slot = slots[flag], hot[slot].isRollout else { return false }
        let basisPoints = cells.load(slot)
        if basisPoints == 0 { return false }
        if basisPoints >= UInt64(RolloutShare.wholeBasisPoints) { return true }
        return UInt64(RolloutBucket.bucket(after: hot[slot].prefix, subject: subject)) < basisPoints
    }

    /// The rollout flags that carry a guard, by name (docs/FLAGS.md, "Guards").
    public var guarded: [(name: String, rolloutGuard: FlagGuard)] {
        definitions.compactMap { definition in definition.rolloutGuard.map { (definition.name, $0) } }
    }

    /// The activation height of a scheduled consensus flag; `nil` for anything else.
    func activationHeight(_ flag: String) -> UInt64? {
        guard let slot = slots[flag], !hot[slot].isRollout else { return nil }
        let height = cells.load(slot)
        return height == FlagSetting.neverHeight ? nil : height
    }

    // MARK: Listing

    /// The consensus flags active for the block at `height`, by name.
    public func activeConsensusFlags(atHeight height: UInt64) -> [String] {
        list().compactMap { status in
            guard case .consensus(let start?) = status.setting, height >= start else { return nil }
            return status.name
        }
    }

    /// The consensus flags that activate above `height`, soonest first.
    public func scheduledConsensusFlags(after height: UInt64) -> [ScheduledFlag] {
        list().compactMap { status -> ScheduledFlag? in
            guard case .consensus(let start?) = status.setting, start > height else { return nil }
            return ScheduledFlag(name: status.name, activateAtHeight: start)
        }
        .sorted { ($0.activateAtHeight, $0.name) < ($1.activateAtHeight, $1.name) }
    }

    /// Every flag with its current setting and its manifest rule, by name: what `flags list` prints.
    public func list() -> [FlagStatus] {
        definitions.indices.map { slot in
            FlagStatus(name: definitions[slot].name, setting: setting(atSlot: slot), declared: definitions[slot].rule,
                       rolloutGuard: definitions[slot].rolloutGuard)
        }
        .sorted { $0.name < $1.name }
    }

    /// The current setting of `flag`; `nil` when the manifest does not declare it.
    public func setting(of flag: String) -> FlagSetting? {
        slots[flag].map(setting(atSlot:))
    }

    /// Every recorded change, oldest first, read from SQLite.
    public func auditTrail() throws(FlagError) -> [FlagAuditRecord] {
        try trail.records()
    }

    func setting(atSlot slot: Int) -> FlagSetting {
        let word = cells.load(slot)
        switch definitions[slot].rule {
        case .consensus:
            return .consensus(activateAtHeight: word == FlagSetting.neverHeight ? nil : word)
        case .rollout(_, let subject):
            return .rollout(basisPoints: UInt16(clamping: word), subject: subject)
        }
    }

    static func word(for setting: FlagSetting) -> UInt64 {
        switch setting {
        case .consensus(let height): height ?? FlagSetting.neverHeight
        case .rollout(let basisPoints, _): UInt64(basisPoints)
        }
    }
}
