import KeelCore
import KeelJSONRPC
import Synchronization
import Testing
@testable import KeelNode

/// The JSON-RPC server over real HTTP on 127.0.0.1, driven by `JSONRPCClient`.
@Suite struct RPCServerTests {
    @Test func answersTheNodeMethods() async throws {
        let backend = try RPCTestBackend()
        try await withRPCServer(backend) { client async throws in
            #expect(try await client.call("eth_chainId") == "0x385")
            #expect(try await client.call("net_version") == "901")
            #expect(try await client.call("web3_clientVersion") == "keel/test")
            #expect(try await client.call("eth_blockNumber") == "0x0")
            #expect(try await client.call("eth_syncing") == false)
            #expect(try await client.call("net_listening") == true)
            #expect(try await client.call("eth_accounts") == [])
            // next base fee 1 gwei + suggested tip 0.001 gwei
            #expect(try await client.call("eth_gasPrice") == .string(EthereumHex.quantity(UInt64(1_001_000_000))))
            #expect(try await client.call("eth_maxPriorityFeePerGas") == "0xf4240")
        }
    }

    /// The server runs each handler on the one offload executor (`BlockingWork`), whose threads may
    /// block on SQLite and plugin calls without starving the cooperative pool.
    @Test func handlersRunOnTheOffloadExecutor() async throws {
        let backend = try RPCTestBackend()
        try await withRPCServer(backend) { client async throws in
            _ = try await client.call("eth_blockNumber")
            _ = try await client.call("eth_blockNumber")
        }
        let queues = backend.headReaders.withLock { $0 }
        #expect(!queues.isEmpty)
        #expect(queues.allSatisfy { $0 }, "handlers off the offload executor: \(queues)")
    }

    @Test func readsAccountsAtTags() async throws {
        let backend = try RPCTestBackend()
        let address = try EthereumHex.decodeAddress("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266")
        backend.setBalance(address, 10_000_000_000_000_000_000_000)
        try await withRPCServer(backend) { client async throws in
            let text = JSONValue.address(address)
            #expect(try await client.call("eth_getBalance", [text, "latest"]) == "0x21e19e0c9bab2400000")
            #expect(try await client.call("eth_getBalance", [text]) == "0x21e19e0c9bab2400000")
            #expect(try await client.call("eth_getTransactionCount", [text, "pending"]) == "0x5")
            #expect(try await client.call("eth_getTransactionCount", [text, "latest"]) == "0x3")
            #expect(try await client.call("eth_getTransactionCount", [text, ["blockNumber": "0x0"]]) == "0x3")
        }
    }

    @Test func refusesBadParametersWithGethsWords() async throws {
        let backend = try RPCTestBackend()
        try await withRPCServer(backend) { client async throws in
            let address: JSONValue = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
            let cases: [(String, [JSONValue], String)] = [
                ("eth_getBalance", ["f39fd6e51aad88f6f4ce6ab8827279cfffb92266"], "invalid argument 0: hex string without 0x prefix"),
                ("eth_getBalance", [], "missing value for required argument 0"),
                ("eth_getTransactionCount", [address, "0x01"], "invalid argument 1: hex number with leading zero digits"),
                ("eth_getTransactionCount", [address, "newest"], "invalid argument 1: hex string without 0x prefix"),
                ("eth_blockNumber", [1], "too many arguments, want at most 0"),
                ("eth_sendRawTransaction", ["0x0"], "invalid argument 0: hex string of odd length"),
                ("eth_getTransactionByHash", ["0x1234"], "invalid argument 0: hex string has length 4, want 64 for a hash"),
                ("eth_getBlockByNumber", ["latest", "yes"], "invalid argument 1: expected true or false, found a string"),
                ("eth_feeHistory", ["0x2", "latest", [50, 10]], "invalid reward percentile: #0:50.0 > #1:10.0 (percentiles must not decrease)"),
                ("eth_call", [["to": address, "value": "10"]], "invalid argument 0: field \"value\": hex string without 0x prefix"),
            ]
            for (method, params, message) in cases {
                await #expect(throws: RPCError.invalidParams(message), "\(method) \(params)") {
                    try await client.call(method, params)
                }
            }
        }
    }

    @Test func refusesAnUnknownMethod() async throws {
        try await withRPCServer(try RPCTestBackend()) { client async throws in
            await #expect(throws: RPCError(code: -32601, message: "the method eth_mine does not exist/is not available")) {
                try await client.call("eth_mine")
            }
        }
    }

    @Test func answersABatchInOrderWithEachCallsOutcome() async throws {
        try await withRPCServer(try RPCTestBackend()) { client async throws in
            let outcomes = try await client.batch([
                ("eth_chainId", []), ("no_such_method", []), ("eth_getBalance", ["0x12"]), ("eth_blockNumber", []),
            ])
            #expect(outcomes.count == 4)
            #expect(try outcomes[0].get() == "0x385")
            #expect(outcomes[1].failure?.code == -32601)
            #expect(outcomes[2].failure == RPCError.invalidParams("invalid argument 0: hex string has length 2, want 40 for an address"))
            #expect(try outcomes[3].get() == "0x0")
        }
    }

    @Test func skipsNotificationsEchoesIdsAndAnswersInvalidEntries() async throws {
        try await withRPCServer(try RPCTestBackend()) { client async throws in
            let body = """
            [{"jsonrpc":"2.0","method":"eth_chainId"},
             {"jsonrpc":"2.0","id":"abc","method":"eth_chainId"},
             1,
             {"jsonrpc":"2.0","id":7.50,"method":"nope"},
             {"jsonrpc":"1.0","id":9,"method":"eth_chainId"},
             {"jsonrpc":"2.0","id":10,"method":"eth_chainId","params":"x"}]
            """
            let reply = try await client.post(rawBody: Array(body.utf8))
            #expect(reply.status == 200)
            #expect(reply.contentType == "application/json")
            let text = String(decoding: reply.body, as: UTF8.self)
            #expect(text.contains(#""id":7.50"#), "a numeric id comes back as sent")
            let responses = try #require(try JSONValue(parsing: reply.body).arrayValue)
            #expect(responses.count == 5, "the notification gets no response")
            #expect(responses[0] == ["jsonrpc": "2.0", "id": "abc", "result": "0x385"])
            #expect(responses[1]["id"] == .null)
            #expect(responses[1]["error"]?["code"] == -32600)
            #expect(responses[2]["error"]?["code"] == -32601)
            #expect(responses[3]["id"] == 9)
            #expect(responses[3]["error"]?["message"] == #"invalid request: the member "jsonrpc" must be "2.0""#)
            #expect(responses[4]["error"]?["message"] == #"invalid request: "params" must be an array or an object, found a string"#)

            let notifications = try await client.post(rawBody: Array(#"[{"jsonrpc":"2.0","method":"eth_chainId"}]"#.utf8))
            #expect(notifications.status == 204)
            #expect(notifications.body.isEmpty)
            let single = try await client.post(rawBody: Array(#"{"jsonrpc":"2.0","method":"eth_chainId","params":[]}"#.utf8))
            #expect(single.status == 204)
        }
    }

    @Test func answersParseErrorsAndEmptyOrOversizedBatches() async throws {
        try await withRPCServer(try RPCTestBackend(), limits: RPCLimits(maxBatchSize: 3)) { client async throws in
            let broken = try await client.post(rawBody: Array(#"{"jsonrpc": "2.0", "method": }"#.utf8))
            let error = try JSONValue(parsing: broken.body)
            #expect(error["id"] == .null)
            #expect(error["error"]?["code"] == -32700)
            #expect(error["error"]?["message"] == "parse error: invalid JSON at byte 29: expected a value, found '}'")

            let empty = try JSONValue(parsing: try await client.post(rawBody: Array("[]".utf8)).body)
            #expect(empty["error"] == ["code": -32600, "message": "invalid request: empty batch"])

            await #expect(throws: RPCError.invalidRequest("batch of 4 requests exceeds the limit of 3; split it into smaller batches")) {
                try await client.batch(Array(repeating: ("eth_chainId", []), count: 4))
            }
            #expect(try await client.batch(Array(repeating: ("eth_chainId", []), count: 3)).count == 3)
        }
    }

    @Test func refusesABodyOverTheLimitWith413() async throws {
        try await withRPCServer(try RPCTestBackend(), limits: RPCLimits(maxBodyBytes: 1_000)) { client async throws in
            let padding = String(repeating: "0", count: 2_000)
            let body = Array(#"{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x\#(padding)"]}"#.utf8)
            let reply = try await client.post(rawBody: body)
            #expect(reply.status == 413)
            let error = try JSONValue(parsing: reply.body)
            #expect(error["error"] == ["code": -32600, "message": .string("request body of \(body.count) bytes exceeds the limit of 1000 bytes")])
            // A fresh connection still works after the refusal.
            #expect(try await client.call("eth_chainId") == "0x385")
        }
    }

    @Test func runsTheSendsOfABatchConcurrently() async throws {
        let backend = try RPCTestBackend(submitDelay: .milliseconds(20))
        let transactions = try (0..<8).map { try RPCFixtures.transfer(nonce: $0) }
        try await withRPCServer(backend) { client async throws in
            let outcomes = try await client.batch(transactions.map { ("eth_sendRawTransaction", [.data($0.raw)]) })
            #expect(try outcomes.map { try $0.get() } == transactions.map { .hash($0.hash) })
        }
        #expect(backend.submitted == 8)
        #expect(backend.maxInFlight > 1, "the submissions of one batch overlap, so the mempool can commit them together")
    }

    @Test func reportsARefusedTransactionAsGethDoes() async throws {
        let other = try Transaction.dynamicFee(chainId: 1, nonce: 0, maxPriorityFeePerGas: 1, maxFeePerGas: 2, gasLimit: 21_000,
                                               to: RPCFixtures.recipient, value: 1).signed(with: try PrivateKey(hex: RPCFixtures.key0))
        try await withRPCServer(try RPCTestBackend()) { client async throws in
            await #expect(throws: RPCError.transactionRejected("invalid chain id")) {
                try await client.call("eth_sendRawTransaction", [.data(other.raw)])
            }
        }
    }

    @Test func simulatesCallsAndEstimatesGas() async throws {
        let backend = try RPCTestBackend()
        try await withRPCServer(backend) { client async throws in
            let call: JSONValue = ["from": "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
                                   "to": "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "value": "0x10", "input": "0x"]
            #expect(try await client.call("eth_call", [call, "latest"]) == "0x")
            #expect(backend.lastCall?.value == 16)
            #expect(backend.lastCall?.recipient == RPCFixtures.recipient?.bytes)
            #expect(try await client.call("eth_estimateGas", [call]) == "0x5208")
            await #expect(throws: RPCError(code: 3, message: "execution reverted", data: "0x")) {
                try await client.call("eth_call", [["to": "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "value": "0x10000"]])
            }
        }
    }

    @Test func answersFeeHistory() async throws {
        let backend = try RPCTestBackend()
        try backend.appendBlock([])
        try await withRPCServer(backend) { client async throws in
            let history = try await client.call("eth_feeHistory", ["0x2", "latest", [25, 75]])
            #expect(history["oldestBlock"] == "0x0")
            #expect(history["baseFeePerGas"]?.arrayValue?.count == 3)
            #expect(history["gasUsedRatio"] == [.number("0.5"), .number("0.5")])
            #expect(history["reward"] == [["0xf4240", "0xf4240"], ["0xf4240", "0xf4240"]])
            #expect(try await client.call("eth_feeHistory", [2, "latest"])["reward"] == nil)
        }
    }

    @Test func answersKeelMethods() async throws {
        try await withRPCServer(try RPCTestBackend()) { client async throws in
            let status = try await client.call("keel_status")
            #expect(status["chainId"] == "0x385")
            #expect(status["mode"] == "attested")
            #expect(status["batchCount"] == "0x2")
            #expect(status["lastBatchedBlock"] == "0x1")
            #expect(try await client.call("keel_getBatch", ["0x0"])["stage"] == "posted")
            #expect(try await client.call("keel_getBatch", [0])["daCommitment"] == "0x0102")
            #expect(try await client.call("keel_getBatch", ["0x5"]) == .null)
            let proof = try await client.call("keel_getProof", ["0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "latest"])
            #expect(proof["value"] == .null)
            #expect(proof["proof"] == "0xaabb")
            await #expect(throws: RPCError.unavailable("the withdrawal's block is not in a posted batch yet")) {
                try await client.call("keel_getWithdrawalProof", [.hash(.zero)])
            }
        }
    }

    @Test func servesHealthAndMetrics() async throws {
        try await withRPCServer(try RPCTestBackend()) { client async throws in
            let health = try await client.get(path: "/health")
            #expect(health.status == 200)
            #expect(String(decoding: health.body, as: UTF8.self) == "ok")
            let metrics = try await client.get(path: "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.contentType == "text/plain; version=0.0.4; charset=utf-8")
            #expect(String(decoding: metrics.body, as: UTF8.self).contains("keel_blocks_total 0"))
        }
    }

    @Test func theClientSaysWhenNoNodeListens() async throws {
        let client = JSONRPCClient(url: "http://127.0.0.1:1")
        defer { client.shutdown() }
        await #expect(throws: JSONRPCClientError(.unreachable, "cannot reach the node at http://127.0.0.1:1: connection refused; is `keel up` running?")) {
            try await client.call("eth_chainId")
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
