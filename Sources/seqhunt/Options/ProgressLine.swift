import Foundation
import SeqHuntSupport

/// A one-line progress display on stderr, shown only on a terminal.
final class ProgressLine: @unchecked Sendable {
    let enabled: Bool
    let started = ContinuousClock.now
    private var shown = false

    init(quiet: Bool) { enabled = !quiet && isatty(2) != 0 }

    func update(file: String, bytes: Int, size: Int, events: Int) {
        let elapsed = (ContinuousClock.now - started).seconds
        guard enabled, elapsed > 0.5 else { return }
        let fraction = size > 0 ? min(1, Double(bytes) / Double(size)) : 0
        let bar = String(repeating: "#", count: Int(fraction * 20)).padding(toLength: 20, withPad: ".", startingAt: 0)
        let line = String(
            format: "\r%@ [%@] %.0f MB, %.1fM events, %.0fk events/s ",
            (file as NSString).lastPathComponent, bar, Double(bytes) / 1e6, Double(events) / 1e6,
            Double(events) / elapsed / 1e3)
        FileHandle.standardError.write(Data(line.utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
