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

/// A value handed whole to another thread: the thread that made it does not touch it again,
/// so it may cross even where its type is not `Sendable` (for example results that hold
/// `any Error`). ``take()`` moves it out, leaving no second reference behind, so that the
/// receiver's first mutation does not copy its buffers.
package final class Handover<Value>: @unchecked Sendable {
    private var value: Value?

    package init(_ value: Value) { self.value = value }

    /// The value, once.
    package func take() -> Value {
        guard let taken = value else { preconditionFailure("a handed-over value is taken once") }
        value = nil
        return taken
    }
}
