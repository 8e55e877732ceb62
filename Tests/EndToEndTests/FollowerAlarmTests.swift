import Foundation
import KeelCore
import KeelJSONRPC
import KeelPluginTesting
import Testing

/// `keel follow` never skips: a batch it cannot reproduce (another genesis, so another root) or
/// cannot fetch (the DA store gone) stops it with an alarm naming the batch, exit status 1.
@Suite(.serialized) struct FollowerAlarmTests {
    /// A node that posts a few batches, then stops; returns the rollup and its height.
    func chainWithBatches(_ label: String) async throws -> (DARollup, String) {
        let rollup = try DARollup(label)
        let manifest = try rollup.manifest("node", da: [rollup.sqlite()])
        let node = try RunningNode(manifest: manifest, logPath: rollup.folder + "/node.log")
        let client = JSONRPCClient(url: node.url, timeoutSeconds: 10)
        let load = TransferLoad()
        load.start(client: client, perSecond: 100)
        try await load.waitForAcknowledged(50)
        _ = await load.finish()
        _ = try await DALayerChecks.settle(client)
        client.shutdown()
        #expect(node.terminate() == 0)
        return (rollup, manifest)
    }

    func follow(_ manifest: String, rollup: DARollup, label: String) throws -> (status: Int32, log: String) {
        let follower = try RunningProcess(keel: ["follow", manifest, "--data-dir", rollup.folder + "/\(label)", "--rpc-port", "0"],
                                          logPath: rollup.folder + "/\(label).log")
        let deadline = Date().addingTimeInterval(30)
        while follower.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if follower.process.isRunning { follower.kill() }
        return (follower.process.terminationStatus, follower.tail(30))
    }

    @Test func aFollowerWithAnotherGenesisStopsAtBatchZero() async throws {
        let (rollup, manifest) = try await chainWithBatches("follow-mismatch")
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        let altered = rollup.folder + "/altered.yaml"
        try text.replacingOccurrences(of: "\"10000000000000000000000\"", with: "\"10000000000000000000001\"")
            .write(toFile: altered, atomically: true, encoding: .utf8)
        let (status, log) = try follow(altered, rollup: rollup, label: "mismatch")
        #expect(status == 1)
        #expect(log.contains("ALARM: batch 0"), "\(log)")
    }

    @Test func aFollowerWhoseDataIsGoneStopsNamingTheBatch() async throws {
        let (rollup, manifest) = try await chainWithBatches("follow-gone")
        try FileManager.default.removeItem(atPath: rollup.folder + "/da.sqlite")
        let (status, log) = try follow(manifest, rollup: rollup, label: "gone")
        #expect(status == 1)
        #expect(log.contains("ALARM: batch 0") && log.contains("cannot be had"), "\(log)")
    }
}
