/// Sequencer consensus: who may produce the next block, in what order, and whose signature it bears.
///
/// Contract:
/// - `order` returns indices into `candidates`, in block order, keeping each sender's nonces
///   increasing and the total gas within `gasLimit`.
/// - `signHeader` signs a 32-byte header hash; `verifyHeader` throws `.rejected` for a signature that
///   is not the sequencer's for that height. Keys come from files and are never logged.
public protocol SequencerConsensus: KeelPlugin {
    func isLeader(height: UInt64) throws(PluginError) -> Bool
    func order(_ candidates: [OrderCandidate], baseFee: UInt128, gasLimit: UInt64) throws(PluginError) -> [Int]
    func signHeader(_ hash: [UInt8]) throws(PluginError) -> [UInt8]
    func verifyHeader(height: UInt64, hash: [UInt8], signature: [UInt8]) throws(PluginError)
}
