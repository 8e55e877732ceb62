import Prometheus

/// The node's own metrics, served at `/metrics` in Prometheus text (with the plugins' metrics).
final class NodeMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let blocks: Counter
    let transactions: Counter
    let deposits: Counter
    let refused: Counter
    let batchesPosted: Counter
    let batchesAttested: Counter
    let mempoolSize: Gauge
    let height: Gauge
    let daFailovers: Counter

    init() {
        blocks = registry.makeCounter(name: "keel_blocks_total", help: "Blocks built by this node")
        transactions = registry.makeCounter(name: "keel_transactions_total", help: "User transactions included in blocks")
        deposits = registry.makeCounter(name: "keel_deposits_total", help: "Deposits included in blocks")
        refused = registry.makeCounter(name: "keel_transactions_refused_total", help: "Transactions refused by eth_sendRawTransaction")
        batchesPosted = registry.makeCounter(name: "keel_batches_posted_total", help: "Batches posted to the settlement layer")
        batchesAttested = registry.makeCounter(name: "keel_batches_attested_total", help: "Batches attested by the in-node attestor")
        mempoolSize = registry.makeGauge(name: "keel_mempool_transactions", help: "Transactions waiting in the mempool")
        height = registry.makeGauge(name: "keel_block_height", help: "The latest block number")
        daFailovers = registry.makeCounter(name: "keel_da_failovers_total", help: "DA providers passed over for the next one")
    }
}
