import KeelABI
import KeelCore

/// A DA provider plugin, called through its `keel_da_table`.
public struct DAClient: Sendable {
    public let instance: PluginInstance
    private var table: keel_da_table { instance.table(as: keel_da_table.self) }

    public init(_ instance: PluginInstance) {
        precondition(instance.library.kind == .da, "DAClient needs a da plugin")
        self.instance = instance
    }

    /// The first byte of every commitment this provider makes.
    public var providerID: UInt8 { table.provider_id }
    /// The largest blob `submit` accepts.
    public var maxBlobSize: UInt64 {
        let read = table.max_blob_size!
        return instance.withInstance { read($0) }
    }

    /// Stores `blob`; returns its commitment.
    public func submit(_ blob: [UInt8]) throws(PluginCallError) -> [UInt8] {
        var commitment = keel_buffer()
        let submit = table.submit!
        try instance.call("submit") { pointer, error in
            withKeelBytes(blob) { submit(pointer, $0, &commitment, error) }
        }
        return commitment.take()
    }

    /// The blob for `commitment`, checked by the provider against it.
    public func retrieve(_ commitment: [UInt8]) throws(PluginCallError) -> [UInt8] {
        var blob = keel_buffer()
        let retrieve = table.retrieve!
        try instance.call("retrieve") { pointer, error in
            withKeelBytes(commitment) { retrieve(pointer, $0, &blob, error) }
        }
        return blob.take()
    }

    /// Whether submit and retrieve would work now.
    public func health() throws(PluginCallError) -> DAHealth {
        var health = keel_da_health()
        health.struct_size = UInt32(MemoryLayout<keel_da_health>.size)
        let check = table.health!
        try instance.call("health") { pointer, error in check(pointer, &health, error) }
        return DAHealth(health)
    }
}

