import Foundation

/// Every plugin library found on a search path, and every library refused with its reason.
///
/// A library is a candidate if its file name is `libkeel-*.so`; each is opened and its descriptor
/// checked (docs/ABI.md, "What the kernel refuses"). Several versions of one plugin may be found
/// (an upgrade names the new one by its version constraint); the same (kind, name, version) claimed
/// by two libraries is refused for both, naming the two files.
public struct PluginCatalog: Sendable {
    public let searchPath: PluginSearchPath
    public private(set) var libraries: [PluginLibrary] = []
    public private(set) var refusals: [PluginRefusal] = []

    /// Scans every folder of `searchPath`.
    public init(searchPath: PluginSearchPath) {
        self.searchPath = searchPath
        var opened: [PluginLibrary] = []
        var seenFiles = Set<String>()
        for directory in searchPath.directories {
            for path in PluginSearchPath.candidates(in: directory) {
                let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
                guard seenFiles.insert(real).inserted else { continue }
                switch PluginLibrary.open(path) {
                case .success(let library): opened.append(library)
                case .failure(let refusal): refusals.append(refusal)
                }
            }
        }
        let groups = Dictionary(grouping: opened) { "\($0.kind) \($0.name) \($0.version)" }
        for library in opened {
            let claimants = groups["\(library.kind) \(library.name) \(library.version)"] ?? []
            if claimants.count == 1 {
                libraries.append(library)
            } else {
                let others = claimants.filter { $0.path != library.path }.map(\.path).joined(separator: ", ")
                refusals.append(PluginRefusal(path: library.path,
                    reason: "\(library.kind) plugin \"\(library.name)\" \(library.version) is also claimed by \(others); remove one of the two"))
            }
        }
    }

    /// The newest version of `name` in slot `kind` that satisfies `constraint` (any, without one).
    public func best(kind: PluginKind, name: String, constraint: VersionConstraint?) -> PluginLibrary? {
        libraries.filter { $0.kind == kind && $0.name == name && (constraint?.isSatisfied(by: $0.version) ?? true) }
            .max { $0.version < $1.version }
    }

    /// The library for `name` in slot `kind`, whose version satisfies `constraint`, or an error
    /// saying why none fits: not found (with the folders searched), refused, of another kind,
    /// claimed twice, or of a version outside the constraint.
    public func resolve(kind: PluginKind, name: String, constraint: VersionConstraint?) -> Result<PluginLibrary, PluginResolutionError> {
        if let library = best(kind: kind, name: name, constraint: constraint) { return .success(library) }
        let versions = libraries.filter { $0.kind == kind && $0.name == name }
        if let constraint, let newest = versions.max(by: { $0.version < $1.version }) {
            let found = versions.count == 1 ? "is version \(newest.version) (\(newest.path))"
                : "is found in versions " + versions.sorted { $0.version < $1.version }.map { "\($0.version) (\($0.path))" }.joined(separator: ", ")
            return .failure(PluginResolutionError("\(kind) plugin \"\(name)\" \(found), outside the manifest's constraint \"\(constraint)\""))
        }
        let duplicates = refusals.filter { $0.reason.hasPrefix("\(kind) plugin \"\(name)\" ") && $0.reason.contains(" is also claimed by") }
        if let first = duplicates.first {
            return .failure(PluginResolutionError(first.description))
        }
        if let other = libraries.first(where: { $0.name == name }) {
            return .failure(PluginResolutionError(
                "plugin \"\(name)\" (\(other.path)) is \(other.kind.withArticle) plugin; the \(kind) slot needs \(kind.withArticle) plugin"))
        }
        let refusedHere = refusals.filter { URL(fileURLWithPath: $0.path).lastPathComponent.contains(name) }
        var message = "\(kind) plugin \"\(name)\" not found; searched: " + searchPath.directories.joined(separator: ", ")
        if !refusedHere.isEmpty {
            message += "; refused there: " + refusedHere.map(\.description).joined(separator: "; ")
        }
        return .failure(PluginResolutionError(message))
    }
}
