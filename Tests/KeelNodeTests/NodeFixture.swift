import Foundation
import KeelCore
import KeelPluginTesting
import Logging
@testable import KeelNode

/// A devnet-like rollup in a temporary folder: the manifest (absolute paths, the build folder as
/// plugin path), the development keys with mode 0600, and the node opened on it.
struct NodeFixture {
    /// The first two development accounts of the standard test mnemonic (Anvil, Hardhat).
    static let key0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
    static let key1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
    static let account0 = Address(hex: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")!
    static let account1 = Address(hex: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8")!
    static let bridgeAddress = Address(hex: "0x4200000000000000000000000000000000000016")!
    static let ether: UInt128 = 1_000_000_000_000_000_000

    let folder: String
    let manifestPath: String
    var dataDirectory: String { folder + "/data" }

    /// `bridgeExtra`: more lines of the local bridge's config (indented to its level), e.g. `finality: fault`.
    /// `optimistic`: mode `optimistic`, the `fault` proof plugin with the sequencer's key, and an L1
    /// that finalizes by fault proofs (`bridgeExtra` may set its parameters).
    init(label: String, extraNode: String = "", bridgeExtra: String = "", optimistic: Bool = false) throws {
        folder = try TestProcess.temporaryFolder(label)
        for (name, key) in [("sequencer.key", Self.key0), ("attestor.key", Self.key0)] {
            let path = folder + "/" + name
            FileManager.default.createFile(atPath: path, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: 0o600])
        }
        manifestPath = folder + "/rollup.yaml"
        let manifest = """
        rollup: { name: fixture, chain_id: 901, mode: \(optimistic ? "optimistic" : "attested") }
        plugin_paths: ["\(PluginUnderTest.buildDirectory)"]
        node:
          data_dir: data
          rpc: { host: 127.0.0.1, port: 8545 }
          block_time_ms: 50
        \(extraNode)
        genesis:
          alloc:
            "\(Self.account0)": "10000000000000000000000"
            "\(Self.account1)": "10000000000000000000000"
        plugins:
          execution: { plugin: transfer }
          sequencer: { plugin: single, config: { key_file: "\(folder)/sequencer.key" } }
          da:
            - { plugin: sqlite, config: { path: "\(folder)/da.sqlite" } }
          proof:
        \(optimistic ? """
            plugin: fault
            config: { key_file: "\(folder)/attestor.key" }
        """ : """
            plugin: attest
            config: { members: ["\(Self.account0)"], threshold: 1, key_file: "\(folder)/attestor.key" }
        """)
          bridge:
            plugin: local
            config:
              l1_db: "\(folder)/l1.sqlite"
              block_time_ms: 0
              committee: { members: ["\(Self.account0)"], threshold: 1 }
              \(optimistic ? "finality: fault" : "")
              \(bridgeExtra)
        features:
          batch-codec-brotli: { activate_at_height: 3 }
        """
        try manifest.write(toFile: manifestPath, atomically: true, encoding: .utf8)
    }

    func open() throws -> Node {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return try Node.open(NodeOptions(manifestPath: manifestPath, dataDirectory: dataDirectory, rpcPort: 0), logger: logger)
    }

    /// A signed EIP-1559 transfer.
    static func transfer(key: String, nonce: UInt64, to: Address, value: UInt128, maxFee: UInt128 = 10_000_000_000,
                         tip: UInt128 = 1_000_000) throws -> SignedTransaction {
        try Transaction.dynamicFee(chainId: 901, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee, gasLimit: 21_000,
                                   to: to, value: value).signed(with: try PrivateKey(hex: key))
    }
}
