import Foundation
import KeelCore
import KeelKernel
import KeelPluginTesting
import Testing

/// An account of the end-to-end rollups: a key derived from a label (`keccak256("keel-e2e:" ‖ label)`),
/// so that every test has accounts of its own and tests sharing one node never touch each other's
/// balances or nonces. The labels in `NodeRollup.fundedLabels` hold 10,000 ETH at genesis.
struct NodeAccount: Sendable {
    let label: String
    /// The key as a key file holds it: `0x` and 64 hex digits.
    let keyHex: String
    let key: PrivateKey
    var address: Address { key.address }

    init(label: String, keyHex: String) throws {
        self.label = label
        self.keyHex = keyHex
        key = try PrivateKey(hex: keyHex)
    }

    /// The account named `label`.
    static func named(_ label: String) throws -> NodeAccount {
        try NodeAccount(label: label, keyHex: Keccak256.hash(Array("keel-e2e:\(label)".utf8)).description)
    }

    /// Development account 0 of the standard test mnemonic (Anvil, Hardhat): the sequencer, hence
    /// the fee recipient of every block, and the only attestor. It never sends in these tests.
    static func sequencer() throws -> NodeAccount {
        try NodeAccount(label: "sequencer", keyHex: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
    }

    /// A signed EIP-1559 transfer from this account.
    func transfer(nonce: UInt64, to: Address, value: UInt128, tip: UInt128 = 1_000_000_000, maxFee: UInt128 = 100_000_000_000,
                  gas: UInt64 = 21_000, data: [UInt8] = [], chainID: UInt64 = NodeRollup.chainID) throws -> SignedTransaction {
        try Transaction.dynamicFee(chainId: chainID, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee, gasLimit: gas,
                                   to: to, value: value, data: data).signed(with: key)
    }
}

/// A rollup for end-to-end tests of `keel up`, in a temporary folder: the manifest (absolute
/// paths everywhere, so the test reads them as written), the
/// sequencer and attestor key files (mode 0600), DA and the embedded L1 beside them. Blocks every
/// 100 ms, batches of at most 5 blocks or 300 ms, an L1 whose clock moves only by command, and the
/// in-node attestor (unless `keel up --no-attest`), so a withdrawal is final within a second or two.
struct NodeRollup: Sendable {
    static let chainID: UInt64 = 901
    static let ether: UInt128 = 1_000_000_000_000_000_000
    static let genesisBalance: UInt128 = 10_000 * ether
    /// The address the `transfer` plugin turns transfers to into L2→L1 withdrawals.
    static let bridgeAddress = Address(hex: "0x4200000000000000000000000000000000000016") ?? .zero
    /// Every account funded at genesis besides the sequencer; a label not listed here is unfunded.
    static let fundedLabels = [
        "fees-sender", "fees-legacy-sender", "fees-recipient", "gap-sender", "gap-probe", "replace-sender",
        "replace-recipient", "refused-sender", "refusal-recipient", "nonce-low-sender", "known-sender", "deposit-recipient", "withdrawer",
        "cli-sender", "cli-recipient", "cli-loose-key", "restart-sender", "restart-recipient", "unattested-withdrawer",
        "claim-pretender",
    ]

    let folder: String
    let manifestPath: String
    var dataDirectory: String { folder + "/data" }
    var l1Path: String { folder + "/l1.sqlite" }

    /// Writes the keys and the manifest into a new temporary folder; `features` are the lines under `features:`.
    /// `nodeExtra` is more lines of the `node:` section.
    init(label: String, features: String = "  priority-lane: { rollout_percent: 10, subject: sender }", nodeExtra: String = "") throws {
        folder = try TestProcess.temporaryFolder("node-\(label)")
        let sequencer = try NodeAccount.sequencer()
        for name in ["sequencer.key", "attestor.key"] {
            try KeelProcess.writeSecret(sequencer.keyHex + "\n", to: folder + "/" + name)
        }
        let accounts = try [sequencer] + Self.fundedLabels.map(NodeAccount.named)
        manifestPath = folder + "/rollup.yaml"
        let manifest = """
        rollup: { name: e2e-\(label), chain_id: \(Self.chainID), mode: attested }
        plugin_paths: ["\(PluginUnderTest.buildDirectory)"]
        node:
          data_dir: "\(folder)/data"
          rpc: { host: 127.0.0.1, port: 8545 }
          block_time_ms: 100
          batch: { max_blocks: 5, max_age_ms: 300 }
        \(nodeExtra)
        genesis:
          alloc:
        \(accounts.map { "    \"\($0.address)\": \"\(Self.genesisBalance)\"" }.joined(separator: "\n"))
        plugins:
          execution: { plugin: transfer }
          sequencer: { plugin: single, config: { key_file: "\(folder)/sequencer.key" } }
          da:
            - { plugin: sqlite, config: { path: "\(folder)/da.sqlite" } }
          proof:
            plugin: attest
            config: { members: ["\(sequencer.address)"], threshold: 1, key_file: "\(folder)/attestor.key" }
          bridge:
            plugin: local
            config:
              l1_db: "\(l1Path)"
              block_time_ms: 0
              committee: { members: ["\(sequencer.address)"], threshold: 1 }
        features:
        \(features)
        """
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: manifestPath))
    }

    /// The account's key in a file only its owner may read (`keel tx send --key-file`).
    func keyFile(for account: NodeAccount, mode: Int = 0o600) throws -> String {
        let path = folder + "/\(account.label).key"
        try? FileManager.default.removeItem(atPath: path)
        let created = FileManager.default.createFile(atPath: path, contents: Data((account.keyHex + "\n").utf8),
                                                     attributes: [.posixPermissions: mode])
        try #require(created, "cannot write \(path)")
        return path
    }

    /// The L1, opened in the test process as another process on the same file would.
    func bridge() throws -> BridgeClient {
        let catalog = PluginCatalog(searchPath: PluginSearchPath(directories: [PluginUnderTest.buildDirectory]))
        let library = try catalog.resolve(kind: .bridge, name: "local", constraint: nil).get()
        let services = HostServices(dataDirectory: folder, chainID: Self.chainID)
        return BridgeClient(try PluginInstance(library: library, configJSON: #"{"l1_db": "\#(l1Path)"}"#, services: services))
    }

    /// Removes the folder (data, DA, L1, keys, logs).
    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
