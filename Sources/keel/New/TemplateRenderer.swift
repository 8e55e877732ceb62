import Foundation

/// Copies template folders into a new project, replacing `{{PLACEHOLDER}}`s in file contents and
/// in file and folder names.
struct TemplateRenderer {
    /// Placeholder names (without braces) and their values.
    let values: [String: String]

    /// Replaces every known placeholder in `text`.
    func render(_ text: String) -> String {
        values.reduce(text) { result, entry in result.replacingOccurrences(of: "{{\(entry.key)}}", with: entry.value) }
    }

    /// Copies each folder of `sources`, in order, into `destination` (later files replace earlier
    /// ones of the same rendered path). Returns the written files' paths relative to `destination`, sorted.
    func copy(_ sources: [String], to destination: String) throws(UserError) -> [String] {
        let manager = FileManager.default
        var written = Set<String>()
        for source in sources {
            guard let enumerator = manager.enumerator(atPath: source) else {
                throw UserError("keel new: cannot read the template folder \(source)")
            }
            while let relative = enumerator.nextObject() as? String {
                let from = (source as NSString).appendingPathComponent(relative)
                let target = render(relative)
                let to = (destination as NSString).appendingPathComponent(target)
                var isFolder: ObjCBool = false
                _ = manager.fileExists(atPath: from, isDirectory: &isFolder)
                do {
                    if isFolder.boolValue {
                        try manager.createDirectory(atPath: to, withIntermediateDirectories: true)
                        continue
                    }
                    guard let text = String(data: try Data(contentsOf: URL(fileURLWithPath: from)), encoding: .utf8) else {
                        throw UserError("keel new: the template file \(from) is not UTF-8 text")
                    }
                    let rendered = render(text)
                    if let leftover = Self.placeholder(in: rendered) {
                        throw UserError("keel new: the template file \(from) uses the unknown placeholder \(leftover); "
                                        + "known: " + values.keys.sorted().map { "{{\($0)}}" }.joined(separator: ", "))
                    }
                    try manager.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try Data(rendered.utf8).write(to: URL(fileURLWithPath: to))
                    written.insert(target)
                } catch let error as UserError {
                    throw error
                } catch {
                    throw UserError("keel new: cannot write \(to): \(error.localizedDescription)")
                }
            }
        }
        return written.sorted()
    }

    /// The first `{{UPPER_CASE}}` left in `text`, if any.
    static func placeholder(in text: String) -> String? {
        guard let range = text.range(of: #"\{\{[A-Z_]+\}\}"#, options: .regularExpression) else { return nil }
        return String(text[range])
    }
}
