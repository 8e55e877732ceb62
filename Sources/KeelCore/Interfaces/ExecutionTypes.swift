import KeelABI

/// What the mempool knows of a validated transaction (`keel_tx_summary`).
public struct TransactionSummary: Sendable, Equatable {
    public var type: UInt8
    public var hash: [UInt8]
    public var sender: [UInt8]
    /// Nil for contract creation.
    public var recipient: [UInt8]?
    public var nonce: UInt64
    public var gasLimit: UInt64
    public var intrinsicGas: UInt64
    /// The gas price, for legacy and EIP-2930 transactions.
    public var maxFeePerGas: UInt128
    /// The gas price, for legacy and EIP-2930 transactions.
    public var maxPriorityFeePerGas: UInt128
    public var value: UInt128
    /// gasLimit × maxFeePerGas + value: what the sender must hold.
    public var maxCost: UInt128
    public var encodedSize: UInt64

    public init(type: UInt8, hash: [UInt8], sender: [UInt8], recipient: [UInt8]?, nonce: UInt64, gasLimit: UInt64,
                intrinsicGas: UInt64, maxFeePerGas: UInt128, maxPriorityFeePerGas: UInt128, value: UInt128,
                maxCost: UInt128, encodedSize: UInt64) {
        self.type = type
        self.hash = hash
        self.sender = sender
        self.recipient = recipient
        self.nonce = nonce
        self.gasLimit = gasLimit
        self.intrinsicGas = intrinsicGas
        self.maxFeePerGas = maxFeePerGas
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.value = value
        self.maxCost = maxCost
        self.encodedSize = encodedSize
    }

    package init(_ s: keel_tx_summary) {
        self.init(type: UInt8(truncatingIfNeeded: s.tx_type), hash: tupleBytes(s.hash), sender: tupleBytes(s.sender),
                  recipient: s.has_recipient != 0 ? tupleBytes(s.recipient) : nil, nonce: s.nonce, gasLimit: s.gas_limit,
                  intrinsicGas: s.intrinsic_gas, maxFeePerGas: s.max_fee_per_gas.value,
                  maxPriorityFeePerGas: s.max_priority_fee_per_gas.value, value: s.value.value,
                  maxCost: s.max_cost.value, encodedSize: s.encoded_size)
    }

    package func write(to s: inout keel_tx_summary) {
        s.tx_type = UInt32(type)
        setTupleBytes(&s.hash, hash)
        setTupleBytes(&s.sender, sender)
        s.has_recipient = recipient == nil ? 0 : 1
        setTupleBytes(&s.recipient, recipient ?? [])
        s.nonce = nonce
        s.gas_limit = gasLimit
        s.intrinsic_gas = intrinsicGas
        s.max_fee_per_gas = keel_u128(maxFeePerGas)
        s.max_priority_fee_per_gas = keel_u128(maxPriorityFeePerGas)
        s.value = keel_u128(value)
        s.max_cost = keel_u128(maxCost)
        s.encoded_size = encodedSize
    }
}

/// An account as RPC shows it.
public struct AccountState: Sendable, Equatable {
    public var nonce: UInt64
    public var balance: UInt128

    public init(nonce: UInt64, balance: UInt128) {
        self.nonce = nonce
        self.balance = balance
    }
}

/// The block being built or replayed (`keel_block_context`).
public struct BlockContext: Sendable, Equatable {
    public var chainID: UInt64
    public var number: UInt64
    /// Seconds since the Unix epoch.
    public var timestamp: UInt64
    public var gasLimit: UInt64
    public var baseFeePerGas: UInt128
    /// Receives priority fees (20 bytes).
    public var feeRecipient: [UInt8]
    public var parentHash: [UInt8]

    public init(chainID: UInt64, number: UInt64, timestamp: UInt64, gasLimit: UInt64, baseFeePerGas: UInt128,
                feeRecipient: [UInt8], parentHash: [UInt8]) {
        self.chainID = chainID
        self.number = number
        self.timestamp = timestamp
        self.gasLimit = gasLimit
        self.baseFeePerGas = baseFeePerGas
        self.feeRecipient = feeRecipient
        self.parentHash = parentHash
    }

    package init(_ b: keel_block_context) {
        self.init(chainID: b.chain_id, number: b.number, timestamp: b.timestamp, gasLimit: b.gas_limit,
                  baseFeePerGas: b.base_fee_per_gas.value, feeRecipient: tupleBytes(b.fee_recipient),
                  parentHash: tupleBytes(b.parent_hash))
    }

    package var c: keel_block_context {
        var b = keel_block_context()
        b.struct_size = abiSize(keel_block_context.self)
        b.chain_id = chainID
        b.number = number
        b.timestamp = timestamp
        b.gas_limit = gasLimit
        b.base_fee_per_gas = keel_u128(baseFeePerGas)
        setTupleBytes(&b.fee_recipient, feeRecipient)
        setTupleBytes(&b.parent_hash, parentHash)
        return b
    }
}

/// What one transaction did (`keel_tx_outcome`).
public struct TransactionOutcome: Sendable, Equatable {
    public var succeeded: Bool
    public var gasUsed: UInt64
    public var feePaid: UInt128
    /// RLP list of logs, `[[address, [topics…], data], …]`; empty for none.
    public var logs: [UInt8]
    /// An L2-to-L1 message (a withdrawal), or empty.
    public var l2ToL1Message: [UInt8]

    public init(succeeded: Bool, gasUsed: UInt64, feePaid: UInt128, logs: [UInt8] = [], l2ToL1Message: [UInt8] = []) {
        self.succeeded = succeeded
        self.gasUsed = gasUsed
        self.feePaid = feePaid
        self.logs = logs
        self.l2ToL1Message = l2ToL1Message
    }

    /// Reads the plugin's outcome and releases its buffers.
    package init(taking o: inout keel_tx_outcome) {
        self.init(succeeded: o.status == UInt32(KEEL_TX_SUCCEEDED), gasUsed: o.gas_used, feePaid: o.fee_paid.value,
                  logs: o.logs.take(), l2ToL1Message: o.l2_to_l1_message.take())
    }

    /// Fills a host-allocated outcome; the buffers become the host's to release.
    package func write(to o: inout keel_tx_outcome) {
        o.status = UInt32(succeeded ? KEEL_TX_SUCCEEDED : KEEL_TX_FAILED)
        o.gas_used = gasUsed
        o.fee_paid = keel_u128(feePaid)
        o.logs = logs.isEmpty ? keel_buffer() : .owning(logs)
        o.l2_to_l1_message = l2ToL1Message.isEmpty ? keel_buffer() : .owning(l2ToL1Message)
    }
}

/// An unsigned call for eth_call and eth_estimateGas (`keel_call`).
public struct CallRequest: Sendable, Equatable {
    public var sender: [UInt8]
    public var recipient: [UInt8]?
    public var value: UInt128
    /// 0: the block gas limit.
    public var gasLimit: UInt64
    public var data: [UInt8]

    public init(sender: [UInt8], recipient: [UInt8]?, value: UInt128, gasLimit: UInt64 = 0, data: [UInt8] = []) {
        self.sender = sender
        self.recipient = recipient
        self.value = value
        self.gasLimit = gasLimit
        self.data = data
    }

    package init(_ c: keel_call) {
        self.init(sender: tupleBytes(c.sender), recipient: c.has_recipient != 0 ? tupleBytes(c.recipient) : nil,
                  value: c.value.value, gasLimit: c.gas_limit, data: c.data.array)
    }

    /// Calls `body` with the C view, valid during the call.
    package func withC<Result>(_ body: (UnsafePointer<keel_call>) -> Result) -> Result {
        withKeelBytes(data) { bytes in
            var c = keel_call()
            c.struct_size = abiSize(keel_call.self)
            setTupleBytes(&c.sender, sender)
            c.has_recipient = recipient == nil ? 0 : 1
            setTupleBytes(&c.recipient, recipient ?? [])
            c.value = keel_u128(value)
            c.gas_limit = gasLimit
            c.data = bytes
            return body(&c)
        }
    }
}

/// The result of a call (`keel_call_result`).
public struct CallResult: Sendable, Equatable {
    public var succeeded: Bool
    public var gasUsed: UInt64
    public var returnData: [UInt8]

    public init(succeeded: Bool, gasUsed: UInt64, returnData: [UInt8] = []) {
        self.succeeded = succeeded
        self.gasUsed = gasUsed
        self.returnData = returnData
    }

    package init(taking r: inout keel_call_result) {
        self.init(succeeded: r.status == UInt32(KEEL_TX_SUCCEEDED), gasUsed: r.gas_used, returnData: r.return_data.take())
    }

    package func write(to r: inout keel_call_result) {
        r.status = UInt32(succeeded ? KEEL_TX_SUCCEEDED : KEEL_TX_FAILED)
        r.gas_used = gasUsed
        r.return_data = returnData.isEmpty ? keel_buffer() : .owning(returnData)
    }
}
