import Foundation

/// Senders already recovered, by transaction hash (`keccak256` of the raw bytes), so that a
/// process which meets the same transaction several times — validated for the mempool, executed
/// in a block, re-executed by an attestor in the same process — pays for one secp256k1 recovery.
///
/// Sound because the hash covers every byte recovery depends on (signing payload and signature):
/// equal hashes mean equal inputs, so the cached sender is the one recovery would give. Bounded:
/// the oldest entries go first once `capacity` is reached. Thread-safe.
public final class RecoveryCache: @unchecked Sendable {
    public let capacity: Int
    private let lock = NSLock()
    // Guarded by `lock`.
    private var senders: [Hash32: Address] = [:]
    private var order: [Hash32] = []
    private var next = 0

    public init(capacity: Int = 131_072) {
        self.capacity = max(capacity, 1)
    }

    public func sender(of hash: Hash32) -> Address? {
        lock.withLock { senders[hash] }
    }

    public func insert(_ sender: Address, for hash: Hash32) {
        lock.withLock {
            guard senders.updateValue(sender, forKey: hash) == nil else { return }
            if order.count < capacity {
                order.append(hash)
            } else {
                senders[order[next]] = nil
                order[next] = hash
                next = (next + 1) % capacity
            }
        }
    }

    public var count: Int { lock.withLock { senders.count } }
}
