import Foundation
import KeelABI
import KeelCore

/// A created plugin: the library, the plugin's instance pointer and the host table it was given.
///
/// Calls go through `call(_:_:)`, which zeroes a `keel_error`, serialises the call unless the
/// plugin declares `thread-safe`, and turns a failure into a `PluginCallError`.
/// `destroy()` is idempotent and also runs when the last reference goes away.
public final class PluginInstance: @unchecked Sendable {
    // @unchecked: `pointer` is only used under `lock` (or by a plugin that declared itself thread-safe),
    // and `destroyed` is guarded by `lifecycle`.
    public let library: PluginLibrary
    let host: PluginHost
    let pointer: UnsafeMutableRawPointer
    private let lock: NSLock?
    private let lifecycle = NSLock()
    private var destroyed = false

    /// Creates an instance of `library` with `configJSON` (a JSON object).
    /// A failing `create` throws its message, with the config path for a configuration error.
    public init(library: PluginLibrary, configJSON: String, services: HostServices) throws(PluginCallError) {
        let host = PluginHost(services: services, kind: library.kind, name: library.name)
        self.library = library
        self.host = host
        var error = keel_error()
        guard let create = library.descriptor.create,
              let created = configJSON.withCString({ create(host.table, $0, &error) }) else {
            throw PluginCallError(plugin: "\(library.kind) \(library.name)", function: "create", code: error.code == 0 ? Int32(KEEL_ERR_INTERNAL) : error.code,
                                  message: error.messageText.isEmpty ? "create returned NULL without a message" : error.messageText,
                                  configPath: error.configPathText)
        }
        self.pointer = created
        self.lock = library.isThreadSafe ? nil : NSLock()
    }

    /// `kind name`, as messages name the plugin.
    public var label: String { "\(library.kind) \(library.name)" }

    /// The kind's function table, host-sized: a function past the plugin's `struct_size` is NULL.
    func table<Table>(as type: Table.Type) -> Table {
        library.table.load(as: Table.self)
    }

    /// Runs one ABI call; throws `PluginCallError` for a non-zero status.
    func call(_ function: String, _ body: (UnsafeMutableRawPointer, UnsafeMutablePointer<keel_error>) -> keel_status) throws(PluginCallError) {
        var error = keel_error()
        let status: keel_status
        lock?.lock()
        status = body(pointer, &error)
        lock?.unlock()
        guard status == KEEL_OK else {
            throw PluginCallError(plugin: label, function: function, code: status,
                                  message: error.messageText.isEmpty ? "no message" : error.messageText,
                                  configPath: error.configPathText)
        }
    }

    /// Runs an infallible ABI call (a getter), serialised like every other call.
    func withInstance<Result>(_ body: (UnsafeMutableRawPointer) -> Result) -> Result {
        lock?.lock()
        defer { lock?.unlock() }
        return body(pointer)
    }

    /// Refuses, before calling the plugin, a byte array that must be a 32-byte hash or root.
    func require32(_ bytes: [UInt8], _ function: String, _ what: String = "hash") throws(PluginCallError) {
        guard bytes.count == 32 else {
            throw PluginCallError(plugin: label, function: function, code: Int32(KEEL_ERR_INVALID_ARGUMENT),
                                  message: "the \(what) must be 32 bytes, not \(bytes.count)")
        }
    }

    /// Calls the plugin's `destroy`, once.
    public func destroy() {
        lifecycle.lock()
        defer { lifecycle.unlock() }
        guard !destroyed else { return }
        destroyed = true
        lock?.lock()
        library.descriptor.destroy?(pointer)
        lock?.unlock()
    }

    deinit {
        destroy()
    }
}

extension keel_error {
    var messageText: String {
        var copy = message
        return withUnsafeBytes(of: &copy) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    var configPathText: String? {
        var copy = config_path
        let text = withUnsafeBytes(of: &copy) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return text.isEmpty ? nil : text
    }
}

