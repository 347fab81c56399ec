import SeqHunt
import SeqHuntIO

extension RarestRanking {
    /// The sessions of `table` ranked by the score of `window` (default: the first
    /// rarest-window column, or the session likelihood when no window was scored), then
    /// by key, begin time and input order; exact for the first `depth` places (see
    /// ``RarestRanking/init(scores:depth:tieOrder:)``).
    init(table: SessionTable, scores: SessionScores, window: SessionScores.RarestWindowColumn? = nil, depth: Int) {
        let logs = (window ?? scores.rarestWindows.first)?.logLikelihood ?? scores.logLikelihood
        let begin = table.columns.firstIndex(of: "begin")
        let keys = table.keyColumnIndices
        func time(_ session: Int) -> Int64 {
            begin.flatMap { table.cells.ticks(column: $0, session: session) } ?? .max
        }
        self.init(scores: logs, depth: depth) { a, b in
            let ka = table.keyText(session: a, keyColumns: keys), kb = table.keyText(session: b, keyColumns: keys)
            if ka != kb { return ka < kb }
            let ta = time(a), tb = time(b)
            if ta != tb { return ta < tb }
            return a < b
        }
    }
}
