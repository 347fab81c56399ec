/// One column of text cells, by session: each cell's UTF-8 bytes end to end in one arena.
///
/// A column of a sessions file may be missing from most records (a member only a few records
/// have): the column then keeps, beside each stored cell, the session it belongs to, and a
/// missing cell costs nothing. A column that every session so far has keeps no such list, and
/// a cell is found by its place. Cells are stored in session order.
package struct TextCells: Sendable {
    private var bytes: [UInt8] = []
    /// The end of each stored cell in `bytes`.
    private var ends: [Int] = []
    /// The session of each stored cell, ascending; `nil` while cell `i` is session `i`'s.
    private var sessions: [Int32]? = nil

    package init() {}

    /// The number of stored (non-null) cells.
    package var storedCount: Int { ends.count }

    /// Stores `cell` as session `session`'s, which must come after every session stored so far.
    package mutating func append(_ cell: UnsafeRawBufferPointer, session: Int) {
        precondition(session >= (sessions?.last.map { Int($0) + 1 } ?? ends.count), "cells out of session order")
        if sessions == nil && session != ends.count { sessions = Array(0..<Int32(ends.count)) }
        bytes.append(contentsOf: cell)
        ends.append(bytes.count)
        sessions?.append(Int32(session))
    }

    /// Stores `cell` as session `session`'s.
    package mutating func append(_ cell: String, session: Int) {
        cell.withUTF8Bytes { append($0, session: session) }
    }

    /// Stores every cell of `other`, whose session `s` is session `offset + s` here.
    package mutating func append(contentsOf other: TextCells, sessionOffset offset: Int) {
        let start = bytes.count
        if other.sessions == nil && sessions == nil && offset == ends.count {
            bytes.append(contentsOf: other.bytes)
            ends.append(contentsOf: other.ends.lazy.map { $0 + start })
            return
        }
        for i in 0..<other.storedCount {
            other.withStoredCell(i) { append($0, session: offset + other.session(ofStored: i)) }
        }
    }

    /// Calls `body` with session `session`'s bytes, or `nil` when it has no cell.
    package func withCell<R>(_ session: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        guard let i = storedIndex(of: session) else { return try body(nil) }
        return try withStoredCell(i, body)
    }

    /// Session `session`'s text, or `nil` when it has no cell.
    package func string(_ session: Int) -> String? {
        withCell(session) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    private func storedIndex(of session: Int) -> Int? {
        guard let sessions else { return session >= 0 && session < ends.count ? session : nil }
        // Binary search for the session among the stored ones.
        var low = 0, high = sessions.count
        while low < high {
            let middle = (low + high) / 2
            if Int(sessions[middle]) < session { low = middle + 1 } else { high = middle }
        }
        return low < sessions.count && Int(sessions[low]) == session ? low : nil
    }

    private func session(ofStored i: Int) -> Int { sessions.map { Int($0[i]) } ?? i }

    private func withStoredCell<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[(i == 0 ? 0 : ends[i - 1])..<ends[i]]))
        }
    }
}
