import Foundation
import KeelCore
import KeelJSONRPC
import KeelKernel
import KeelPluginTesting
import Testing

/// Issue 4's crash test: `kill -9` at random moments while transactions flow, ten times, then a
/// restart. Every transaction that got a hash back is included (or pending); a fresh attestor
/// re-executes every stored block from DA and reproduces every root; the L1 holds each batch once,
/// in order, with no gap.
@Suite(.serialized) struct CrashRecoveryTests {
    static let senderKeys = [
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
        "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
        "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    ]

    @Test func tenKillsLoseNoAcknowledgedTransactionAndPostNoBatchTwice() async throws {
        let rollup = try CrashRollup()
        var generator = SplitMix64(seed: UInt64(ProcessInfo.processInfo.environment["KEEL_CRASH_SEED"] ?? "") ?? 20261121)
        let keys = try Self.senderKeys.map { try PrivateKey(hex: $0) }
        var acknowledged: [Hash32] = []
        for round in 1...10 {
            let node = try RunningNode(manifest: rollup.manifestPath, logPath: rollup.folder + "/node-\(round).log")
            let client = JSONRPCClient(url: node.url, timeoutSeconds: 3, maxConnections: 4)
            let flow = Task { await Self.send(keys: keys, client: client) }
            try await Task.sleep(for: .milliseconds(Int.random(in: 200...1500, using: &generator)))
            node.kill()
            acknowledged += await flow.value
            client.shutdown()
        }
        #expect(acknowledged.count > 50, "too few transactions flowed to test anything: \(acknowledged.count)")
        print("crash test: \(acknowledged.count) transactions acknowledged over 10 kills")

        let node = try RunningNode(manifest: rollup.manifestPath, logPath: rollup.folder + "/node-final.log")
        let client = JSONRPCClient(url: node.url, timeoutSeconds: 10)
        defer { client.shutdown() }
        let status = try await Self.waitUntilSettled(client)
        for hash in acknowledged {
            let receipt = try await client.call("eth_getTransactionReceipt", [.hash(hash)])
            #expect(receipt != .null, "acknowledged transaction \(hash) was lost")
        }
        let height = try #require(try status["height"]?.decodeQuantity())
        let posted = try #require(try status["batchCount"]?.decodeQuantity())
        #expect(node.terminate() == 0)

        // The L1: each batch once, chained, covering blocks 1...height with no gap.
        let bridge = try rollup.bridge()
        let counts = try bridge.batchCount()
        #expect(counts.count == posted)
        var next: UInt64 = 1
        for index in 0..<counts.count {
            let record = try bridge.batch(index)
            #expect(record.firstBlock == next, "batch \(index) starts at \(record.firstBlock), not \(next)")
            next = record.lastBlock + 1
        }
        #expect(next == height + 1, "the batches cover blocks up to \(next - 1), the chain has \(height)")

        // A fresh attestor replays every batch from DA on an empty chain and checks every root.
        let replay = try TestProcess.keel(["attest", rollup.manifestPath, "--key-file", rollup.keyPath,
                                           "--data-dir", rollup.folder + "/fresh-replay", "--once"])
        #expect(replay.status == 0, "\(replay.output)")
        #expect(replay.standardOutput.contains("attested \(counts.count) batch"), "\(replay.output)")
    }

    /// Sends transfers round-robin from `keys` until the node stops answering; returns the hashes
    /// it acknowledged. Each sender's nonce starts at its pending nonce and moves on only with an
    /// acknowledgement.
    static func send(keys: [PrivateKey], client: JSONRPCClient) async -> [Hash32] {
        var acknowledged: [Hash32] = []
        var nonces: [UInt64] = []
        for key in keys {
            guard let nonce = try? await client.call("eth_getTransactionCount", [.address(key.address), "pending"]).decodeQuantity() else {
                return acknowledged
            }
            nonces.append(nonce)
        }
        let recipient = Address(hex: "0x000000000000000000000000000000000000c0de")!
        var index = 0
        while true {
            let lane = index % keys.count
            index += 1
            guard let tx = try? Transaction.dynamicFee(chainId: 901, nonce: nonces[lane], maxPriorityFeePerGas: 1_000_000,
                                                       maxFeePerGas: 100_000_000_000, gasLimit: 21_000, to: recipient,
                                                       value: 1).signed(with: keys[lane]) else { return acknowledged }
            do {
                let reply = try await client.call("eth_sendRawTransaction", [.data(tx.raw)])
                guard (try? reply.decodeHash()) == tx.hash else { return acknowledged }
                acknowledged.append(tx.hash)
                nonces[lane] += 1
            } catch is RPCError {
                // Refused (a transaction sent just before a kill and stored may make this nonce
                // taken): pick up the node's view of the nonce.
                guard let nonce = try? await client.call("eth_getTransactionCount", [.address(keys[lane].address), "pending"])
                    .decodeQuantity() else { return acknowledged }
                nonces[lane] = nonce
            } catch {
                return acknowledged
            }
        }
    }

    /// Waits until the mempool is empty and a posted batch covers the head.
    static func waitUntilSettled(_ client: JSONRPCClient) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let status = try await client.call("keel_status")
            let pending = try status["pendingTransactions"]?.decodeQuantity() ?? 1
            let height = try status["height"]?.decodeQuantity() ?? 0
            if pending == 0, let batched = try? status["lastBatchedBlock"]?.decodeQuantity(), batched == height { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw RunningNodeError(message: "the node did not settle within 60 s")
    }
}

/// The crash test's rollup: short blocks and batches, the in-node attestor, the embedded L1.
struct CrashRollup {
    let folder: String
    let manifestPath: String
    let keyPath: String

    init() throws {
        folder = try TestProcess.temporaryFolder("crash")
        keyPath = folder + "/dev0.key"
        let key = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
        FileManager.default.createFile(atPath: keyPath, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: 0o600])
        let member = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
        manifestPath = folder + "/crash.yaml"
        let accounts = ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
                        "0x90F79bf6EB2c4f870365E785982E1f101E93b906", "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"]
        let manifest = """
        rollup: { name: crash, chain_id: 901, mode: attested }
        plugin_paths: ["\(PluginUnderTest.buildDirectory)"]
        node:
          data_dir: data
          block_time_ms: 50
          batch: { max_blocks: 4, max_age_ms: 200 }
        genesis:
          alloc:
        \(accounts.map { "    \"\($0)\": \"10000000000000000000000\"" }.joined(separator: "\n"))
        plugins:
          execution: { plugin: transfer }
          sequencer: { plugin: single, config: { key_file: "\(keyPath)" } }
          da:
            - { plugin: sqlite, config: { path: "\(folder)/da.sqlite" } }
          proof:
            plugin: attest
            config: { members: ["\(member)"], threshold: 1, key_file: "\(keyPath)" }
          bridge:
            plugin: local
            config:
              l1_db: "\(folder)/l1.sqlite"
              block_time_ms: 0
              committee: { members: ["\(member)"], threshold: 1 }
        """
        try manifest.write(toFile: manifestPath, atomically: true, encoding: .utf8)
    }

    /// The L1, opened as another process on the same file would.
    func bridge() throws -> BridgeClient {
        let catalog = PluginCatalog(searchPath: PluginSearchPath(directories: [PluginUnderTest.buildDirectory]))
        let library = try catalog.resolve(kind: .bridge, name: "local", constraint: nil).get()
        let services = HostServices(dataDirectory: folder, chainID: 901)
        return BridgeClient(try PluginInstance(library: library, configJSON: #"{"l1_db": "\#(folder)/l1.sqlite"}"#, services: services))
    }
}
