/// Which values of a plugin's `config` are file-system paths, resolved against the manifest's folder
/// before the plugin sees them (docs/MANIFEST.md, "Paths in a plugin's config"): strings under a key
/// named `path`, `dir` or `file`, or ending in `_path`, `_dir`, `_file` or `_db`.
enum ConfigPathKeys {
    static func isPathKey(_ key: String) -> Bool {
        ["path", "dir", "file"].contains(key) || ["_path", "_dir", "_file", "_db"].contains { key.hasSuffix($0) }
    }

    /// A relative file-system path: not absolute, not empty, not a URL, not `~` (which the plugin expands).
    static func isRelativePath(_ text: String) -> Bool {
        !text.isEmpty && !text.hasPrefix("/") && !text.hasPrefix("~") && !text.contains("://")
    }
}
