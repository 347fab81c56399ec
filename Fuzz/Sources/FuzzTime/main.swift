import FuzzSupport
import SeqHuntIO

/// Times: the byte parser and the String parser agree (in both day/month orders), a
/// parsed time prints back as ISO 8601 that parses to the same instant, and an explicit
/// format (the first line of the input, when there is one) never traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    for order in [TimeParser.DateOrder.monthFirst, .dayFirst] {
        let parsed = TimeParser.ticks(bytes, order: order)
        if let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) {
            precondition(
                TimeParser.ticks(text, order: order) == parsed?.ticks,
                "byte and String parsers disagree on \(text.debugDescription)")
        }
        if let parsed {
            let iso = TimeParser.isoText(ticks: parsed.ticks)
            precondition(TimeParser.ticks(iso) == parsed.ticks, "\(iso) does not parse back to \(parsed)")
        }
    }
    if let newline = bytes.firstIndex(of: 0x0A),
        let pattern = String(validating: UnsafeBufferPointer(start: data, count: newline), as: UTF8.self),
        let format = try? TimeFormat(pattern)
    {
        if let ticks = format.ticks(UnsafeRawBufferPointer(rebasing: bytes[(newline + 1)...])) {
            _ = TimeParser.isoText(ticks: ticks)
        }
    }
    return 0
}
