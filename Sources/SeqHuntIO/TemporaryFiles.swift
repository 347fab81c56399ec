import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The temporary files of outputs being written (see ``AtomicFileWriter``), so that an
/// interrupted run leaves none behind: ``removeOnSignals()`` installs handlers for
/// SIGINT and SIGTERM that remove them all and exit with the conventional status
/// (130, 143).
package final class TemporaryFiles: Sendable {
    package static let shared = TemporaryFiles()
    private let paths = Mutex<Set<String>>([])

    package func add(_ path: String) { paths.withLock { _ = $0.insert(path) } }
    package func remove(_ path: String) { paths.withLock { _ = $0.remove(path) } }
    package var current: Set<String> { paths.withLock { $0 } }

    /// Removes every registered file.
    package func removeAll() {
        for path in paths.withLock({ paths in defer { paths.removeAll() }; return paths }) { SystemCall.unlink(path) }
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

    private struct SignalSource: @unchecked Sendable {   // only ever kept, never touched again
        let source: DispatchSourceSignal
        init(_ source: DispatchSourceSignal) { self.source = source }
    }
}
