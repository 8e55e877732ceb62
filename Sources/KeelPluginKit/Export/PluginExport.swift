import Foundation
import KeelABI

/// Turns a Swift plugin type into the C descriptor the kernel loads. A plugin library exports itself
/// in one line:
///
/// ```swift
/// @_cdecl("keel_plugin_entry_v1")
/// public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: SQLiteDA.self) }
/// ```
///
/// Each library holds one plugin. The descriptor and its strings are made once and live for the
/// life of the process (the kernel never unloads a plugin).
public enum PluginExport {
    /// The descriptor for a DA provider.
    public static func descriptor<P: DAProvider>(for type: P.Type) -> UnsafeRawPointer {
        make(P.self, kind: KEEL_KIND_DA) { DAExport.table(providerID: P.providerID) }
    }

    /// The descriptor for an execution VM.
    public static func descriptor<P: ExecutionVM>(for type: P.Type) -> UnsafeRawPointer {
        make(P.self, kind: KEEL_KIND_EXECUTION) { ExecutionExport.table() }
    }

    /// The descriptor for a proof system.
    public static func descriptor<P: ProofSystem>(for type: P.Type) -> UnsafeRawPointer {
        make(P.self, kind: KEEL_KIND_PROOF) { ProofExport.table(hasDisputes: P.hasDisputes) }
    }

    /// The descriptor for a GPU backend.
    public static func descriptor<P: GPUBackend>(for type: P.Type) -> UnsafeRawPointer {
        make(P.self, kind: KEEL_KIND_GPU) { GPUExport.table() }
    }

    /// The descriptor for a sequencer.
    public static func descriptor<P: SequencerConsensus>(for type: P.Type) -> UnsafeRawPointer {
        make(P.self, kind: KEEL_KIND_SEQUENCER) { SequencerExport.table() }
    }

    /// The descriptor for a settlement bridge.
    public static func descriptor<P: SettlementBridge>(for type: P.Type) -> UnsafeRawPointer {
        make(P.self, kind: KEEL_KIND_BRIDGE) { BridgeExport.table(isDevelopmentL1: P.isDevelopmentL1, keepsChangeLog: P.keepsChangeLog, answersCalls: P.answersCalls) }
    }

    /// The C `create` of a descriptor: it calls `ExportedPlugin.create(type:…)` for its plugin type.
    typealias CreateFunction = @convention(c) (UnsafePointer<keel_host>?, UnsafePointer<CChar>?, UnsafeMutablePointer<keel_error>?) -> UnsafeMutableRawPointer?

    /// The library's one exported plugin uses `ExportedPlugin.createPrimary`; tests that host several
    /// plugin types in one process pass a `create` of their own per type.
    static func make<P: KeelPlugin, Table>(_ type: P.Type, kind: keel_kind,
                                           create: CreateFunction = { ExportedPlugin.createPrimary(host: $0, config: $1, error: $2) },
                                           table: () -> Table) -> UnsafeRawPointer {
        ExportedPlugin.lock.lock()
        defer { ExportedPlugin.lock.unlock() }
        let key = ObjectIdentifier(P.self)
        if let existing = ExportedPlugin.descriptors[key] { return UnsafeRawPointer(existing) }
        ExportedPlugin.factories[key] = ExportedPlugin.factory(for: P.self)
        if ExportedPlugin.primary == nil { ExportedPlugin.primary = key }
        let tablePointer = UnsafeMutablePointer<Table>.allocate(capacity: 1)
        tablePointer.initialize(to: table())
        let descriptor = UnsafeMutablePointer<keel_plugin_descriptor>.allocate(capacity: 1)
        descriptor.initialize(to: keel_plugin_descriptor(
            magic: KEEL_PLUGIN_MAGIC,
            abi_major: UInt16(KEEL_ABI_MAJOR),
            abi_minor: UInt16(KEEL_ABI_MINOR),
            struct_size: abiSize(keel_plugin_descriptor.self),
            kind: kind.rawValue,
            name: UnsafePointer(strdup(P.name)),
            version: UnsafePointer(strdup(P.version)),
            toolchain: UnsafePointer(strdup(ExportedPlugin.toolchain)),
            capabilities: UnsafePointer(strdup(P.capabilities.joined(separator: " "))),
            create: create,
            destroy: { instance in ExportedPlugin.destroy(instance) },
            table: UnsafeRawPointer(tablePointer)))
        ExportedPlugin.descriptors[key] = descriptor
        return UnsafeRawPointer(descriptor)
    }
}

/// The plugin types this library exports, with their factories and descriptors. Each plugin
/// library links its own copy of KeelPluginKit, so these are per library; a library exports one
/// (the primary), tests may host several.
enum ExportedPlugin {
    typealias Factory = (PluginConfig, PluginHostServices) throws(PluginError) -> any KeelPlugin
    static let lock = NSLock()
    nonisolated(unsafe) static var descriptors: [ObjectIdentifier: UnsafeMutablePointer<keel_plugin_descriptor>] = [:]
    nonisolated(unsafe) static var factories: [ObjectIdentifier: Factory] = [:]
    nonisolated(unsafe) static var primary: ObjectIdentifier?

    static var toolchain: String {
        #if compiler(>=6.3)
        "swift 6.3+"
        #else
        "swift 6"
        #endif
    }

    static func factory<P: KeelPlugin>(for type: P.Type) -> Factory {
        func make(config: PluginConfig, host: PluginHostServices) throws(PluginError) -> any KeelPlugin {
            try P(config: config, host: host)
        }
        return make
    }

    static func createPrimary(host: UnsafePointer<keel_host>?, config: UnsafePointer<CChar>?, error: UnsafeMutablePointer<keel_error>?) -> UnsafeMutableRawPointer? {
        create(key: lock.withLock { primary }, host: host, config: config, error: error)
    }

    /// Creates an instance of `type`: the body of a test's own `create` function.
    static func create<P: KeelPlugin>(type: P.Type, host: UnsafePointer<keel_host>?, config: UnsafePointer<CChar>?,
                                      error: UnsafeMutablePointer<keel_error>?) -> UnsafeMutableRawPointer? {
        create(key: ObjectIdentifier(P.self), host: host, config: config, error: error)
    }

    private static func create(key: ObjectIdentifier?, host: UnsafePointer<keel_host>?, config: UnsafePointer<CChar>?,
                               error output: UnsafeMutablePointer<keel_error>?) -> UnsafeMutableRawPointer? {
        guard let host, let key, let factory = lock.withLock({ factories[key] }) else {
            _ = keel_error_set(output, Int32(KEEL_ERR_INTERNAL), "the plugin was created before it was exported")
            return nil
        }
        do throws(PluginError) {
            let parsed = try PluginConfig(json: config.map { String(cString: $0) } ?? "{}")
            let plugin = try factory(parsed, PluginHostServices(host))
            return Unmanaged.passRetained(PluginBox(plugin)).toOpaque()
        } catch {
            _ = error.report(into: output)
            return nil
        }
    }

    static func destroy(_ instance: UnsafeMutableRawPointer?) {
        guard let instance else { return }
        Unmanaged<PluginBox>.fromOpaque(instance).release()
    }
}

/// Holds a plugin instance behind the `void *instance` the kernel passes back.
final class PluginBox {
    let plugin: any KeelPlugin
    init(_ plugin: any KeelPlugin) { self.plugin = plugin }
}

/// Runs one ABI call on the plugin behind `instance`, cast to the kind's protocol, turning a thrown
/// `PluginError` (or a wrong instance) into a status and a filled `keel_error`.
func invoke<Kind>(_ instance: UnsafeMutableRawPointer?, _ error: UnsafeMutablePointer<keel_error>?,
                  _ cast: (any KeelPlugin) -> Kind?, _ body: (Kind) throws(PluginError) -> Void) -> keel_status {
    guard let instance, let plugin = cast(Unmanaged<PluginBox>.fromOpaque(instance).takeUnretainedValue().plugin) else {
        return keel_error_set(error, Int32(KEEL_ERR_INTERNAL), "called with an instance this plugin did not create")
    }
    do throws(PluginError) {
        try body(plugin)
        return keel_status(KEEL_OK)
    } catch let failure {
        return failure.report(into: error)
    }
}
