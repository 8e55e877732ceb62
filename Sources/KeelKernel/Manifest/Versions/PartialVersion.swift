/// The version part of one comparison in a constraint: `1`, `1.2`, `1.x`, `1.2.3`, `1.2.3-rc.1`.
/// Missing numbers widen the comparison the way npm and Cargo do.
struct PartialVersion: Sendable, Hashable {
    var major: UInt64
    var minor: UInt64?
    /// Set only together with `minor`; a full version also carries its pre-release.
    var full: SemanticVersion?

    init(_ text: String) throws(VersionConstraint.ParseError) {
        if text.first == "v" || text.first == "V" {
            throw VersionConstraint.ParseError("`\(text)` starts with `v`; write the version without it")
        }
        let numbersEnd = text.firstIndex { $0 == "-" || $0 == "+" } ?? text.endIndex
        var parts = text[..<numbersEnd].split(separator: ".", omittingEmptySubsequences: false)
        while let last = parts.last, parts.count > 1, last == "x" || last == "X" || last == "*" {
            parts.removeLast()
        }
        if parts.count == 3 && numbersEnd == text.endIndex || numbersEnd != text.endIndex {
            switch SemanticVersion.parse(text) {
            case .success(let version):
                major = version.major
                minor = version.minor
                full = version
                return
            case .failure(let error):
                throw error
            }
        }
        guard (1...2).contains(parts.count), let major = SemanticVersion.number(parts[0]) else {
            throw VersionConstraint.ParseError(
                "`\(text)` is not a version: write MAJOR.MINOR.PATCH (`1.2.0`) or leave out the last numbers (`1.2`, `1`)")
        }
        self.major = major
        if parts.count == 2 {
            guard let minor = SemanticVersion.number(parts[1]) else {
                throw VersionConstraint.ParseError("`\(text)` is not a version: `\(parts[1])` is not a number without leading zeros")
            }
            self.minor = minor
        }
    }

    private var lowest: SemanticVersion {
        full ?? SemanticVersion(major: major, minor: minor ?? 0, patch: 0)
    }

    /// The first release above every version this partial version stands for (`1.2` → `1.3.0`).
    private var nextAfterPartial: SemanticVersion? {
        if let minor {
            return minor == .max ? nil : SemanticVersion(major: major, minor: minor + 1, patch: 0)
        }
        return major == .max ? nil : SemanticVersion(major: major + 1, minor: 0, patch: 0)
    }

    private var caretUpperBound: SemanticVersion? {
        if major > 0 || minor == nil {
            return major == .max ? nil : SemanticVersion(major: major + 1, minor: 0, patch: 0)
        }
        if let full, full.minor == 0 {
            return full.patch == .max ? nil : SemanticVersion(major: 0, minor: 0, patch: full.patch + 1)
        }
        let minor = minor ?? 0
        return minor == .max ? nil : SemanticVersion(major: 0, minor: minor + 1, patch: 0)
    }

    private var tildeUpperBound: SemanticVersion? {
        if let minor {
            return minor == .max ? nil : SemanticVersion(major: major, minor: minor + 1, patch: 0)
        }
        return major == .max ? nil : SemanticVersion(major: major + 1, minor: 0, patch: 0)
    }

    /// The comparisons `operatorText` (`""`, `=`, `<`, `<=`, `>`, `>=`, `^`, `~`) with this version means.
    func comparators(for operatorText: String) -> [VersionConstraint.Comparator] {
        typealias Comparator = VersionConstraint.Comparator
        func below(_ bound: SemanticVersion?) -> [Comparator] {
            bound.map { [Comparator(op: .less, version: $0)] } ?? []
        }
        let atLeast = Comparator(op: .greaterOrEqual, version: lowest)
        switch operatorText {
        case "<": return [Comparator(op: .less, version: lowest)]
        case ">=": return [atLeast]
        case "^": return [atLeast] + below(caretUpperBound)
        case "~": return [atLeast] + below(tildeUpperBound)
        case "<=":
            if let full { return [Comparator(op: .lessOrEqual, version: full)] }
            return below(nextAfterPartial)
        case ">":
            if let full { return [Comparator(op: .greater, version: full)] }
            guard let next = nextAfterPartial else {
                // Nothing lies above the largest possible partial version.
                return [Comparator(op: .greater, version: SemanticVersion(major: .max, minor: .max, patch: .max))]
            }
            return [Comparator(op: .greaterOrEqual, version: next)]
        default: // "" and "="
            if let full { return [Comparator(op: .equal, version: full)] }
            return [atLeast] + below(nextAfterPartial)
        }
    }
}
