import Foundation
import SeqHunt
import SeqHuntTimeline
import Testing

/// Headless Chromium, when installed (`make test` installs the Debian package `chromium`).
let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile)

/// The trait of the tests that load a page: skipped, with the reason, without Chromium.
let needsChromium = ConditionTrait.enabled(
    if: chromium != nil, "Chromium is not installed (make test installs the Debian package chromium)")

/// Loads a page in headless Chromium and returns the DOM after its scripts ran.
func chromiumDOM(of path: String, fragment: String = "", windowWidth: Int = 1200) throws -> String {
    let chromium = try #require(chromium, "Chromium is not installed")
    // A profile of its own: tests run side by side, and Chromium refuses a profile in use.
    let profile = NSTemporaryDirectory() + "seqhunt-chromium-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: profile) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: chromium)
    process.arguments = [
        "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
        "--user-data-dir=" + profile, "--window-size=\(windowWidth),900",
        "--dump-dom", "file://" + path + fragment
    ]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

@Suite("Timeline HTML page")
struct TimelineHTMLTests {
    let hostile = "<img src=x onerror=alert(1)>"

    func page() throws -> (path: String, html: String) {
        var points: [TimelinePoint] = []
        for i in 0..<500 {
            // Ranks 2...5 go to four of the sessions at the lowest score (-17).
            let rank = i % 17 == 16 && i / 17 < 4 ? i / 17 + 2 : nil
            points.append(
                TimelinePoint(
                    time: .microseconds(1_700_000_000_000_000 + Int64(i) * 60_000_000),
                    logLikelihood: -Double(i % 17) - 1,
                    key: "user\(i % 5)@contoso.com / 10.0.0.\(i % 3)", window: ["Get-Mailbox", "Set-Mailbox"],
                    group: "user\(i % 5)", session: ["Get-Mailbox", "Set-Mailbox", "Set-User"],
                    sessionID: i + 1, rank: rank, reason: "Set-Mailbox after Get-Mailbox (seen 3 times, p=1.0e-02)"))
        }
        points.append(
            TimelinePoint(
                time: .microseconds(1_700_000_000_000_000 + 600 * 60_000_000), logLikelihood: -40, key: hostile,
                window: [hostile, "</script><script>alert(2)</script>"], group: hostile, session: [hostile],
                sessionID: 501, rank: 1, reason: hostile + " never seen (UNK)"))
        points.append(
            TimelinePoint(time: .microseconds(1_700_000_000_000_000), logLikelihood: .nan, key: "short", window: []))
        var options = TimelineOptions()
        options.top = 5
        options.legendTitle = "UserId"
        options.unmarkedTies = TimelineOptions.UnmarkedTies(count: 25, logLikelihood: -17)
        let html = TimelineHTML.render(points, options: options)
        let path = NSTemporaryDirectory() + "seqhunt-timeline-\(UUID().uuidString).html"
        try html.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, html)
    }

    @Test("the page is self-contained and log strings reach it only as escaped JSON data")
    func selfContainedAndEscaped() throws {
        let (_, html) = try page()
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src=\""))
        #expect(!html.contains(hostile) && !html.contains("</script><script>alert(2)"))
        #expect(html.contains("\\u003cimg src=x onerror=alert(1)\\u003e"))
    }

    @Test(
        "in headless Chromium: no script error, every point, a tooltip on hover, hostile names shown as text",
        needsChromium)
    func inChromium() throws {
        let (path, _) = try page()
        let dom = try chromiumDOM(of: path, fragment: "#selftest")
        #expect(dom.contains("data-ready=\"yes\""), "the page script did not finish")
        #expect(!dom.contains("data-errors="), "script errors: \(dom.prefix(300))")
        #expect(dom.contains("data-points=\"501\""))
        // Hovering the rarest point shows its tooltip, the reason first, with the hostile key as text.
        #expect(
            dom.contains("data-tooltip-first=\"&lt;img src=x onerror=alert(1)&gt; never seen (UNK)\""), "no tooltip")
        #expect(dom.contains("start: 2023-11-15T08:13:20Z"), "no start in the tooltip")
        // The rings are numbered as the table is.
        #expect(dom.contains("data-ring-labels=\"1,2,3,4,5\""))
        #expect(dom.contains("+25 more sessions at"))
        // The table of rarest sessions shows the hostile strings as text, and no element was injected.
        #expect(dom.contains("<td>&lt;img src=x onerror=alert(1)&gt;</td>"))
        #expect(!dom.contains("<img"))
        #expect(dom.components(separatedBy: "<tr").count - 1 == 1 + 5)
        #expect(dom.contains("1 without a score"))
    }

    @Test("in headless Chromium: a table row click zooms to its point and highlights it", needsChromium)
    func rowClick() throws {
        let (path, _) = try page()
        let dom = try chromiumDOM(of: path, fragment: "#selftest-row=3")
        #expect(!dom.contains("data-errors="), "script errors")
        #expect(dom.contains("data-highlight=\"3\""))
        #expect(dom.contains("data-highlight-visible=\"yes\""))
        let zoom = try #require(dom.firstMatch(of: /data-zoom="([0-9.]+),([0-9.]+)"/))
        // Narrowed from the full span (about 10 hours) to at most a twentieth of it, but never below an hour.
        let span = try #require(Double(zoom.2)) - (try #require(Double(zoom.1)))
        #expect(span >= 3_600_000 - 1 && span < 10 * 3_600_000 / 5, "zoomed to \(span) ms")
    }

    @Test(
        "in headless Chromium: the plot follows the window's width, and time ticks are round and never clipped",
        needsChromium, arguments: [700, 1600])
    func widthAndTicks(width: Int) throws {
        let (path, _) = try page()
        let dom = try chromiumDOM(of: path, windowWidth: width)
        #expect(!dom.contains("data-errors="), "script errors")
        #expect(dom.contains("data-clipped=\"0\""))
        let plotWidth = try #require(dom.firstMatch(of: /data-plot-width="([0-9.]+)"/).flatMap { Double($0.1) })
        #expect(
            plotWidth > Double(width) - 80 && plotWidth <= Double(width), "plot \(plotWidth) wide in a \(width) window")
        let ticks = try #require(dom.firstMatch(of: /data-tick-times="([0-9,]+)"/)).1.split(separator: ",").compactMap {
            Int64($0)
        }
        #expect(ticks.count >= 2)
        // The page spans about ten hours: ticks on whole hours (or half hours when it is wide).
        #expect(ticks.allSatisfy { $0 % 1_800_000 == 0 }, "ticks \(ticks)")
    }

    /// 200,000 sessions, the first 10 marked, and one without a score.
    static func largePage() -> String {
        var points: [TimelinePoint] = []
        points.reserveCapacity(200_001)
        var state: UInt64 = 7
        for i in 0..<200_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let score = -Double(state >> 40 % 1_000) / 10 - 1
            let rank = i < 10 ? i + 1 : nil
            points.append(
                TimelinePoint(
                    time: .microseconds(1_700_000_000_000_000 + Int64(i) * 13_000_000),
                    logLikelihood: rank.map { -100 - Double($0) } ?? score,
                    key: "user\(i % 450)@contoso.com / 10.0.\(i % 250).\(i % 7):\(50_000 + i % 9_000)",
                    window: ["Get-Mailbox", "Set-Mailbox", "Add-MailboxPermission"], group: "user\(i % 450)",
                    session: ["Get-Mailbox", "Set-Mailbox", "Add-MailboxPermission", "Set-User"], sessionID: i + 1,
                    rank: rank, reason: "Set-Mailbox after Get-Mailbox (seen 3 times, p=1.0e-02)"))
        }
        points.append(
            TimelinePoint(time: .microseconds(1_700_000_000_000_000), logLikelihood: .nan, key: "short", window: []))
        var options = TimelineOptions()
        options.top = 10
        return TimelineHTML.render(points, options: options)
    }

    @Test("a page of 200,000 sessions is a few megabytes and keeps every marked session as a point")
    func largePageSize() throws {
        let html = Self.largePage()
        #expect(html.utf8.count < 6_000_000, "\(html.utf8.count) bytes")
        // Every marked session is a point.
        for rank in 1...10 { #expect(html.contains(",\"r\":\(rank),")) }
    }

    @Test(
        "in headless Chromium: 200,000 sessions are the rarest 20,000 as points and the rest as shaded cells with counts",
        needsChromium)
    func densityGrid() throws {
        let html = Self.largePage()
        let path = NSTemporaryDirectory() + "seqhunt-timeline-\(UUID().uuidString).html"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try html.write(toFile: path, atomically: true, encoding: .utf8)
        let dom = try chromiumDOM(of: path, fragment: "#selftest-cell")
        #expect(dom.contains("data-ready=\"yes\""), "the page script did not finish")
        #expect(!dom.contains("data-errors="), "script errors: \(dom.prefix(300))")
        #expect(dom.contains("data-points=\"20000\"") && dom.contains("data-binned=\"180000\""))
        #expect(dom.contains("200000 sessions plotted: the 20000 rarest as points, 180000 more as shaded cells"))
        #expect(dom.contains("data-ring-labels=\"1,2,3,4,5,6,7,8,9,10\""))
        #expect(
            try #require(
                dom.firstMatch(of: /data-tooltip-first="(\d+) sessions? here, less rare than the 20000 drawn as points/)
            ).1 != "0")
    }
}
