import Foundation
@_spi(Internals) import SeqHuntFormats
import SeqHuntIO

/// Access to the msticpy golden files under `Tests/Golden` (made by `perf/make_golden.py`).
public enum GoldenFiles {
    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Golden").path

    public static func path(_ name: String) -> String { directory + "/" + name }

    /// The JSON objects of a JSON Lines golden file.
    @_spi(Internals) public static func lines(_ name: String) throws -> [JSONValue] {
        let text = try String(contentsOfFile: path(name), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }
}

@_spi(Internals) extension JSONValue {
    public var double: Double? {
        switch self {
        case .number(let text): return Double(text)
        default: return nil
        }
    }
    public var doubles: [Double?] {
        guard case .array(let items) = self else { return [] }
        return items.map(\.double)
    }
    public var strings: [String] {
        guard case .array(let items) = self else { return [] }
        return items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
    }
    public var arrays: [[Int]] {
        guard case .array(let items) = self else { return [] }
        return items.map { item in
            guard case .array(let inner) = item else { return [] }
            return inner.compactMap { $0.double.map { Int($0) } }
        }
    }
    public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
}

/// `|a - b| <= tolerance · max(|a|, |b|)`.
public func relativelyClose(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    if a == b { return true }
    return abs(a - b) <= tolerance * max(abs(a), abs(b))
}
