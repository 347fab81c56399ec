import Foundation
import SeqHunt
import SeqHuntIO

/// The width of the terminal a table is printed on.
enum TerminalWidth {
    /// `COLUMNS` when set, else the width of the terminal on `fd`, else 160 (a file or pipe).
    static func columns(of fd: Int32) -> Int {
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let value = Int(text), value >= 20 {
            return value
        }
        var size = winsize()
        if isatty(fd) != 0, ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 20 { return Int(size.ws_col) }
        return 160
    }
}
