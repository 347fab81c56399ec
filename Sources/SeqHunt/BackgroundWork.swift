import Foundation

/// Work started on a background thread now and joined later; its error is rethrown on join.
package final class BackgroundWork<Result>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Swift.Result<Result, Error>?

    package init(_ body: @escaping @Sendable () throws -> Result) {
        let thread = Thread { [self] in
            outcome = Swift.Result { try body() }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the work and returns its result (or rethrows its error).
    package func wait() throws -> Result {
        done.wait()
        return try outcome!.get()
    }
}
