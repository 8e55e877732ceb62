import KeelCore
import Testing

@Suite struct RecoveryCacheTests {
    let key = try! PrivateKey(hex: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")

    func transfer(nonce: UInt64) throws -> SignedTransaction {
        try Transaction.dynamicFee(chainId: 901, nonce: nonce, maxPriorityFeePerGas: 1, maxFeePerGas: 2, gasLimit: 21_000,
                                   to: .zero, value: 1).signed(with: key)
    }

    @Test func aCachedDecodeGivesWhatRecoveryGives() throws {
        let cache = RecoveryCache()
        let tx = try transfer(nonce: 0)
        let first = try Transaction.decode(raw: tx.raw, recoveryCache: cache)
        #expect(cache.sender(of: tx.hash) == key.address)
        let second = try Transaction.decode(raw: tx.raw, recoveryCache: cache)
        #expect(first == second)
        #expect(second == (try Transaction.decode(raw: tx.raw)))
    }

    @Test func aBadSignatureIsRefusedAndNotCached() throws {
        let cache = RecoveryCache()
        var raw = try transfer(nonce: 1).raw
        // s = 0: no public key recovers from it.
        for index in raw.count - 32..<raw.count { raw[index] = 0 }
        #expect(throws: TransactionError.self) { try Transaction.decode(raw: raw, recoveryCache: cache) }
        #expect(cache.count == 0)
    }

    @Test func theCacheKeepsAtMostItsCapacityAndForgetsTheOldest() throws {
        let cache = RecoveryCache(capacity: 3)
        let txs = try (0..<5).map { try transfer(nonce: UInt64($0)) }
        for tx in txs { _ = try Transaction.decode(raw: tx.raw, recoveryCache: cache) }
        #expect(cache.count == 3)
        #expect(cache.sender(of: txs[0].hash) == nil)
        #expect(cache.sender(of: txs[4].hash) == key.address)
    }
}
