/// A scalar typed by the YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
///
/// Only plain scalars are typed implicitly; quoted and block scalars are strings. So `yes`, `on`
/// and `0777` are strings and decimal text in the manifest never changes type by accident.
enum CoreScalar: Sendable, Hashable {
    case null
    case bool(Bool)
    /// An integer, as exact decimal text without a `+` or leading zeros: `-12`, `340282366920938463463374607431768211456`.
    case integer(decimal: String)
    /// A floating-point number; `json` is its JSON text, or `nil` for `.inf`, `-.inf` and `.nan`.
    case float(json: String?)
    case string

    private static let nullTag = "tag:yaml.org,2002:null"
    private static let boolTag = "tag:yaml.org,2002:bool"
    private static let intTag = "tag:yaml.org,2002:int"
    private static let floatTag = "tag:yaml.org,2002:float"

    init(_ scalar: YAMLScalar) {
        switch scalar.explicitTag {
        case nil:
            self = scalar.isPlain ? CoreScalar.implicit(scalar.text) : .string
        case CoreScalar.nullTag?, CoreScalar.boolTag?, CoreScalar.intTag?, CoreScalar.floatTag?:
            // An explicit tag asks for a type; the text must still be written in that type's form.
            self = CoreScalar.implicit(scalar.text)
        default:
            self = .string
        }
    }

    private static func implicit(_ text: String) -> CoreScalar {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
             ".nan", ".NaN", ".NAN":
            return .float(json: nil)
        default: break
        }
        if let decimal = integerDecimal(text) { return .integer(decimal: decimal) }
        if let json = floatJSON(text) { return .float(json: json) }
        return .string
    }

    /// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`, as decimal text.
    private static func integerDecimal(_ text: String) -> String? {
        let utf8 = Array(text.utf8)
        if utf8.count > 2, utf8[0] == UInt8(ascii: "0") {
            let digits = utf8[2...]
            if utf8[1] == UInt8(ascii: "o"), digits.allSatisfy({ (0x30...0x37).contains($0) }) {
                return DecimalText.convert(digits: digits.map { $0 - 0x30 }, radix: 8)
            }
            if utf8[1] == UInt8(ascii: "x"), let values = hexDigitValues(digits) {
                return DecimalText.convert(digits: values, radix: 16)
            }
        }
        var body = utf8[...]
        var negative = false
        if let sign = body.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        guard !body.isEmpty, body.allSatisfy(isDigit) else { return nil }
        let trimmed = String(decoding: body.drop { $0 == UInt8(ascii: "0") }, as: UTF8.self)
        if trimmed.isEmpty { return "0" }
        return negative ? "-" + trimmed : trimmed
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, rewritten in JSON's stricter form.
    private static func floatJSON(_ text: String) -> String? {
        var rest = Substring(text)
        var sign = ""
        if let first = rest.first, first == "-" || first == "+" {
            sign = first == "-" ? "-" : ""
            rest = rest.dropFirst()
        }
        let integerPart = rest.prefix { $0.isASCII && $0.isNumber }
        rest = rest.dropFirst(integerPart.count)
        var fraction: Substring = ""
        var hasPoint = false
        if rest.first == "." {
            hasPoint = true
            rest = rest.dropFirst()
            fraction = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(fraction.count)
        }
        guard !integerPart.isEmpty || !fraction.isEmpty else { return nil }
        var exponent = ""
        if let e = rest.first, e == "e" || e == "E" {
            rest = rest.dropFirst()
            var exponentSign = ""
            if let first = rest.first, first == "-" || first == "+" {
                exponentSign = first == "-" ? "-" : ""
                rest = rest.dropFirst()
            }
            let exponentDigits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !exponentDigits.isEmpty else { return nil }
            rest = rest.dropFirst(exponentDigits.count)
            exponent = "e" + exponentSign + exponentDigits
        }
        guard rest.isEmpty, hasPoint || !exponent.isEmpty else { return nil }
        let integerDigits = integerPart.drop { $0 == "0" }
        let json = sign + (integerDigits.isEmpty ? "0" : integerDigits)
            + (fraction.isEmpty ? "" : "." + fraction) + exponent
        return json
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    private static func hexDigitValues(_ digits: ArraySlice<UInt8>) -> [UInt8]? {
        var values: [UInt8] = []
        values.reserveCapacity(digits.count)
        for byte in digits {
            switch byte {
            case 0x30...0x39: values.append(byte - 0x30)
            case 0x41...0x46: values.append(byte - 0x41 + 10)
            case 0x61...0x66: values.append(byte - 0x61 + 10)
            default: return nil
            }
        }
        return values
    }
}

/// Turns digits in another radix into exact decimal text, however long.
enum DecimalText {
    static func convert(digits: [UInt8], radix: UInt32) -> String {
        // Little-endian base-10^9 limbs: multiply by the radix and add each digit.
        var limbs: [UInt32] = [0]
        let limbBase: UInt64 = 1_000_000_000
        for digit in digits {
            var carry = UInt64(digit)
            for index in limbs.indices {
                let product = UInt64(limbs[index]) * UInt64(radix) + carry
                limbs[index] = UInt32(product % limbBase)
                carry = product / limbBase
            }
            while carry > 0 {
                limbs.append(UInt32(carry % limbBase))
                carry /= limbBase
            }
        }
        var text = String(limbs.last ?? 0)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }
}
