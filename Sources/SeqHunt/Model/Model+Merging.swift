extension Model {
    /// The model of several models' training data together: their raw counts summed
    /// (``ModelCounts/merged(_:)``) and the probabilities derived again.
    ///
    /// The modellable parameters (type `values`) are `modellableParameters` when
    /// given; otherwise the set that the models fixed at training, when those that
    /// fixed one agree; otherwise the heuristic of docs/SPEC.md §4 applied to the merged counts.
    /// - Throws: ``ModelError/typeMismatch(_:_:)``, ``ModelError/modellableMismatch``,
    ///   ``ModelError/noSessions``.
    /// - Complexity: that of ``ModelCounts/merged(_:)`` plus deriving one model.
    public static func merged(_ models: [Model], modellableParameters: Set<String>? = nil) throws(ModelError) -> Model {
        var chosen = modellableParameters
        if chosen == nil {
            let fixed = models.filter(\.modellableParametersFixed).map(\.modellableParameters)
            if let first = fixed.first {
                guard fixed.allSatisfy({ $0 == first }) else { throw ModelError.modellableMismatch }
                chosen = first
            }
        }
        return try Model(counts: ModelCounts.merged(models.map(\.counts)), modellableParameters: chosen)
    }

    /// Continues training `baseline` with more sessions: the same model, bit for bit,
    /// as training once on the baseline's sessions and `store`'s together.
    ///
    /// The type is the baseline's; its modellable parameters stay fixed when the
    /// baseline fixed them, and are otherwise chosen again from the summed counts.
    /// - Complexity: O(events + parameter occurrences of `store` + vocabularies).
    public init(training store: SessionStore, continuing baseline: Model, execution: ExecutionOptions = .automatic)
        throws(ModelError)
    {
        let more = ModelCounts(training: store, type: baseline.type, execution: execution)
        try self.init(
            counts: ModelCounts.merged([baseline.counts, more]),
            modellableParameters: baseline.modellableParametersFixed ? baseline.modellableParameters : nil,
            execution: execution)
    }
}
