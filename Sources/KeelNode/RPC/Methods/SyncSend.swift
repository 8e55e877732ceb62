import Foundation
import KeelCore
import KeelJSONRPC

/// `eth_sendRawTransactionSync` (EIP-7966), the rollout feature `send-raw-transaction-sync`: for the
/// clients in its cohort the answer is the transaction's receipt, once a block holds it. Every
/// submission (sync or not) is measured by the client's cohort, so the feature's errors and latency
/// can be held against the rest's (`/metrics`, the flag's guard).
enum SyncSend {
    static let feature = RolloutFeature.sendRawTransactionSync
    /// The wait for the receipt when the call names none, and the longest a call may ask for.
    static let defaultTimeoutMilliseconds: UInt64 = 10_000
    static let maxTimeoutMilliseconds: UInt64 = 60_000

    static func handle(_ call: RPCCall) async throws(RPCError) -> JSONValue {
        try call.params.expect(atMost: 2)
        guard call.backend.isEnabled(feature, subject: call.clientSubject) else {
            throw RPCError(code: -32601, message: "eth_sendRawTransactionSync is not enabled for this client yet (rollout flag "
                           + "\(feature.rawValue)); send with eth_sendRawTransaction and poll eth_getTransactionReceipt")
        }
        let raw = try call.params.data(0)
        var timeout = defaultTimeoutMilliseconds
        if let value = call.params.optional(1) {
            timeout = try KeelMethods.integer(value, argument: 1)
            guard timeout >= 1, timeout <= maxTimeoutMilliseconds else {
                throw RPCError.invalidParams("invalid argument 1: the timeout is \(timeout) ms; give 1 to \(maxTimeoutMilliseconds)")
            }
        }
        return try await measured(call) { () async throws(RPCError) -> JSONValue in
            let hash = try await call.backend.submit(raw: raw)
            let deadline = ContinuousClock.now + .milliseconds(Int64(timeout))
            while ContinuousClock.now < deadline {
                if case .included(let stored)? = try call.backend.transaction(hash) { return try ReceiptView.json(stored) }
                do { try await Task.sleep(for: .milliseconds(10)) } catch { break }
            }
            // EIP-7966: code 4 when the transaction was accepted but not included in time; the hash lets the client go on polling.
            throw RPCError(code: 4, message: "the transaction was added to the pool but not included within \(timeout) ms",
                           data: .hash(hash))
        }
    }

    /// Runs a submission and records it by the client's cohort.
    static func measured(_ call: RPCCall, _ body: () async throws(RPCError) -> JSONValue) async throws(RPCError) -> JSONValue {
        let cohort = call.backend.isEnabled(feature, subject: call.clientSubject)
        let started = ContinuousClock.now
        do {
            let result = try await body()
            call.backend.recordRollout(feature, cohort: cohort, failed: false, seconds: (ContinuousClock.now - started).seconds)
            return result
        } catch {
            call.backend.recordRollout(feature, cohort: cohort, failed: true, seconds: (ContinuousClock.now - started).seconds)
            throw error
        }
    }
}
