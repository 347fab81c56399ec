import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntSupport

/// A KQL query to run against a ``QueryService``, sliced in time past what one answer may hold.
///
/// Log Analytics returns at most 500,000 rows and about 100 MB per query (Azure Monitor's
/// service limits; Azure Data Explorer's defaults are 500,000 records and 64 MB) and answers
/// `200` with a `PartialError` beside the rows it kept when a result goes past them. A
/// ``Split`` runs the query once per time slice instead, each slice sent as its request's own
/// `timespan` (for Azure Data Explorer, the `query_datetimescope_*` request properties): the
/// query text is never rewritten. A slice that comes back partial or too large is halved and
/// both halves are run again. `429` and `5xx` are retried after the `Retry-After` header, or
/// after a back-off that doubles with jitter when there is none.
///
/// Slices are half-open, `[start, end)`, on ``timeColumn``: a row the service returns for two
/// slices (the API does not say whether a `timespan`'s end is inclusive) is kept in the slice
/// whose range holds its time, once. The rows come out in slice order, each slice's in the
/// service's order, whatever the concurrency.
public struct WorkspaceQuery: Sendable {
    /// How the time range is cut.
    public enum Split: Sendable, Equatable {
        /// One request for the whole range.
        case none
        /// Consecutive slices of this length (the last may be shorter).
        case every(Duration)
        /// One request for the whole range, halved for as long as answers come back partial.
        case automatic
    }

    /// Where the query runs.
    public var service: QueryService
    /// The KQL text, sent as it is.
    public var query: String
    /// The time range (`timespan`); `nil` leaves it to the query.
    public var timespan: QueryTimespan?
    public var split: Split = .none
    /// The column that holds each row's time, which a split needs in the answer.
    public var timeColumn = "TimeGenerated"
    /// Requests at once (Log Analytics allows five per user).
    public var concurrency = 4
    /// Retries of a `429`, a `5xx` or a lost connection, per request.
    public var retries = 4
    /// The token's audience; `nil`: ``QueryService/resource``.
    public var resource: String?
    /// The shortest slice a partial answer is halved to.
    public var shortestSlice: Duration = .seconds(1)
    /// The largest answer body kept in memory (an answer beyond it is treated as too large).
    public var bodyLimit = 512 << 20

    public init(service: QueryService, query: String) {
        self.service = service
        self.query = query
    }

    /// What one slice returned.
    public struct SliceReport: Sendable, Equatable {
        /// The slice, `[start, end)`; `nil` when the query ran without a time range.
        public var range: Range<Timestamp>?
        /// Rows kept.
        public var rows: Int
        /// Rows the answer held outside the slice, left to the slice that holds their time.
        public var outsideSlice: Int
        /// Requests sent for the slice (retries included).
        public var attempts: Int
        /// The bytes of the answer that was kept, and the seconds spent turning it into JSON Lines.
        public var answerBytes = 0
        public var readSeconds = 0.0
        /// The slice's `timespan` text, or `all` without a range.
        public var timespan: String { range.map(QueryTimespan.text(of:)) ?? "all" }
    }

    /// The rows of every slice, as JSON Lines, and the report of each.
    public struct Result: Sendable {
        /// One JSON object per row, keyed by column, in slice order.
        public var jsonLines: [UInt8]
        /// The columns of every slice's table, in first-seen order.
        public var columns: [String]
        /// One per slice that was kept, in time order (a halved slice is reported as its halves).
        public var slices: [SliceReport]
        /// Slices halved because their answer was partial or too large.
        public var halvings: Int
        public var rows: Int { slices.reduce(0) { $0 + $1.rows } }
    }

    /// The most slices one query is cut into.
    public static let sliceLimit = 100_000

    /// Runs the query and gathers every slice's rows.
    /// - Parameters:
    ///   - credentials: where the token comes from (fetched again when it expires part way).
    ///   - now: the instant a look-back `timespan` ends at.
    ///   - progress: called as each slice is done.
    public func run(
        credentials: AzureCredentials = AzureCredentials(), now: Timestamp,
        progress: (@Sendable (SliceReport) -> Void)? = nil
    ) async throws(QueryError) -> Result {
        let service = try self.service.validated()
        guard concurrency >= 1 else { throw .invalid("the concurrency must be at least 1") }
        let range = timespan?.resolved(now: now)
        if split == .automatic && range == nil { throw .invalid("a split needs a time range to cut") }
        var pending: [Range<Timestamp>?]
        switch split {
        case .none, .automatic:
            pending = [range]
        case .every(let length):
            guard let range else { throw .invalid("a split needs a time range to cut") }
            guard length >= shortestSlice else { throw .invalid("a slice must last at least \(shortestSlice)") }
            let count = (Double(range.upperBound.ticks) - Double(range.lowerBound.ticks)) / Double(length.ticks)
            guard count <= Double(Self.sliceLimit) else {
                throw .invalid(
                    "the time range would be cut into \(Int(count.rounded(.up))) slices, more than \(Self.sliceLimit): split it into longer ones"
                )
            }
            pending = QueryTimespan.slices(of: range, length: length)
        }
        let client = HTTPClient(bodyLimit: bodyLimit, connections: concurrency)
        defer { client.close() }
        let tokens = TokenSource(credentials: credentials, resource: resource ?? service.resource, client: client)
        _ = try await tokens.current()
        let fetcher = SliceFetcher(
            service: service, query: query, timeColumn: timeColumn, timeRequired: split != .none,
            retries: retries, tokens: tokens, client: client)
        var done: [(range: Range<Timestamp>?, answer: SliceFetcher.Answer)] = []
        var halvings = 0
        // Slices run `concurrency` at a time; a partial one is replaced by its halves.
        do {
            try await withThrowingTaskGroup(of: (Range<Timestamp>?, SliceFetcher.Answer).self) { group in
                var inFlight = 0
                while !pending.isEmpty || inFlight > 0 {
                    while inFlight < concurrency, !pending.isEmpty {
                        let slice = pending.removeFirst()
                        group.addTask { (slice, try await fetcher.fetch(slice)) }
                        inFlight += 1
                    }
                    guard let (slice, answer) = try await group.next() else { break }
                    inFlight -= 1
                    if let reason = answer.halvingReason {
                        guard split != .none, let slice else {
                            throw QueryError.partial(service: service.name, reason: reason)
                        }
                        let text = QueryTimespan.text(of: slice)
                        guard slice.upperBound - slice.lowerBound >= shortestSlice * 2,
                            let (first, second) = QueryTimespan.halves(of: slice)
                        else {
                            throw QueryError.tooLarge(slice: text, reason: reason)
                        }
                        halvings += 1
                        pending.insert(contentsOf: [first, second], at: 0)
                        continue
                    }
                    progress?(answer.report(slice))
                    done.append((slice, answer))
                }
            }
        } catch let error as QueryError {
            throw error
        } catch {
            throw .cancelled
        }
        return Result(gathering: done, halvings: halvings)
    }
}

extension WorkspaceQuery.Result {
    /// The slices' rows in time order, and the union of their columns in first-seen order (a
    /// query's columns may differ by slice: `bag_unpack`, `pack_all`, a `union` of tables).
    init(gathering answers: [(range: Range<Timestamp>?, answer: SliceFetcher.Answer)], halvings: Int) {
        let answers = answers.sorted { ($0.range?.lowerBound ?? .min) < ($1.range?.lowerBound ?? .min) }
        self.init(jsonLines: [], columns: [], slices: [], halvings: halvings)
        jsonLines.reserveCapacity(answers.reduce(0) { $0 + $1.answer.jsonLines.count })
        var seen = Set<String>()
        for (slice, answer) in answers {
            for column in answer.summary.columns where seen.insert(column).inserted { columns.append(column) }
            jsonLines.append(contentsOf: answer.jsonLines)
            slices.append(answer.report(slice))
        }
    }
}
