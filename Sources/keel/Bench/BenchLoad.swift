import Foundation
import KeelCore
import KeelJSONRPC

/// Signing, sending and waiting for the benchmark's transfers.
enum BenchLoad {
    static let recipient = Address(hex: "0x000000000000000000000000000000000000bEEF")!

    /// `count` EIP-1559 transfers of 1 wei, round-robin over the ten development accounts.
    static func sign(count: Int) throws -> [[UInt8]] {
        let keys = try DevelopmentAccounts.privateKeys.map { try PrivateKey(hex: $0) }
        return try (0..<count).map { index in
            let tx = Transaction.dynamicFee(chainId: 901, nonce: UInt64(index / keys.count), maxPriorityFeePerGas: 1_000_000,
                                            maxFeePerGas: 1_000_000_000_000, gasLimit: 21_000, to: recipient, value: 1)
            return try tx.signed(with: keys[index % keys.count]).raw
        }
    }

    /// Decodes and recovers every transaction on one core: transactions per second.
    static func recoveryRate(_ raws: [[UInt8]]) -> Double {
        let start = ContinuousClock.now
        var recovered = 0
        for raw in raws where (try? Transaction.decode(raw: raw)) != nil { recovered += 1 }
        return Double(recovered) / (ContinuousClock.now - start).seconds
    }

    struct Outcome {
        var refused: Int
        var submitSeconds: Double
        var endToEndSeconds: Double
        var blocks: UInt64
        var batches: UInt64
    }

    /// Sends `raws` in JSON-RPC batches over `connections` concurrent senders, then waits until
    /// the mempool is empty and a posted batch covers the last block.
    static func run(_ raws: [[UInt8]], client: JSONRPCClient, batchSize: Int, connections: Int) async throws -> Outcome {
        let bodies = stride(from: 0, to: raws.count, by: batchSize).map { start in
            body(Array(raws[start..<min(start + batchSize, raws.count)]), firstID: start)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let refused = try await withThrowingTaskGroup(of: Int.self) { group in
            for lane in 0..<connections {
                group.addTask {
                    var refused = 0
                    for index in stride(from: lane, to: bodies.count, by: connections) {
                        let reply = try await client.post(rawBody: bodies[index])
                        refused += countErrors(reply.body)
                    }
                    return refused
                }
            }
            return try await group.reduce(0, +)
        }
        let submitted = clock.now
        var status = try await client.call("keel_status")
        while true {
            let pending = try status["pendingTransactions"]?.decodeQuantity() ?? 1
            let height = try status["height"]?.decodeQuantity() ?? 0
            let batched = try? status["lastBatchedBlock"]?.decodeQuantity()
            if pending == 0, height > 0, let batched, batched >= height { break }
            try await Task.sleep(for: .milliseconds(20))
            status = try await client.call("keel_status")
        }
        let end = clock.now
        return Outcome(refused: refused, submitSeconds: (submitted - start).seconds, endToEndSeconds: (end - start).seconds,
                       blocks: try status["height"]?.decodeQuantity() ?? 0, batches: try status["batchCount"]?.decodeQuantity() ?? 0)
    }

    private static func body(_ raws: [[UInt8]], firstID: Int) -> [UInt8] {
        var text = "["
        for (offset, raw) in raws.enumerated() {
            if offset > 0 { text += "," }
            text += #"{"jsonrpc":"2.0","id":\#(firstID + offset),"method":"eth_sendRawTransaction","params":[""#
            text += Hex.encode(raw)
            text += #""]}"#
        }
        text += "]"
        return Array(text.utf8)
    }

    private static func countErrors(_ body: [UInt8]) -> Int {
        let needle = Array(#""error""#.utf8)
        var count = 0
        var index = 0
        while index + needle.count <= body.count {
            if body[index] == needle[0] && Array(body[index..<index + needle.count]) == needle {
                count += 1
                index += needle.count
            } else {
                index += 1
            }
        }
        return count
    }
}

