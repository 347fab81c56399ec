import Foundation
import SeqHuntTimeline
import Testing

/// Loads a page in headless Chromium and returns the DOM after its scripts ran, or
/// `nil` when Chromium is not installed.
func chromiumDOM(of path: String, fragment: String = "") throws -> String? {
    guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) else {
        return nil
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: chromium)
    process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
                         "--user-data-dir=" + NSTemporaryDirectory() + "seqhunt-chromium-\(getpid())",
                         "--dump-dom", "file://" + path + fragment]
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
            points.append(TimelinePoint(time: 1_700_000_000_000_000 + Int64(i) * 60_000_000, logLikelihood: -Double(i % 17) - 1,
                                        key: "user\(i % 5)@contoso.com / 10.0.0.\(i % 3)", window: ["Get-Mailbox", "Set-Mailbox"],
                                        group: "user\(i % 5)", session: ["Get-Mailbox", "Set-Mailbox", "Set-User"]))
        }
        points.append(TimelinePoint(time: 1_700_000_000_000_000 + 600 * 60_000_000, logLikelihood: -40, key: hostile,
                                    window: [hostile, "</script><script>alert(2)</script>"], group: hostile, session: [hostile]))
        points.append(TimelinePoint(time: 1_700_000_000_000_000, logLikelihood: .nan, key: "short", window: []))
        var options = TimelineOptions()
        options.top = 5
        options.legendTitle = "UserId"
        let html = TimelineHTML.render(points, options: options)
        let path = NSTemporaryDirectory() + "seqhunt-timeline-\(UUID().uuidString).html"
        try html.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, html)
    }

    @Test("the page is self-contained and log strings reach it only as escaped JSON data")
    func selfContainedAndEscaped() throws {
        let (_, html) = try page()
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src=\"") )
        #expect(!html.contains(hostile) && !html.contains("</script><script>alert(2)"))
        #expect(html.contains("\\u003cimg src=x onerror=alert(1)\\u003e"))
    }

    @Test("in headless Chromium: no script error, every point, a tooltip on hover, hostile names shown as text")
    func inChromium() throws {
        let (path, _) = try page()
        guard let dom = try chromiumDOM(of: path, fragment: "#selftest") else {
            print("skipped: Chromium is not installed (make test installs the Debian package chromium)")
            return
        }
        #expect(dom.contains("data-ready=\"yes\""), "the page script did not finish")
        #expect(!dom.contains("data-errors="), "script errors: \(dom.prefix(300))")
        #expect(dom.contains("data-points=\"501\""))
        // Hovering the rarest point shows its tooltip, with the hostile key as text.
        #expect(dom.contains("data-tooltip=\"start: 2023-11-15T08:13:20Z"), "no tooltip")
        // The table of rarest sessions shows the hostile strings as text, and no element was injected.
        #expect(dom.contains("<td>&lt;img src=x onerror=alert(1)&gt;</td>"))
        #expect(!dom.contains("<img"))
        #expect(dom.components(separatedBy: "<tr>").count - 1 == 1 + 5)
        #expect(dom.contains("1 without a score"))
    }
}
