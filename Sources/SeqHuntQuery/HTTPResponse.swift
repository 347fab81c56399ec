import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An answer: its status, its headers (names lowercased) and its body, as bytes.
struct HTTPResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    /// The body went past the client's limit; ``body`` holds its start.
    var truncated: Bool
}
