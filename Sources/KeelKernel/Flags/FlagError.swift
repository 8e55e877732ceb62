/// A refused flag change, or a flag store that cannot be opened.
///
/// `message` says what happened and what to do; `code` lets the admin API and tests tell
/// the cases apart (new codes may be added).
public struct FlagError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of refusal this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The flag is not declared in the manifest.
        public static let unknownFlag = Code("unknownFlag")
        /// A consensus change was asked of a rollout flag, or the other way round.
        public static let wrongKind = Code("wrongKind")
        /// A consensus flag was to be scheduled at or below the chain's height.
        public static let heightInPast = Code("heightInPast")
        /// A consensus flag was to be scheduled sooner than the minimum lead allows.
        public static let insideMinimumLead = Code("insideMinimumLead")
        /// A consensus flag that is already active was to be moved or killed.
        public static let alreadyActive = Code("alreadyActive")
        /// A rollout share outside 0 to 100%.
        public static let shareOutOfRange = Code("shareOutOfRange")
        /// A change without an actor to record.
        public static let missingActor = Code("missingActor")
        /// The manifest's definitions cannot be used (a name twice, a share above 100%).
        public static let invalidDefinition = Code("invalidDefinition")
        /// The audit trail could not be read or written.
        public static let storage = Code("storage")
    }

    /// What kind of refusal this is.
    public let code: Code
    /// The flag concerned, when there is one.
    public let flag: String?
    /// What happened and what to do next.
    public let message: String

    public init(code: Code, flag: String?, message: String) {
        self.code = code
        self.flag = flag
        self.message = message
    }

    public var description: String { message }
}

extension FlagError {
    static func unknown(_ flag: String, known: [String]) -> FlagError {
        var message = "flag `\(flag)` is not declared in the manifest; declare it under `features:` and restart the node"
        if let suggestion = DidYouMean.suggestion(for: flag, among: known) {
            message += " (did you mean `\(suggestion)`?)"
        }
        return FlagError(code: .unknownFlag, flag: flag, message: message)
    }

    static func notConsensus(_ flag: String, setting: FlagSetting) -> FlagError {
        FlagError(code: .wrongKind, flag: flag, message:
            "flag `\(flag)` is a rollout flag (\(setting)), not a consensus flag; it cannot be scheduled at a height: set its share instead")
    }

    static func notRollout(_ flag: String, setting: FlagSetting) -> FlagError {
        FlagError(code: .wrongKind, flag: flag, message:
            "flag `\(flag)` is a consensus flag (\(setting)), not a rollout flag; it has no share: schedule it at a height instead")
    }

    static func missingActor(_ flag: String) -> FlagError {
        FlagError(code: .missingActor, flag: flag, message:
            "the change to flag `\(flag)` names no actor; every change is recorded with who made it: give the operator's or token's name")
    }

    static func shareOutOfRange(_ flag: String, basisPoints: Int) -> FlagError {
        FlagError(code: .shareOutOfRange, flag: flag, message:
            "rollout share \(basisPoints) basis points for flag `\(flag)` is out of range; give 0 to 10000 basis points (0% to 100%)")
    }

    static func shareOutOfRange(_ flag: String, percent: Double) -> FlagError {
        FlagError(code: .shareOutOfRange, flag: flag, message:
            "rollout share \(percent)% for flag `\(flag)` is out of range; give a percent from 0 to 100")
    }
}
