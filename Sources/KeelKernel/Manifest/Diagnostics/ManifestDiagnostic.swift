/// One finding about a manifest, pinned to the place in the file it is about.
///
/// Its `description` is `FILE:LINE:COL: error: MESSAGE` (or `warning:`), the format compilers use,
/// so editors link straight to the line. Messages say what is wrong and what to write instead.
public struct ManifestDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// Whether a finding stops the manifest from loading.
    public enum Severity: String, Sendable, Hashable, CustomStringConvertible {
        /// The manifest cannot be used until this is fixed.
        case error
        /// The manifest works, but probably not as its author meant.
        case warning

        public var description: String { rawValue }
    }

    /// Where in the manifest the finding points.
    public var location: SourceLocation
    public var severity: Severity
    /// What happened and what to do, without the location or severity prefix.
    public var message: String

    public init(severity: Severity, location: SourceLocation, message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// An error at `location`.
    public static func error(at location: SourceLocation, _ message: String) -> ManifestDiagnostic {
        ManifestDiagnostic(severity: .error, location: location, message: message)
    }

    /// A warning at `location`.
    public static func warning(at location: SourceLocation, _ message: String) -> ManifestDiagnostic {
        ManifestDiagnostic(severity: .warning, location: location, message: message)
    }

    /// `FILE:LINE:COL: error: MESSAGE`.
    public var description: String { "\(location): \(severity): \(message)" }
}
