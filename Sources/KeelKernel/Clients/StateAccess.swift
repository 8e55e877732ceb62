import KeelABI
import KeelCore

/// State that the kernel lends an execution or proof plugin for one call (the ABI's `keel_state`):
/// the block being built, the head, a scratch overlay for eth_call, or a checked witness.
public protocol StateAccess: AnyObject {
    /// The value of `key`, or nil if it has none.
    func value(for key: [UInt8]) -> [UInt8]?
    /// Sets `key` to `value`; an empty value deletes the key.
    func setValue(_ value: [UInt8], for key: [UInt8])
}

/// A plain in-memory state, for tests, eth_call overlays and tools.
public final class MemoryState: StateAccess {
    public private(set) var values: [[UInt8]: [UInt8]]

    public init(values: [[UInt8]: [UInt8]] = [:]) {
        self.values = values
    }

    public func value(for key: [UInt8]) -> [UInt8]? { values[key] }

    public func setValue(_ value: [UInt8], for key: [UInt8]) {
        values[key] = value.isEmpty ? nil : value
    }
}

/// Calls `body` with a `keel_state` backed by `state`, valid only during the call.
func withKeelState<Result>(_ state: any StateAccess, _ body: (UnsafePointer<keel_state>) throws -> Result) rethrows -> Result {
    let box = Unmanaged.passRetained(StateBox(state))
    defer { box.release() }
    var table = keel_state(
        struct_size: UInt32(MemoryLayout<keel_state>.size),
        context: box.toOpaque(),
        get: { context, key, value, capacity, length in
            guard let context else { return keel_status(KEEL_ERR_INTERNAL) }
            let state = Unmanaged<StateBox>.fromOpaque(context).takeUnretainedValue().state
            let keyBytes = key.ptr.map { Array(UnsafeBufferPointer(start: $0, count: key.len)) } ?? []
            guard let found = state.value(for: keyBytes) else { return keel_status(KEEL_ERR_NOT_FOUND) }
            length?.pointee = found.count
            guard found.count <= capacity else { return keel_status(KEEL_ERR_BUFFER_TOO_SMALL) }
            if let value { found.withUnsafeBufferPointer { value.update(from: $0.baseAddress!, count: found.count) } }
            return keel_status(KEEL_OK)
        },
        set: { context, key, value in
            guard let context else { return keel_status(KEEL_ERR_INTERNAL) }
            let state = Unmanaged<StateBox>.fromOpaque(context).takeUnretainedValue().state
            let keyBytes = key.ptr.map { Array(UnsafeBufferPointer(start: $0, count: key.len)) } ?? []
            let valueBytes = value.ptr.map { Array(UnsafeBufferPointer(start: $0, count: value.len)) } ?? []
            state.setValue(valueBytes, for: keyBytes)
            return keel_status(KEEL_OK)
        })
    return try body(&table)
}

private final class StateBox {
    let state: any StateAccess
    init(_ state: any StateAccess) { self.state = state }
}
