import Foundation
import KeelCore
import KeelJSONRPC
import KeelPluginTesting
import Testing

/// Roles as services (docs/NODE.md, "Roles"): the manifest's `node.roles` picks which run, each
/// role's state is in `keel_status`, and the admin API starts and stops roles at runtime.
@Suite struct NodeRoleTests {
    @Test func rolesFromTheManifestStartAndStopAtRuntime() async throws {
        let rollup = try NodeRollup(label: "roles", nodeExtra: "  roles: [sequencer, batcher]")
        defer { rollup.remove() }
        let session = try NodeSession(rollup)
        defer { session.stop() }
        let admin = try KeelProcess.adminClient(url: session.url, dataDirectory: rollup.dataDirectory)
        defer { admin.shutdown() }
        func roles() async throws -> [String] {
            try await session.client.call("keel_status")["roles"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        #expect(try await roles() == ["sequencer: running", "batcher: running", "proposer: stopped", "attestor: stopped"])

        // Without a proposer, blocks are made and batches stored on DA, but none is posted.
        let sender = try NodeAccount.named("gap-sender"), recipient = try NodeAccount.named("gap-probe")
        let first = try await session.send(try sender.transfer(nonce: 0, to: recipient.address, value: 1))
        let block = try await session.receipt(first)["blockNumber"]?.decodeQuantity() ?? 0
        let stored = try await session.waitFor("a stored batch") { () async throws -> JSONValue? in
            let batch = try await session.client.call("keel_getBatch", [.quantity(0)])
            return batch != .null && batch["stage"]?.stringValue == "stored" ? batch : Optional<JSONValue>.none
        }
        #expect((try stored["lastBlock"]?.decodeQuantity() ?? 0) >= block, "batch 0: \(stored), the transfer in block \(block)")
        #expect(try await session.client.call("keel_status")["batchCount"]?.decodeQuantity() == 0)

        // Started at runtime, the proposer posts it.
        let started = try await admin.call("admin_startRole", [.object(["role": "proposer"])])
        #expect(started["state"]?.stringValue == "running")
        _ = try await session.waitFor("the batch posted") { () async throws -> Bool? in
            try await session.client.call("keel_status")["batchCount"]?.decodeQuantity() ?? 0 > 0 ? true : nil
        }

        // A stopped sequencer makes no block; the transaction waits in the pool until it starts again.
        let stopped = try session.keelWithManifest(["role", "stop", "sequencer"])
        #expect(stopped.status == 0 && stopped.output == "sequencer: stopped\n", "\(stopped.transcript)")
        let height = try await session.blockNumber()
        let second = try await session.send(try sender.transfer(nonce: 1, to: recipient.address, value: 1))
        try await Task.sleep(for: .milliseconds(500))   // five block times: a running sequencer would have made one
        #expect(try await session.blockNumber() == height)
        #expect(try await session.client.call("keel_status")["pendingTransactions"]?.decodeQuantity() == 1)
        let restarted = try session.keelWithManifest(["role", "start", "sequencer"])
        #expect(restarted.output == "sequencer: running\n", "\(restarted.transcript)")
        _ = try await session.receipt(second)
        #expect(try await roles() == ["sequencer: running", "batcher: running", "proposer: running", "attestor: stopped"])

        // Roles the node cannot play, or do not exist, are refused with the reason.
        let unknown = await rpcRefusal { _ = try await admin.call("admin_startRole", [.object(["role": "oracle"])]) }
        #expect(unknown?.message == "invalid argument 0: \"role\" is oracle; the roles are sequencer, batcher, proposer, attestor, follower, challenger")
        let challenger = await rpcRefusal { _ = try await admin.call("admin_startRole", [.object(["role": "challenger"])]) }
        #expect(challenger?.message == "this node cannot play the challenger role; it plays sequencer, batcher, proposer, attestor")
        let follower = try await rpcRefusal { _ = try await admin.call("admin_startRole", [.object(["role": "follower"])]) }
        #expect(follower?.message == "this node cannot play the follower role; it plays sequencer, batcher, proposer, attestor")
    }

    @Test func aRoleTheNodeCannotPlayOrNamesTwiceIsAManifestError() throws {
        let rollup = try NodeRollup(label: "roles-bad", nodeExtra: "  roles: [sequencer, folower, sequencer]")
        defer { rollup.remove() }
        let result = try KeelProcess.keel(["validate", rollup.manifestPath])
        #expect(result.status == 1)
        #expect(result.error.contains("`node.roles[1]` is `folower`, which is not a role; did you mean `follower`?"), "\(result.transcript)")
        #expect(result.error.contains("`node.roles` lists `sequencer` twice; list each role once"))
    }
}
