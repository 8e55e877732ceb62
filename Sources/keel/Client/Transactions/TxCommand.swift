import ArgumentParser
import KeelCore

/// `keel tx send …`: transactions on the rollup.
struct TxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tx",
        abstract: "Send transactions to a running node.",
        subcommands: [TxSendCommand.self])
}

/// `keel tx send --key-file F --to ADDRESS --value AMOUNT [--nonce N] [--max-fee WEI] [--tip WEI]
/// [--gas N] [--no-wait] [--rpc URL]`: an EIP-1559 transfer, signed here and sent over JSON-RPC.
struct TxSendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Sign an EIP-1559 transfer with a key file, send it, and wait for its receipt.",
        discussion: """
            Chain id, nonce, tip, fee cap and gas come from the node unless given. The fee cap defaults to twice \
            the latest block's base fee plus the tip, so the transaction stays valid while the base fee rises.
            """)

    @Option(name: .long, help: "The recipient: 0x and 40 hex digits.")
    var to: String

    @OptionGroup var transfer: TransferOptions

    func run() async throws {
        try await reportingUserErrors {
            let command = "keel tx send"
            let recipient = try ClientArguments.address(to, "--to", command: command)
            _ = try transfer.amounts(command: command)
            let node = NodeConnection(command: command, url: transfer.endpoint.url)
            defer { node.shutdown() }
            let sender = TransferSender(command: command, node: node)
            let signed = try await sender.send(to: recipient, options: transfer)
            print("sent \(signed.hash)")
            print("from:      \(signed.sender)")
            print("to:        \(recipient)")
            print("value:     \(WeiAmount.format(signed.transaction.value))")
            print("nonce:     \(signed.transaction.nonce)")
            if transfer.noWait { return }
            let receipt = try await sender.waitForReceipt(signed.hash)
            TransferSender.describe(receipt).forEach { print($0) }
            if !receipt.succeeded {
                throw UserError("\(command): transaction \(signed.hash) was included in block \(receipt.blockNumber) but failed (status 0)")
            }
        }
    }
}
