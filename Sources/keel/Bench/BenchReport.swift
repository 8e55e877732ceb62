import Foundation

/// The benchmark's figures.
struct BenchReport: Encodable {
    let transactions: Int
    let batchSize: Int
    let connections: Int
    let blockTimeMilliseconds: Int
    let gasLimit: Int
    let refused: Int
    let submitSeconds: Double
    let endToEndSeconds: Double
    let blocks: UInt64
    let batches: UInt64
    let recoveriesPerSecond: Double

    var endToEndPerSecond: Double { Double(transactions) / endToEndSeconds }
    var ratioToRecovery: Double { endToEndPerSecond / recoveriesPerSecond }

    var text: String {
        """
        transfers            \(transactions) in JSON-RPC batches of \(batchSize) over \(connections) connections (\(refused) refused)
        rollup               block time \(blockTimeMilliseconds) ms, gas limit \(gasLimit); \(blocks) blocks, \(batches) batches posted
        accepted             \(format(Double(transactions) / submitSeconds)) tx/s (all answered in \(format(submitSeconds)) s)
        end to end           \(format(endToEndPerSecond)) tx/s (executed, persisted, batched, posted in \(format(endToEndSeconds)) s)
        bare recovery        \(format(recoveriesPerSecond)) tx/s on one core (decode + secp256k1 recover)
        ratio                \(format(ratioToRecovery)) of bare recovery
        """
    }

    private func format(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String(format: "%.3f", value)
    }
}
