/// A flag's value as it stands now: the manifest's rule with the recorded runtime changes applied.
///
/// Unlike `FlagDefinition.Rule`, a consensus flag may be unscheduled here: the kill switch cancels
/// a consensus flag that is not active yet, and it then stays off until it is scheduled again.
public enum FlagSetting: Sendable, Equatable, CustomStringConvertible {
    /// Active for every block at or above `activateAtHeight`; never active when it is `nil`.
    case consensus(activateAtHeight: UInt64?)
    /// Active for subjects whose bucket (see `RolloutBucket`) is below `basisPoints`.
    case rollout(basisPoints: UInt16, subject: RolloutSubject)

    /// The setting a manifest rule stands for.
    public init(_ rule: FlagDefinition.Rule) {
        switch rule {
        case .consensus(let height): self = .consensus(activateAtHeight: height)
        case .rollout(let basisPoints, let subject): self = .rollout(basisPoints: basisPoints, subject: subject)
        }
    }

    /// Whether this is a consensus flag (the same on every node) rather than a rollout flag.
    public var isConsensus: Bool {
        if case .consensus = self { return true }
        return false
    }

    /// Words for `flags list` and error messages: "active from height 1000", "10.00% of senders".
    public var description: String {
        switch self {
        case .consensus(let height?): "consensus, active from height \(height)"
        case .consensus(nil): "consensus, not scheduled"
        case .rollout(let basisPoints, let subject):
            "rollout, \(RolloutShare.percentText(basisPoints)) of \(subject.rawValue)s"
        }
    }

    /// The form kept in the audit trail, which `init?(auditText:)` reads back on start:
    /// `consensus:1000`, `consensus:unscheduled`, `rollout:1500:sender` (basis points).
    public var auditText: String {
        switch self {
        case .consensus(let height?): "consensus:\(height)"
        case .consensus(nil): "consensus:unscheduled"
        case .rollout(let basisPoints, let subject): "rollout:\(basisPoints):\(subject.rawValue)"
        }
    }

    /// Reads the audit trail's form back; `nil` for text that `auditText` never writes.
    public init?(auditText text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch (parts.first, parts.count) {
        case ("consensus", 2):
            if parts[1] == "unscheduled" {
                self = .consensus(activateAtHeight: nil)
            } else if let height = UInt64(parts[1]), height != FlagSetting.neverHeight {
                self = .consensus(activateAtHeight: height)
            } else {
                return nil
            }
        case ("rollout", 3):
            guard let basisPoints = UInt16(parts[1]), basisPoints <= RolloutShare.wholeBasisPoints,
                  let subject = RolloutSubject(rawValue: String(parts[2])) else { return nil }
            self = .rollout(basisPoints: basisPoints, subject: subject)
        default:
            return nil
        }
    }

    /// The height word that stands for "not scheduled" in the lock-free cells; never a real height.
    static let neverHeight = UInt64.max
}

/// One flag in `FeatureFlags.list()`: what `flags list` prints.
public struct FlagStatus: Sendable, Equatable {
    /// The flag's name.
    public let name: String
    /// Its value now, runtime changes included.
    public let setting: FlagSetting
    /// The rule the manifest declares for it.
    public let declared: FlagDefinition.Rule
    /// Its guard, for a guarded rollout flag.
    public let rolloutGuard: FlagGuard?

    public init(name: String, setting: FlagSetting, declared: FlagDefinition.Rule, rolloutGuard: FlagGuard? = nil) {
        self.name = name
        self.setting = setting
        self.declared = declared
        self.rolloutGuard = rolloutGuard
    }
}

/// A consensus flag and the height it activates at, as `scheduledConsensusFlags(after:)` lists them.
public struct ScheduledFlag: Sendable, Equatable {
    /// The flag's name.
    public let name: String
    /// The first block height at which it is active.
    public let activateAtHeight: UInt64

    public init(name: String, activateAtHeight: UInt64) {
        self.name = name
        self.activateAtHeight = activateAtHeight
    }
}

/// Basis points and percent: 10000 basis points are 100%.
public enum RolloutShare {
    /// The whole population: 100%.
    public static let wholeBasisPoints: UInt16 = 10_000

    /// `percent` (0 to 100, at most two decimals are kept) in basis points; `nil` when out of range.
    public static func basisPoints(percent: Double) -> UInt16? {
        guard percent.isFinite, percent >= 0, percent <= 100 else { return nil }
        return UInt16((percent * 100).rounded())
    }

    /// "12.50%" for 1250 basis points.
    public static func percentText(_ basisPoints: UInt16) -> String {
        let whole = basisPoints / 100
        let hundredths = basisPoints % 100
        return "\(whole).\(hundredths < 10 ? "0" : "")\(hundredths)%"
    }
}
