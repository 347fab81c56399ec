import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The temporary files of outputs being written (see ``AtomicFileWriter``), so that an
/// interrupted run leaves none behind: ``removeOnSignals()`` installs handlers for
/// SIGINT and SIGTERM that remove them all and exit with the conventional status
/// (130, 143).
///
/// (Unchecked `Sendable`: `state` is only touched with `lock` held. The lock is a pthread
/// mutex, `NSLock`, rather than `Mutex`, whose futex ThreadSanitizer cannot see.)
package final class TemporaryFiles: @unchecked Sendable {
    package static let shared = TemporaryFiles()

    private struct State {
        var paths: Set<String> = []
        /// Set by ``removeAll()``: the process is about to exit, and no file may be created.
        var closing = false
    }
    private let lock = NSLock()
    private var state = State()

    package init() {}

    private func withLock<R, E: Error>(_ body: (inout State) throws(E) -> R) throws(E) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }

    /// Creates the temporary file at `path` with `open` (which returns its descriptor) and
    /// registers it, both under the lock that ``removeAll()`` takes: a signal that arrives
    /// while the file is being created waits for it and removes it. (Registering after the
    /// `open` left a file behind when the signal fell between the two.) Once removal has
    /// begun, no file is created: the calling thread waits for the exit instead.
    package func create(_ path: String, _ open: () throws(SystemError) -> Int32) throws(SystemError) -> Int32 {
        try withLock { (state: inout State) throws(SystemError) -> Int32 in
            if state.closing { while true { pause() } }  // the signal handler is exiting the process
            let descriptor = try open()
            state.paths.insert(path)
            return descriptor
        }
    }

    package func remove(_ path: String) { withLock { _ = $0.paths.remove(path) } }
    package var current: Set<String> { withLock { $0.paths } }

    /// Removes every registered file; from then on no file is created.
    package func removeAll() {
        let paths = withLock { state -> Set<String> in
            state.closing = true
            defer { state.paths.removeAll() }
            return state.paths
        }
        for path in paths { SystemCall.unlink(path) }
    }

    /// Handles SIGINT and SIGTERM on a dispatch queue (not in signal context): the
    /// temporary files are removed, then the process exits with 128 + the signal.
    package static func removeOnSignals() {
        let sources = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                shared.removeAll()
                exit(128 + number)
            }
            source.resume()
            return source
        }
        installed.withLock { $0 = sources.map { SignalSource($0) } }
    }

    /// Keeps the signal sources alive for the life of the process.
    private static let installed = Mutex<[SignalSource]>([])

    private struct SignalSource: @unchecked Sendable {  // only ever kept, never touched again
        let source: DispatchSourceSignal
        init(_ source: DispatchSourceSignal) { self.source = source }
    }
}
