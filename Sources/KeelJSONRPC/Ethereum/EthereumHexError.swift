/// A hex string `EthereumHex` refused, with go-ethereum's words for it.
public struct EthereumHexError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Reason: Hashable, Sendable {
        case empty
        case missingPrefix
        case oddLength
        case syntax
        case emptyNumber
        case leadingZero
        case uint64Range
        case uint128Range
        case wrongLength(digits: Int, expected: Int, type: String)
        case badChecksum(String)
        case notAString(String)
    }

    let reason: Reason

    init(_ reason: Reason) {
        self.reason = reason
    }

    /// geth's message: `hex string without 0x prefix`, `hex number with leading zero digits`, …
    public var description: String {
        switch reason {
        case .empty: "empty hex string"
        case .missingPrefix: "hex string without 0x prefix"
        case .oddLength: "hex string of odd length"
        case .syntax: "invalid hex string"
        case .emptyNumber: "hex string \"0x\""
        case .leadingZero: "hex number with leading zero digits"
        case .uint64Range: "hex number > 64 bits"
        case .uint128Range: "hex number > 128 bits"
        case .wrongLength(let digits, let expected, let type):
            "hex string has length \(digits), want \(expected) for \(type)"
        case .badChecksum(let text):
            "\(text) has mixed-case letters that are not its EIP-55 checksum; check the address or send it in lowercase"
        case .notAString(let kind):
            "expected a 0x-prefixed hex string, found \(kind)"
        }
    }
}
