import GRDB
import KeelPluginKit

/// The parameters of the `fault` finality rule (docs/FAULT_PROOFS.md, §4), fixed when the L1 is
/// created, as a contract fixes them when it is deployed. Durations are in L1 blocks.
struct FaultParameters: Sendable, Equatable {
    var challengeWindow: UInt64 = 20
    var clock: UInt64 = 8
    var clockExtension: UInt64 = 2
    var airgap: UInt64 = 2
    var proposerStake: UInt128 = 10_000_000_000_000_000_000
    var challengerBond: UInt128 = 1_000_000_000_000_000_000

    static let keys: Set<String> = ["challenge_window", "clock", "clock_extension", "airgap", "proposer_stake", "challenger_bond"]

    /// The devnet defaults, changed by the config's `fault` object.
    init(config: PluginConfig?) throws(PluginError) {
        guard let config else { return }
        try config.allowKeys(Self.keys)
        if config.values["challenge_window"] != nil { challengeWindow = try config.uint64("challenge_window") }
        if config.values["clock"] != nil { clock = try config.uint64("clock") }
        if config.values["clock_extension"] != nil { clockExtension = try config.uint64("clock_extension") }
        if config.values["airgap"] != nil { airgap = try config.uint64("airgap") }
        if let text = try config.optionalString("proposer_stake") {
            guard let value = UInt128(text), value > 0 else { throw PluginError.config("fault.proposer_stake", "`proposer_stake` must be a positive amount of wei in decimal digits, not `\(text)`") }
            proposerStake = value
        }
        if let text = try config.optionalString("challenger_bond") {
            guard let value = UInt128(text), value > 0 else { throw PluginError.config("fault.challenger_bond", "`challenger_bond` must be a positive amount of wei in decimal digits, not `\(text)`") }
            challengerBond = value
        }
        for (name, value) in [("challenge_window", challengeWindow), ("clock", clock)] where value == 0 || value > 1_000_000 {
            throw PluginError.config("fault.\(name)", "`\(name)` is \(value) L1 blocks; use 1 to 1000000")
        }
        guard clockExtension <= clock else {
            throw PluginError.config("fault.clock_extension", "`clock_extension` (\(clockExtension)) must not exceed `clock` (\(clock))")
        }
    }

    init() {}

    /// Writes the parameters into a new L1.
    func register(_ db: Database) throws {
        let values: [(String, String)] = [("challenge_window", "\(challengeWindow)"), ("clock", "\(clock)"), ("clock_extension", "\(clockExtension)"),
                                          ("airgap", "\(airgap)"), ("proposer_stake", "\(proposerStake)"), ("challenger_bond", "\(challengerBond)")]
        for (name, value) in values {
            try db.execute(sql: "INSERT OR REPLACE INTO parameters (name, value) VALUES (?, ?)", arguments: ["fault." + name, value])
        }
    }

    /// The parameters an L1 registered, or nil if it registered none.
    static func registered(_ db: Database) throws -> FaultParameters? {
        let rows = try Row.fetchAll(db, sql: "SELECT name, value FROM parameters WHERE name LIKE 'fault.%'")
        guard !rows.isEmpty else { return nil }
        var values: [String: String] = [:]
        for row in rows {
            let name: String = row["name"]
            values[String(name.dropFirst("fault.".count))] = row["value"]
        }
        var parameters = FaultParameters()
        parameters.challengeWindow = values["challenge_window"].flatMap { UInt64($0) } ?? parameters.challengeWindow
        parameters.clock = values["clock"].flatMap { UInt64($0) } ?? parameters.clock
        parameters.clockExtension = values["clock_extension"].flatMap { UInt64($0) } ?? parameters.clockExtension
        parameters.airgap = values["airgap"].flatMap { UInt64($0) } ?? parameters.airgap
        parameters.proposerStake = values["proposer_stake"].flatMap { UInt128($0) } ?? parameters.proposerStake
        parameters.challengerBond = values["challenger_bond"].flatMap { UInt128($0) } ?? parameters.challengerBond
        return parameters
    }
}
