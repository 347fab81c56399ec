import SeqHunt
import SeqHuntFormats

/// The `Parameters` cell of an event row.
extension RowDecoder {
    /// Parses a `Parameters` cell (see ``ParameterParser``) onto the last event.
    mutating func addParameters(_ bytes: UnsafeRawBufferPointer) throws {
        // The parser is taken out while it calls back into this decoder. Its buffers are
        // shared by the copy, not copied; only the copy is used until it is put back.
        var parser = parameterParser
        defer { parameterParser = parser }
        do {
            try parser.parse(bytes) { name, value in
                let parameter = events.internParameter(bytes: name)
                var valueID = SessionStore.noValue
                if let value, !value.isEmpty { valueID = events.internValue(parameter: parameter, bytes: value) }
                // Parameter ids fit 32 bits by construction; only the 4-billion-occurrence limit can fail.
                do { try events.addParameter(uncheckedID: parameter, valueID: valueID) } catch {
                    report.skippedByCause["too many parameters", default: 0] += 1
                }
            }
        } catch let error as JSONSyntaxError {
            throw RowError(
                cause: "invalid Parameters JSON",
                detail:
                    "invalid JSON in column \"\(schema.parametersColumn ?? "")\" at byte \(error.offset + 1): \(error.cause)"
            )
        }
    }
}
