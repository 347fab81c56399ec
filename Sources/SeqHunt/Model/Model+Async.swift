import Dispatch

extension Model {
    /// Trains a model as ``init(training:type:modellableParameters:execution:)-8ximi`` does, without
    /// blocking the caller's thread.
    ///
    /// The synchronous initializer blocks its caller while the work runs on every core
    /// (`DispatchQueue.concurrentPerform`); from Swift concurrency that would hold a thread of
    /// the cooperative pool. This one runs the work on a Dispatch thread and resumes the
    /// caller when it is done. Training takes milliseconds per million sessions, so it is not
    /// cancellable.
    public init(
        training store: SessionStore, type: SessionType,
        modellableParameters: Set<String>? = nil, execution: ExecutionOptions = .automatic
    ) async throws(ModelError) {
        let result: Result<Model, ModelError> = await Self.offPool {
            Result { () throws(ModelError) -> Model in
                try Model(training: store, type: type, modellableParameters: modellableParameters, execution: execution)
            }
        }
        self = try result.get()
    }

    /// Scores every session as ``score(_:options:execution:)-1qte4`` does, without blocking the caller's
    /// thread, and stops early when the calling task is cancelled.
    ///
    /// The work runs on a Dispatch thread (and from there on every core), off Swift's
    /// cooperative pool. Cancellation is checked between chunks of sessions (``ExecutionOptions/chunksPerThread``
    /// per worker), and a cancelled call throws ``ScoringError/cancelled``: no partial
    /// scores are returned.
    public func score(
        _ store: SessionStore, options: ScoringOptions = ScoringOptions(),
        execution: ExecutionOptions = .automatic
    ) async throws(ScoringError) -> SessionScores {
        let cancellation = CancellationFlag()
        let result: Result<SessionScores, ScoringError> = await withTaskCancellationHandler {
            await Self.offPool {
                Result { () throws(ScoringError) -> SessionScores in
                    try self.score(store, options: options, execution: execution, cancellation: cancellation)
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }

    /// Runs `work` on a Dispatch thread and returns its result to the awaiting task.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }
}
