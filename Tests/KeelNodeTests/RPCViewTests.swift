import KeelCore
import KeelJSONRPC
import Testing
@testable import KeelNode

/// Blocks, transactions and receipts as wallets read them, built from real signed transactions.
@Suite struct RPCViewTests {
    static let key0Address = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
    static let recipient = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"

    struct Chain {
        let backend: RPCTestBackend
        let first: SignedTransaction
        let second: SignedTransaction
        let deposit: DepositTransaction
        let block: StoredBlock
    }

    static func chain() throws -> Chain {
        let backend = try RPCTestBackend()
        let first = try RPCFixtures.transfer(nonce: 0, value: 1_000)
        let second = try RPCFixtures.transfer(nonce: 1, value: 2_000)
        let deposit = DepositTransaction(depositIndex: 4, l1Block: 12, from: try EthereumHex.decodeAddress(key0Address),
                                         to: try EthereumHex.decodeAddress(recipient), amount: 5_000)
        let block = try backend.appendBlock([deposit.encoded, first.raw, second.raw])
        return Chain(backend: backend, first: first, second: second, deposit: deposit, block: block)
    }

    @Test func showsABlockAsGethDoes() async throws {
        let chain = try Self.chain()
        let sequencer = try PrivateKey(hex: RPCTestBackend.sequencerKey).address
        try await withRPCServer(chain.backend) { client async throws in
            let block = try await client.call("eth_getBlockByNumber", ["0x1", false])
            #expect(block["number"] == "0x1")
            #expect(block["hash"] == .hash(chain.block.hash))
            #expect(block["parentHash"] == .hash(chain.backend.blocks[0].hash))
            #expect(block["miner"] == .address(sequencer))
            #expect(block["timestamp"] == "0x6553f100", "1,700,000,000,500 ms is 1,700,000,000 s")
            #expect(block["nonce"] == "0x0000000000000000")
            #expect(block["sha3Uncles"] == "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347")
            #expect(block["logsBloom"]?.stringValue?.utf8.count == 2 + 512)
            #expect(block["difficulty"] == "0x0")
            #expect(block["totalDifficulty"] == "0x0")
            #expect(block["extraData"] == "0x")
            #expect(block["mixHash"] == .hash(.zero))
            #expect(block["uncles"] == [])
            #expect(block["baseFeePerGas"] == "0x3b9aca00")
            #expect(block["gasLimit"] == "0x1c9c380")
            #expect(block["gasUsed"] == "0xf618")
            #expect(block["size"] == .quantity(chain.block.size))
            #expect(block["transactions"] == [.hash(chain.deposit.hash), .hash(chain.first.hash), .hash(chain.second.hash)])
            #expect(try await client.call("eth_getBlockByHash", [.hash(chain.block.hash), false]) == block)
            #expect(try await client.call("eth_getBlockByNumber", ["latest"]) == block)
            try expectQuantities(block, ["number", "timestamp", "gasLimit", "gasUsed", "size", "baseFeePerGas", "difficulty"])

            let genesis = try await client.call("eth_getBlockByNumber", ["earliest", false])
            #expect(genesis["miner"] == .address(.zero))
            #expect(genesis["timestamp"] == "0x0")
            #expect(try await client.call("eth_getBlockByNumber", ["0x9", false]) == .null)
            #expect(try await client.call("eth_getBlockByHash", [.hash(.zero), true]) == .null)
        }
    }

    @Test func showsFullTransactionsInABlock() async throws {
        let chain = try Self.chain()
        try await withRPCServer(chain.backend) { client async throws in
            let block = try await client.call("eth_getBlockByNumber", ["0x1", true])
            let transactions = try #require(block["transactions"]?.arrayValue)
            #expect(transactions.count == 3)
            let single = try await client.call("eth_getTransactionByHash", [.hash(chain.first.hash)])
            #expect(transactions[1] == single)
            #expect(transactions[0]["type"] == "0x7e")
            #expect(transactions[2]["transactionIndex"] == "0x2")
        }
    }

    @Test func showsAnIncludedDynamicFeeTransaction() async throws {
        let chain = try Self.chain()
        let signed = chain.first
        try await withRPCServer(chain.backend) { client async throws in
            let view = try await client.call("eth_getTransactionByHash", [.hash(signed.hash)])
            #expect(view["hash"] == .hash(signed.hash))
            #expect(view["type"] == "0x2")
            #expect(view["chainId"] == "0x385")
            #expect(view["nonce"] == "0x0")
            #expect(view["from"] == .string(Self.key0Address))
            #expect(view["to"] == .string(Self.recipient))
            #expect(view["value"] == "0x3e8")
            #expect(view["gas"] == "0x5208")
            #expect(view["input"] == "0x")
            #expect(view["maxFeePerGas"] == "0x77359400")
            #expect(view["maxPriorityFeePerGas"] == "0xf4240")
            #expect(view["gasPrice"] == "0x3baa0c40", "the effective price once included: base fee + tip")
            #expect(view["accessList"] == [])
            #expect(view["yParity"] == .quantity(UInt64(signed.signature.yParity)))
            #expect(view["v"] == view["yParity"])
            #expect(view["r"] == .string(Self.quantityText(signed.signature.r)))
            #expect(view["s"] == .string(Self.quantityText(signed.signature.s)))
            #expect(view["blockHash"] == .hash(chain.block.hash))
            #expect(view["blockNumber"] == "0x1")
            #expect(view["transactionIndex"] == "0x1")
            try expectQuantities(view, ["type", "chainId", "nonce", "value", "gas", "maxFeePerGas", "maxPriorityFeePerGas",
                                        "gasPrice", "v", "r", "s", "yParity", "blockNumber", "transactionIndex"])
        }
    }

    @Test func showsALegacyTransactionWithItsEIP155V() async throws {
        let backend = try RPCTestBackend()
        let legacy = try Transaction.legacy(chainId: 901, nonce: 7, gasPrice: 3_000_000_000, gasLimit: 21_000,
                                            to: RPCFixtures.recipient, value: 1).signed(with: try PrivateKey(hex: RPCFixtures.key0))
        try backend.appendBlock([legacy.raw])
        try await withRPCServer(backend) { client async throws in
            let view = try await client.call("eth_getTransactionByHash", [.hash(legacy.hash)])
            #expect(view["type"] == "0x0")
            #expect(view["v"] == .quantity(UInt64(35 + 2 * 901) + UInt64(legacy.signature.yParity)))
            #expect(view["chainId"] == "0x385")
            #expect(view["gasPrice"] == "0xb2d05e00")
            #expect(view["yParity"] == nil)
            #expect(view["accessList"] == nil)
            #expect(view["maxFeePerGas"] == nil)
        }
    }

    @Test func showsADepositAsTheOPStackDoes() async throws {
        let chain = try Self.chain()
        try await withRPCServer(chain.backend) { client async throws in
            let view = try await client.call("eth_getTransactionByHash", [.hash(chain.deposit.hash)])
            #expect(view["type"] == "0x7e")
            #expect(view["from"] == .string(Self.key0Address))
            #expect(view["to"] == .string(Self.recipient))
            #expect(view["mint"] == "0x1388")
            #expect(view["value"] == "0x1388")
            #expect(view["gas"] == "0x0")
            #expect(view["depositIndex"] == "0x4")
            #expect(view["l1BlockNumber"] == "0xc")
            #expect(view["sourceHash"] == .hash(TransactionView.sourceHash(chain.deposit)))
            #expect(view["sourceHash"] != .hash(.zero))
            #expect(view["transactionIndex"] == "0x0")
            let receipt = try await client.call("eth_getTransactionReceipt", [.hash(chain.deposit.hash)])
            #expect(receipt["type"] == "0x7e")
            #expect(receipt["gasUsed"] == "0x0")
        }
    }

    @Test func showsReceipts() async throws {
        let chain = try Self.chain()
        try await withRPCServer(chain.backend) { client async throws in
            let receipt = try await client.call("eth_getTransactionReceipt", [.hash(chain.second.hash)])
            #expect(receipt == [
                "transactionHash": .hash(chain.second.hash), "transactionIndex": "0x2",
                "blockHash": .hash(chain.block.hash), "blockNumber": "0x1",
                "from": .string(Self.key0Address), "to": .string(Self.recipient),
                "cumulativeGasUsed": "0xa410", "gasUsed": "0x5208", "effectiveGasPrice": "0x3baa0c40",
                "status": "0x1", "logs": [], "logsBloom": .data([UInt8](repeating: 0, count: 256)),
                "type": "0x2", "contractAddress": nil,
            ])
            #expect(try await client.call("eth_getTransactionReceipt", [.hash(.zero)]) == .null)
        }
    }

    @Test func showsAPendingTransactionWithNullBlockFields() async throws {
        let backend = try RPCTestBackend()
        let pending = try RPCFixtures.transfer(nonce: 3)
        try await withRPCServer(backend) { client async throws in
            #expect(try await client.call("eth_sendRawTransaction", [.data(pending.raw)]) == .hash(pending.hash))
            let view = try await client.call("eth_getTransactionByHash", [.hash(pending.hash)])
            #expect(view["hash"] == .hash(pending.hash))
            #expect(view["nonce"] == "0x3")
            #expect(view["blockHash"] == .null)
            #expect(view["blockNumber"] == .null)
            #expect(view["transactionIndex"] == .null)
            #expect(view["gasPrice"] == "0x77359400", "the fee cap while pending")
            #expect(try await client.call("eth_getTransactionReceipt", [.hash(pending.hash)]) == .null)
            #expect(try await client.call("eth_getTransactionByHash", [.hash(.zero)]) == .null)
        }
    }

    /// What geth writes for a 256-bit scalar: no leading zeros.
    static func quantityText(_ value: Hash32) -> String {
        let digits = Hex.encode(value.bytes, prefix: false).drop { $0 == "0" }
        return "0x" + (digits.isEmpty ? "0" : digits)
    }

    /// Every listed field is a canonical quantity (what strict clients such as viem insist on).
    func expectQuantities(_ object: JSONValue, _ fields: [String]) throws {
        for field in fields {
            let text = try #require(object[field]?.stringValue, "\(field) is missing")
            if text.utf8.count <= 18 {
                #expect(throws: Never.self, "\(field)") { try EthereumHex.decodeQuantity(text) }
            } else {
                #expect(!text.hasPrefix("0x0"), "\(field) has a leading zero")
            }
        }
    }
}
