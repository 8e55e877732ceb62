import Synchronization

/// Runtime changes, as the admin API and `keel flags set|kill` make them.
///
/// Each change is checked, appended to the audit trail in its own SQLite transaction, and only
/// then applied; if recording fails the flag keeps its value and the error says so. Changes are
/// serialised with one another; evaluation on other threads never waits for them.
extension FeatureFlags {
    /// Schedules the consensus flag `flag` to activate at `height`, or moves a pending schedule.
    ///
    /// Refused when `height` is not above `currentHeight` (the chain's latest block), when it is
    /// less than `minimumLead` blocks ahead, and when the flag is already active: blocks were made
    /// with it, so moving it would change what they mean.
    /// - Returns: the audit record written.
    @discardableResult
    public func scheduleConsensus(_ flag: String, atHeight height: UInt64, currentHeight: UInt64,
                                  actor: String) throws(FlagError) -> FlagAuditRecord {
        try changes.withLock { _ throws(FlagError) -> FlagAuditRecord in
            let (slot, old) = try consensusSlot(flag)
            try refuseIfActive(flag, activeSince: old, currentHeight: currentHeight, doing: "moved")
            let earliest = earliestHeight(after: currentHeight)
            guard height > currentHeight else {
                throw FlagError(code: .heightInPast, flag: flag, message:
                    "flag `\(flag)` cannot be scheduled at height \(height): the chain is already at \(currentHeight), so that block is not in the future; the minimum lead is \(minimumLead) blocks, choose \(earliest) or later")
            }
            guard height >= earliest else {
                throw FlagError(code: .insideMinimumLead, flag: flag, message:
                    "flag `\(flag)` cannot be scheduled at height \(height): the minimum lead is \(minimumLead) blocks and the chain is at \(currentHeight); choose \(earliest) or later")
            }
            guard height != FlagSetting.neverHeight else {
                throw FlagError(code: .insideMinimumLead, flag: flag, message:
                    "flag `\(flag)` cannot be scheduled at height \(height), which no chain reaches; choose a height from \(earliest) up to \(height - 1)")
            }
            return try record(slot, flag: flag, action: .schedule, actor: actor,
                              old: .consensus(activateAtHeight: old), new: .consensus(activateAtHeight: height))
        }
    }

    /// Sets the rollout flag `flag` to `basisPoints` of its subjects (10000 is everyone).
    /// - Returns: the audit record written.
    @discardableResult
    public func setRollout(_ flag: String, basisPoints: UInt16, actor: String) throws(FlagError) -> FlagAuditRecord {
        try changes.withLock { _ throws(FlagError) -> FlagAuditRecord in
            let (slot, old, subject) = try rolloutSlot(flag)
            guard basisPoints <= RolloutShare.wholeBasisPoints else {
                throw FlagError.shareOutOfRange(flag, basisPoints: Int(basisPoints))
            }
            return try record(slot, flag: flag, action: .rollout, actor: actor,
                              old: old, new: .rollout(basisPoints: basisPoints, subject: subject))
        }
    }

    /// Sets the rollout flag `flag` to `percent` (0 to 100, two decimals kept) of its subjects.
    /// - Returns: the audit record written.
    @discardableResult
    public func setRollout(_ flag: String, percent: Double, actor: String) throws(FlagError) -> FlagAuditRecord {
        guard let basisPoints = RolloutShare.basisPoints(percent: percent) else {
            throw FlagError.shareOutOfRange(flag, percent: percent)
        }
        return try setRollout(flag, basisPoints: basisPoints, actor: actor)
    }

    /// The kill switch: a rollout flag drops to 0 at once; a consensus flag that is scheduled but
    /// not active yet is cancelled. An active consensus flag cannot be killed: blocks were made
    /// with it, and turning it off would fork this node from every node that keeps it.
    /// - Returns: the audit record written.
    @discardableResult
    public func kill(_ flag: String, currentHeight: UInt64, actor: String, reason: String? = nil) throws(FlagError) -> FlagAuditRecord {
        try changes.withLock { _ throws(FlagError) -> FlagAuditRecord in
            guard let slot = slots[flag] else { throw FlagError.unknown(flag, known: definitions.map(\.name)) }
            let old = setting(atSlot: slot)
            switch old {
            case .rollout(_, let subject):
                return try record(slot, flag: flag, action: .kill, actor: actor,
                                  old: old, new: .rollout(basisPoints: 0, subject: subject), reason: reason)
            case .consensus(let activeSince):
                try refuseIfActive(flag, activeSince: activeSince, currentHeight: currentHeight, doing: "killed")
                return try record(slot, flag: flag, action: .kill, actor: actor,
                                  old: old, new: .consensus(activateAtHeight: nil), reason: reason)
            }
        }
    }

    /// The first height `scheduleConsensus` accepts while the chain is at `currentHeight`.
    public func earliestHeight(after currentHeight: UInt64) -> UInt64 {
        let (sum, overflow) = currentHeight.addingReportingOverflow(Swift.max(minimumLead, 1))
        return overflow ? FlagSetting.neverHeight : sum
    }

    // MARK: Helpers (called with `changes` held)

    private func consensusSlot(_ flag: String) throws(FlagError) -> (Int, UInt64?) {
        guard let slot = slots[flag] else { throw FlagError.unknown(flag, known: definitions.map(\.name)) }
        let current = setting(atSlot: slot)
        guard case .consensus(let height) = current else { throw FlagError.notConsensus(flag, setting: current) }
        return (slot, height)
    }

    private func rolloutSlot(_ flag: String) throws(FlagError) -> (Int, FlagSetting, RolloutSubject) {
        guard let slot = slots[flag] else { throw FlagError.unknown(flag, known: definitions.map(\.name)) }
        let current = setting(atSlot: slot)
        guard case .rollout(_, let subject) = current else { throw FlagError.notRollout(flag, setting: current) }
        return (slot, current, subject)
    }

    private func refuseIfActive(_ flag: String, activeSince: UInt64?, currentHeight: UInt64,
                                doing verb: String) throws(FlagError) {
        guard let activeSince, activeSince <= currentHeight else { return }
        let consequence = verb == "killed"
            ? "turning it off would fork this node from every node that keeps it; to undo its effect, schedule a new consensus flag that reverses it"
            : "the blocks from \(activeSince) on were made with it; to change behaviour again, schedule a new consensus flag"
        throw FlagError(code: .alreadyActive, flag: flag, message:
            "flag `\(flag)` cannot be \(verb): it is a consensus flag active since height \(activeSince) and the chain is at \(currentHeight); \(consequence)")
    }

    /// Records the change, then applies it: the order the audit trail promises.
    private func record(_ slot: Int, flag: String, action: FlagAuditRecord.Action, actor: String,
                        old: FlagSetting, new: FlagSetting, reason: String? = nil) throws(FlagError) -> FlagAuditRecord {
        guard !actor.allSatisfy(\.isWhitespace) else { throw FlagError.missingActor(flag) }
        let entry = FlagAuditTrail.Entry(timeMilliseconds: clock(), actor: actor, flag: flag, action: action,
                                         oldValue: old.auditText, newValue: new.auditText, reason: reason)
        guard let record = try trail.append([entry]).first else {
            throw FlagError(code: .storage, flag: flag, message:
                "the audit trail in \(trail.location) returned no record for the change to flag `\(flag)`; the flag was not changed, report this as a Keel bug")
        }
        cells.store(slot, Self.word(for: new))
        return record
    }
}
