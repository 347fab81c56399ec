// The commands that draw timelines are left out of the build without the Timelines trait (Package.swift).
#if Timelines
import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntDemo
import SeqHuntIO

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate an Exchange admin log with planted attacks and hunt through it.",
        discussion: """
            The generator imitates a tenant's admins (provisioning, audits, transport rules, \
            delegation) and plants attacks: mailbox-forwarding bursts, permission grabs and \
            impersonation-role assignments. It writes DIR/OfficeActivity.csv, shaped like a Log \
            Analytics export, then runs the whole pipeline on it with the seed query's filters \
            (sessionize, train, score) and reports how many planted attacks rank at the top.
            """)

    @Option(name: .long, help: "How many sessions to generate.")
    var sessions: Int = 20_000

    @Option(name: .long, help: "Random seed; the same seed gives the same log.")
    var seed: UInt64 = 42

    @Option(name: .long, help: "The output directory.", completion: .directory)
    var out: String = "demo-out"

    @Option(name: .long, help: "How many of the rarest sessions to print.")
    var top: Int = 10

    @Flag(
        name: .long,
        help: ArgumentHelp(
            "Generate a log that looks like a real tenant's: values mostly distinct, ClientIP with ports.",
            discussion:
                "GUIDs, directory paths, message ids and timestamps among the values, a directory of 60,000 mailboxes, "
                + "about 450 accounts and heavy-tailed session lengths: what benchmarks should read."))
    var realistic = false

    @OptionGroup var scoring: ScoringArguments

    @Flag(
        name: .customLong("log-only"),
        help: "Only write DIR/OfficeActivity.csv (for example as benchmark input); do not hunt.")
    var logOnly = false

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    /// The largest demo log: 100 million sessions is about 150 GB.
    static let maximumSessions = 100_000_000

    func validate() throws {
        guard sessions >= 1 && sessions <= DemoCommand.maximumSessions else {
            throw ValidationError("--sessions must be from 1 to \(DemoCommand.maximumSessions)")
        }
        if top < 0 { throw ValidationError("--top must not be negative") }
    }

    func run() throws {
        try reportingFailures {
            try OutputPlan.check(
                outputs: [out + "/OfficeActivity.csv"] + Pipeline.ownedFiles.map { out + "/" + $0 }, inputs: [],
                creating: [out])
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let generated = DemoGenerator(seed: seed, realistic: realistic).generate(sessions: sessions)
            let log = out + "/OfficeActivity.csv"
            let rows = try OfficeActivityWriter.write(generated, to: log, seed: seed)
            let planted = generated.planted
            if logOnly {
                note("wrote \(log): \(rows) events of \(sessions) admin sessions (seed \(seed))", quiet: quiet)
                return
            }
            if !quiet {
                print(
                    "SeqHunt demo: wrote \(log): \(rows) events of \(sessions) admin sessions, "
                        + "\(planted.count) of them planted attacks (seed \(seed)).")
                print(
                    "Hunting with the seed query's filters: --record-type ExchangeAdmin "
                        + "--exclude-user-prefix \"NT AUTHORITY\" --exclude-user-substring prod.outlook.com\n")
            }
            // Which sessionized session is which planted attack: by key and begin time.
            var attacks: [String: String] = [:]
            for index in planted {
                let info = generated.sessions[index]
                attacks[
                    "\(info.user)|\(info.clientIP)|\(TimeParser.isoText(ticks: Int64(info.begin) * TimeParser.ticksPerSecond))"
                ] = info.plantedAttack
            }
            func attack(_ table: SessionTable, _ session: Int) -> String? {
                attacks[
                    ["UserId", "ClientIP", "begin"].map { table.value($0, session: session) ?? "" }.joined(
                        separator: "|")]
            }
            let events = try EventArguments.parse([
                "--record-type", "ExchangeAdmin", "--exclude-user-prefix", "NT AUTHORITY",
                "--exclude-user-substring", "prod.outlook.com"
            ])
            var pipeline = Pipeline(inputs: [log], events: events, scoring: scoring, quiet: quiet)
            pipeline.extraColumn = { _, table in ("planted", { attack(table, $0) ?? "" }) }
            let (table, _, ranking) = try pipeline.run(outputDirectory: out, top: top)
            let found = ranking.prefix(planted.count).filter { attack(table, $0) != nil }.count
            if !quiet {
                print(
                    "\(found) of \(planted.count) planted attacks rank among the \(planted.count) rarest of "
                        + "\(table.store.sessionCount) sessions.")
            }
        }
    }
}
#endif
