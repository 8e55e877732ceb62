import KeelCore
import KeelJSONRPC

/// Transactions and blocks: `eth_sendRawTransaction`, `eth_getTransactionByHash`,
/// `eth_getTransactionReceipt`, `eth_getBlockByNumber`, `eth_getBlockByHash`.
enum EthereumChainMethods {
    static var table: RPCMethodTable {
        RPCMethodTable([
            "eth_sendRawTransaction": RPCMethod(concurrent: true) { call throws(RPCError) in
                try call.params.expect(atMost: 1)
                let raw = try call.params.data(0)
                return try await SyncSend.measured(call) { () async throws(RPCError) -> JSONValue in .hash(try await call.backend.submit(raw: raw)) }
            },
            "eth_sendRawTransactionSync": RPCMethod(concurrent: true) { call throws(RPCError) in try await SyncSend.handle(call) },
            "eth_getTransactionByHash": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 1)
                let hash = try call.params.hash(0)
                switch try call.backend.transaction(hash) {
                case .included(let stored)?:
                    return try TransactionView.json(stored)
                case .pending(let raw, let sender)?:
                    return try TransactionView.json(raw: raw, hash: hash, sender: sender, inclusion: nil)
                case nil:
                    return .null
                }
            },
            "eth_getTransactionReceipt": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 1)
                let hash = try call.params.hash(0)
                guard case .included(let stored)? = try call.backend.transaction(hash) else { return .null }
                return try ReceiptView.json(stored)
            },
            "eth_getBlockByNumber": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 2)
                let tag: BlockTag
                switch call.params.optional(0) {
                case nil: tag = .latest
                case .string(let text)?: tag = try RPCParameters.blockTag(text, index: 0)
                case let other?: throw RPCParameters.invalid(0, "expected a block number or tag, found \(other.kind)")
                }
                let full = try call.params.bool(1, default: false)
                guard let block = try call.backend.block(tag) else { return .null }
                return try view(block, full: full, backend: call.backend)
            },
            "eth_getBlockByHash": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 2)
                let hash = try call.params.hash(0)
                let full = try call.params.bool(1, default: false)
                guard let block = try call.backend.block(hash: hash) else { return .null }
                return try view(block, full: full, backend: call.backend)
            },
        ])
    }

    static func view(_ block: StoredBlock, full: Bool, backend: any NodeBackend) throws(RPCError) -> JSONValue {
        let transactions = full ? try backend.transactions(inBlock: block.header.number) : nil
        return try BlockView.json(block, transactions: transactions)
    }
}
