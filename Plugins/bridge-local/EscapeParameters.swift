import GRDB
import KeelPluginKit

/// When users may leave without the operator (docs/FAULT_PROOFS.md, §6), in L1 blocks: a deposit
/// or forced withdrawal must be consumed within `forceInclusion` blocks, and some batch must become
/// final every `noFinality` blocks; otherwise anyone may fire the escape hatch. Fixed when the L1
/// is created, for every finality rule.
struct EscapeParameters: Sendable, Equatable {
    var forceInclusion: UInt64 = 60
    var noFinality: UInt64 = 120

    static let keys: Set<String> = ["force_inclusion", "no_finality"]

    init() {}

    init(config: PluginConfig?) throws(PluginError) {
        guard let config else { return }
        try config.allowKeys(Self.keys)
        if config.values["force_inclusion"] != nil { forceInclusion = try config.uint64("force_inclusion") }
        if config.values["no_finality"] != nil { noFinality = try config.uint64("no_finality") }
        for (name, value) in [("force_inclusion", forceInclusion), ("no_finality", noFinality)] where value == 0 {
            throw PluginError.config("escape.\(name)", "`\(name)` must be at least 1 L1 block")
        }
    }

    func register(_ db: Database) throws {
        for (name, value) in [("force_inclusion", forceInclusion), ("no_finality", noFinality)] {
            try db.execute(sql: "INSERT OR REPLACE INTO parameters (name, value) VALUES (?, ?)", arguments: ["escape." + name, "\(value)"])
        }
    }

    /// The registered values (the defaults for an L1 created before they existed).
    static func registered(_ db: Database) throws -> EscapeParameters {
        var parameters = EscapeParameters()
        if let value = try String.fetchOne(db, sql: "SELECT value FROM parameters WHERE name = 'escape.force_inclusion'").flatMap({ UInt64($0) }) {
            parameters.forceInclusion = value
        }
        if let value = try String.fetchOne(db, sql: "SELECT value FROM parameters WHERE name = 'escape.no_finality'").flatMap({ UInt64($0) }) {
            parameters.noFinality = value
        }
        return parameters
    }
}
