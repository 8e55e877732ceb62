#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KeelABI

/// A plugin library that was opened and whose descriptor passed every check of docs/ABI.md.
///
/// Libraries are opened with `RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE` and never closed.
public struct PluginLibrary: @unchecked Sendable, CustomStringConvertible {
    // @unchecked: the descriptor is immutable static data inside a library that is never unloaded.

    public let path: String
    public let kind: PluginKind
    public let name: String
    public let version: SemanticVersion
    public let abiMajor: Int
    public let abiMinor: Int
    public let toolchain: String
    /// The capability tokens, in the order the plugin lists them.
    public let capabilities: [String]
    /// A host-sized copy of the plugin's descriptor (the bytes it declared, then zeroes).
    let descriptor: keel_plugin_descriptor
    /// A host-sized copy of the kind's table: the bytes the plugin declared, then zeroes, so a
    /// function a newer minor version appended reads as NULL for a plugin built before it.
    let table: UnsafeRawPointer

    /// Whether the plugin may be called from several threads at once.
    public var isThreadSafe: Bool { capabilities.contains("thread-safe") }

    public var description: String { "\(kind) \(name) \(version) (\(path))" }

    /// Opens `path` and checks its descriptor, or says why not.
    public static func open(_ path: String) -> Result<PluginLibrary, PluginRefusal> {
        func refuse(_ reason: String) -> Result<PluginLibrary, PluginRefusal> {
            .failure(PluginRefusal(path: path, reason: reason))
        }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            let detail = dlerror().map { String(cString: $0) } ?? "unknown reason"
            return refuse("cannot be loaded: \(detail)")
        }
        guard let symbol = dlsym(handle, KEEL_PLUGIN_ENTRY_SYMBOL) else {
            return refuse("no entry symbol `\(KEEL_PLUGIN_ENTRY_SYMBOL)`: not a Keel plugin for ABI \(KEEL_ABI_MAJOR).x")
        }
        let entry = unsafeBitCast(symbol, to: keel_plugin_entry_fn.self)
        guard let descriptor = entry() else {
            return refuse("`\(KEEL_PLUGIN_ENTRY_SYMBOL)` returned NULL instead of a descriptor")
        }
        return validate(descriptor, path: path)
    }

    /// Checks a descriptor that is already in this process (a plugin linked into a test), as `open` checks a library's.
    package static func inProcess(descriptor: UnsafeRawPointer, label: String) -> Result<PluginLibrary, PluginRefusal> {
        validate(descriptor.assumingMemoryBound(to: keel_plugin_descriptor.self), path: label)
    }

    static func validate(_ descriptor: UnsafePointer<keel_plugin_descriptor>, path: String) -> Result<PluginLibrary, PluginRefusal> {
        func refuse(_ reason: String) -> Result<PluginLibrary, PluginRefusal> {
            .failure(PluginRefusal(path: path, reason: reason))
        }
        // Read the fixed header field by field before trusting the struct's size.
        let raw = UnsafeRawPointer(descriptor)
        let magic = raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
        guard magic == KEEL_PLUGIN_MAGIC else {
            return refuse("wrong magic \(hex32(magic)) (expected \(hex32(KEEL_PLUGIN_MAGIC)), \"KEEL\"): not a Keel plugin descriptor")
        }
        let major = Int(raw.loadUnaligned(fromByteOffset: 4, as: UInt16.self))
        let minor = Int(raw.loadUnaligned(fromByteOffset: 6, as: UInt16.self))
        guard major == Int(KEEL_ABI_MAJOR) else {
            return refuse("built for ABI \(major).\(minor); this kernel speaks ABI \(KEEL_ABI_MAJOR).\(KEEL_ABI_MINOR) — rebuild the plugin against this kernel's keel_plugin.h")
        }
        guard minor <= Int(KEEL_ABI_MINOR) else {
            return refuse("built for ABI \(major).\(minor), newer than this kernel's ABI \(KEEL_ABI_MAJOR).\(KEEL_ABI_MINOR) — upgrade keel, or rebuild the plugin against ABI \(KEEL_ABI_MAJOR).\(KEEL_ABI_MINOR)")
        }
        let size = Int(raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        let required = ABIVersion.minimumDescriptorSize(minor: minor)
        guard size >= required else {
            return refuse("descriptor struct_size is \(size) bytes, shorter than the \(required) bytes ABI \(major).\(minor) requires")
        }
        let d = ABIVersion.paddedValue(of: raw, declaredSize: size, as: keel_plugin_descriptor.self)
        guard let kind = PluginKind(rawValue: d.kind) else {
            return refuse("unknown plugin kind \(d.kind) (known: 1 execution … 6 bridge)")
        }
        guard let namePointer = d.name, let versionPointer = d.version else {
            return refuse("descriptor has a NULL \(d.name == nil ? "name" : "version")")
        }
        let name = String(cString: namePointer)
        guard PluginLibrary.isValidName(name) else {
            return refuse("plugin name \"\(name)\" is not lowercase letters, digits and '-'")
        }
        let versionText = String(cString: versionPointer)
        guard let version = SemanticVersion(versionText) else {
            return refuse("version \"\(versionText)\" is not a semantic version (MAJOR.MINOR.PATCH)")
        }
        if d.create == nil { return refuse("required function `create` is NULL") }
        if d.destroy == nil { return refuse("required function `destroy` is NULL") }
        guard let table = d.table else {
            return refuse("the \(kind) function table is NULL")
        }
        let tableSize = Int(table.loadUnaligned(as: UInt32.self))
        let minimumTableSize = ABIVersion.minimumTableSize(kind, minor: minor)
        guard tableSize >= minimumTableSize else {
            return refuse("the \(kind) table is \(tableSize) bytes, shorter than the \(minimumTableSize) bytes ABI \(major).\(minor) requires")
        }
        let padded = TableRequirements.paddedTable(kind, table, declaredSize: tableSize)
        if let missing = TableRequirements.of(kind).functions.first(where: { $0.isNull(padded) }) {
            return refuse("required function `\(missing.name)` of the \(kind) table is NULL")
        }
        let capabilities = d.capabilities.map { String(cString: $0) } ?? ""
        return .success(PluginLibrary(
            path: path, kind: kind, name: name, version: version, abiMajor: major, abiMinor: minor,
            toolchain: d.toolchain.map { String(cString: $0) } ?? "unknown",
            capabilities: capabilities.split(separator: " ").map(String.init),
            descriptor: d, table: padded))
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }
}

private func hex32(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
