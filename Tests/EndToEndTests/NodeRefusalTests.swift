import Foundation
import KeelCore
import KeelJSONRPC
import Testing

extension NodeSharedRollupTests {
    /// Every refusal of `eth_sendRawTransaction`, for the bad input that causes it: a JSON-RPC
    /// error -32000 with go-ethereum's words (what wallets match on), and nothing stored.
    @Suite struct Refusals {
        /// Expects a -32000 refusal of `raw` starting with `words`, and no trace of it afterwards.
        static func expectRefused(_ raw: [UInt8], _ words: String, on node: NodeSession,
                                  sourceLocation: SourceLocation = #_sourceLocation) async throws -> RPCError {
            let refusal = try await node.refusal(raw)
            #expect(refusal.code == -32000, "\(refusal)", sourceLocation: sourceLocation)
            #expect(refusal.message.hasPrefix(words), "expected `\(words)…`, got `\(refusal.message)`", sourceLocation: sourceLocation)
            let lookup = try await node.client.call("eth_getTransactionByHash", [.hash(Keccak256.hash(raw))])
            #expect(lookup == .null, "a refused transaction is known to the node: \(lookup)", sourceLocation: sourceLocation)
            return refusal
        }

        @Test func badTransactionsAreRefusedWithGethsWords() async throws {
            let node = try NodeSession.current()
            let sender = try NodeAccount.named("refused-sender")
            let to = try NodeAccount.named("refusal-recipient").address

            let otherChain = try sender.transfer(nonce: 0, to: to, value: 1, chainID: 902)
            let chain = try await Self.expectRefused(otherChain.raw, "invalid chain id", on: node)
            #expect(chain.message.contains("902") && chain.message.contains("901"), "\(chain.message)")
            let preEIP155 = try Transaction.legacy(chainId: nil, nonce: 0, gasPrice: 5_000_000_000, gasLimit: 21_000, to: to, value: 1)
                .signed(with: sender.key)
            _ = try await Self.expectRefused(preEIP155.raw, "invalid chain id", on: node)

            // A blob transaction (EIP-4844) and a set-code transaction (EIP-7702): well-formed type bytes
            // this chain does not take.
            _ = try await Self.expectRefused([0x03] + otherChain.raw.dropFirst(), "transaction refused: transaction type not supported", on: node)
            _ = try await Self.expectRefused([0x04, 0xc0], "transaction refused: transaction type not supported", on: node)
            let deposit = DepositTransaction(depositIndex: 0, l1Block: 0, from: sender.address, to: sender.address, amount: NodeRollup.ether)
            _ = try await Self.expectRefused(deposit.encoded, "deposit transactions (type 0x7e) cannot be sent by users", on: node)

            // A transaction over 128 KiB: a valid, signed transfer carrying 128 KiB of call data.
            let big = try sender.transfer(nonce: 0, to: to, value: 1, gas: 600_000, data: [UInt8](repeating: 0, count: 128 * 1024))
            let oversized = try await Self.expectRefused(big.raw, "oversized data", on: node)
            #expect(oversized.message.contains("\(big.raw.count) bytes") && oversized.message.contains("131072"), "\(oversized.message)")

            let lowGas = try sender.transfer(nonce: 0, to: to, value: 1, gas: 20_999)
            let intrinsic = try await Self.expectRefused(lowGas.raw, "intrinsic gas too low", on: node)
            #expect(intrinsic.message.contains("gas 20999, minimum needed 21000"), "\(intrinsic.message)")
            let dataGas = try sender.transfer(nonce: 0, to: to, value: 1, gas: 21_000, data: [0xff])
            let withData = try await Self.expectRefused(dataGas.raw, "intrinsic gas too low", on: node)
            #expect(withData.message.contains("minimum needed 21016"), "\(withData.message)")

            let tipOverCap = try sender.transfer(nonce: 0, to: to, value: 1, tip: 2_000_000_000, maxFee: 1_000_000_000)
            _ = try await Self.expectRefused(tipOverCap.raw, "max priority fee per gas higher than max fee per gas", on: node)
            let creation = try Transaction.dynamicFee(chainId: NodeRollup.chainID, nonce: 0, maxPriorityFeePerGas: 1, maxFeePerGas: 10_000_000_000,
                                                      gasLimit: 60_000, to: nil, value: 0).signed(with: sender.key)
            _ = try await Self.expectRefused(creation.raw, "contract creation not supported", on: node)
            let emptyWithdrawal = try sender.transfer(nonce: 0, to: NodeRollup.bridgeAddress, value: 0)
            _ = try await Self.expectRefused(emptyWithdrawal.raw, "withdrawal of 0 wei", on: node)

            // More than the balance: value + gas limit × fee cap.
            let tooMuch = try sender.transfer(nonce: 0, to: to, value: NodeRollup.genesisBalance)
            let funds = try await Self.expectRefused(tooMuch.raw, "insufficient funds for gas * price + value", on: node)
            #expect(funds.message.contains("have \(NodeRollup.genesisBalance) want \(NodeRollup.genesisBalance + 21_000 * 100_000_000_000)"),
                    "\(funds.message)")
            let unfunded = try NodeAccount.named("unfunded")
            let broke = try await Self.expectRefused(try unfunded.transfer(nonce: 0, to: to, value: 1).raw,
                                                     "insufficient funds for gas * price + value", on: node)
            #expect(broke.message.contains("have 0 want 2100000000000001"), "\(broke.message)")

            // Nothing of the above reached the mempool or the state.
            #expect(try await node.nonce(sender.address, at: "pending") == 0)
            #expect(try await node.balance(sender.address) == NodeRollup.genesisBalance)
        }

        @Test func malformedBytesAreRefused() async throws {
            let node = try NodeSession.current()
            let sender = try NodeAccount.named("refused-sender")
            let valid = try sender.transfer(nonce: 0, to: sender.address, value: 1)
            for raw in [Array(valid.raw.dropLast()), [0x02, 0xc1], [0xc0], [0x02] + valid.raw, Array(valid.raw.dropFirst())] {
                _ = try await Self.expectRefused(raw, "transaction refused: ", on: node)
            }
            // Not hex at all: the parameter is refused before any decoding (-32602).
            for (text, words) in [("0x02zz", "invalid argument 0: "), ("0x123", "invalid argument 0: "),
                                  ("02f86c", "invalid argument 0: hex string without 0x prefix")] {
                let refusal = try await node.refusal("eth_sendRawTransaction", [.string(text)])
                #expect(refusal.code == -32602, "\(text): \(refusal)")
                #expect(refusal.message.hasPrefix(words), "\(text): \(refusal.message)")
            }
            let missing = try await node.refusal("eth_sendRawTransaction", [])
            #expect(missing.code == -32602 && missing.message.contains("missing value for required argument 0"), "\(missing)")
        }

        @Test func aUsedNonceIsTooLow() async throws {
            let node = try NodeSession.current()
            let sender = try NodeAccount.named("nonce-low-sender")
            let to = try NodeAccount.named("refusal-recipient").address
            let first = try sender.transfer(nonce: 0, to: to, value: 1)
            _ = try await node.receipt(try await node.send(first))
            let again = try sender.transfer(nonce: 0, to: to, value: 2)
            let refusal = try await Self.expectRefused(again.raw, "nonce too low", on: node)
            #expect(refusal.message.contains("tx: 0 state: 1"), "\(refusal.message)")
            // The included transaction itself, sent again.
            let resent = try await node.refusal(first.raw)
            #expect(resent.code == -32000 && resent.message.hasPrefix("nonce too low"), "\(resent)")
        }

        @Test func aPendingTransactionSentAgainIsAlreadyKnown() async throws {
            let node = try NodeSession.current()
            let sender = try NodeAccount.named("known-sender")
            let to = try NodeAccount.named("refusal-recipient").address
            let pending = try sender.transfer(nonce: 3, to: to, value: 1)
            try await node.send(pending)
            let refusal = try await node.refusal(pending.raw)
            #expect(refusal.code == -32000)
            #expect(refusal.message == "already known")
            // The same nonce at the same price is a replacement that does not pay more.
            let sameFees = try sender.transfer(nonce: 3, to: to, value: 2)
            _ = try await Self.expectRefused(sameFees.raw, "replacement transaction underpriced", on: node)
            let stillThere = try await node.client.call("eth_getTransactionByHash", [.hash(pending.hash)])
            #expect(try stillThere["hash"]?.decodeHash() == pending.hash)
        }
    }
}
