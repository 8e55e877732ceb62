import KeelJSONRPC

/// The node and fee methods: `web3_clientVersion`, `net_*`, `eth_chainId`, `eth_blockNumber`,
/// `eth_syncing`, `eth_accounts`, `eth_gasPrice`, `eth_maxPriorityFeePerGas`, `eth_feeHistory`.
enum EthereumInfoMethods {
    static var table: RPCMethodTable {
        RPCMethodTable([
            "web3_clientVersion": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 0)
                return .string(call.backend.clientVersion)
            },
            "net_version": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 0)
                return .string(String(call.backend.chainID))
            },
            "net_listening": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 0)
                return .bool(true)
            },
            "eth_chainId": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 0)
                return .quantity(call.backend.chainID)
            },
            "eth_blockNumber": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 0)
                return .quantity(call.backend.headNumber())
            },
            "eth_syncing": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 0)
                return .bool(false)
            },
            "eth_accounts": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 0)
                return .array([])
            },
            "eth_gasPrice": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 0)
                let (sum, overflow) = call.backend.nextBaseFee().addingReportingOverflow(call.backend.suggestedPriorityFee())
                return .quantity(overflow ? UInt128.max : sum)
            },
            "eth_maxPriorityFeePerGas": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 0)
                return .quantity(call.backend.suggestedPriorityFee())
            },
            "eth_feeHistory": RPCMethod { call throws(RPCError) in try feeHistory(call) },
        ])
    }

    /// The most blocks one eth_feeHistory call covers (geth's limit).
    static let maxFeeHistoryBlocks: UInt64 = 1024

    static func feeHistory(_ call: RPCCall) throws(RPCError) -> JSONValue {
        let params = call.params
        try params.expect(atMost: 3)
        let count = try blockCount(params.required(0))
        let newest = try params.block(1, default: .latest).resolve(call.backend)
        let percentiles = try rewardPercentiles(params.optional(2))
        guard count > 0 else { return ["oldestBlock": .quantity(UInt64(0)), "baseFeePerGas": [], "gasUsedRatio": []] }
        let history = try call.backend.feeHistory(count: Int(min(count, maxFeeHistoryBlocks)), newest: newest,
                                                  rewardPercentiles: percentiles)
        var result: [String: JSONValue] = [
            "oldestBlock": .quantity(history.oldestBlock),
            "baseFeePerGas": .array(history.baseFeePerGas.map(JSONValue.quantity)),
            "gasUsedRatio": .array(history.gasUsedRatio.map(JSONValue.double)),
        ]
        if !percentiles.isEmpty {
            result["reward"] = .array(history.reward.map { .array($0.map(JSONValue.quantity)) })
        }
        return .object(result)
    }

    /// geth's `HexOrDecimal64`: a JSON number, a decimal string or a hex quantity.
    static func blockCount(_ value: JSONValue) throws(RPCError) -> UInt64 {
        switch value {
        case .number(let text):
            guard let count = UInt64(text) else { throw RPCParameters.invalid(0, "invalid block count \(text)") }
            return count
        case .string(let text) where !text.hasPrefix("0x") && !text.hasPrefix("0X"):
            guard let count = UInt64(text) else { throw RPCParameters.invalid(0, "invalid block count \"\(text)\"") }
            return count
        default:
            do { return try value.decodeQuantity() } catch { throw RPCParameters.invalid(0, error) }
        }
    }

    /// Numbers from 0 to 100, each at least the one before (geth's rule).
    static func rewardPercentiles(_ value: JSONValue?) throws(RPCError) -> [Double] {
        guard let value else { return [] }
        guard case .array(let items) = value else { throw RPCParameters.invalid(2, "expected an array of percentiles, found \(value.kind)") }
        var percentiles: [Double] = []
        for (index, item) in items.enumerated() {
            guard case .number(let text) = item, let percentile = Double(text) else {
                throw RPCParameters.invalid(2, "reward percentile #\(index) is \(item.kind), not a number")
            }
            guard percentile >= 0, percentile <= 100 else {
                throw RPCError.invalidParams("invalid reward percentile: \(text) (percentiles are from 0 to 100)")
            }
            if let last = percentiles.last, percentile < last {
                throw RPCError.invalidParams("invalid reward percentile: #\(index - 1):\(last) > #\(index):\(percentile) (percentiles must not decrease)")
            }
            percentiles.append(percentile)
        }
        return percentiles
    }
}
