import Foundation
import KeelCore
@testable import KeelNode
import Testing

/// The mempool's view of an account's nonce against the order in which a block and a transaction
/// arrive: the RPC handler reads the nonce before the mempool's lock, so a block can commit between.
@Suite struct MempoolNonceTests {
    static let sender = [UInt8](repeating: 0x15, count: 20)

    static func summary(nonce: UInt64) -> TransactionSummary {
        TransactionSummary(type: 2, hash: Keccak256.hash(Array("tx-\(nonce)".utf8)).bytes, sender: sender, recipient: nil,
                           nonce: nonce, gasLimit: 21_000, intrinsicGas: 21_000, maxFeePerGas: 100, maxPriorityFeePerGas: 1,
                           value: 0, maxCost: 2_100_000, encodedSize: 110)
    }

    /// Nonce 122 is pending, 123 is validated against the state before the block with 122 commits,
    /// and reaches the pool after it: 123 is the next executable transaction, not stuck behind 122.
    @Test func aNonceReadBeforeABlockCommittedDoesNotStallTheSender() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keel-mempool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mempool = Mempool(store: try MempoolStore(path: folder.appendingPathComponent("mempool.sqlite").path, synchronousFull: false))
        let sender = try #require(Address(bytes: Self.sender))

        try await mempool.add(summary: Self.summary(nonce: 122), raw: [1], accountNonce: 122)
        let first = mempool.executable(gasBudget: 1_000_000, limit: 10) { _ in 122 }
        #expect(first.map(\.nonce) == [122])
        // The handler of nonce 123 read the account nonce (122) here; then the block with 122 commits.
        mempool.blockCommitted(included: [(first[0].hash, sender, 122)], dropped: [])
        try await mempool.add(summary: Self.summary(nonce: 123), raw: [2], accountNonce: 122)

        let next = mempool.executable(gasBudget: 1_000_000, limit: 10) { _ in 123 }
        #expect(next.map(\.nonce) == [123], "the pool waits for nonce \(next.first?.nonce ?? 122) instead of 123")
    }
}
