import ArgumentParser
import KeelCore

/// `keel withdraw --key-file F --value AMOUNT [--rpc URL]`: a transfer to the bridge address,
/// which the `transfer` plugin turns into an L2→L1 withdrawal message (docs/plugins/transfer.md).
struct WithdrawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw",
        abstract: "Withdraw to L1: send value to the bridge address; claim it with `keel claim` once its batch is final.",
        discussion: "The L1 recipient is the sender's own address. Fee and nonce options are those of `keel tx send`.")

    /// The address the `transfer` plugin treats as the L2→L1 message passer.
    static let bridgeAddress = "0x4200000000000000000000000000000000000016"

    @OptionGroup var transfer: TransferOptions

    func run() async throws {
        try await reportingUserErrors {
            let command = "keel withdraw"
            let amounts = try transfer.amounts(command: command)
            guard amounts.value > 0 else {
                throw UserError("\(command): a withdrawal of 0 wei is refused by the chain; give --value above 0")
            }
            guard let bridge = Address(hex: Self.bridgeAddress) else {
                throw UserError("\(command): internal error: the bridge address \(Self.bridgeAddress) does not parse")
            }
            let node = NodeConnection(command: command, url: transfer.endpoint.url)
            defer { node.shutdown() }
            let sender = TransferSender(command: command, node: node)
            let signed = try await sender.send(to: bridge, options: transfer)
            print("sent withdrawal \(signed.hash)")
            print("from:      \(signed.sender) (L2)")
            print("to:        \(signed.sender) (L1)")
            print("value:     \(WeiAmount.format(signed.transaction.value))")
            if !transfer.noWait {
                let receipt = try await sender.waitForReceipt(signed.hash)
                TransferSender.describe(receipt).forEach { print($0) }
                if !receipt.succeeded {
                    throw UserError("\(command): withdrawal \(signed.hash) was included in block \(receipt.blockNumber) but failed (status 0)")
                }
            }
            print("next: once the batch holding it is final on L1 (`keel status` shows batches final), claim it with")
            print("  keel claim \(signed.hash)")
        }
    }
}
