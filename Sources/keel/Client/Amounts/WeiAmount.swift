import Foundation

/// Amounts of ether as users type them and as `keel` prints them, exactly, in 128 bits of wei.
///
/// Typed: wei as a plain integer (`1000`), or a decimal with a unit: `7wei`, `20gwei`, `1.5eth`,
/// `1.5ether` (the unit in any case, an optional space before it). A decimal may have at most as
/// many digits after the point as its unit has (none for wei, 9 for gwei, 18 for ether), so no
/// amount is ever rounded. No floating point is involved anywhere.
enum WeiAmount {
    /// A unit of ether and how many decimal places of wei it holds.
    struct Unit: Sendable {
        let names: [String]
        let decimals: Int
    }

    static let units = [
        Unit(names: ["wei"], decimals: 0),
        Unit(names: ["gwei"], decimals: 9),
        Unit(names: ["eth", "ether"], decimals: 18),
    ]

    /// The largest amount: 2^128 − 1 wei.
    static let maximum = UInt128.max

    /// Parses `text` (see the type's description); `option` names the option in messages.
    static func parse(_ text: String, option: String = "--value") throws(UserError) -> UInt128 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let example = "write wei as an integer (1000000000000000000) or a decimal with a unit (1.5eth, 20gwei, 7wei)"
        guard !trimmed.isEmpty else { throw UserError("\(option) is empty; \(example)") }
        guard !trimmed.hasPrefix("-") else { throw UserError("\(option) \(text) is negative; amounts are 0 or more") }
        let number = String(trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") })
        let unitText = trimmed.dropFirst(number.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard !number.isEmpty else { throw UserError("\(option) \(text) is not an amount; \(example)") }
        let unit: Unit
        if unitText.isEmpty {
            guard !number.contains(".") else {
                throw UserError("\(option) \(text) has decimals but no unit; a plain number is wei, so \(example)")
            }
            unit = units[0]
        } else {
            guard let found = units.first(where: { $0.names.contains(unitText) }) else {
                throw UserError("\(option) \(text): unknown unit \"\(unitText)\"; use wei, gwei, eth or ether")
            }
            unit = found
        }
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty || (parts.count == 2 && !parts[1].isEmpty) else {
            throw UserError("\(option) \(text) is not an amount; \(example)")
        }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= unit.decimals else {
            let allowed = unit.decimals == 0 ? "no decimals" : "at most \(unit.decimals) decimals"
            throw UserError("\(option) \(text) has \(fraction.count) decimal\(fraction.count == 1 ? "" : "s"), but \(unit.names[0]) amounts have \(allowed) "
                            + "(1 wei is the smallest amount); use a smaller unit or fewer decimals")
        }
        let digits = whole + fraction + String(repeating: "0", count: unit.decimals - fraction.count)
        var value: UInt128 = 0
        for digit in digits.utf8 {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt128(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else {
                throw UserError("\(option) \(text) is more than 2^128 − 1 wei (\(format(maximum))), the most an amount can hold")
            }
            value = sum
        }
        return value
    }

    /// `1500000000000000000` → `1.5 ETH`; `0` → `0 ETH`; `1` → `0.000000000000000001 ETH`.
    static func ether(_ wei: UInt128) -> String {
        decimal(wei, decimals: 18) + " ETH"
    }

    /// `20000000000` → `20 gwei`.
    static func gwei(_ wei: UInt128) -> String {
        decimal(wei, decimals: 9) + " gwei"
    }

    /// `wei` wei and its value in ETH: `1500000000000000000 wei (1.5 ETH)`.
    static func format(_ wei: UInt128) -> String {
        "\(wei) wei (\(ether(wei)))"
    }

    /// `wei` as a decimal number of units of `decimals` places, without trailing zeros.
    static func decimal(_ wei: UInt128, decimals: Int) -> String {
        var scale: UInt128 = 1
        for _ in 0..<decimals { scale *= 10 }
        let whole = wei / scale
        let rest = wei % scale
        guard rest != 0 else { return String(whole) }
        let fraction = String(rest)
        let padded = String(repeating: "0", count: decimals - fraction.count) + fraction
        let trimmed = padded.reversed().drop { $0 == "0" }.reversed()
        return "\(whole).\(String(trimmed))"
    }
}
