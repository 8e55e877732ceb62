import ArgumentParser

/// What `keel tx send` and `keel withdraw` share: the signing key, the amount, optional fee and
/// nonce overrides, and whether to wait for the receipt.
struct TransferOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The sender's private key: 0x and 64 hex digits, in a file with mode 0600.",
                                            valueName: "file"))
    var keyFile: String

    @Option(name: .long, help: ArgumentHelp("The amount: wei as an integer, or a decimal with a unit (1.5eth, 20gwei, 7wei).",
                                            valueName: "amount"))
    var value: String

    @Option(name: .long, help: "The nonce (default: the account's next, pending transactions included).")
    var nonce: UInt64?

    @Option(name: .long, help: ArgumentHelp("The most paid per gas, base fee and tip, as an amount "
                                            + "(default: twice the latest block's base fee plus the tip).", valueName: "wei"))
    var maxFee: String?

    @Option(name: .long, help: ArgumentHelp("The priority fee per gas, as an amount (default: eth_maxPriorityFeePerGas).",
                                            valueName: "wei"))
    var tip: String?

    @Option(name: .long, help: "The gas limit (default: eth_estimateGas).")
    var gas: UInt64?

    @Flag(name: .long, help: "Print the hash once the node accepts the transaction, without waiting for its receipt.")
    var noWait = false

    @OptionGroup var endpoint: RPCEndpointOptions

    /// The amounts, parsed (before anything is sent).
    func amounts(command: String) throws(UserError) -> (value: UInt128, maxFee: UInt128?, tip: UInt128?) {
        func parse(_ text: String, _ option: String) throws(UserError) -> UInt128 {
            do { return try WeiAmount.parse(text, option: option) } catch { throw UserError("\(command): \(error.message)") }
        }
        return (try parse(value, "--value"), try maxFee.map { text throws(UserError) in try parse(text, "--max-fee") },
                try tip.map { text throws(UserError) in try parse(text, "--tip") })
    }
}
