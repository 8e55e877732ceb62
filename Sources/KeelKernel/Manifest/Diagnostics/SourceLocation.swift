/// A position in a manifest: the file as the user named it, a 1-based line and a 1-based column
/// (counted in Unicode scalars, as libyaml counts them).
///
/// Prints as `FILE:LINE:COL`, the form editors and terminals turn into links.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The manifest's path as it was given to the loader (or the name passed to `parse`).
    public var file: String
    /// The line, from 1.
    public var line: Int
    /// The column, from 1.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COL`.
    public var description: String { "\(file):\(line):\(column)" }

    /// Orders by file, then line, then column: the order in which a reader meets them.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
