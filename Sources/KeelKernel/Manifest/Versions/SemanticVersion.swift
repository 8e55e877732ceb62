/// A semantic version, `MAJOR.MINOR.PATCH` with an optional `-pre.release` and `+build` part
/// (https://semver.org, 2.0.0).
///
/// Versions compare by semver precedence: numbers numerically, a pre-release below its release
/// (`1.0.0-rc.1 < 1.0.0`), and build metadata ignored — also by `==`, so `1.0.0+a == 1.0.0+b`.
public struct SemanticVersion: Sendable, Hashable, Comparable, LosslessStringConvertible {
    /// One dot-separated part of a pre-release: numeric parts compare as numbers and below text.
    public enum PrereleaseIdentifier: Sendable, Hashable, Comparable, CustomStringConvertible {
        case numeric(UInt64)
        case text(String)

        public var description: String {
            switch self {
            case .numeric(let value): String(value)
            case .text(let value): value
            }
        }

        public static func < (lhs: PrereleaseIdentifier, rhs: PrereleaseIdentifier) -> Bool {
            switch (lhs, rhs) {
            case (.numeric(let left), .numeric(let right)): left < right
            case (.numeric, .text): true
            case (.text, .numeric): false
            case (.text(let left), .text(let right)): Array(left.utf8).lexicographicallyPrecedes(right.utf8)
            }
        }
    }

    public var major: UInt64
    public var minor: UInt64
    public var patch: UInt64
    /// The pre-release identifiers (`rc`, `1` for `-rc.1`); empty for a release.
    public var prerelease: [PrereleaseIdentifier]
    /// The build metadata identifiers (`+build.5`); never part of comparisons.
    public var build: [String]

    public init(major: UInt64, minor: UInt64, patch: UInt64,
                prerelease: [PrereleaseIdentifier] = [], build: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.build = build
    }

    /// Parses `1.2.3`, `1.2.3-rc.1`, `1.2.3+build.5`. Returns `nil` for anything else, including
    /// missing parts (`1.2`), leading zeros (`01.2.3`) and a `v` prefix.
    public init?(_ text: String) {
        guard case .success(let version) = SemanticVersion.parse(text) else { return nil }
        self = version
    }

    /// `1.2.3-rc.1+build.5`.
    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { text += "-" + prerelease.map(\.description).joined(separator: ".") }
        if !build.isEmpty { text += "+" + build.joined(separator: ".") }
        return text
    }

    /// Whether this is a pre-release (`1.0.0-rc.1`).
    public var isPrerelease: Bool { !prerelease.isEmpty }

    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        if (lhs.major, lhs.minor, lhs.patch) != (rhs.major, rhs.minor, rhs.patch) {
            return (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
        }
        switch (lhs.prerelease.isEmpty, rhs.prerelease.isEmpty) {
        case (true, _): return false
        case (false, true): return true
        case (false, false): return lhs.prerelease.lexicographicallyPrecedes(rhs.prerelease)
        }
    }

    public static func == (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) == (rhs.major, rhs.minor, rhs.patch) && lhs.prerelease == rhs.prerelease
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
        hasher.combine(patch)
        hasher.combine(prerelease)
    }

    /// The version, or why `text` is not one (a phrase for a message).
    static func parse(_ text: String) -> Result<SemanticVersion, VersionConstraint.ParseError> {
        var rest = Substring(text)
        var build: [String] = []
        if let plus = rest.firstIndex(of: "+") {
            build = rest[rest.index(after: plus)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            rest = rest[..<plus]
            guard build.allSatisfy(isIdentifier) else {
                return .failure(.init("`\(text)` has build metadata that is not dot-separated letters, digits and `-`"))
            }
        }
        var prerelease: [PrereleaseIdentifier] = []
        if let dash = rest.firstIndex(of: "-") {
            let parts = rest[rest.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false)
            rest = rest[..<dash]
            for part in parts {
                guard isIdentifier(part) else {
                    return .failure(.init("`\(text)` has a pre-release that is not dot-separated letters, digits and `-`"))
                }
                if part.allSatisfy(ManifestText.isDigit) {
                    guard let value = number(part) else {
                        return .failure(.init("`\(text)` has a numeric pre-release part with a leading zero or too many digits"))
                    }
                    prerelease.append(.numeric(value))
                } else {
                    prerelease.append(.text(String(part)))
                }
            }
        }
        let numbers = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 3 else {
            return .failure(.init("`\(text)` is not a version: write MAJOR.MINOR.PATCH, e.g. `1.2.0`"))
        }
        var values: [UInt64] = []
        for part in numbers {
            guard let value = number(part) else {
                return .failure(.init("`\(text)` is not a version: `\(part)` is not a number without leading zeros"))
            }
            values.append(value)
        }
        return .success(SemanticVersion(major: values[0], minor: values[1], patch: values[2],
                                        prerelease: prerelease, build: build))
    }

    /// A decimal number without a leading zero (other than `0` itself) that fits 64 bits.
    static func number(_ text: Substring) -> UInt64? {
        guard !text.isEmpty, text.allSatisfy(ManifestText.isDigit), text == "0" || text.first != "0" else { return nil }
        return UInt64(text)
    }

    private static func isIdentifier(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}
