import FuzzSupport
import SeqHunt
import SeqHuntIO

/// CSV event logs: the streaming reader (quotes, multi-line fields, BOM, CRLF, the
/// header, filters, times, Parameters), then sessionizing, training and scoring.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = FuzzSupport.scratch(UnsafeRawBufferPointer(start: data, count: size), suffix: ".csv")
    for policy in BadRowPolicy.allCases {
        let reader = EventReader(policy: policy)
        do {
            try reader.read(path: path, execution: ExecutionOptions(threads: 2))
            let report = reader.report
            precondition(
                report.rowsRead == report.eventsKept + report.rowsFiltered + report.rowsSkipped,
                "rows do not add up: \(report)")
            guard reader.events.count > 0 else { continue }
            let result = Sessionizer().sessionize(reader.events, keyRank: reader.keyRanks())
            precondition(result.store.eventCount == reader.events.count, "sessionizing lost events")
            FuzzSupport.trainAndScore(result.store)
        } catch {
            FuzzSupport.expectReported(error)
        }
    }
    return 0
}
