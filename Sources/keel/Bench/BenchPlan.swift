import Foundation
import KeelCore

/// The benchmark's rollup: the devnet's plugins in a temporary folder, with the development keys;
/// with `faultProofs`, an optimistic rollup (the `fault` proof plugin, an L1 finalizing by games,
/// whose clock moves only when the benchmark says).
struct BenchPlan {
    let folder: String
    let manifestPath: String

    init(blockTimeMilliseconds: Int, gasLimit: Int, faultProofs: Bool = false) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("keel-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let keyPath = folder + "/dev0.key"
        guard FileManager.default.createFile(atPath: keyPath, contents: Data((DevelopmentAccounts.privateKeys[0] + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw UserError("cannot write \(keyPath)")
        }
        let accounts = try DevelopmentAccounts.privateKeys.map { try PrivateKey(hex: $0).address }
        let alloc = accounts.map { "    \"\($0)\": \"10000000000000000000000\"" }.joined(separator: "\n")
        let member = accounts[0]
        manifestPath = folder + "/bench.yaml"
        let manifest = """
        rollup: { name: bench, chain_id: 901, mode: \(faultProofs ? "optimistic" : "attested") }
        node:
          data_dir: data
          rpc: { host: 127.0.0.1, port: 0 }
          block_time_ms: \(blockTimeMilliseconds)
          gas_limit: \(gasLimit)
          batch: { max_blocks: 20, max_age_ms: 500 }
        genesis:
          alloc:
        \(alloc)
        plugins:
          execution: { plugin: transfer }
          sequencer: { plugin: single, config: { key_file: "\(keyPath)" } }
          da:
            - { plugin: sqlite, config: { path: "\(folder)/da.sqlite" } }
          proof:
        \(faultProofs ? """
            plugin: fault
            config: { key_file: "\(keyPath)" }
        """ : """
            plugin: attest
            config: { members: ["\(member)"], threshold: 1, key_file: "\(keyPath)" }
        """)
          bridge:
            plugin: local
            config:
              l1_db: "\(folder)/l1.sqlite"
              committee: { members: ["\(member)"], threshold: 1 }
              \(faultProofs ? "finality: fault\n      block_time_ms: 0" : "")
        features:
          batch-codec-brotli: { activate_at_height: 20 }
        """
        try manifest.write(toFile: manifestPath, atomically: true, encoding: .utf8)
    }

    func removeFolder() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
