import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP request as the query, token and metadata endpoints take it.
struct HTTPRequest: Sendable {
    var method: String
    var url: URL
    var headers: [String: String]
    var body: [UInt8]?
    /// How long to wait for the whole answer.
    var timeout: Double

    init(method: String = "GET", url: URL, headers: [String: String] = [:], body: [UInt8]? = nil, timeout: Double = 60)
    {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}
