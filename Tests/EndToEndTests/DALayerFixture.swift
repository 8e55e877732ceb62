import Foundation
import KeelCore
import KeelJSONRPC
import KeelPluginTesting
import Testing

/// A rollup for the DA-layer tests: short blocks and batches, the in-node attestor, the embedded
/// L1, and a `da:` list given by the test (YAML flow mappings with absolute paths).
struct DARollup {
    static let key0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
    static let member = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    static let senderKeys = [
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
        "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
        "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    ]

    let folder: String
    let keyPath: String

    init(_ label: String) throws {
        folder = try TestProcess.temporaryFolder(label)
        keyPath = folder + "/dev0.key"
        FileManager.default.createFile(atPath: keyPath, contents: Data((Self.key0 + "\n").utf8), attributes: [.posixPermissions: 0o600])
    }

    /// Writes a manifest named `name` with `da` entries (each a YAML flow mapping) and returns its path.
    func manifest(_ name: String, da: [String], extraNode: String = "", extraBridge: String = "") throws -> String {
        let accounts = try Self.senderKeys.map { try PrivateKey(hex: $0).address }
        let path = folder + "/\(name).yaml"
        let text = """
        rollup: { name: dalayer, chain_id: 901, mode: attested }
        plugin_paths: ["\(PluginUnderTest.buildDirectory)"]
        node:
          data_dir: data
          block_time_ms: 100
          batch: { max_blocks: 4, max_age_ms: 250 }
        \(extraNode)
        genesis:
          alloc:
        \(accounts.map { "    \"\($0)\": \"10000000000000000000000\"" }.joined(separator: "\n"))
        plugins:
          execution: { plugin: transfer }
          sequencer: { plugin: single, config: { key_file: "\(keyPath)" } }
          da:
        \(da.map { "    - \($0)" }.joined(separator: "\n"))
          proof:
            plugin: attest
            config: { members: ["\(Self.member)"], threshold: 1, key_file: "\(keyPath)" }
          bridge:
            plugin: local
            config:
              l1_db: "\(folder)/l1.sqlite"
              block_time_ms: 0
              committee: { members: ["\(Self.member)"], threshold: 1 }
        \(extraBridge)
        """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func sqlite() -> String { #"{ plugin: sqlite, config: { path: "\#(folder)/da.sqlite" } }"# }
    func file() -> String { #"{ plugin: file, config: { dir: "\#(folder)/blobs" } }"# }
    func altda(port: Int) -> String { #"{ plugin: altda, config: { url: "http://127.0.0.1:\#(port)", timeout_ms: 5000 } }"# }
}

/// Sends transfers at a steady rate (JSON-RPC batches every 50 ms) until stopped; collects the
/// hashes the node acknowledged.
final class TransferLoad: @unchecked Sendable {
    private let lock = NSLock()
    private var acknowledged: [Hash32] = []
    private var refused: [String] = []
    private var stop = false
    private var task: Task<Void, Never>?

    /// `perSecond` transfers per second, spread over the four sender accounts.
    func start(client: JSONRPCClient, perSecond: Int) {
        task = Task { [self] in
            let keys = DARollup.senderKeys.compactMap { try? PrivateKey(hex: $0) }
            var nonces: [UInt64] = []
            for key in keys {
                nonces.append((try? await client.call("eth_getTransactionCount", [.address(key.address), "pending"]).decodeQuantity()) ?? 0)
            }
            let perTick = max(1, perSecond / 20)
            var lane = 0
            let recipient = Address(hex: "0x000000000000000000000000000000000000d00d")!
            while !lock.withLock({ stop }) {
                let tick = ContinuousClock.now
                var calls: [(String, [JSONValue])] = []
                var hashes: [(Hash32, Int)] = []
                for _ in 0..<perTick {
                    let index = lane % keys.count
                    lane += 1
                    guard let tx = try? Transaction.dynamicFee(chainId: 901, nonce: nonces[index], maxPriorityFeePerGas: 1_000_000,
                                                               maxFeePerGas: 100_000_000_000, gasLimit: 21_000, to: recipient,
                                                               value: 1).signed(with: keys[index]) else { continue }
                    nonces[index] += 1
                    calls.append(("eth_sendRawTransaction", [.data(tx.raw)]))
                    hashes.append((tx.hash, index))
                }
                let results = try? await client.batch(calls)
                lock.withLock {
                    for (result, (hash, _)) in zip(results ?? [], hashes) {
                        switch result {
                        case .success: acknowledged.append(hash)
                        case .failure(let error): refused.append(error.message)
                        }
                    }
                }
                if results == nil || results?.contains(where: { if case .failure = $0 { true } else { false } }) == true {
                    // Some of it may not have been taken: start again from the node's pending nonces
                    // so that no gap holds later transfers back.
                    for (index, key) in keys.enumerated() {
                        if let nonce = try? await client.call("eth_getTransactionCount", [.address(key.address), "pending"]).decodeQuantity() {
                            nonces[index] = nonce
                        }
                    }
                }
                try? await Task.sleep(until: tick + .milliseconds(50))
            }
        }
    }

    /// Waits (up to 30 s) until the node acknowledged at least `count` transfers.
    func waitForAcknowledged(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while lock.withLock({ acknowledged.count }) < count && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Stops sending and returns the acknowledged hashes and the refusals.
    func finish() async -> (acknowledged: [Hash32], refused: [String]) {
        lock.withLock { stop = true }
        await task?.value
        return lock.withLock { (acknowledged, refused) }
    }
}

enum DALayerChecks {
    /// Waits until the node's mempool is empty and a posted batch covers its head.
    static func settle(_ client: JSONRPCClient, timeout: Duration = .seconds(60)) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        var status: JSONValue = .null
        while ContinuousClock.now < deadline {
            status = try await client.call("keel_status")
            let pending = try status["pendingTransactions"]?.decodeQuantity() ?? 1
            let height = try status["height"]?.decodeQuantity() ?? 0
            if pending == 0, let batched = try? status["lastBatchedBlock"]?.decodeQuantity(), batched == height { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw RunningNodeError(message: "the node did not settle: \(status.jsonText)")
    }

    /// The DA id byte of every batch's commitment, in batch order.
    static func providerBytes(_ client: JSONRPCClient, count: UInt64) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for index in 0..<count {
            let batch = try await client.call("keel_getBatch", [.quantity(index)])
            bytes.append(try batch["daCommitment"]?.decodeData().first ?? 0)
        }
        return bytes
    }

    /// Starts a follower on `manifest` and waits until it reaches `height`; checks the same block
    /// hash and state root at every height as `node`.
    static func followerAgrees(manifest: String, rollup: DARollup, node: JSONRPCClient, height: UInt64) async throws {
        try await followerAgrees(manifest: manifest, folder: rollup.folder, node: node, height: height)
    }

    /// Starts `keel follow MANIFEST` (data and log under `folder`, from `directory` if given), waits
    /// for it to reach `height`, and expects every block up to it to have the node's hash and root.
    static func followerAgrees(manifest: String, folder: String, node: JSONRPCClient, height: UInt64,
                               directory: String? = nil) async throws {
        let follower = try RunningProcess(keel: ["follow", manifest, "--data-dir", folder + "/follower", "--rpc-port", "0"],
                                          logPath: folder + "/follower.log", listening: true, directory: directory)
        defer { follower.terminate() }
        let client = JSONRPCClient(url: follower.url, timeoutSeconds: 10)
        defer { client.shutdown() }
        let deadline = ContinuousClock.now + .seconds(60)
        var reached: UInt64 = 0
        while ContinuousClock.now < deadline {
            reached = (try? await client.call("eth_blockNumber").decodeQuantity()) ?? reached
            if reached >= height || !follower.process.isRunning { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(reached >= height, "the follower reached block \(reached) of \(height):\n\(follower.tail(20))")
        guard reached >= height else { return }
        for number in 0...height {
            let mine = try await node.call("eth_getBlockByNumber", [.quantity(number), false])
            let theirs = try await client.call("eth_getBlockByNumber", [.quantity(number), false])
            #expect(mine["stateRoot"] == theirs["stateRoot"] && mine["hash"] == theirs["hash"] && mine["gasLimit"] == theirs["gasLimit"],
                    "block \(number): the follower derived \(theirs["stateRoot"].map { "\($0)" } ?? "nothing")")
        }
    }
}
