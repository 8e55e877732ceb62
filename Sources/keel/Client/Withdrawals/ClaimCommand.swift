import ArgumentParser
import KeelCore
import KeelJSONRPC
import KeelKernel

/// `keel claim TXHASH [--manifest FILE] [--rpc URL]`: pays out a withdrawal on L1. The node gives
/// the message and its Merkle proof (`keel_getWithdrawalProof`); the manifest's bridge plugin,
/// opened here, checks the proof against the batch's withdrawals root and pays once.
struct ClaimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claim",
        abstract: "Claim a withdrawal on L1 once its batch is final.",
        discussion: "Only the manifest's bridge plugin is loaded; the node must be running for the proof.")

    @Argument(help: "The withdrawal transaction's hash, as `keel withdraw` printed it.")
    var transactionHash: String

    @Option(name: .long, help: "The rollup's manifest (default: manifests/devnet.yaml when it exists).")
    var manifest: String?

    @OptionGroup var endpoint: RPCEndpointOptions

    func run() async throws {
        try await reportingUserErrors {
            let command = "keel claim"
            let hash = try ClientArguments.hash(transactionHash, "TXHASH", command: command)
            let manifestPath = try ManifestChoice.path(manifest, command: command)
            let node = NodeConnection(command: command, url: endpoint.url)
            defer { node.shutdown() }
            let proof: RPCReply
            switch try await node.callKeepingRefusal("keel_getWithdrawalProof", [.hash(hash)]) {
            case .success(let reply): proof = reply
            case .failure(let refusal):
                throw UserError("\(command): no withdrawal proof for \(hash) yet: \(refusal.message); a withdrawal can be claimed "
                                + "once its block is in a batch posted to L1 and that batch is final")
            }
            guard !proof.isNull else {
                throw UserError("\(command): the node at \(node.url) knows no withdrawal \(hash); check the hash `keel withdraw` printed")
            }
            let batch = try proof.quantity("batchIndex")
            let message = try proof.data("message")
            let path = try proof.data("proof")
            let isFinal = try proof.bool("final")

            let bridge = try L1Bridge.open(manifestPath: manifestPath, command: command)
            let nodeChain = try await node.call("eth_chainId").quantity()
            guard nodeChain == bridge.manifest.rollup.chainID else {
                throw UserError("\(command): the node at \(node.url) runs chain \(nodeChain), but \(manifestPath) is chain "
                                + "\(bridge.manifest.rollup.chainID); pass the node's manifest with --manifest")
            }
            do throws(PluginCallError) {
                try bridge.client.claimWithdrawal(batch: batch, message: message, proof: path)
            } catch {
                var text = "\(command): the settlement layer refused withdrawal \(hash) of batch \(batch): \(error.message)"
                if !isFinal && error.code == PluginErrorCode.rejected.rawValue {
                    text += "; wait until batch \(batch) is final (`keel l1 status` shows the final batches) and run `keel claim` again"
                }
                throw UserError(text)
            }
            print("claimed withdrawal \(hash) of batch \(batch) on L1")
            if let payout = WithdrawalMessage(message) {
                print("paid:      \(WeiAmount.format(payout.amount))")
                print("to:        \(payout.recipient) (L1)")
                print("from:      \(payout.sender) (L2), withdrawal nonce \(payout.nonce)")
            } else {
                print("its message (\(message.count) bytes) is not a transfer withdrawal, so the bridge records no payout")
            }
        }
    }
}
