import Foundation
import KeelCore
import KeelJSONRPC

/// Reading the addresses, hashes and block numbers users type, with messages that say what was
/// expected. `what` names the argument (`ADDRESS`, `--to`) in the message.
enum ClientArguments {
    /// `0x` and 40 hex digits; mixed case must be the EIP-55 checksum.
    static func address(_ text: String, _ what: String, command: String) throws(UserError) -> Address {
        do {
            return try EthereumHex.decodeAddress(text)
        } catch {
            throw UserError("\(command): \(what) \"\(text)\" is not an address (\(error)); "
                            + "an address is 0x and 40 hex digits, e.g. 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
        }
    }

    /// `0x` and 64 hex digits.
    static func hash(_ text: String, _ what: String, command: String) throws(UserError) -> Hash32 {
        do {
            return try EthereumHex.decodeHash(text)
        } catch {
            throw UserError("\(command): \(what) \"\(text)\" is not a transaction hash (\(error)); "
                            + "a hash is 0x and 64 hex digits, as `keel tx send` prints it")
        }
    }

    /// A block for `eth_getBalance` and friends: a decimal or `0x` number, `latest`, `pending`,
    /// `earliest`, `safe` or `finalized`, as the JSON-RPC parameter.
    static func block(_ text: String, command: String) throws(UserError) -> JSONValue {
        let tags = ["latest", "pending", "earliest", "safe", "finalized"]
        let lowered = text.lowercased()
        if tags.contains(lowered) { return .string(lowered) }
        if let number = UInt64(text) { return .quantity(number) }
        if let number = try? EthereumHex.decodeQuantity(lowered) { return .quantity(number) }
        throw UserError("\(command): --block \"\(text)\" is not a block; give a block number (e.g. 120) or one of: "
                        + tags.joined(separator: ", "))
    }

    /// The file's contents as one line of text, for the admin token.
    static func secretLine(at path: String, what: String, command: String, hint: String) throws(UserError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "there is no such file"
            throw UserError("\(command): cannot read \(what) \(path): \(reason); \(hint)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, !text.contains(where: \.isNewline) else {
            throw UserError("\(command): \(what) \(path) does not hold one token on one line; \(hint)")
        }
        return text
    }
}

/// `--manifest FILE`, by default `manifests/devnet.yaml` when it exists in the working directory.
enum ManifestChoice {
    static let devnet = "manifests/devnet.yaml"

    /// `given`, else the devnet manifest if present, else an error saying to pass `--manifest`.
    static func path(_ given: String?, command: String) throws(UserError) -> String {
        if let given { return given }
        if FileManager.default.fileExists(atPath: devnet) { return devnet }
        throw UserError("\(command): no manifest given and there is no \(devnet) in \(FileManager.default.currentDirectoryPath); "
                        + "pass --manifest FILE (the rollup's manifest, as given to `keel up`)")
    }
}
