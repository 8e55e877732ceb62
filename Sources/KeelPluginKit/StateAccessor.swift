import KeelABI

/// The state the kernel lends a plugin for one call: read and write values by key.
/// Valid only during the call it is passed to; do not keep it.
public struct StateAccessor {
    let table: UnsafePointer<keel_state>

    init(_ table: UnsafePointer<keel_state>) {
        self.table = table
    }

    /// The value of `key`, or nil if it has none.
    public func value(for key: [UInt8]) throws(PluginError) -> [UInt8]? {
        var length = 0
        var buffer = [UInt8](repeating: 0, count: 128)
        for _ in 0..<2 {
            let status = key.withUnsafeBufferPointer { k in
                buffer.withUnsafeMutableBufferPointer { b in
                    table.pointee.get(table.pointee.context, keel_bytes(ptr: k.baseAddress, len: k.count), b.baseAddress, b.count, &length)
                }
            }
            switch status {
            case keel_status(KEEL_OK): return Array(buffer.prefix(length))
            case keel_status(KEEL_ERR_NOT_FOUND): return nil
            case keel_status(KEEL_ERR_BUFFER_TOO_SMALL): buffer = [UInt8](repeating: 0, count: length)
            default: throw PluginError(.internalError, "the state refused a read (status \(status))")
            }
        }
        throw PluginError(.internalError, "the state value kept growing while it was read")
    }

    /// Sets `key` to `value`; an empty value deletes it.
    public func setValue(_ value: [UInt8], for key: [UInt8]) throws(PluginError) {
        let status = key.withUnsafeBufferPointer { k in
            value.withUnsafeBufferPointer { v in
                table.pointee.set(table.pointee.context, keel_bytes(ptr: k.baseAddress, len: k.count), keel_bytes(ptr: v.baseAddress, len: v.count))
            }
        }
        guard status == keel_status(KEEL_OK) else {
            throw PluginError(.internalError, "the state refused a write (status \(status))")
        }
    }
}
