import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntSupport

/// Sends one slice's request, retrying what a retry may fix, and reads its answer.
struct SliceFetcher: Sendable {
    let service: QueryService
    let query: String
    let timeColumn: String
    /// Whether an answer must have the time column (a split keeps rows by it); without a split
    /// the rows are kept by it when it is there.
    let timeRequired: Bool
    let retries: Int
    let tokens: TokenSource
    let client: HTTPClient

    struct Answer: Sendable {
        var jsonLines: [UInt8] = []
        var summary = QueryResponse.Summary(columns: [], rows: 0, partialError: nil)
        var attempts = 0
        var answerBytes = 0
        var readSeconds = 0.0
        /// Why the slice must be halved: the answer went past a limit, or was too large to keep.
        var halvingReason: String?

        func report(_ range: Range<Timestamp>?) -> WorkspaceQuery.SliceReport {
            WorkspaceQuery.SliceReport(
                range: range, rows: summary.rows, outsideSlice: summary.outsideRange, attempts: attempts,
                answerBytes: answerBytes, readSeconds: readSeconds)
        }
    }

    func fetch(_ range: Range<Timestamp>?) async throws(QueryError) -> Answer {
        let source = range.map { "\(service.name) slice \(QueryTimespan.text(of: $0))" } ?? service.name
        var attempt = 0
        var renewed = false
        while true {
            attempt += 1
            let token = try await tokens.current()
            let request = service.request(query: query, range: range, timeColumn: timeColumn, token: token)
            var retryReason: (status: Int, reason: String, after: Double?)
            do {
                let response = try await client.send(request)
                switch response.status {
                case 200:
                    if response.truncated {
                        return Answer(
                            attempts: attempt, halvingReason: "the answer is larger than \(client.bodyLimit >> 20) MB")
                    }
                    var answer = Answer(attempts: attempt)
                    let filter = range.map {
                        QueryResponse.TimeFilter(column: timeColumn, range: $0, required: timeRequired)
                    }
                    do {
                        try answer.read(response.body, dialect: service.dialect, source: source, filter: filter)
                    } catch {
                        throw QueryError.answer(error)
                    }
                    if let partial = answer.summary.partialError {
                        // Halving helps only a result past the size or row limits (or the time limit);
                        // any other partial failure would be cut down to seconds for nothing.
                        guard Self.isLimit(partial) else { throw QueryError.partial(service: source, reason: partial) }
                        return Answer(attempts: attempt, halvingReason: partial)
                    }
                    return answer
                case 401, 403:
                    // A token that expired part way is fetched again, once, when its credential can.
                    if !renewed, try await tokens.renew(replacing: token) {
                        renewed = true
                        attempt -= 1
                        continue
                    }
                    throw QueryError.unauthorized(
                        service: service.name, status: response.status, reason: Self.errorText(response))
                case 429, 500...599:
                    retryReason = (
                        response.status, Self.errorText(response), Self.retryAfter(response.headers["retry-after"])
                    )
                default:
                    let reason = Self.errorText(response)
                    // Azure Data Explorer's v1 API fails a result past its limits instead of cutting it.
                    if response.status == 400, Self.isLimit(reason) {
                        return Answer(attempts: attempt, halvingReason: reason)
                    }
                    throw QueryError.failed(service: service.name, status: response.status, reason: reason)
                }
            } catch let error as QueryError {
                throw error
            } catch {
                if Task.isCancelled { throw QueryError.cancelled }
                let reason = (error as? CutOff)?.reason ?? (error as? URLError)?.reason ?? "the request failed"
                guard attempt <= retries else {
                    throw QueryError.transport(
                        service: source, reason: reason + (attempt > 1 ? " (after \(attempt) attempts)" : ""))
                }
                retryReason = (0, reason, nil)
            }
            guard attempt <= retries else {
                throw QueryError.gaveUp(
                    service: source, status: retryReason.status, attempts: attempt, reason: retryReason.reason)
            }
            // Retry-After when the service sent one; else 1, 2, 4, 8 ... s (at most 60), times 0.5 to 1.5.
            let backoff = retryReason.after ?? min(60, Double(1 << min(attempt - 1, 6))) * Double.random(in: 0.5...1.5)
            do {
                try await Task.sleep(for: .milliseconds(Int(min(backoff, 300) * 1000)))
            } catch {
                throw QueryError.cancelled
            }
        }
    }

    /// Whether a partial answer's error says a limit was reached: the result's size or row count
    /// (`E_QUERY_RESULT_SET_TOO_LARGE`, ADX's `LimitsExceeded`, 80DA0003) or the time allowed.
    static func isLimit(_ reason: String) -> Bool {
        let text = reason.lowercased()
        return [
            "e_query_result_set_too_large", "limitsexceeded", "80da0003", "exceeded the", "result set too large",
            "e_query_timeout", "timed out", "timeout"
        ].contains { text.contains($0) }
    }

    /// `Retry-After`: seconds, or an HTTP date.
    static func retryAfter(_ value: String?) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0, seconds.isFinite { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }

    /// The service's error (`{"error": {"code", "message"}}`) as one line, or the start of the body.
    static func errorText(_ response: HTTPResponse) -> String {
        if let line = response.body.withUnsafeBytes({ QueryResponse.errorLine(of: $0) }) { return line }
        let text = String(decoding: response.body.prefix(200), as: UTF8.self)
        return oneLine(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

extension SliceFetcher.Answer {
    /// Reads an answer's body: its rows into ``jsonLines``, what else it held into ``summary``,
    /// and its size and the time the reading took.
    mutating func read(
        _ body: [UInt8], dialect: QueryResponse.Dialect, source: String,
        filter: QueryResponse.TimeFilter?
    ) throws(InputError) {
        let clock = ContinuousClock(), started = clock.now
        var lines: [UInt8] = []
        let outcome = body.withUnsafeBytes { bytes in
            Swift.Result { () throws(InputError) in
                try QueryResponse.read(bytes, dialect: dialect, source: source, filter: filter, into: &lines)
            }
        }
        summary = try outcome.get()
        jsonLines = lines
        answerBytes = body.count
        readSeconds = (clock.now - started) / .seconds(1)
    }
}
