/// Which versions of a plugin a manifest accepts, e.g. `">=1.0 <2"`, `"^1.2"`, `"~1.2.3"`,
/// `"1.2.3"` or `"*"`.
///
/// The grammar follows npm and Cargo, which most plugin authors know:
/// - comparisons `>=`, `>`, `<=`, `<`, `=` with a full or partial version; all must hold
///   (separate them with spaces or commas);
/// - `^1.2.3` allows changes that keep the left-most non-zero number (`>=1.2.3 <2.0.0`,
///   `^0.2.3` is `>=0.2.3 <0.3.0`); `~1.2.3` allows patch changes (`>=1.2.3 <1.3.0`);
/// - a bare version is exact (`1.2.3`), a bare partial one a range (`1.2` is `>=1.2.0 <1.3.0`);
///   `x` or `*` may stand for a missing number (`1.x`); `*` alone accepts every release;
/// - `||` joins alternatives (`^1.4 || ^2`).
///
/// A pre-release such as `2.0.0-rc.1` is accepted only by a constraint that names a pre-release
/// of the same `MAJOR.MINOR.PATCH` (`>=2.0.0-rc.0`), so `<2` never admits `2.0.0-rc.1`.
public struct VersionConstraint: Sendable, Hashable, CustomStringConvertible {
    /// Why a constraint could not be read.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong, as a phrase that names the offending text.
        public var reason: String

        init(_ reason: String) {
            self.reason = reason
        }

        public var description: String { reason }
    }

    struct Comparator: Sendable, Hashable {
        enum Operator: String, Sendable, Hashable {
            case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "="
        }

        var op: Operator
        var version: SemanticVersion

        func holds(for candidate: SemanticVersion) -> Bool {
            switch op {
            case .less: candidate < version
            case .lessOrEqual: candidate <= version
            case .greater: candidate > version
            case .greaterOrEqual: candidate >= version
            case .equal: candidate == version
            }
        }
    }

    /// The text as written in the manifest.
    public let text: String
    /// Alternatives joined by `||`; each is a list of comparisons that must all hold.
    let alternatives: [[Comparator]]

    /// Accepts every release (`*`).
    public static let any = VersionConstraint(text: "*", alternatives: [[]])

    private init(text: String, alternatives: [[Comparator]]) {
        self.text = text
        self.alternatives = alternatives
    }

    /// Parses `text`; throws a `ParseError` that names the part that could not be read.
    public init(_ text: String) throws(ParseError) {
        let trimmed = ManifestText.trimmed(text)
        guard !trimmed.isEmpty else {
            throw ParseError("the version constraint is empty; write `*` to accept any version")
        }
        var alternatives: [[Comparator]] = []
        for alternative in ManifestText.split(trimmed, on: "||") {
            let tokens = VersionConstraint.tokens(alternative)
            guard !tokens.isEmpty else {
                throw ParseError("`\(trimmed)` has an empty alternative around `||`")
            }
            var comparators: [Comparator] = []
            for token in tokens {
                comparators += try VersionConstraint.comparators(for: token)
            }
            alternatives.append(comparators)
        }
        self.init(text: text, alternatives: alternatives)
    }

    /// Whether `version` is one this constraint accepts.
    public func isSatisfied(by version: SemanticVersion) -> Bool {
        alternatives.contains { comparators in
            guard comparators.allSatisfy({ $0.holds(for: version) }) else { return false }
            guard version.isPrerelease else { return true }
            return comparators.contains { comparator in
                comparator.version.isPrerelease
                    && (comparator.version.major, comparator.version.minor, comparator.version.patch)
                        == (version.major, version.minor, version.patch)
            }
        }
    }

    /// The constraint as written.
    public var description: String { text }

    /// Splits on spaces and commas, keeping an operator written apart from its version (`>= 1.0`) with it.
    private static func tokens(_ text: String) -> [String] {
        let words = text.split { $0 == " " || $0 == "," || $0 == "\t" }.map(String.init)
        var tokens: [String] = []
        for word in words {
            if let last = tokens.last, ["<", "<=", ">", ">=", "=", "^", "~"].contains(last) {
                tokens[tokens.count - 1] = last + word
            } else {
                tokens.append(word)
            }
        }
        return tokens
    }

    private static let example = "write e.g. `>=1.0 <2`, `^1.2`, `~1.2.3`, `1.2.3` or `*`"

    private static func comparators(for token: String) throws(ParseError) -> [Comparator] {
        var operatorText = String(token.prefix { "<>=^~".contains($0) })
        let versionText = String(token.dropFirst(operatorText.count))
        if operatorText == "==" { operatorText = "=" }
        guard ["", "<", "<=", ">", ">=", "=", "^", "~"].contains(operatorText) else {
            throw ParseError("`\(token)` does not start with a known comparison (`>=`, `>`, `<=`, `<`, `=`, `^`, `~`); \(example)")
        }
        if versionText == "*" || versionText == "x" || versionText == "X" {
            guard operatorText.isEmpty || operatorText == ">=" else {
                throw ParseError("`\(token)` compares with `*`, which stands for every version; write `*` alone")
            }
            return []
        }
        guard !versionText.isEmpty else {
            throw ParseError("`\(token)` has no version after the comparison; \(example)")
        }
        let partial = try PartialVersion(versionText)
        return partial.comparators(for: operatorText)
    }
}
