import SeqHunt
import SeqHuntIO

/// What a real tenant's `OfficeActivity` holds and the default demo does not, for
/// `seqhunt demo --realistic` and the benchmarks.
///
/// The default demo draws every value from small pools (about 1,300 distinct values and 38
/// keys), which keeps its golden outputs small but hides what real exports do to a reader:
/// - **Values are mostly distinct.** Identities are often directory paths or GUIDs, message
///   traces carry message ids and timestamps, folder permissions carry paths, and mailboxes
///   come from a directory of tens of thousands. About one value in each event is new.
/// - **Keys number in the hundreds of thousands.** `ClientIP` carries the client's ephemeral
///   port (`52.225.129.38:51234`, `[2603:10b6:a03::1c]:443`), so nearly every session has a key
///   of its own.
/// - **Many accounts, heavy-tailed.** Hundreds of admins and a few dozen service accounts, the
///   busiest doing most of the work, and session lengths with a long tail.
///
/// The workflows and the planted attacks are the default demo's, so a hunt through the
/// realistic log finds the same kinds of attack.
struct RealisticTenant {
    struct Account {
        let user: String
        let ips: [String]
        let workflows: [Int]
    }

    /// The accounts, the busiest first (chosen with a Zipf-like skew).
    let accounts: [Account]
    /// The mailbox directory: `first.last.N@contoso.com`.
    let mailboxes: [String]
    /// Distribution groups and transport rules: larger pools than the demo's.
    let groups: [String]
    let rules: [String]

    /// Workflows only the realistic tenant runs (indices after ``Catalog/workflows``).
    static let workflows: [Catalog.Workflow] = [
        Catalog.Workflow(
            name: "trace",
            steps: [
                Catalog.Step(command: "Get-MessageTrace", repeats: 1...4),
                Catalog.Step(command: "Get-MessageTraceDetail", repeats: 1...3)
            ]),
        Catalog.Workflow(
            name: "audit-search",
            steps: [
                Catalog.Step(command: "Search-UnifiedAuditLog", repeats: 1...5),
                Catalog.Step(command: "Get-Mailbox", repeats: 0...2)
            ]),
        Catalog.Workflow(
            name: "calendar",
            steps: [
                Catalog.Step(command: "Get-MailboxFolderPermission", repeats: 1...2),
                Catalog.Step(command: "Set-MailboxFolderPermission", repeats: 1...2)
            ]),
        Catalog.Workflow(
            name: "migration",
            steps: [
                Catalog.Step(command: "New-MoveRequest", repeats: 1...3),
                Catalog.Step(command: "Get-MoveRequestStatistics", repeats: 1...6)
            ])
    ]

    /// The realistic workflows' cmdlets. Pools named here are drawn by ``value(_:rng:)``.
    static let commands: [String: [Catalog.Parameter]] = [
        "Get-MessageTrace": [
            Catalog.p("SenderAddress", 0.7, "mailbox"), Catalog.p("RecipientAddress", 0.5, "mailbox"),
            Catalog.p("StartDate", 1, "timestamp"), Catalog.p("EndDate", 1, "timestamp"),
            Catalog.p("MessageId", 0.4, "messageid"), Catalog.p("PageSize", 0.3, "resultsize")
        ],
        "Get-MessageTraceDetail": [
            Catalog.p("MessageTraceId", 1, "guid"), Catalog.p("RecipientAddress", 1, "mailbox"),
            Catalog.p("Event", 0.3, "traceevent")
        ],
        "Search-UnifiedAuditLog": [
            Catalog.p("StartDate", 1, "timestamp"), Catalog.p("EndDate", 1, "timestamp"),
            Catalog.p("SessionId", 0.8, "guid"), Catalog.p("SessionCommand", 0.8, "sessioncommand"),
            Catalog.p("UserIds", 0.5, "mailbox"), Catalog.p("ResultSize", 0.8, "resultsize")
        ],
        "Get-MailboxFolderPermission": [Catalog.p("Identity", 1, "folder")],
        "Set-MailboxFolderPermission": [
            Catalog.p("Identity", 1, "folder"), Catalog.p("User", 1, "mailbox"),
            Catalog.p("AccessRights", 1, "folderrights")
        ],
        "New-MoveRequest": [
            Catalog.p("Identity", 1, "identity"), Catalog.p("BatchName", 0.8, "guid"),
            Catalog.p("TargetDatabase", 0.6, "database"), Catalog.p("BadItemLimit", 0.4, "priority")
        ],
        "Get-MoveRequestStatistics": [Catalog.p("Identity", 1, "identity"), Catalog.p("IncludeReport", 0.3, "true")]
    ]

    /// Small pools of the realistic cmdlets.
    static let pools: [String: [String]] = [
        "traceevent": ["Receive", "Deliver", "Send", "Fail", "Expand"],
        "sessioncommand": ["ReturnLargeSet", "ReturnNextPreviewPage"],
        "folderrights": ["Reviewer", "Editor", "Owner", "AvailabilityOnly", "LimitedDetails"],
        "database": (1...60).map { "NAMPR04DG\(String(100 + $0))-db\(String(200 + $0 * 7))" }
    ]

    /// The tenant of `seed`: about 450 accounts, 60,000 mailboxes.
    init(seed: UInt64) {
        var rng = SplitMix64(seed: seed ^ 0x5EED_7E4A_A7)
        let first = [
            "alex", "sam", "jordan", "taylor", "morgan", "casey", "riley", "jamie", "drew", "quinn",
            "avery", "parker", "rowan", "sage", "emery", "finley", "harper", "kai", "logan", "reese",
            "noah", "emma", "liam", "olivia", "mateo", "sofia", "yuki", "amara", "lars", "ines"
        ]
        let last = [
            "smith", "chen", "garcia", "müller", "okafor", "tanaka", "rossi", "kowalski", "nguyen", "silva",
            "brown", "haddad", "ivanova", "larsen", "patel", "dubois", "kim", "novak", "ortiz", "walsh",
            "jensen", "moreau", "santos", "yilmaz", "ahmed", "lopez", "fischer", "costa", "berg", "singh"
        ]
        var mailboxes: [String] = []
        mailboxes.reserveCapacity(60_000)
        for n in 0..<60_000 {
            let f = first[Int(rng.next() % UInt64(first.count))], l = last[Int(rng.next() % UInt64(last.count))]
            mailboxes.append("\(f).\(l)\(n < 900 ? "" : String(n))@contoso.com")
        }
        self.mailboxes = mailboxes
        groups = (1...3_000).map { "dl-\(["team", "project", "region", "all"][$0 % 4])-\($0)@contoso.com" }
        rules = (1...400).map { "Transport rule \($0)" }

        func address(_ rng: inout SplitMix64) -> String {
            switch rng.next() % 4 {
            case 0:
                // IPv6, as Microsoft's own front ends and many clients connect.
                let groups = (0..<4).map { _ in String(rng.next() % 0x10000, radix: 16) }
                return "2603:10b6:" + groups.joined(separator: ":") + "::" + String(rng.next() % 0x100, radix: 16)
            default:
                return (0..<4).map { i in String(i == 0 ? 13 + rng.next() % 190 : rng.next() % 256) }.joined(
                    separator: ".")
            }
        }
        var accounts: [Account] = []
        // Service accounts first: the busiest, running the automated workflows.
        let services = [
            "sync", "migration", "audit-export", "journal", "backup", "mdm", "crm", "siem", "hr-feed", "helpdesk-bot"
        ]
        for (i, name) in services.enumerated() {
            for n in 1...4 {
                let workflows = [[6, 9], [9, 0], [7, 1], [6, 7], [1, 8], [4, 2], [0, 2], [7, 6], [0, 3], [2, 8]][i]
                accounts.append(
                    Account(
                        user: "svc-\(name)-\(n)@contoso.onmicrosoft.com",
                        ips: (0..<(1 + Int(rng.next() % 3))).map { _ in address(&rng) }, workflows: workflows))
            }
        }
        for n in 0..<420 {
            let person = mailboxes[n].split(separator: "@")[0]
            let workflows = [Int(rng.next() % 10), Int(rng.next() % 10), Int(rng.next() % 10)]
            accounts.append(
                Account(
                    user: "\(person).admin@contoso.onmicrosoft.com",
                    ips: (0..<(1 + Int(rng.next() % 4))).map { _ in address(&rng) }, workflows: workflows))
        }
        // Service activity with empty keys, as in real exports.
        accounts.append(Account(user: "", ips: [""], workflows: [5, 4]))
        self.accounts = accounts
    }

    /// An account, the busiest most often (a Zipf-like skew).
    func account(_ rng: inout SplitMix64) -> Int {
        let u = rng.unit()
        return min(accounts.count - 1, Int(Double(accounts.count) * u * u * u))
    }

    /// The account's client address with an ephemeral port, as `ClientIP` carries it.
    func clientIP(of account: Int, _ rng: inout SplitMix64) -> String {
        let ips = accounts[account].ips
        let ip = ips[Int(rng.next() % UInt64(ips.count))]
        if ip.isEmpty { return "" }
        let port = 1024 + rng.next() % 64_512
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    /// How many times a step repeats: the demo's range, stretched by a heavy tail.
    static func repeats(_ range: ClosedRange<Int>, _ rng: inout SplitMix64) -> Int {
        let base = range.lowerBound + Int(rng.next() % UInt64(range.count))
        // One step in six is stretched, with P(stretch >= k) = 1/k up to 8: a Pareto tail.
        guard rng.next() % 6 == 0 else { return base }
        return base * Int(1 / max(rng.unit(), 0.125))
    }

    /// A value of `pool` at event time `seconds`, or `nil` for a pool the demo catalog holds.
    func value(_ pool: String, seconds: Int, _ rng: inout SplitMix64) -> String? {
        switch pool {
        case "mailbox", "address":
            // Now and then a directory path or an object GUID instead of the address, as real logs hold both.
            switch rng.next() % 8 {
            case 0: return "contoso.onmicrosoft.com/Users/" + Self.guid(&rng)
            case 1: return Self.guid(&rng)
            default:
                let u = rng.unit()
                return mailboxes[min(mailboxes.count - 1, Int(Double(mailboxes.count) * u * u))]
            }
        case "identity":
            return rng.next() % 2 == 0
                ? Self.guid(&rng) : "NAMPR04A00\(rng.next() % 10).prod.outlook.com/" + Self.guid(&rng)
        case "person", "alias":
            let mailbox = mailboxes[Int(rng.next() % UInt64(mailboxes.count))]
            return String(mailbox.split(separator: "@")[0])
        case "group":
            return groups[Int(rng.next() % UInt64(groups.count))]
        case "rule":
            return rules[Int(rng.next() % UInt64(rules.count))]
        case "guid":
            return Self.guid(&rng)
        case "messageid":
            return "<" + Self.guid(&rng).lowercased()
                + "@NAMPR04MB\(1000 + rng.next() % 9000).namprd04.prod.outlook.com>"
        case "timestamp":
            // A time near the event's, to the second: nearly every one distinct.
            let t = Int64(seconds - Int(rng.next() % 604_800)) * TimeParser.ticksPerSecond
            return TimeParser.isoText(ticks: t)
        case "folder":
            let mailbox = mailboxes[Int(rng.next() % UInt64(mailboxes.count))]
            return mailbox + [":\\Calendar", ":\\Inbox", ":\\Contacts", ":\\Inbox\\Projects"][Int(rng.next() % 4)]
        default:
            return Self.pools[pool].map { $0[Int(rng.next() % UInt64($0.count))] }
        }
    }

    /// A random GUID in its registry spelling.
    static func guid(_ rng: inout SplitMix64) -> String {
        let a = rng.next(), b = rng.next()
        func hex(_ v: UInt64, _ digits: Int) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: max(0, digits - s.count)) + s.suffix(digits)
        }
        return hex(a >> 32, 8) + "-" + hex((a >> 16) & 0xFFFF, 4) + "-" + hex(a & 0xFFFF, 4) + "-" + hex(b >> 48, 4)
            + "-"
            + hex(b & 0xFFFF_FFFF_FFFF, 12)
    }
}

extension DemoGenerator {
    /// The longest realistic session, in events: within the default 20-minute session at
    /// ``eventSpacing``, so that sessionizing gives back the generated sessions.
    static let longestRealisticSession = 55

    /// ``generate(sessions:)`` for `realistic`: the same workflows and attacks in a tenant
    /// whose values are mostly distinct and whose keys carry ports (see ``RealisticTenant``).
    func generateRealistic(sessions count: Int) -> Output {
        var rng = SplitMix64(seed: seed)
        let tenant = RealisticTenant(seed: seed)
        var builder = SessionStore.Builder()
        builder.reserveCapacity(sessions: count, events: count * 7, parameterOccurrences: count * 25)
        var commandIDs: [String: Int32] = [:]
        var parameterIDs: [String: Int32] = [:]
        let workflows = Catalog.workflows + RealisticTenant.workflows
        var infos: [SessionInfo] = []
        infos.reserveCapacity(count)
        let guaranteed: Set<Int> = count >= 100 ? [count / 5, count / 2, count * 4 / 5] : []
        var clock = 1_704_067_200  // 2024-01-01T00:00:00Z
        for index in 0..<count {
            let account = tenant.account(&rng)
            let attack: Int? =
                guaranteed.contains(index) || rng.unit() < attackRate
                ? Int(rng.next() % UInt64(Catalog.attacks.count)) : nil
            let choices = tenant.accounts[account].workflows
            let steps =
                attack.map { Catalog.attacks[$0].steps }
                ?? workflows[choices[Int(rng.next() % UInt64(choices.count))]].steps
            var events = 0
            steps: for step in steps {
                let repeats =
                    attack == nil
                    ? RealisticTenant.repeats(step.repeats, &rng)
                    : step.repeats.lowerBound + Int(rng.next() % UInt64(step.repeats.count))
                for _ in 0..<repeats {
                    if events == Self.longestRealisticSession { break steps }
                    let name = String(step.command.split(separator: "#")[0])
                    let command = commandIDs[step.command] ?? builder.internCommand(name)
                    commandIDs[step.command] = command
                    builder.beginEvent(uncheckedCommandID: command)
                    let seconds = clock + Self.eventSpacing * events
                    let parameters = Catalog.commands[step.command] ?? RealisticTenant.commands[step.command]!
                    for parameter in parameters where parameter.presence >= 1 || rng.unit() < parameter.presence {
                        let id = parameterIDs[parameter.name] ?? builder.internParameter(parameter.name)
                        parameterIDs[parameter.name] = id
                        // The attacks keep the demo's pools: their values are what makes them stand out.
                        let text = attack == nil ? tenant.value(parameter.pool, seconds: seconds, &rng) : nil
                        let value =
                            text
                            ?? {
                                let pool = Catalog.pools[parameter.pool] ?? RealisticTenant.pools[parameter.pool]!
                                let u = rng.unit()
                                return pool[min(pool.count - 1, Int(u * u * Double(pool.count)))]
                            }()
                        let valueID =
                            value.isEmpty ? SessionStore.noValue : builder.internValue(parameter: id, value: value)
                        // each cmdlet names a parameter once
                        try! builder.addParameter(uncheckedID: id, valueID: valueID)
                    }
                    events += 1
                }
            }
            try! builder.endSession()  // every workflow emits at least one event
            let clientIP =
                attack != nil
                ? Catalog.attackerIPs[Int(rng.next() % UInt64(Catalog.attackerIPs.count))]
                    + ":\(1024 + rng.next() % 64_512)"
                : tenant.clientIP(of: account, &rng)
            infos.append(
                SessionInfo(
                    user: tenant.accounts[account].user, clientIP: clientIP,
                    begin: clock, end: clock + Self.eventSpacing * (events - 1),
                    plantedAttack: attack.map { Catalog.attacks[$0].name }))
            clock += Self.eventSpacing * (events - 1) + 150 + Int(rng.next() % 900)
        }
        return Output(store: builder.build(), sessions: infos)
    }
}
