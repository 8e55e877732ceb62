import KeelPluginKit

/// Picks and orders a block's transactions: highest effective tip first, ties by arrival, and never
/// a sender's nonce n + 1 before n.
///
/// Each sender's candidates form a queue in nonce order; a heap holds the head of every queue, so
/// the next transaction is always the best one whose predecessors are already in the block
/// (go-ethereum's miner does the same). Effective tip = min(maxPriorityFeePerGas, maxFeePerGas − baseFee).
///
/// - A candidate with maxFeePerGas < baseFee cannot pay for this block and is left out, and so are
///   its sender's later nonces (they cannot run before it).
/// - A queue stops at a gap in its nonces, and at a duplicate nonce only the best tip is kept.
/// - A candidate whose gas limit no longer fits in what is left of `gasLimit` is left out with the
///   rest of its sender's queue; other senders' smaller transactions may still fit.
///
/// Deterministic: equal inputs give equal orders, whatever order the candidates came in
/// (the last tie-break is the candidate's index).
enum TipOrdering {
    static func order(_ candidates: [OrderCandidate], baseFee: UInt128, gasLimit: UInt64) -> [Int] {
        let queues = senderQueues(candidates, baseFee: baseFee)
        var heap = CandidateHeap()
        for (queue, indices) in queues.enumerated() {
            heap.push(entry(candidates, indices[0], queue: queue, position: 0, baseFee: baseFee))
        }
        var chosen: [Int] = []
        var gasLeft = gasLimit
        while let best = heap.pop() {
            let candidate = candidates[best.index]
            guard candidate.gasLimit <= gasLeft else { continue }
            gasLeft -= candidate.gasLimit
            chosen.append(best.index)
            let next = best.position + 1
            if next < queues[best.queue].count {
                heap.push(entry(candidates, queues[best.queue][next], queue: best.queue, position: next, baseFee: baseFee))
            }
        }
        return chosen
    }

    /// min(maxPriorityFeePerGas, maxFeePerGas − baseFee); nil when maxFeePerGas < baseFee.
    static func effectiveTip(_ candidate: OrderCandidate, baseFee: UInt128) -> UInt128? {
        guard candidate.maxFeePerGas >= baseFee else { return nil }
        return min(candidate.maxPriorityFeePerGas, candidate.maxFeePerGas - baseFee)
    }

    /// Per sender, the indices of a run of consecutive nonces from the sender's lowest nonce, cut at
    /// the first nonce that no candidate able to pay the base fee holds.
    static func senderQueues(_ candidates: [OrderCandidate], baseFee: UInt128) -> [[Int]] {
        var bySender: [[UInt8]: [Int]] = [:]
        for (index, candidate) in candidates.enumerated() {
            bySender[candidate.sender, default: []].append(index)
        }
        var queues: [[Int]] = []
        queues.reserveCapacity(bySender.count)
        for indices in bySender.values {
            // By nonce; for one nonce, payable before unpayable, then by rank.
            let sorted = indices.sorted { a, b in
                let x = candidates[a], y = candidates[b]
                if x.nonce != y.nonce { return x.nonce < y.nonce }
                switch (effectiveTip(x, baseFee: baseFee), effectiveTip(y, baseFee: baseFee)) {
                case (let tipX?, let tipY?):
                    return before(tip: tipX, arrival: x.arrival, index: a, than: tipY, arrival: y.arrival, index: b)
                case (_?, nil): return true
                case (nil, _?): return false
                case (nil, nil): return a < b
                }
            }
            var queue: [Int] = []
            var expected = candidates[sorted[0]].nonce
            var previous: UInt64?
            for index in sorted {
                let nonce = candidates[index].nonce
                if nonce == previous { continue }
                guard nonce == expected, effectiveTip(candidates[index], baseFee: baseFee) != nil else { break }
                queue.append(index)
                previous = nonce
                guard nonce < UInt64.max else { break }
                expected = nonce + 1
            }
            if !queue.isEmpty { queues.append(queue) }
        }
        return queues
    }

    /// The priority rule: higher tip first, then earlier arrival, then lower index.
    static func before(tip: UInt128, arrival: UInt64, index: Int, than otherTip: UInt128, arrival otherArrival: UInt64, index otherIndex: Int) -> Bool {
        if tip != otherTip { return tip > otherTip }
        if arrival != otherArrival { return arrival < otherArrival }
        return index < otherIndex
    }

    private static func entry(_ candidates: [OrderCandidate], _ index: Int, queue: Int, position: Int, baseFee: UInt128) -> CandidateHeap.Entry {
        CandidateHeap.Entry(tip: effectiveTip(candidates[index], baseFee: baseFee) ?? 0, arrival: candidates[index].arrival,
                            index: index, queue: queue, position: position)
    }
}

/// A binary heap of queue heads, best (by `TipOrdering.before`) on top.
struct CandidateHeap {
    struct Entry {
        var tip: UInt128
        var arrival: UInt64
        /// Index into the candidates.
        var index: Int
        /// Which sender queue, and where in it.
        var queue: Int
        var position: Int

        func isBefore(_ other: Entry) -> Bool {
            TipOrdering.before(tip: tip, arrival: arrival, index: index, than: other.tip, arrival: other.arrival, index: other.index)
        }
    }

    private var entries: [Entry] = []

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].isBefore(entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let top = entries.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < entries.count && entries[left].isBefore(entries[best]) { best = left }
            if right < entries.count && entries[right].isBefore(entries[best]) { best = right }
            if best == parent { break }
            entries.swapAt(parent, best)
            parent = best
        }
        return top
    }
}
