import KeelPluginKit

/// What the embedded L1 fixes when it is created, as a contract fixes its parameters when it is
/// deployed: every process that opens the same `l1_db` reads the same values.
struct L1Genesis: Sendable, Equatable {
    /// The rollup this L1 settles; a node of another chain is refused.
    let chainID: UInt64
    /// Wall-clock milliseconds since the Unix epoch when the L1 was created: its block 0.
    let unixMilliseconds: UInt64
    /// Milliseconds per block; 0: the clock moves only by `dev_advance`.
    let blockTimeMilliseconds: UInt64
    let finality: String
    let committee: AttestorCommittee
    /// The state root batch 0 must start from, or nil to accept any.
    let genesisRoot: [UInt8]?
    /// The `fault` rule's parameters, registered with an L1 that finalizes by fault proofs.
    var fault: FaultParameters? = nil
    /// The escape hatch's limits.
    var escape = EscapeParameters()

    /// The parameters for a new L1 from `settings`, created now; refuses settings that leave out
    /// something a new L1 needs.
    static func new(_ settings: LocalBridgeSettings, chainID: UInt64, now: UInt64) throws(PluginError) -> L1Genesis {
        let finality = settings.finality ?? LocalBridgeSettings.finalityRules[0]
        guard let committee = settings.committee ?? (finality == "fault" ? AttestorCommittee(members: [], threshold: 0) : nil) else {
            throw PluginError.config("committee", "\(settings.databasePath) is a new L1 and the first process to open it registers the attestors: "
                                     + "add `committee: { members: [0x…, …], threshold: k }`")
        }
        return L1Genesis(chainID: chainID, unixMilliseconds: now,
                         blockTimeMilliseconds: settings.blockTimeMilliseconds ?? LocalBridgeSettings.defaultBlockTimeMilliseconds,
                         finality: finality, committee: committee, genesisRoot: settings.genesisRoot,
                         fault: finality == "fault" ? settings.fault ?? FaultParameters() : nil, escape: settings.escape ?? EscapeParameters())
    }

    /// Refuses `settings` (or a chain id) that contradict what this L1 registered.
    func check(_ settings: LocalBridgeSettings, chainID: UInt64) throws(PluginError) {
        let file = settings.databasePath
        guard chainID == self.chainID else {
            throw PluginError.config("l1_db", "\(file) settles chain \(self.chainID), not this node's chain \(chainID); use another l1_db for this chain")
        }
        if let blockTime = settings.blockTimeMilliseconds, blockTime != blockTimeMilliseconds {
            throw PluginError.config("block_time_ms", "\(file) was created with block_time_ms \(blockTimeMilliseconds), not \(blockTime); "
                                     + "every process on one L1 shares its clock: remove `block_time_ms` or set it to \(blockTimeMilliseconds)")
        }
        if let rule = settings.finality, rule != finality {
            throw PluginError.config("finality", "\(file) finalizes by `\(finality)`, not `\(rule)`; remove `finality` or set it to `\(finality)`")
        }
        if let other = settings.committee, Set(other.members) != Set(committee.members) || other.threshold != committee.threshold {
            throw PluginError.config("committee", "\(file) registered \(committee.threshold) of \(committee.members.count) attestors "
                                     + "(\(committee.members.map(\.description).joined(separator: ", "))); this config names another committee: "
                                     + "remove `committee` to use the registered one, or start a new l1_db")
        }
        if let parameters = settings.fault, let registered = fault, parameters != registered {
            throw PluginError.config("fault", "\(file) registered other fault-proof parameters (window \(registered.challengeWindow), clock \(registered.clock), "
                                     + "extension \(registered.clockExtension), airgap \(registered.airgap), stake \(registered.proposerStake), bond \(registered.challengerBond)); "
                                     + "remove `fault` to use them, or start a new l1_db")
        }
        if let limits = settings.escape, limits != escape {
            throw PluginError.config("escape", "\(file) registered escape limits force_inclusion \(escape.forceInclusion), no_finality \(escape.noFinality); "
                                     + "remove `escape` to use them, or start a new l1_db")
        }
        if let root = settings.genesisRoot, root != genesisRoot {
            let registered = genesisRoot.map { Hex.encode($0) } ?? "none"
            throw PluginError.config("genesis_root", "\(file) registered genesis root \(registered), not \(Hex.encode(root)); remove `genesis_root` or start a new l1_db")
        }
    }
}
