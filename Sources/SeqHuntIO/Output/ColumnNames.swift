/// Column names as output needs them.
enum ColumnNames {
    /// A CSV header line.
    static func csvHeader(_ names: [String]) -> [UInt8] {
        var header: [UInt8] = []
        for (i, name) in names.enumerated() {
            if i > 0 { header.append(0x2C) }
            header.append(csvField: name)
        }
        header.append(0x0A)
        return header
    }

    /// Each name as a JSON member key, `"name":`.
    static func jsonKeys(_ names: [String]) -> [[UInt8]] {
        names.map { name in
            var key: [UInt8] = []
            key.append(jsonString: name)
            key.append(0x3A)
            return key
        }
    }
}
