import Foundation
import Testing

/// The README's Layout section is the tree: every folder of `Sources/` (two levels) and of
/// `Tests/` has its line, and every line names a folder that exists.
@Suite("Layout")
struct LayoutTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The folders the Layout section lists: the first word of each line of its code block
    /// that ends with `/`.
    static func listed() throws -> [String] {
        let readme = try String(contentsOfFile: root + "/README.md", encoding: .utf8)
        let section = try #require(readme.range(of: "\n## Layout\n")).upperBound
        let rest = readme[section...]
        let open = try #require(rest.range(of: "```\n"))
        let close = try #require(rest[open.upperBound...].range(of: "```\n"))
        return rest[open.upperBound..<close.lowerBound].split(separator: "\n").compactMap { line in
            guard let word = line.split(separator: " ").first, word.hasSuffix("/"), !line.hasPrefix(" ") else {
                return nil
            }
            return String(word)
        }
    }

    /// The folders the tree has: `Sources/*/`, `Sources/*/*/` (not DocC catalogs or C
    /// headers) and `Tests/*/`.
    static func folders() throws -> [String] {
        let files = FileManager.default
        func subfolders(_ path: String) throws -> [String] {
            try files.contentsOfDirectory(atPath: root + "/" + path).filter { name in
                var isDirectory: ObjCBool = false
                return !name.hasPrefix(".") && !name.hasSuffix(".docc") && name != "include"
                    && files.fileExists(atPath: root + "/" + path + name, isDirectory: &isDirectory)
                    && isDirectory.boolValue
            }.map { path + $0 + "/" }
        }
        let targets = try subfolders("Sources/")
        return try targets + targets.flatMap(subfolders) + subfolders("Tests/")
    }

    @Test("the README's Layout lists every folder of Sources and Tests, and only folders that exist")
    func layoutIsTheTree() throws {
        let listed = try Self.listed(), folders = try Self.folders()
        #expect(Set(listed).count == listed.count, "a folder listed twice")
        let missing = Set(folders).subtracting(listed).sorted()
        #expect(missing.isEmpty, "folders the Layout section does not list: \(missing)")
        let stale = listed.filter { !FileManager.default.fileExists(atPath: Self.root + "/" + $0) }
        #expect(stale.isEmpty, "the Layout section lists folders that do not exist: \(stale)")
        // The walk found the tree (an empty walk would pass the checks above).
        #expect(folders.contains("Sources/SeqHuntFormats/CSV/") && folders.count > 30)
    }
}
