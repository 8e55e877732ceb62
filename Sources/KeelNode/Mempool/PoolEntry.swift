import KeelCore

/// A transaction in the mempool, with the fields ordering and replacement need.
struct PoolEntry: Sendable {
    var hash: Hash32
    var raw: [UInt8]
    var sender: Address
    var nonce: UInt64
    var gasLimit: UInt64
    var maxFeePerGas: UInt128
    var maxPriorityFeePerGas: UInt128
    /// Order of arrival, for ties.
    var arrival: UInt64

    init(summary: TransactionSummary, raw: [UInt8], arrival: UInt64) {
        hash = Hash32(bytes: summary.hash) ?? Keccak256.hash(raw)
        self.raw = raw
        sender = Address(bytes: summary.sender) ?? .zero
        nonce = summary.nonce
        gasLimit = summary.gasLimit
        maxFeePerGas = summary.maxFeePerGas
        maxPriorityFeePerGas = summary.maxPriorityFeePerGas
        self.arrival = arrival
    }

    var candidate: OrderCandidate {
        OrderCandidate(hash: hash.bytes, sender: sender.bytes, nonce: nonce, gasLimit: gasLimit, maxFeePerGas: maxFeePerGas,
                       maxPriorityFeePerGas: maxPriorityFeePerGas, arrival: arrival)
    }

    /// Whether `self` may replace `old` (same sender and nonce): both fee fields at least 10% higher,
    /// as go-ethereum's default price bump.
    func outbids(_ old: PoolEntry) -> Bool {
        maxFeePerGas >= Self.bumped(old.maxFeePerGas) && maxPriorityFeePerGas >= Self.bumped(old.maxPriorityFeePerGas)
    }

    /// ⌈price × 1.1⌉ without overflow (saturating).
    static func bumped(_ price: UInt128) -> UInt128 {
        let tenth = price / 10 + (price % 10 == 0 ? 0 : 1)
        let (sum, overflow) = price.addingReportingOverflow(tenth)
        return overflow ? .max : sum
    }
}
