// The commands that draw timelines are left out of the build without the Timelines trait (Package.swift).
#if Timelines
import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO
@_spi(Internals) import SeqHuntFormats
import SeqHuntTimeline

/// Timeline points from scores, in memory or read back from a file.
enum TimelinePoints {
    /// The most sessions a timeline marks: the top N, and the rest of a tie at the cut up to this.
    static let markCap = 50

    /// What a timeline is drawn from: the points, how many sessions had no start time to
    /// place them by, and the sessions tied with the last marked one that are not marked.
    struct Drawn {
        var points: [TimelinePoint]
        var undated: Int
        var unmarkedTies: TimelineOptions.UnmarkedTies?
    }

    /// What a ranking marks on a timeline, for the in-memory and the file paths alike.
    struct Marks {
        /// The rank (from 1) of each marked session: the first `top` and the sessions that tie
        /// with the last of them, up to ``markCap`` (or `top` when larger).
        var rank: [Int: Int] = [:]
        /// The ties left over.
        var unmarked: TimelineOptions.UnmarkedTies?
        /// Per session, whether it carries its text (key, commands, reason): the rarest
        /// sessions with a score and a start time, as many as an HTML page draws as points.
        var detailed: [Bool]

        /// The marks of `ranking`'s first `top`; `dated` says which sessions have a start time
        /// (the others are not drawn, so the page's points are chosen among the dated ones).
        init(_ ranking: RarestRanking, top: Int, dated: (Int) -> Bool) {
            let scored = ranking.order.prefix { !ranking.scores[$0].isNaN }.count
            let shown = min(top, scored)
            let ties = ranking.tiesAfter(first: shown)
            let extra = min(ties, max(0, markCap - shown))
            let left = ties - extra
            for (place, session) in ranking.order.prefix(shown + extra).enumerated() { rank[session] = place + 1 }
            unmarked =
                left > 0
                ? TimelineOptions.UnmarkedTies(count: left, logLikelihood: ranking.scores[ranking.order[shown - 1]])
                : nil
            // The sessions the page draws as points, chosen as TimelineHTML.render chooses them
            // among the dated sessions: the marked, then the rarest by score and input order.
            // (The ranking orders equal scores by key near the top: the last score taken is
            // filled in input order.)
            let scores = ranking.scores
            detailed = [Bool](repeating: false, count: scores.count)
            let markedAndDated = rank.keys.filter(dated)
            for session in markedAndDated { detailed[session] = true }
            let marked = rank
            var taken: [Int] = []
            for session in ranking.order.prefix(scored) where marked[session] == nil && dated(session) {
                guard taken.count < TimelineHTML.interactivePoints - markedAndDated.count else { break }
                taken.append(session)
            }
            if let lastTaken = taken.last {
                let last = scores[lastTaken]
                var missing = taken.count
                for session in taken where scores[session] < last {
                    detailed[session] = true
                    missing -= 1
                }
                for session in scores.indices
                where missing > 0 && scores[session] == last && marked[session] == nil && dated(session) {
                    detailed[session] = true
                    missing -= 1
                }
            }
        }
    }

    /// From a scored session table (what `run` and `demo` hold in memory). Only the
    /// sessions an HTML page can hold (the rarest) carry their key, commands and reason,
    /// so that a million-session run makes a million light points, not a million command lists.
    static func from(
        table: SessionTable, scores: SessionScores, model: Model?, window: Int?, colorBy: String?, top: Int
    ) throws -> Drawn {
        guard let column = window.map({ scores.rarestWindows(length: $0) }) ?? scores.rarestWindows.first else {
            throw ValidationError("no rarest-window column of length \(window ?? 0) was scored")
        }
        guard let begin = table.columns.firstIndex(of: "begin") else {
            return Drawn(points: [], undated: table.store.sessionCount)
        }
        let group = colorBy.flatMap { table.columns.firstIndex(of: $0) }
        let ranking = RarestRanking(table: table, scores: scores, window: column, depth: max(top, markCap))
        let marks = Marks(ranking, top: top) { table.cells.ticks(column: begin, session: $0) != nil }
        let explainer = model?.explainer(for: table.store, options: scores.options)
        let keys = table.keyColumnIndices
        let points = (0..<table.store.sessionCount).compactMap { session -> TimelinePoint? in
            guard let ticks = table.cells.ticks(column: begin, session: session) else { return nil }
            var point = TimelinePoint(
                time: Timestamp(ticks: ticks), logLikelihood: column.logLikelihood[session], key: "", window: [],
                group: colorBy.map { _ in group.flatMap { table.cells.string(column: $0, session: session) } ?? "" },
                sessionID: session + 1, rank: marks.rank[session])
            if marks.detailed[session] {
                let commands = table.store.commandNames(ofSession: session)
                if let window = column.window(ofSession: session, commands: commands.count) {
                    point.window = Array(commands[window.commandRange])
                }
                point.session = commands
                point.key = table.keyText(session: session, keyColumns: keys)
                point.reason = explainer?.reason(ofSession: session, scores: column) ?? ""
            }
            return point
        }
        return Drawn(points: points, undated: table.store.sessionCount - points.count, unmarkedTies: marks.unmarked)
    }

    /// The columns a scores file is plotted from, found from its header (or first record).
    struct FileColumns {
        var begin: Int, score: Int, window: Int?, session: Int?, group: Int?, keys: [Int], keyNames: [String]
        var sessionID: Int?, reason: Int?

        init(_ columns: [String], file: String, window: Int?, colorBy: String?) throws {
            func column(_ name: String) -> Int? { columns.firstIndex(of: name) }
            guard let begin = column("begin") else {
                throw InputError(
                    file: file, line: 1, cause: "missing column \"begin\": the sessions need start times to be plotted")
            }
            let k =
                window
                ?? columns.compactMap { name -> Int? in
                    guard name.hasPrefix("rarest_window"), name.hasSuffix("_log_likelihood") else { return nil }
                    return Int(name.dropFirst("rarest_window".count).dropLast("_log_likelihood".count))
                }.first
            guard let k, let score = column("rarest_window\(k)_log_likelihood") else {
                throw InputError(
                    file: file, line: 1,
                    cause: "no rarest_window\(window.map(String.init) ?? "K")_log_likelihood column to plot")
            }
            self.begin = begin
            self.score = score
            self.window = column("rarest_window\(k)")
            self.session = column("session")
            sessionID = column("session_id")
            reason = column("rarest_window\(k)_reason")
            group = try colorBy.map { name -> Int in
                guard let c = column(name) else {
                    throw InputError(file: file, line: 1, cause: "no column \"\(name)\" to colour by")
                }
                return c
            }
            keys = columns.indices.filter { SessionTable.isKeyColumn(columns[$0]) }
            keyNames = keys.map { columns[$0] }
        }
    }

    /// From a scores file, streamed: each row keeps its time, score and colour group, and
    /// the bytes of its key, command lists and reason; only the rarest sessions (as many as
    /// an HTML page shows, chosen as for a run in memory) have those turned into text.
    static func from(scoresFile path: String, window: Int?, colorBy: String?, top: Int) throws -> Drawn {
        var plan: FileColumns? = nil
        var times: [Int64] = [], logs: [Double] = [], groups: [Int32] = [], ids: [Int] = []
        var groupNames: [String] = [], groupIDs: [String: Int32] = [:]
        // Per row, the end of its key, window, session and reason bytes in `arena`.
        var arena: [UInt8] = [], ends: [(key: Int, window: Int, session: Int, reason: Int)] = []
        var number: [UInt8] = []
        let undatedTime = Int64.max
        let columns = try ScoresReader.forEachRow(path: path) { row in
            if plan == nil { plan = try FileColumns(row.columns, file: path, window: window, colorBy: colorBy) }
            let plan = plan!
            times.append(
                try row.withCell(plan.begin, { $0.flatMap { TimeParser.ticks($0)?.ticks } }) ?? undatedTime)
            logs.append(
                try row.withCell(plan.score) { bytes in
                    // strtod on a terminated copy, whole cell only, no leading space (as Double(String) reads it).
                    guard let bytes, let first = bytes.first, first > 0x20, bytes.count < 64 else { return .nan }
                    number.removeAll(keepingCapacity: true)
                    number.append(contentsOf: bytes)
                    number.append(0)
                    return number.withUnsafeBufferPointer { text in
                        text.withMemoryRebound(to: CChar.self) { text in
                            var end: UnsafeMutablePointer<CChar>? = nil
                            let value = strtod(text.baseAddress!, &end)
                            return end.map { UnsafePointer($0) } == text.baseAddress! + bytes.count ? value : .nan
                        }
                    }
                })
            let id = try plan.sessionID.flatMap { c in
                try row.withCell(c) { $0.flatMap { Int(String(decoding: $0, as: UTF8.self)) } }
            }
            ids.append(id ?? ids.count + 1)
            if let group = plan.group {
                let name = try row.withCell(group) { $0.map { String(decoding: $0, as: UTF8.self) } } ?? ""
                let id =
                    groupIDs[name]
                    ?? {
                        groupIDs[name] = Int32(groupNames.count)
                        groupNames.append(name)
                        return Int32(groupNames.count - 1)
                    }()
                groups.append(id)
            }
            // The key, as SessionTable.keyText writes it.
            for (n, c) in plan.keys.enumerated() {
                if n > 0 { arena.append(contentsOf: " / ".utf8) }
                try row.withCell(c) { bytes in
                    if let bytes, !bytes.isEmpty {
                        arena.append(contentsOf: bytes)
                    } else {
                        arena.append(contentsOf: "(empty \(plan.keyNames[n]))".utf8)
                    }
                }
            }
            let keyEnd = arena.count
            if let c = plan.window { try row.withCell(c) { if let bytes = $0 { arena.append(contentsOf: bytes) } } }
            let windowEnd = arena.count
            if let c = plan.session { try row.withCell(c) { if let bytes = $0 { arena.append(contentsOf: bytes) } } }
            let sessionEnd = arena.count
            if let c = plan.reason { try row.withCell(c) { if let bytes = $0 { arena.append(contentsOf: bytes) } } }
            ends.append((keyEnd, windowEnd, sessionEnd, arena.count))
        }
        if plan == nil { _ = try FileColumns(columns, file: path, window: window, colorBy: colorBy) }
        func text(_ range: Range<Int>) -> String { String(decoding: arena[range], as: UTF8.self) }
        func keyRange(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1].reason)..<ends[i].key }
        let ranking = RarestRanking(scores: logs, depth: max(top, markCap)) { a, b in
            let ka = text(keyRange(a)), kb = text(keyRange(b))
            if ka != kb { return ka < kb }
            if times[a] != times[b] { return times[a] < times[b] }
            return a < b
        }
        let marks = Marks(ranking, top: top) { times[$0] != undatedTime }
        func names(_ range: Range<Int>) -> [String] {
            guard !range.isEmpty, case .array(let items)? = try? JSONParser.parse(text(range)) else { return [] }
            return items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
        }
        let points = logs.indices.compactMap { i -> TimelinePoint? in
            guard times[i] != undatedTime else { return nil }
            var point = TimelinePoint(
                time: Timestamp(ticks: times[i]), logLikelihood: logs[i], key: "", window: [],
                group: plan?.group == nil ? nil : groupNames[Int(groups[i])], sessionID: ids[i], rank: marks.rank[i])
            if marks.detailed[i] {
                point.key = text(keyRange(i))
                point.window = names(ends[i].key..<ends[i].window)
                point.session = names(ends[i].window..<ends[i].session)
                point.reason = text(ends[i].session..<ends[i].reason)
            }
            return point
        }
        return Drawn(points: points, undated: logs.count - points.count, unmarkedTies: marks.unmarked)
    }
}
#endif
