/// Start-up: checking the manifest's definitions and re-applying the recorded changes.
extension FeatureFlags {
    /// The settings to start with, and the `manifest` records still to append for them.
    struct StartState {
        var settings: [String: FlagSetting]
        var manifestEntries: [FlagAuditTrail.Entry]
    }

    /// Refuses definitions that cannot be evaluated: a name twice, an empty name, a share above
    /// 100%, or the one height that cannot be reached.
    static func check(_ definitions: [FlagDefinition]) throws(FlagError) {
        var seen = Set<String>()
        for definition in definitions {
            let name = definition.name
            guard !name.isEmpty else {
                throw FlagError(code: .invalidDefinition, flag: name, message:
                    "a feature flag has an empty name; name every flag under `features:` (e.g. `batch-codec-brotli`)")
            }
            guard seen.insert(name).inserted else {
                throw FlagError(code: .invalidDefinition, flag: name, message:
                    "flag `\(name)` is declared twice; keep one definition under `features:`")
            }
            switch definition.rule {
            case .consensus(let height) where height == FlagSetting.neverHeight:
                throw FlagError(code: .invalidDefinition, flag: name, message:
                    "flag `\(name)` activates at height \(height), which no chain reaches; choose a lower height")
            case .rollout(let basisPoints, _) where basisPoints > RolloutShare.wholeBasisPoints:
                throw FlagError(code: .invalidDefinition, flag: name, message:
                    "flag `\(name)` rolls out to \(basisPoints) basis points, more than 10000 (100%); give a percent from 0 to 100")
            default:
                break
            }
        }
    }

    /// Re-applies `records` in order, then lets the manifest win for every flag it declares
    /// differently than at the last start (or declares for the first time).
    ///
    /// Precedence (docs/FLAGS.md): the latest decision wins. A runtime change is later than the
    /// manifest it was made under, so it survives restarts; editing the manifest is a newer
    /// decision still, recorded as a `manifest` change, so it wins over the changes before it.
    static func replay(_ records: [FlagAuditRecord], over definitions: [FlagDefinition], at time: Int64,
                       trail: FlagAuditTrail) throws(FlagError) -> StartState {
        var current: [String: FlagSetting] = [:]
        var lastManifest: [String: String] = [:]
        for record in records {
            guard let setting = FlagSetting(auditText: record.newValue) else {
                throw FlagError(code: .storage, flag: record.flag, message:
                    "record \(record.sequence) of the flag audit trail in \(trail.location) has the unreadable value `\(record.newValue)` for flag `\(record.flag)`; restore the file from a backup or remove that record")
            }
            current[record.flag] = setting
            if record.action == .manifest {
                lastManifest[record.flag] = record.newValue
            }
        }

        var state = StartState(settings: [:], manifestEntries: [])
        for definition in definitions {
            let declared = FlagSetting(definition.rule)
            let recorded = current[definition.name]
            if lastManifest[definition.name] == declared.auditText, let recorded, sameKind(recorded, declared) {
                state.settings[definition.name] = recorded
            } else {
                state.settings[definition.name] = declared
                state.manifestEntries.append(FlagAuditTrail.Entry(
                    timeMilliseconds: time, actor: "manifest", flag: definition.name, action: .manifest,
                    oldValue: recorded?.auditText, newValue: declared.auditText))
            }
        }
        return state
    }

    /// Whether a recorded setting can stand for a flag declared as `declared`: the same kind,
    /// and for a rollout flag the same subject.
    static func sameKind(_ recorded: FlagSetting, _ declared: FlagSetting) -> Bool {
        switch (recorded, declared) {
        case (.consensus, .consensus): true
        case (.rollout(_, let a), .rollout(_, let b)): a == b
        default: false
        }
    }
}
