import Foundation
import KeelCore

/// The node's mempool: accepted transactions by hash and by sender and nonce, persisted in
/// `mempool.sqlite`. Validation against the state is the execution plugin's (`validate_tx`); the
/// mempool adds the rules that involve other pending transactions: duplicates, replacement (10% fee
/// bump), nonce gaps and size limits. Thread-safe.
final class Mempool: @unchecked Sendable {
    struct Limits: Sendable {
        var maxTransactions = 200_000
        var maxPerSender = 65_536
    }

    let store: MempoolStore
    let limits: Limits
    private let lock = NSLock()
    // Guarded by `lock`.
    private var entries: [Hash32: PoolEntry] = [:]
    private var bySender: [Address: [UInt64: Hash32]] = [:]
    /// Each sender's account nonce as of the head, once the node has read or updated it.
    private var accountNonces: [Address: UInt64] = [:]
    private var nextArrival: UInt64 = 0

    init(store: MempoolStore, limits: Limits = Limits()) {
        self.store = store
        self.limits = limits
    }

    var count: Int { lock.withLock { entries.count } }

    /// How many transactions of `sender` are pending.
    func pendingCount(of sender: Address) -> Int { lock.withLock { bySender[sender]?.count ?? 0 } }

    func entry(_ hash: Hash32) -> PoolEntry? { lock.withLock { entries[hash] } }

    /// Adds a validated transaction and returns once it is durable. Throws `MempoolRefusal`.
    func add(summary: TransactionSummary, raw: [UInt8], accountNonce: UInt64) async throws {
        let (entry, replaced) = try reserve(summary: summary, raw: raw, accountNonce: accountNonce)
        var changes: [MempoolStore.Change] = [.insert(hash: entry.hash, raw: raw, arrival: entry.arrival)]
        if let replaced { changes.append(.delete(replaced.hash)) }
        do {
            try await store.persist(changes)
        } catch {
            remove([entry.hash])
            throw MempoolRefusal("the mempool could not store the transaction: \(error)")
        }
    }

    private func reserve(summary: TransactionSummary, raw: [UInt8], accountNonce: UInt64) throws -> (PoolEntry, PoolEntry?) {
        lock.lock()
        defer { lock.unlock() }
        do {
            let entry = PoolEntry(summary: summary, raw: raw, arrival: nextArrival)
            // The caller read `accountNonce` before taking the lock, so a block may have committed
            // since and raised it: an account's nonce only grows, and a stale lower one would leave
            // this sender's transactions waiting for a nonce already used.
            accountNonces[entry.sender] = max(accountNonces[entry.sender] ?? 0, accountNonce)
            if entries[entry.hash] != nil { throw MempoolRefusal("already known") }
            var replaced: PoolEntry?
            if let oldHash = bySender[entry.sender]?[entry.nonce], let old = entries[oldHash] {
                guard entry.outbids(old) else {
                    throw MempoolRefusal("replacement transaction underpriced: a transaction with nonce \(entry.nonce) "
                                         + "is pending; a replacement needs a max fee of at least \(PoolEntry.bumped(old.maxFeePerGas)) "
                                         + "and a priority fee of at least \(PoolEntry.bumped(old.maxPriorityFeePerGas)) wei per gas (10% more)")
                }
                replaced = old
            } else {
                if entries.count >= limits.maxTransactions { throw MempoolRefusal("txpool is full") }
                if (bySender[entry.sender]?.count ?? 0) >= limits.maxPerSender {
                    throw MempoolRefusal("txpool is full: \(entry.sender) has \(limits.maxPerSender) pending transactions")
                }
            }
            if let replaced { entries[replaced.hash] = nil }
            entries[entry.hash] = entry
            bySender[entry.sender, default: [:]][entry.nonce] = entry.hash
            nextArrival += 1
            return (entry, replaced)
        }
    }

    /// Restores a stored transaction at start (no write).
    func restore(summary: TransactionSummary, raw: [UInt8], arrival: UInt64, accountNonce: UInt64) {
        lock.withLock {
            let entry = PoolEntry(summary: summary, raw: raw, arrival: arrival)
            accountNonces[entry.sender] = accountNonce
            if let oldHash = bySender[entry.sender]?[entry.nonce], let old = entries[oldHash], old.arrival > arrival { return }
            entries[entry.hash] = entry
            bySender[entry.sender, default: [:]][entry.nonce] = entry.hash
            nextArrival = max(nextArrival, arrival + 1)
        }
    }

    /// The next nonce `sender` can use, given its account nonce: past its contiguous pending ones.
    func pendingNonce(_ sender: Address, accountNonce: UInt64) -> UInt64 {
        lock.withLock {
            var nonce = accountNonce
            guard let nonces = bySender[sender] else { return nonce }
            while nonces[nonce] != nil { nonce += 1 }
            return nonce
        }
    }

    /// The executable transactions: each sender's, contiguous from its account nonce, at most
    /// `gasBudget` gas in all (a few blocks' worth, the sequencer plugin picks) and `limit` entries.
    func executable(gasBudget: UInt64, limit: Int, accountNonce: (Address) -> UInt64) -> [PoolEntry] {
        lock.withLock {
            var chosen: [PoolEntry] = []
            var gas: UInt64 = 0
            for sender in bySender.keys.sorted() {
                let nonces = bySender[sender] ?? [:]
                var nonce = accountNonces[sender] ?? accountNonce(sender)
                accountNonces[sender] = nonce
                while let hash = nonces[nonce], let entry = entries[hash] {
                    if chosen.count >= limit || gas > gasBudget { return chosen }
                    chosen.append(entry)
                    gas += entry.gasLimit
                    nonce += 1
                }
            }
            return chosen
        }
    }

    /// After a block: drops the included transactions and every pending one whose nonce is now
    /// used, and records the senders' new account nonces.
    func blockCommitted(included: [(hash: Hash32, sender: Address, nonce: UInt64)], dropped: [Hash32]) {
        var removed: [Hash32] = []
        lock.withLock {
            for tx in included {
                accountNonces[tx.sender] = max(accountNonces[tx.sender] ?? 0, tx.nonce + 1)
                if entries.removeValue(forKey: tx.hash) != nil { removed.append(tx.hash) }
                if var nonces = bySender[tx.sender] {
                    for (nonce, hash) in nonces where nonce <= tx.nonce {
                        nonces[nonce] = nil
                        if entries.removeValue(forKey: hash) != nil { removed.append(hash) }
                    }
                    bySender[tx.sender] = nonces.isEmpty ? nil : nonces
                }
            }
            for hash in dropped {
                guard let entry = entries.removeValue(forKey: hash) else { continue }
                removed.append(hash)
                bySender[entry.sender]?[entry.nonce] = nil
                if bySender[entry.sender]?.isEmpty == true { bySender[entry.sender] = nil }
            }
        }
        if !removed.isEmpty { store.enqueue(removed.map { .delete($0) }) }
    }

    func remove(_ hashes: [Hash32]) {
        lock.withLock {
            for hash in hashes {
                guard let entry = entries.removeValue(forKey: hash) else { continue }
                if bySender[entry.sender]?[entry.nonce] == hash { bySender[entry.sender]?[entry.nonce] = nil }
                if bySender[entry.sender]?.isEmpty == true { bySender[entry.sender] = nil }
            }
        }
    }
}

/// A transaction the mempool refuses, with the message wallets know.
struct MempoolRefusal: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
