import Foundation
import KeelJSONRPC

/// How `keel flags` prints the admin API's answers (docs/RPC.md: `admin_listFlags` gives one
/// object per flag, a change gives its audit record).
enum FlagListing {
    /// `admin_listFlags` as a table: name, current setting, whether a consensus flag is active at
    /// the node's height, and what the manifest declared.
    static func lines(_ value: JSONValue) -> [String] {
        guard let flags = value.arrayValue else { return [JSONText.pretty(value)] }
        guard !flags.isEmpty else { return ["no feature flags: the manifest's `features:` declares none"] }
        let rows = flags.map { flag -> [String] in
            let name = flag["name"]?.stringValue ?? "?"
            let setting = flag["setting"]?.stringValue ?? flag["kind"]?.stringValue ?? "?"
            let active = flag["active"]?.boolValue.map { $0 ? "yes" : "no" } ?? "-"
            return [name, setting, active, declared(flag["declared"]), guardText(flag["guard"])]
        }
        return textTable(["NAME", "SETTING", "ACTIVE", "MANIFEST", "GUARD"], rows.sorted { $0[0] < $1[0] })
    }

    /// A guard in words: `error_rate over 2× the rest, 60 s`.
    static func guardText(_ value: JSONValue?) -> String {
        guard let value, value != .null else { return "-" }
        let ratio = value["max_ratio"].map(StatusSummary.text) ?? "?"
        return "\(value["metric"]?.stringValue ?? "?") over \(ratio)× the rest, \(value["window_s"].map(StatusSummary.text) ?? "?") s"
    }

    /// `admin_flagAudit` as a table, oldest first: every change, who made it, and why when it says.
    static func audit(_ value: JSONValue) -> [String] {
        guard let records = value.arrayValue else { return [JSONText.pretty(value)] }
        guard !records.isEmpty else { return ["no changes recorded"] }
        let rows = records.map { record -> [String] in
            let time = record["time_ms"].flatMap { $0.integerValue }.map { Date(timeIntervalSince1970: Double($0) / 1000) }
            return [record["sequence"].map(StatusSummary.text) ?? "?", time.map { ISO8601DateFormatter().string(from: $0) } ?? "?",
                    record["actor"]?.stringValue ?? "?", record["flag"]?.stringValue ?? "?", record["action"]?.stringValue ?? "?",
                    (record["old"]?.stringValue ?? "-") + " → " + (record["new"]?.stringValue ?? "?"), record["reason"]?.stringValue ?? ""]
        }
        return textTable(["SEQ", "TIME", "ACTOR", "FLAG", "ACTION", "CHANGE", "REASON"], rows)
    }

    /// The manifest's rule: `height 20`, `10% of senders`.
    static func declared(_ value: JSONValue?) -> String {
        guard let value else { return "-" }
        if let height = value["activate_at_height"] { return "height \(StatusSummary.text(height))" }
        if let percent = value["percent"] {
            let subject = value["subject"]?.stringValue.map { " of \($0)s" } ?? ""
            return "\(percentText(StatusSummary.text(percent)))%\(subject)"
        }
        return StatusSummary.text(value)
    }

    /// A share as people write it: `10.0` → `10`, `12.50` → `12.5`.
    static func percentText(_ number: String) -> String {
        guard number.contains("."), number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else { return number }
        var text = Substring(number)
        while text.hasSuffix("0") { text = text.dropLast() }
        if text.hasSuffix(".") { text = text.dropLast() }
        return String(text)
    }

    /// A change's audit record: `old → new (audit record 7, by rpc@127.0.0.1)`.
    static func result(_ value: JSONValue) -> [String] {
        guard let new = value["new"] else {
            switch value {
            case .null, .bool: return []
            default: return ["  \(StatusSummary.text(value))"]
            }
        }
        let old = value["old"].map(StatusSummary.text) ?? "none"
        var line = "  \(old) → \(StatusSummary.text(new))"
        if let sequence = value["sequence"] {
            line += " (audit record \(StatusSummary.text(sequence))"
            if let actor = value["actor"]?.stringValue { line += ", by \(actor)" }
            line += ")"
        }
        return [line]
    }

    /// 0 to 100 with at most two decimals (the flags keep shares in basis points).
    static func isPercent(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let whole = UInt64(parts[0]) else { return false }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= 2, fraction.allSatisfy({ $0.isASCII && $0.isNumber }), parts.count == 1 || !fraction.isEmpty else {
            return false
        }
        return whole < 100 || (whole == 100 && fraction.allSatisfy { $0 == "0" })
    }
}
