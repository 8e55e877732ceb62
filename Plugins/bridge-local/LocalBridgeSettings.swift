import KeelPluginKit

/// The local bridge's config (docs/plugins/local-bridge.md, "Configuration"), checked and resolved.
///
/// Values that every process sharing the L1 must agree on (the clock, the finality rule, the
/// committee, the genesis root) are optional here: the first process to open a new `l1_db`
/// registers them, later ones may repeat them (and are refused if they differ) or leave them out.
struct LocalBridgeSettings: Sendable {
    /// The finality rules this version knows.
    static let finalityRules = ["attestation", "fault"]
    /// The clock's default: one L1 block per second.
    static let defaultBlockTimeMilliseconds: UInt64 = 1000

    /// The SQLite file of the embedded L1.
    let databasePath: String
    /// Milliseconds per L1 block; 0 means the clock moves only by `dev_advance`.
    let blockTimeMilliseconds: UInt64?
    let finality: String?
    let committee: AttestorCommittee?
    /// The state root before batch 0, if the operator registers it.
    let genesisRoot: [UInt8]?
    /// The data availability committee that `dac` certificates must satisfy, if the operator registers one.
    let dac: DACommittee?
    /// The `fault` rule's parameters, when the config names them (or the rule).
    let fault: FaultParameters?
    /// The escape hatch's limits, when the config names them.
    let escape: EscapeParameters?

    init(config: PluginConfig, dataDirectory: String) throws(PluginError) {
        try config.allowKeys(["l1_db", "block_time_ms", "finality", "committee", "genesis_root", "dac", "fault", "escape"])
        databasePath = try config.string("l1_db", default: dataDirectory + "/l1.sqlite")
        guard !databasePath.isEmpty else {
            throw PluginError.config("l1_db", "`l1_db` is empty: give the path of the L1's SQLite file, shared by every process of the devnet")
        }
        if let value = config.values["block_time_ms"], value != .null {
            let milliseconds = try config.uint64("block_time_ms")
            guard milliseconds <= 86_400_000 else {
                throw PluginError.config("block_time_ms", "`block_time_ms` is \(milliseconds); use at most 86400000 (one block a day), or 0 to move the clock only by command")
            }
            blockTimeMilliseconds = milliseconds
        } else {
            blockTimeMilliseconds = nil
        }
        if let rule = try config.optionalString("finality") {
            guard Self.finalityRules.contains(rule) else {
                throw PluginError.config("finality", "unknown finality rule `\(rule)`; this version knows: \(Self.finalityRules.joined(separator: ", "))")
            }
            finality = rule
        } else {
            finality = nil
        }
        if let value = config.values["committee"], value != .null {
            let object = try config.object("committee")
            try object.allowKeys(["members", "threshold"])
            committee = try AttestorCommittee(config: object)
        } else {
            committee = nil
        }
        if let text = try config.optionalString("genesis_root") {
            guard let root = Hash32(hex: text) else {
                throw PluginError.config("genesis_root", "`genesis_root` must be 0x and 64 hex digits (the state root before batch 0), not `\(text)`")
            }
            genesisRoot = root.bytes
        } else {
            genesisRoot = nil
        }
        dac = try DACommittee(optionalIn: config)
        if let value = config.values["fault"], value != .null {
            fault = try FaultParameters(config: try config.object("fault"))
        } else {
            fault = finality == "fault" ? FaultParameters() : nil
        }
        if let value = config.values["escape"], value != .null {
            escape = try EscapeParameters(config: try config.object("escape"))
        } else {
            escape = nil
        }
    }
}
