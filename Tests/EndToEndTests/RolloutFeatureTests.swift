import Foundation
import KeelCore
import KeelJSONRPC
import KeelKernel
import KeelPluginTesting
import Testing

/// Rollout features against a real `keel up` (docs/FLAGS.md, "Rollout features" and "Guards"):
/// `eth_sendRawTransactionSync` for half the clients, a pending-transaction cap for half the
/// senders, `/metrics` split by cohort, the kill switch under load, and a guard that turns the sync
/// feature off by itself when its cohort fails, with the reason in the audit trail.
@Suite struct RolloutFeatureTests {
    static let sync = "send-raw-transaction-sync", limit = "mempool-sender-limit"

    /// The first API key `client-N` whose bucket is in (or out of) a 50% cohort of `flag`.
    static func client(inCohort: Bool) -> String {
        (0...).lazy.map { "client-\($0)" }.first { (RolloutBucket.bucket(flag: sync, subject: $0) < 5000) == inCohort }!
    }

    /// A funded account whose address is in (or out of) a 50% cohort of `flag`.
    static func sender(inCohort: Bool, besides: Set<String> = []) throws -> NodeAccount {
        let found = try NodeRollup.fundedLabels.filter { !besides.contains($0) }.map(NodeAccount.named)
            .first { (RolloutBucket.bucket(flag: limit, subject: $0.address.bytes) < 5000) == inCohort }
        return try #require(found, "no funded account \(inCohort ? "in" : "out of") the cohort")
    }

    @Test func cohortsBehaveDifferentlyAreMeasuredKilledAndGuarded() async throws {
        let rollup = try NodeRollup(label: "rollout", features: """
              \(Self.sync): { rollout_percent: 50, subject: client, guard: { metric: error_rate, max_ratio: 2, window_s: 30, min_requests: 4 } }
              \(Self.limit): { rollout_percent: 50, subject: sender }
            """, nodeExtra: "  sender_pending_limit: 2")
        defer { rollup.remove() }
        let session = try NodeSession(rollup)
        defer { session.stop() }
        let admin = try KeelProcess.adminClient(url: session.url, dataDirectory: rollup.dataDirectory)
        defer { admin.shutdown() }
        let inside = JSONRPCClient(url: session.url, timeoutSeconds: 20, apiKey: Self.client(inCohort: true))
        let outside = JSONRPCClient(url: session.url, timeoutSeconds: 20, apiKey: Self.client(inCohort: false))
        defer { inside.shutdown(); outside.shutdown() }
        let recipient = try NodeAccount.named("refusal-recipient")

        // 1. eth_sendRawTransactionSync: the receipt for a client in the cohort, "not enabled" for one out of it.
        let syncSender = try NodeAccount.named("fees-sender")
        let first = try syncSender.transfer(nonce: 0, to: recipient.address, value: 1)
        let receipt = try await inside.call("eth_sendRawTransactionSync", [.data(first.raw)])
        #expect(receipt["transactionHash"] == .hash(first.hash) && receipt["status"]?.stringValue == "0x1", "\(receipt)")
        let second = try syncSender.transfer(nonce: 1, to: recipient.address, value: 1)
        let refused = await rpcRefusal { _ = try await outside.call("eth_sendRawTransactionSync", [.data(second.raw)]) }
        #expect(refused?.code == -32601 && refused?.message.hasPrefix("eth_sendRawTransactionSync is not enabled for this client yet") == true)
        _ = try await outside.call("eth_sendRawTransaction", [.data(second.raw)])
        _ = try await session.receipt(second.hash)
        let metrics = String(decoding: try await JSONRPCClient(url: session.url).get(path: "/metrics").body, as: UTF8.self)
        #expect(metrics.contains(#"keel_feature_requests_total{feature="send-raw-transaction-sync",cohort="on"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"keel_feature_requests_total{feature="send-raw-transaction-sync",cohort="off"} 1"#))
        #expect(metrics.contains(#"keel_feature_latency_seconds_count{feature="send-raw-transaction-sync",cohort="on"} 1"#))

        // 2. The pending cap: a sender in the cohort keeps 2 pending transactions (nonce gaps keep them
        // pending), one out of it 3; killed under load, the cap is gone for the next submission.
        let capped = try Self.sender(inCohort: true, besides: ["fees-sender"]), free = try Self.sender(inCohort: false, besides: ["fees-sender"])
        // Every send here goes through `outside`, so the sync feature's cohort holds only `inside`'s calls.
        func send(_ signed: SignedTransaction) async throws { _ = try await outside.call("eth_sendRawTransaction", [.data(signed.raw)]) }
        for nonce in [10, 11] as [UInt64] { try await send(try capped.transfer(nonce: nonce, to: recipient.address, value: 1)) }
        let over = await rpcRefusal { try await send(try capped.transfer(nonce: 12, to: recipient.address, value: 1)) }
        #expect(over?.message.hasPrefix("sender rate limit: address \(capped.address) has 2 pending transactions") == true, "\(String(describing: over))")
        for nonce in [10, 11, 12] as [UInt64] { try await send(try free.transfer(nonce: nonce, to: recipient.address, value: 1)) }
        let metricsAfter = String(decoding: try await JSONRPCClient(url: session.url).get(path: "/metrics").body, as: UTF8.self)
        #expect(metricsAfter.contains(#"keel_feature_errors_total{feature="mempool-sender-limit",cohort="on"} 1"#))

        let loadSender = try NodeAccount.named("replace-sender")
        let load = Task {
            var nonce: UInt64 = 0
            while !Task.isCancelled {
                let signed = try loadSender.transfer(nonce: nonce, to: recipient.address, value: 1)
                _ = try? await outside.call("eth_sendRawTransaction", [.data(signed.raw)])
                nonce += 1
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        let killedAt = try await session.blockNumber()
        _ = try await admin.call("admin_killFlag", [.object(["name": .string(Self.limit)])])
        try await send(try capped.transfer(nonce: 12, to: recipient.address, value: 1))
        let acceptedAt = try await session.blockNumber()
        load.cancel()
        #expect(acceptedAt <= killedAt + 1, "the kill took effect \(acceptedAt - killedAt) blocks after it was made")

        // 3. A fault in the cohort: with the sequencer stopped, sync sends time out while the rest's sends
        // are accepted. The guard compares the two and turns the flag off, saying why.
        _ = try await admin.call("admin_stopRole", [.object(["role": "sequencer"])])
        let faulty = try NodeAccount.named("known-sender")
        for nonce in 0..<4 as Range<UInt64> {
            let signed = try faulty.transfer(nonce: nonce, to: recipient.address, value: 1)
            let timedOut = await rpcRefusal { _ = try await inside.call("eth_sendRawTransactionSync", [.data(signed.raw), .quantity(50)]) }
            // A timeout (code 4), or, once the guard has tripped, the feature no longer enabled.
            #expect(timedOut?.code == 4 || timedOut?.code == -32601, "\(String(describing: timedOut))")
            _ = try await outside.call("eth_sendRawTransaction", [.data(try syncSender.transfer(nonce: 2 + nonce, to: recipient.address, value: 1).raw)])
        }
        let audit = try await session.waitFor("the guard to trip") { () async throws -> JSONValue? in
            let records = try await admin.call("admin_flagAudit").arrayValue ?? []
            return records.last { $0["actor"]?.stringValue == "guard" }
        }
        #expect(audit["flag"]?.stringValue == Self.sync && audit["action"]?.stringValue == "kill" && audit["new"]?.stringValue == "rollout:0:client",
                "\(audit)")
        let reason = audit["reason"]?.stringValue ?? ""
        #expect(reason.hasPrefix("error rate ") && reason.contains("in the cohort") && reason.contains("for the rest") && reason.contains("over 30 s"),
                "\(audit)")
        let listing = try session.keelWithManifest(["flags", "audit"])
        #expect(listing.output.contains("guard") && listing.output.contains(reason), "\(listing.transcript)")
        let now = await rpcRefusal { _ = try await inside.call("eth_sendRawTransactionSync", [.data(second.raw)]) }
        #expect(now?.code == -32601)
        _ = try await admin.call("admin_startRole", [.object(["role": "sequencer"])])
    }
}
