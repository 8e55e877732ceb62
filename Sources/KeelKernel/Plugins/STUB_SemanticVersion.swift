// TEMPORARY stub until the manifest work lands; never merged.
public struct SemanticVersion: Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public init?(_ text: String) { self.text = text }
    public var description: String { text }
}
public struct VersionConstraint: Sendable, CustomStringConvertible {
    public func isSatisfied(by version: SemanticVersion) -> Bool { true }
    public var description: String { "*" }
}
