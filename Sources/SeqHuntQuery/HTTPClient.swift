import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Foundation's `URLSession` (libcurl on Linux), used one way: an answer's body is appended to
/// bytes as it arrives, up to a limit, and redirects are not followed, so a token never goes to
/// a host it was not meant for.
///
/// Chosen over swift-server's AsyncHTTPClient by measuring: a clean build of a probe package
/// took 8.4 s with FoundationNetworking and 272 s with AsyncHTTPClient 1.37.0 and its swift-nio
/// tree on this 2-core machine; `make test` builds the package three times (plain, thread and
/// address sanitizers).
final class HTTPClient: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// The largest body kept; the rest is dropped and the response marked ``HTTPResponse/truncated``.
    let bodyLimit: Int
    private var session: URLSession!
    // Guarded by `lock`: the state of each running task, by task identifier.
    private let lock = NSLock()
    private var running: [Int: Exchange] = [:]
    private var cancelledEarly: Set<Int> = []

    private final class Exchange {
        let continuation: CheckedContinuation<HTTPResponse, any Error>
        var response: HTTPURLResponse?
        var body: [UInt8] = []
        var truncated = false
        init(_ continuation: CheckedContinuation<HTTPResponse, any Error>) { self.continuation = continuation }
    }

    /// - Parameter connections: how many requests may run at once to one host.
    init(bodyLimit: Int = 512 << 20, connections: Int = 8) {
        self.bodyLimit = bodyLimit
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = connections
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.timeoutIntervalForResource = 3_600
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: queue)
    }

    /// Ends the session once its tasks are done (the session holds its delegate until then).
    func close() { session.finishTasksAndInvalidate() }

    /// Sends `request` and waits for the whole answer.
    /// - Throws: `URLError` when no answer came (refused, reset, timed out).
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = request.timeout
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if let body = request.body { urlRequest.httpBody = Data(body) }
        let task = session.dataTask(with: urlRequest)
        let id = task.taskIdentifier
        // A cancelled query (another slice failed) stops its requests instead of waiting up to
        // the service's ten minutes for them. Cancellation may come before the exchange is
        // registered, when the delegate would find nothing to resume: it is then noted under
        // the lock, and the continuation resumed here instead.
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let start: Bool = lock.withLock {
                    if cancelledEarly.remove(id) != nil { return false }
                    running[id] = Exchange(continuation)
                    return true
                }
                if start { task.resume() } else { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            lock.withLock { if running[id] == nil { cancelledEarly.insert(id) } }
            task.cancel()
        }
    }

    private func exchange(_ task: URLSessionTask) -> Exchange? { lock.withLock { running[task.taskIdentifier] } }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        exchange(dataTask)?.response = response as? HTTPURLResponse
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let exchange = exchange(dataTask) else { return }
        let room = bodyLimit - exchange.body.count
        if data.count > room {
            exchange.body.append(contentsOf: data.prefix(max(0, room)))
            exchange.truncated = true
            dataTask.cancel()
        } else {
            exchange.body.append(contentsOf: data)
        }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let exchange = lock.withLock({ running.removeValue(forKey: task.taskIdentifier) }) else { return }
        if let response = exchange.response, error == nil || exchange.truncated {
            var headers: [String: String] = [:]
            for (name, value) in response.allHeaderFields {
                if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
            }
            exchange.continuation.resume(
                returning: HTTPResponse(
                    status: response.statusCode, headers: headers,
                    body: exchange.body, truncated: exchange.truncated))
        } else if let response = exchange.response {
            // The answer started and stopped short: its body was cut off.
            let promised =
                (response.allHeaderFields.first { ($0.key as? String)?.lowercased() == "content-length" }?.value
                as? String).flatMap(Int.init)
            exchange.continuation.resume(throwing: CutOff(received: exchange.body.count, promised: promised))
        } else {
            exchange.continuation.resume(throwing: error ?? URLError(.badServerResponse))
        }
    }
}

/// An answer whose body ended before it was complete (the connection closed or failed part way).
struct CutOff: Error {
    var received: Int
    var promised: Int?
    var reason: String {
        "the answer was cut off after \(received) bytes" + (promised.map { " of \($0)" } ?? "")
    }
}

extension URLError {
    /// What went wrong, in words, without the URL's query string.
    var reason: String {
        switch code {
        case .timedOut: "no answer in time"
        case .cannotConnectToHost: "could not connect"
        case .cannotFindHost, .dnsLookupFailed: "the host name does not resolve"
        case .networkConnectionLost: "the connection was lost before the answer ended"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            "the TLS connection failed (\(code.rawValue))"
        default: "the request failed (URLError \(code.rawValue))"
        }
    }
}
