import KeelCore
import KeelJSONRPC

/// Reading accounts and simulating calls: `eth_getBalance`, `eth_getTransactionCount`, `eth_getCode`,
/// `eth_call`, `eth_estimateGas`.
enum EthereumStateMethods {
    static var table: RPCMethodTable {
        RPCMethodTable([
            "eth_getBalance": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 2)
                let address = try call.params.address(0)
                let block = try call.params.block(1).resolve(call.backend)
                return .quantity(try call.backend.account(address, at: block).balance)
            },
            "eth_getTransactionCount": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 2)
                let address = try call.params.address(0)
                let block = try call.params.block(1).resolve(call.backend)
                if block == .pending { return .quantity(try call.backend.pendingNonce(address)) }
                return .quantity(try call.backend.account(address, at: block).nonce)
            },
            "eth_getCode": RPCMethod { call throws(RPCError) in
                // Accounts of this version's execution layout hold no code; wallets ask before sending.
                try call.params.expect(atMost: 2)
                _ = try call.params.address(0)
                _ = try call.params.block(1).resolve(call.backend)
                return .data([])
            },
            "eth_call": RPCMethod { call throws(RPCError) in
                let result = try simulate(call)
                guard result.succeeded else { throw reverted(result) }
                return .data(result.returnData)
            },
            "eth_estimateGas": RPCMethod { call throws(RPCError) in
                let result = try simulate(call)
                guard result.succeeded else { throw reverted(result) }
                return .quantity(result.gasUsed)
            },
        ])
    }

    /// geth's revert error: code 3, the return data as `data`.
    static func reverted(_ result: CallResult) -> RPCError {
        RPCError(code: 3, message: "execution reverted", data: .data(result.returnData))
    }

    static func simulate(_ call: RPCCall) throws(RPCError) -> CallResult {
        try call.params.expect(atMost: 2)
        let request = try callRequest(call.params.required(0))
        let block = try call.params.block(1).resolve(call.backend)
        return try call.backend.call(request, at: block)
    }

    /// A transaction-call object (`from`, `to`, `gas`, `value`, `input` or `data`, fee fields).
    static func callRequest(_ value: JSONValue) throws(RPCError) -> CallRequest {
        guard case .object(let fields) = value else {
            throw RPCParameters.invalid(0, "expected a transaction call object, found \(value.kind)")
        }
        func field<T>(_ name: String, _ decode: (JSONValue) throws(EthereumHexError) -> T) throws(RPCError) -> T? {
            guard let member = fields[name], member != .null else { return nil }
            do { return try decode(member) } catch { throw RPCParameters.invalid(0, "field \"\(name)\": \(error)") }
        }
        let from = try field("from") { value throws(EthereumHexError) in try value.decodeAddress() }
        let to = try field("to") { value throws(EthereumHexError) in try value.decodeAddress() }
        let gas = try field("gas") { value throws(EthereumHexError) in try value.decodeQuantity() }
        let amount = try field("value") { value throws(EthereumHexError) in try value.decodeQuantity128() }
        let input = try field("input") { value throws(EthereumHexError) in try value.decodeData() }
        let data = try field("data") { value throws(EthereumHexError) in try value.decodeData() }
        for name in ["gasPrice", "maxFeePerGas", "maxPriorityFeePerGas"] {
            _ = try field(name) { value throws(EthereumHexError) in try value.decodeQuantity128() }
        }
        if fields["gasPrice"] != nil, fields["gasPrice"] != .null,
           fields["maxFeePerGas"].map({ $0 != .null }) == true || fields["maxPriorityFeePerGas"].map({ $0 != .null }) == true {
            throw RPCParameters.invalid(0, "both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified")
        }
        if let input, let data, input != data {
            throw RPCParameters.invalid(0, "both \"data\" and \"input\" are set and not equal. Please use \"input\" to pass transaction call data")
        }
        return CallRequest(sender: (from ?? .zero).bytes, recipient: to?.bytes, value: amount ?? 0, gasLimit: gas ?? 0,
                           data: input ?? data ?? [])
    }
}
