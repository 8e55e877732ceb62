import Foundation
import KeelKernel
import KeelPluginKit
import KeelPluginTesting
import Testing

/// What the `attest` and `local` bridge tests share: the real plugin libraries from the build
/// folder, scratch folders, attestor keys in 0600 files, and sample transitions.
enum AttestFixtures {
    static let chainID: UInt64 = 901

    /// The plugin libraries beside the test bundle, loaded through the kernel's catalog.
    static let catalog = PluginCatalog(searchPath: PluginSearchPath(directories: [PluginUnderTest.buildDirectory]))

    static func library(_ kind: PluginKind, _ name: String) throws -> PluginLibrary {
        try catalog.resolve(kind: kind, name: name, constraint: nil).get()
    }

    /// A new empty folder under the system's temporary folder.
    static func folder(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keel-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Attestor `seed`'s key (31 zero bytes, then `seed`; seed ≥ 1).
    static func key(_ seed: UInt8) throws -> PrivateKey {
        try PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [seed])
    }

    /// Writes attestor `seed`'s key to `folder/attestor-<seed>.key` with `mode`, and returns the path.
    static func keyFile(_ seed: UInt8, in folder: String, mode: Int = 0o600) throws -> String {
        let path = "\(folder)/attestor-\(seed).key"
        let hex = Hex.encode([UInt8](repeating: 0, count: 31) + [seed]) + "\n"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(hex.utf8), attributes: [.posixPermissions: mode]))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    /// The addresses of attestors `seeds`, as a JSON list.
    static func membersJSON(_ seeds: [UInt8]) throws -> String {
        "[" + (try seeds.map { "\"\(try key($0).address)\"" }).joined(separator: ", ") + "]"
    }

    /// An `attest` instance for committee `members` with `threshold`, signing as `signer` if given.
    static func attest(members: [UInt8], threshold: Int, signer: UInt8? = nil, folder: String) throws -> ProofClient {
        var config = #"{"members": \#(try membersJSON(members)), "threshold": \#(threshold)"#
        if let signer { config += #", "key_file": "\#(try keyFile(signer, in: folder))""# }
        config += "}"
        return ProofClient(try PluginUnderTest.create(path: try library(.proof, "attest").path, configJSON: config,
                                                      dataDirectory: folder, chainID: chainID))
    }

    /// A transition with distinct roots and commitment for `index`.
    static func transition(index: UInt64 = 0, previousRoot: [UInt8]? = nil, withdrawalsRoot: [UInt8]? = nil) -> Transition {
        let seed = UInt8(truncatingIfNeeded: index)
        return Transition(chainID: chainID, batchIndex: index, firstBlock: 1 + index * 10, lastBlock: 10 + index * 10,
                          previousRoot: previousRoot ?? [UInt8](repeating: 0, count: 32),
                          root: Keccak256.hash(Array("root \(index)".utf8)).bytes,
                          withdrawalsRoot: withdrawalsRoot ?? Keccak256.hash(Array("withdrawals \(seed)".utf8)).bytes,
                          daCommitment: [0x01] + Keccak256.hash(Array("blob \(index)".utf8)).bytes, batch: Array("batch \(index)".utf8))
    }

    /// The record the bridge keeps for `transition`.
    static func record(_ transition: Transition) -> BatchRecord {
        BatchRecord(index: transition.batchIndex, firstBlock: transition.firstBlock, lastBlock: transition.lastBlock,
                    previousRoot: transition.previousRoot, root: transition.root, withdrawalsRoot: transition.withdrawalsRoot,
                    daCommitment: transition.daCommitment)
    }

    /// Records an issue unless `body` throws a plugin error with `code` whose message contains `words`.
    static func expectRefusal(_ code: PluginErrorCode, _ words: String, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                              _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("accepted; expected a refusal (\(code)) saying “\(words)”", sourceLocation: sourceLocation)
        } catch let error as PluginCallError {
            if error.code != code.rawValue || !error.message.contains(words) {
                Issue.record("refused with \(error.codeName): \(error.message); expected \(code) saying “\(words)”", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("threw \(error); expected a plugin refusal (\(code))", sourceLocation: sourceLocation)
        }
    }
}
