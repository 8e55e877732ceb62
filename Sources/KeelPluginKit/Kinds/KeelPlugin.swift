/// What every plugin is: a class with a name, a version, capabilities, and an initializer that
/// reads its configuration. Each kind adds its own protocol (`DAProvider`, `ExecutionVM`, …).
///
/// Contract:
/// - `init(config:host:)` validates the whole config and throws `PluginError.config(path, message)`
///   for the first bad value; it opens what it needs (files, connections) and fails if it cannot.
/// - An instance is destroyed (deinitialised) when the kernel no longer needs it; release resources in `deinit`.
/// - Unless `capabilities` contains `"thread-safe"`, the kernel never calls one instance from two
///   threads at once. Methods may block (disk, network): the kernel calls them off its event loops.
/// - Methods report failures by throwing `PluginError`; never crash on input a user or peer controls.
public protocol KeelPlugin: AnyObject {
    /// The name manifests use: lowercase letters, digits and `-`, e.g. `"sqlite"`.
    static var name: String { get }
    /// The plugin's semantic version, e.g. `"1.0.0"`.
    static var version: String { get }
    /// Capability tokens (docs/ABI.md): `"thread-safe"` and kind-specific ones such as
    /// `"da:offchain"` or `"proof:validity"`.
    static var capabilities: [String] { get }

    /// Makes an instance from the manifest's `config` for this plugin.
    init(config: PluginConfig, host: PluginHostServices) throws(PluginError)
}

extension KeelPlugin {
    public static var capabilities: [String] { [] }
}
