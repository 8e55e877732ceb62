extension ManifestReader {
    /// `features:`: a map of flag name to `{ activate_at_height: N }` (consensus) or
    /// `{ rollout_percent: P, subject: sender|recipient|client }` (rollout).
    mutating func readFeatures(_ value: YAMLValue?) -> (flags: [FlagDefinition], locations: [String: SourceLocation])? {
        guard let value else { return ([], [:]) }
        guard let entries = value.entries else {
            wrongType(value, path: "features", expected: "a mapping of flag name to its rule")
            return nil
        }
        var flags: [FlagDefinition] = []
        var locations: [String: SourceLocation] = [:]
        var valid = true
        for entry in entries {
            guard let name = flagName(entry.key), let rule = flagRule(entry.value, path: "features.\(name)") else {
                valid = false
                continue
            }
            flags.append(FlagDefinition(name: name, rule: rule))
            locations[name] = entry.key.location
        }
        return valid ? (flags, locations) : nil
    }

    /// Lowercase words of letters and digits joined by `-`: `batch-codec-brotli`.
    private mutating func flagName(_ key: YAMLValue) -> String? {
        guard let name = key.scalar?.text else {
            error(at: key.location, "`features` keys must be flag names, but one is \(key.kindDescription)")
            return nil
        }
        let words = name.split(separator: "-", omittingEmptySubsequences: false)
        let valid = words.allSatisfy { word in
            !word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
        }
        guard valid else {
            error(at: key.location, "`\(ManifestText.abbreviated(name))` is not a flag name; use lowercase letters and digits "
                  + "in words joined by `-`, e.g. `batch-codec-brotli`")
            return nil
        }
        return name
    }

    private mutating func flagRule(_ value: YAMLValue, path: String) -> FlagDefinition.Rule? {
        let known = ["activate_at_height", "rollout_percent", "subject"]
        guard let fields = fields(of: value, path: path, known: known,
                                  expected: "`{ activate_at_height: N }` or `{ rollout_percent: P, subject: sender }`")
        else { return nil }
        switch (fields["activate_at_height"], fields["rollout_percent"]) {
        case (let height?, nil):
            if let subject = fields.entries["subject"] {
                error(at: subject.key.location, "`\(path).subject` applies only to rollout flags; a flag with "
                      + "`activate_at_height` is a consensus flag and reaches every subject")
                return nil
            }
            return integer(height, path: "\(path).activate_at_height").map { .consensus(activateAtHeight: $0) }
        case (nil, let percent?):
            let basisPoints = rolloutBasisPoints(percent, path: "\(path).rollout_percent")
            let subject: RolloutSubject? = required("subject", in: fields).flatMap {
                choice($0, path: "\(path).subject", noun: "rollout subject")
            }
            guard let basisPoints, let subject else { return nil }
            return .rollout(basisPoints: basisPoints, subject: subject)
        case (_?, _?):
            error(at: value.location, "`\(path)` has both `activate_at_height` and `rollout_percent`; a flag is either "
                  + "a consensus flag (a height) or a rollout flag (a share of subjects), not both")
            return nil
        case (nil, nil):
            error(at: value.location, "`\(path)` needs `activate_at_height: N` (a consensus flag) or "
                  + "`rollout_percent: P` with `subject` (a rollout flag)")
            return nil
        }
    }

    /// A percentage from 0 to 100 with at most two decimals, in basis points (12.5 → 1250).
    private mutating func rolloutBasisPoints(_ value: YAMLValue, path: String) -> UInt16? {
        let expected = "a percentage from 0 to 100 with at most two decimals (e.g. `12.5`)"
        guard let scalar = value.scalar else {
            wrongType(value, path: path, expected: expected)
            return nil
        }
        switch scalar.coreValue {
        case .integer, .float: break
        default:
            wrongType(value, path: path, expected: expected)
            return nil
        }
        let parts = scalar.text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = parts.first ?? ""
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count <= 2, !(whole.isEmpty && fraction.isEmpty), whole.count <= 3,
              whole.allSatisfy(ManifestText.isDigit), fraction.count <= 2, fraction.allSatisfy(ManifestText.isDigit),
              let wholeValue = Int(whole.isEmpty ? "0" : whole),
              let fractionValue = Int(fraction + String(repeating: "0", count: 2 - fraction.count)) else {
            error(at: value.location, "`\(path)` must be \(expected), but is `\(scalar.text)`")
            return nil
        }
        let basisPoints = wholeValue * 100 + fractionValue
        guard basisPoints <= 10_000 else {
            error(at: value.location, "`\(path)` must be \(expected), but is `\(scalar.text)`")
            return nil
        }
        return UInt16(basisPoints)
    }
}
