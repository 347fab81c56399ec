extension TimelineHTML {
    /// The page around the data: `Resources/timeline.html`, embedded in the code at build time
    /// (so the page can be read, linted and diffed as HTML, and the library needs no bundle at
    /// run time). `%TITLE%` is the escaped title, `%DATA%` the JSON data (see
    /// ``TimelineHTML/render(_:options:)`` for its fields).
    ///
    /// Self-test hooks for headless Chromium (`file.html#selftest`, `#selftest-row=N`,
    /// `#selftest-width=W`, `#selftest-cell`) record their results as `data-*` attributes of `<body>`
    /// before `data-ready="yes"`.
    static let page: String = {
        // The file ends with a newline, as text files do; the page does not.
        var html = String(decoding: PackageResources.timeline_html, as: UTF8.self)
        if html.hasSuffix("\n") { html.removeLast() }
        return html
    }()
}
