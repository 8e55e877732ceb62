import KeelABI

/// A DA provider's answer to a health check (`keel_da_health`).
public struct DAHealth: Sendable, Equatable {
    public var healthy: Bool
    public var latencyMilliseconds: UInt64
    /// Why not healthy, or a short status.
    public var detail: String

    public init(healthy: Bool, latencyMilliseconds: UInt64 = 0, detail: String = "") {
        self.healthy = healthy
        self.latencyMilliseconds = latencyMilliseconds
        self.detail = detail
    }

    package init(_ h: keel_da_health) {
        self.init(healthy: h.healthy != 0, latencyMilliseconds: h.latency_ms, detail: tupleString(h.detail))
    }

    package func write(to h: inout keel_da_health) {
        h.healthy = healthy ? 1 : 0
        h.latency_ms = latencyMilliseconds
        setTupleString(&h.detail, detail)
    }
}

/// The device a GPU backend runs on (`keel_device_info`).
public struct GPUDeviceInfo: Sendable, Equatable {
    public var name: String
    public var memoryBytes: UInt64
    public var computeUnits: UInt32

    public init(name: String, memoryBytes: UInt64, computeUnits: UInt32) {
        self.name = name
        self.memoryBytes = memoryBytes
        self.computeUnits = computeUnits
    }

    package init(_ i: keel_device_info) {
        self.init(name: tupleString(i.name), memoryBytes: i.memory_bytes, computeUnits: i.compute_units)
    }

    package func write(to i: inout keel_device_info) {
        setTupleString(&i.name, name)
        i.memory_bytes = memoryBytes
        i.compute_units = computeUnits
    }
}

/// The prime fields of the GPU table's NTT.
public enum NTTField: UInt32, Sendable, CaseIterable {
    /// p = 2^64 − 2^32 + 1, multiplicative generator 7.
    case goldilocks = 1
    /// p = 2^31 − 2^27 + 1, multiplicative generator 31.
    case babyBear = 2

    public var modulus: UInt64 {
        switch self {
        case .goldilocks: 0xFFFF_FFFF_0000_0001
        case .babyBear: 0x7800_0001
        }
    }
}

/// A transaction the sequencer may pick for the next block (`keel_order_candidate`).
public struct OrderCandidate: Sendable, Equatable {
    public var hash: [UInt8]
    public var sender: [UInt8]
    public var nonce: UInt64
    public var gasLimit: UInt64
    public var maxFeePerGas: UInt128
    public var maxPriorityFeePerGas: UInt128
    /// Order of arrival in the mempool, for ties.
    public var arrival: UInt64

    public init(hash: [UInt8], sender: [UInt8], nonce: UInt64, gasLimit: UInt64, maxFeePerGas: UInt128,
                maxPriorityFeePerGas: UInt128, arrival: UInt64) {
        self.hash = hash
        self.sender = sender
        self.nonce = nonce
        self.gasLimit = gasLimit
        self.maxFeePerGas = maxFeePerGas
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.arrival = arrival
    }

    package init(_ c: keel_order_candidate) {
        self.init(hash: tupleBytes(c.hash), sender: tupleBytes(c.sender), nonce: c.nonce, gasLimit: c.gas_limit,
                  maxFeePerGas: c.max_fee_per_gas.value, maxPriorityFeePerGas: c.max_priority_fee_per_gas.value,
                  arrival: c.arrival)
    }

    package var c: keel_order_candidate {
        var c = keel_order_candidate()
        c.struct_size = abiSize(keel_order_candidate.self)
        setTupleBytes(&c.hash, hash)
        setTupleBytes(&c.sender, sender)
        c.nonce = nonce
        c.gas_limit = gasLimit
        c.max_fee_per_gas = keel_u128(maxFeePerGas)
        c.max_priority_fee_per_gas = keel_u128(maxPriorityFeePerGas)
        c.arrival = arrival
        return c
    }
}
