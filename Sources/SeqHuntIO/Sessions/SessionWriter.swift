import SeqHunt

/// Writes sessions in the docs/SPEC.md §9 "sessions in" format (JSON Lines or CSV by
/// extension), so that `seqhunt score` and a Kusto export read them alike.
public enum SessionWriter {
    /// Writes `table` to `path` (`-`: standard output) in `format` (default: by extension).
    public static func write(_ table: SessionTable, to path: String, format: OutputFormat? = nil, inputs: [String] = [])
        throws
    {
        let format = try OutputFormat.of(path, given: format)
        let writer = try AtomicFileWriter(path: path, inputs: inputs)
        let store = table.store
        let names = table.columns + ["cmds", "params"]
        if format == .csv { try writer.write(bytes: ColumnNames.csvHeader(names)) }
        let cells = SessionCells(store)
        let keys = ColumnNames.jsonKeys(names)
        let numeric = table.columns.map { table.numericColumns.contains($0) }
        try ParallelRows.write(rows: store.sessionCount, to: writer) { range, out in
            var cmds = OutputBuffer(capacity: 1 << 12), params = OutputBuffer(capacity: 1 << 14)
            for session in range {
                cmds.removeAll()
                params.removeAll()
                cells.appendCommands(of: session, to: &cmds)
                cells.appendParameters(of: session, to: &params)
                if format == .csv {
                    for c in table.columns.indices {
                        table.cells.withCell(column: c, session: session) { value in
                            if let value { out.appendCell(value, format: .csv, numeric: false) }
                        }
                        out.append(0x2C)
                    }
                    cmds.bytes.withMemoryRebound(to: UInt8.self) { out.appendCSVField(bytes: $0) }
                    out.append(0x2C)
                    params.bytes.withMemoryRebound(to: UInt8.self) { out.appendCSVField(bytes: $0) }
                } else {
                    out.append(0x7B)
                    for c in table.columns.indices {
                        out.append(contentsOf: keys[c])
                        table.cells.withCell(column: c, session: session) { value in
                            if let value {
                                out.appendCell(value, format: .jsonl, numeric: numeric[c])
                            } else {
                                out.append(ascii: "null")
                            }
                        }
                        out.append(0x2C)
                    }
                    out.append(contentsOf: keys[table.columns.count])
                    out.append(cmds)
                    out.append(0x2C)
                    out.append(contentsOf: keys[table.columns.count + 1])
                    out.append(params)
                    out.append(0x7D)
                }
                out.append(0x0A)
            }
        }
        try writer.commit()
    }
}
