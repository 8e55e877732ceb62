import KeelCore
import KeelJSONRPC

/// Keel's own methods: `keel_status`, `keel_getProof`, `keel_getBatch`, `keel_getWithdrawalProof`.
/// Integers are quantities (`0x…`), as in the `eth_` methods.
enum KeelMethods {
    static var table: RPCMethodTable {
        RPCMethodTable([
            "keel_status": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 0)
                return status(try call.backend.status())
            },
            "keel_getProof": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 2)
                let address = try call.params.address(0)
                let block = try call.params.block(1).resolve(call.backend)
                return proof(try call.backend.accountProof(address, at: block))
            },
            "keel_getBatch": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 1)
                let index = try integer(call.params.required(0), argument: 0)
                guard let batch = try call.backend.batch(index) else { return .null }
                return self.batch(batch)
            },
            "keel_getWithdrawalProof": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 1)
                return withdrawal(try call.backend.withdrawalProof(try call.params.hash(0)))
            },
        ])
    }

    /// A quantity, or a plain JSON number (handy from curl).
    static func integer(_ value: JSONValue, argument: Int) throws(RPCError) -> UInt64 {
        if case .number(let text) = value {
            guard let number = UInt64(text) else { throw RPCParameters.invalid(argument, "\(text) is not an integer from 0 to 2^64-1") }
            return number
        }
        do { return try value.decodeQuantity() } catch { throw RPCParameters.invalid(argument, error) }
    }

    static func status(_ status: NodeStatus) -> JSONValue {
        [
            "chainId": .quantity(status.chainID),
            "mode": .string(status.mode),
            "height": .quantity(status.height),
            "stateRoot": .hash(status.stateRoot),
            "batchCount": .quantity(status.batchCount),
            "finalBatchCount": .quantity(status.finalBatchCount),
            "lastBatchedBlock": status.lastBatchedBlock.map(JSONValue.quantity) ?? .null,
            "daProvider": .string(status.daProvider),
            "daSwaps": .array(status.daSwaps.map { swap in
                .object(["height": .quantity(swap.height), "batchIndex": .quantity(swap.batchIndex), "provider": .string(swap.provider),
                         "configHash": .hash(swap.configHash)])
            }),
            "activeFlags": .array(status.activeFlags.map(JSONValue.string)),
            "pendingTransactions": .quantity(status.pendingTransactions),
            "l1Head": .quantity(status.l1Head),
            "nextDepositIndex": .quantity(status.nextDepositIndex),
            "plugins": .array(status.plugins.map(JSONValue.string)),
            "roles": .array(status.roles.map(JSONValue.string)),
            "disputes": .array(status.disputes.map(JSONValue.string)),
        ]
    }

    static func proof(_ proof: AccountProof) -> JSONValue {
        [
            "address": .address(proof.address),
            "blockNumber": .quantity(proof.blockNumber),
            "stateRoot": .hash(proof.stateRoot),
            "key": .data(proof.key),
            "value": proof.value.map { JSONValue.data($0) } ?? .null,
            "nonce": .quantity(proof.account.nonce),
            "balance": .quantity(proof.account.balance),
            "proof": .data(proof.proof),
        ]
    }

    static func batch(_ batch: BatchView) -> JSONValue {
        [
            "index": .quantity(batch.index),
            "firstBlock": .quantity(batch.firstBlock),
            "lastBlock": .quantity(batch.lastBlock),
            "previousRoot": .hash(batch.previousRoot),
            "root": .hash(batch.root),
            "withdrawalsRoot": .hash(batch.withdrawalsRoot),
            "codec": .string(batch.codec),
            "size": .quantity(batch.size),
            "daCommitment": batch.daCommitment.map { JSONValue.data($0) } ?? .null,
            "stage": .string(batch.stage),
        ]
    }

    static func withdrawal(_ proof: WithdrawalProof) -> JSONValue {
        [
            "transactionHash": .hash(proof.transactionHash),
            "batchIndex": .quantity(proof.batchIndex),
            "message": .data(proof.message),
            "proof": .data(proof.proof),
            "withdrawalsRoot": .hash(proof.withdrawalsRoot),
            "final": .bool(proof.isFinal),
        ]
    }
}
