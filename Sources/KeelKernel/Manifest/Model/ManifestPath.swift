/// A file-system path from the manifest, as written and as resolved against the manifest's folder.
public struct ManifestPath: Sendable, Hashable, CustomStringConvertible {
    /// The text in the manifest (or the default), e.g. `.keel/demo`.
    public var written: String
    /// An absolute path: `written` itself if it was absolute, else joined to the manifest's folder.
    public var resolved: String
    /// Where `written` stands in the manifest; for a default, the section (or file start) it belongs to.
    public var location: SourceLocation

    public init(written: String, resolved: String, location: SourceLocation) {
        self.written = written
        self.resolved = resolved
        self.location = location
    }

    /// `written` resolved against `directory` (an absolute folder), with `.` and `..` folded.
    init(written: String, relativeTo directory: String, location: SourceLocation) {
        self.written = written
        self.location = location
        let joined = written.hasPrefix("/") ? written : directory + "/" + written
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        self.resolved = "/" + parts.joined(separator: "/")
    }

    /// The resolved path.
    public var description: String { resolved }
}
