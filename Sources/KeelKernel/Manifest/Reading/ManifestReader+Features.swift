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
            guard let name = flagName(entry.key), let (rule, rolloutGuard) = flagRule(entry.value, path: "features.\(name)") else {
                valid = false
                continue
            }
            flags.append(FlagDefinition(name: name, rule: rule, rolloutGuard: rolloutGuard))
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

    private mutating func flagRule(_ value: YAMLValue, path: String) -> (FlagDefinition.Rule, FlagGuard?)? {
        let known = ["activate_at_height", "rollout_percent", "subject", "guard"]
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
            if let guardEntry = fields.entries["guard"] {
                error(at: guardEntry.key.location, "`\(path).guard` applies only to rollout flags; a consensus flag cannot be "
                      + "turned off once active, so nothing could roll it back")
                return nil
            }
            return integer(height, path: "\(path).activate_at_height").map { (.consensus(activateAtHeight: $0), nil) }
        case (nil, let percent?):
            let basisPoints = rolloutBasisPoints(percent, path: "\(path).rollout_percent")
            let subject: RolloutSubject? = required("subject", in: fields).flatMap {
                choice($0, path: "\(path).subject", noun: "rollout subject")
            }
            var rolloutGuard: FlagGuard?
            if let guardValue = fields["guard"] {
                guard let parsed = flagGuard(guardValue, path: "\(path).guard") else { return nil }
                rolloutGuard = parsed
            }
            guard let basisPoints, let subject else { return nil }
            return (.rollout(basisPoints: basisPoints, subject: subject), rolloutGuard)
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

    /// `guard: { metric: error_rate|latency, max_ratio: R, window_s: S, min_requests: N }`.
    private mutating func flagGuard(_ value: YAMLValue, path: String) -> FlagGuard? {
        guard let fields = fields(of: value, path: path, known: ["metric", "max_ratio", "window_s", "min_requests"],
                                  expected: "`{ metric: error_rate, max_ratio: 2, window_s: 60, min_requests: 20 }`") else { return nil }
        var valid = true
        var metric = FlagGuard.Metric.errorRate
        if let metricValue = fields["metric"] {
            if let chosen: FlagGuard.Metric = choice(metricValue, path: "\(path).metric", noun: "guard metric") { metric = chosen } else { valid = false }
        }
        var maxRatio = 2.0
        if let ratioValue = fields["max_ratio"] {
            if let text = ratioValue.scalar?.text, let ratio = Double(text), ratio >= 1, ratio <= 1000 {
                maxRatio = ratio
            } else {
                error(at: ratioValue.location, "`\(path).max_ratio` must be a number from 1 to 1000 (how many times worse than the rest the cohort may be)")
                valid = false
            }
        }
        var window: UInt64 = 60
        if let windowValue = fields["window_s"] {
            if let seconds = integer(windowValue, path: "\(path).window_s", in: UInt64(1)...UInt64(86_400)) { window = seconds } else { valid = false }
        }
        var minimum: UInt64 = 20
        if let minimumValue = fields["min_requests"] {
            if let count = integer(minimumValue, path: "\(path).min_requests", in: UInt64(1)...UInt64(1_000_000)) { minimum = count } else { valid = false }
        }
        return valid ? FlagGuard(metric: metric, maxRatio: maxRatio, windowSeconds: window, minRequests: Int(minimum)) : nil
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
