import ArgumentParser
import KeelCore
import KeelJSONRPC

/// `keel balance ADDRESS [--block N|latest|pending] [--rpc URL]`: an account's balance in wei and
/// in ETH, exactly.
struct BalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance",
        abstract: "Show an account's balance on the rollup, in wei and in ETH.")

    @Argument(help: "The account: 0x and 40 hex digits.")
    var address: String

    @Option(name: .long, help: "The block: a number, latest, pending, earliest, safe or finalized.")
    var block = "latest"

    @OptionGroup var endpoint: RPCEndpointOptions

    func run() async throws {
        try await reportingUserErrors {
            let command = "keel balance"
            let account = try ClientArguments.address(address, "ADDRESS", command: command)
            let tag = try ClientArguments.block(block, command: command)
            let node = NodeConnection(command: command, url: endpoint.url)
            defer { node.shutdown() }
            let balance = try await node.call("eth_getBalance", [.address(account), tag]).quantity128()
            print("\(account): \(WeiAmount.format(balance))")
        }
    }
}
