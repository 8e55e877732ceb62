import Foundation
import KeelCore
import KeelJSONRPC

/// Builds, signs and sends one EIP-1559 transfer, filling in what the user left out from the node:
/// chain id (`eth_chainId`), nonce (`eth_getTransactionCount(sender, "pending")`), tip
/// (`eth_maxPriorityFeePerGas`), fee cap (2 × the latest block's `baseFeePerGas` + tip) and gas
/// (`eth_estimateGas`). Then, unless told not to, waits for the receipt.
struct TransferSender {
    let command: String
    let node: NodeConnection

    /// How long `waitForReceipt` polls before giving up.
    static let receiptTimeoutSeconds = 60
    /// The pause between receipt polls.
    static let pollMilliseconds = 250

    /// A receipt, as far as `keel` prints it.
    struct Receipt {
        let blockNumber: UInt64
        let gasUsed: UInt64
        let effectiveGasPrice: UInt128
        let succeeded: Bool

        /// gas used × effective gas price (base fee + tip).
        var feePaid: UInt128 {
            let (fee, overflow) = UInt128(gasUsed).multipliedReportingOverflow(by: effectiveGasPrice)
            return overflow ? .max : fee
        }
    }

    /// Loads the key from `options.keyFile`, fills in the transaction and sends it to `to`.
    func send(to: Address, options: TransferOptions) async throws(UserError) -> SignedTransaction {
        let amounts = try options.amounts(command: command)
        let key: PrivateKey
        do {
            key = try PrivateKey(contentsOfFile: options.keyFile)
        } catch {
            throw UserError("\(command): \(error.description)")
        }
        let sender = key.address
        let chainID = try await node.call("eth_chainId").quantity()
        let nonce: UInt64
        if let given = options.nonce {
            nonce = given
        } else {
            nonce = try await node.call("eth_getTransactionCount", [.address(sender), "pending"]).quantity()
        }
        let tip: UInt128
        if let given = amounts.tip {
            tip = given
        } else {
            tip = try await node.call("eth_maxPriorityFeePerGas").quantity128()
        }
        let maxFee: UInt128
        if let given = amounts.maxFee {
            maxFee = given
        } else {
            let latest = try await node.call("eth_getBlockByNumber", ["latest", false])
            guard !latest.isNull else { throw UserError("\(command): the node at \(node.url) has no latest block yet; try again in a moment") }
            let baseFee = try latest.quantity128("baseFeePerGas")
            let (doubled, overflow1) = baseFee.multipliedReportingOverflow(by: 2)
            let (sum, overflow2) = doubled.addingReportingOverflow(tip)
            maxFee = overflow1 || overflow2 ? .max : sum
        }
        guard tip <= maxFee else {
            throw UserError("\(command): the tip (\(WeiAmount.gwei(tip))) is above the fee cap --max-fee (\(WeiAmount.gwei(maxFee))); "
                            + "raise --max-fee or lower --tip")
        }
        let gas: UInt64
        if let given = options.gas {
            gas = given
        } else {
            let call: JSONValue = .object(["from": .address(sender), "to": .address(to), "value": .quantity(amounts.value)])
            gas = try await node.call("eth_estimateGas", [call]).quantity()
        }
        let transaction = Transaction.dynamicFee(chainId: chainID, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee,
                                                 gasLimit: gas, to: to, value: amounts.value)
        let signed: SignedTransaction
        do {
            signed = try transaction.signed(with: key)
        } catch {
            throw UserError("\(command): cannot sign the transaction: \(error)")
        }
        let answer = try await node.call("eth_sendRawTransaction", [.data(signed.raw)]).hash()
        guard answer == signed.hash else {
            throw UserError("\(command): the node at \(node.url) accepted the transaction under the hash \(answer), "
                            + "but its hash is \(signed.hash); the node may be faulty, check it with `keel status`")
        }
        return signed
    }

    /// Polls `eth_getTransactionReceipt` until the receipt is there, for at most 60 seconds.
    func waitForReceipt(_ hash: Hash32) async throws(UserError) -> Receipt {
        let deadline = ContinuousClock.now + .seconds(Self.receiptTimeoutSeconds)
        while true {
            let reply = try await node.call("eth_getTransactionReceipt", [.hash(hash)])
            if !reply.isNull {
                let status = try reply.quantity("status")
                return Receipt(blockNumber: try reply.quantity("blockNumber"), gasUsed: try reply.quantity("gasUsed"),
                               effectiveGasPrice: try reply.quantity128("effectiveGasPrice"), succeeded: status == 1)
            }
            guard ContinuousClock.now < deadline else {
                throw UserError("\(command): transaction \(hash) was accepted by the node but is in no block after "
                                + "\(Self.receiptTimeoutSeconds) seconds; it may still be included: check that the node is producing "
                                + "blocks (`keel status`) and ask for its receipt later")
            }
            try? await Task.sleep(for: .milliseconds(Self.pollMilliseconds))
        }
    }

    /// The lines printed for an included transaction.
    static func describe(_ receipt: Receipt) -> [String] {
        ["block:     \(receipt.blockNumber)",
         "status:    \(receipt.succeeded ? "success" : "failed")",
         "gas used:  \(receipt.gasUsed)",
         "fee paid:  \(WeiAmount.format(receipt.feePaid)) at \(WeiAmount.gwei(receipt.effectiveGasPrice)) per gas"]
    }
}
