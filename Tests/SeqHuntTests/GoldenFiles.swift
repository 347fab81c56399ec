import Foundation
import SeqHuntIO

/// Access to the msticpy golden files under `Tests/Golden` (made by `perf/make_golden.py`).
enum GoldenFiles {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Golden").path

    static func path(_ name: String) -> String { directory + "/" + name }

    /// The JSON objects of a JSON Lines golden file.
    static func lines(_ name: String) throws -> [JSONValue] {
        let text = try String(contentsOfFile: path(name), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }
}

extension JSONValue {
    var double: Double? {
        switch self {
        case .number(let text): return Double(text)
        default: return nil
        }
    }
    var doubles: [Double?] {
        guard case .array(let items) = self else { return [] }
        return items.map(\.double)
    }
    var strings: [String] {
        guard case .array(let items) = self else { return [] }
        return items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
    }
    var arrays: [[Int]] {
        guard case .array(let items) = self else { return [] }
        return items.map { item in
            guard case .array(let inner) = item else { return [] }
            return inner.compactMap { $0.double.map { Int($0) } }
        }
    }
    var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    var string: String? { if case .string(let s) = self { return s } else { return nil } }
}

/// `|a - b| <= tolerance · max(|a|, |b|)`.
func relativelyClose(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    if a == b { return true }
    return abs(a - b) <= tolerance * max(abs(a), abs(b))
}
