/// A manifest that cannot be used, with every problem found in it, not only the first.
///
/// Prints one diagnostic per line in file order, errors and the warnings found alongside them.
public struct ManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// All findings, sorted by position; at least one is an error.
    public var diagnostics: [ManifestDiagnostic]

    /// Wraps `diagnostics`, sorting them by position (stable for findings at the same place).
    public init(diagnostics: [ManifestDiagnostic]) {
        self.diagnostics = diagnostics.enumerated()
            .sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }
            .map(\.element)
    }

    /// A single error at `location`.
    public init(at location: SourceLocation, _ message: String) {
        self.init(diagnostics: [.error(at: location, message)])
    }

    /// Only the findings that stop the manifest from loading.
    public var errors: [ManifestDiagnostic] { diagnostics.filter { $0.severity == .error } }

    /// Only the warnings.
    public var warnings: [ManifestDiagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// One `FILE:LINE:COL: error: MESSAGE` per line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
