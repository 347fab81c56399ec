import SeqHunt

/// The tenant the demo generator imitates: admins, cmdlets, parameters, value pools,
/// workflows and attacks.
struct Catalog {
    struct Admin {
        let user: String
        let ips: [String]
        let workflows: [Int]
    }
    struct Step {
        let command: String
        let repeats: ClosedRange<Int>
    }
    struct Workflow {
        let name: String
        let steps: [Step]
    }
    struct Attack {
        let name: String
        let steps: [Step]
    }
    /// A parameter of a cmdlet: its name, presence probability, and value pool.
    struct Parameter {
        let name: String
        let presence: Double
        let pool: String
    }

    static let admins: [Admin] = [
        Admin(user: "helpdesk@contoso.onmicrosoft.com", ips: ["52.225.129.38", "52.225.129.40"], workflows: [0, 1, 2]),
        Admin(user: "exchadmin@contoso.onmicrosoft.com", ips: ["40.74.28.17"], workflows: [0, 3, 4]),
        Admin(user: "secops@contoso.onmicrosoft.com", ips: ["13.64.110.9", "13.64.110.10"], workflows: [1, 5]),
        Admin(user: "mailflow@contoso.onmicrosoft.com", ips: ["20.42.64.3"], workflows: [3, 4]),
        Admin(user: "onboarding@contoso.onmicrosoft.com", ips: ["52.160.72.5"], workflows: [0, 2]),
        Admin(user: "auditor@contoso.onmicrosoft.com", ips: ["104.42.5.77"], workflows: [1, 5]),
        Admin(user: "", ips: [""], workflows: [5, 4])  // service activity with empty keys, as in real exports
    ]
    static let attackerIPs = ["185.220.101.34", "45.153.160.2", "193.27.228.60"]

    static let workflows: [Workflow] = [
        Workflow(
            name: "provision",
            steps: [
                Step(command: "New-Mailbox", repeats: 1...1), Step(command: "Set-Mailbox", repeats: 1...2),
                Step(command: "Set-CASMailbox", repeats: 1...1), Step(command: "Set-User", repeats: 1...1),
                Step(command: "Add-DistributionGroupMember", repeats: 1...3)
            ]),
        Workflow(
            name: "audit",
            steps: [
                Step(command: "Get-Mailbox", repeats: 1...3), Step(command: "Get-MailboxPermission", repeats: 1...3),
                Step(command: "Get-InboxRule", repeats: 1...2)
            ]),
        Workflow(
            name: "helpdesk",
            steps: [
                Step(command: "Get-Mailbox", repeats: 1...2), Step(command: "Set-Mailbox", repeats: 1...2),
                Step(command: "Set-User", repeats: 1...2), Step(command: "Set-CASMailbox", repeats: 0...1)
            ]),
        Workflow(
            name: "transport",
            steps: [
                Step(command: "Get-TransportRule", repeats: 1...2), Step(command: "Set-TransportRule", repeats: 1...2),
                Step(command: "Get-TransportRule", repeats: 1...1)
            ]),
        Workflow(
            name: "policy",
            steps: [
                Step(command: "Set-OwaMailboxPolicy", repeats: 1...2), Step(command: "Set-CASMailbox", repeats: 2...4)
            ]),
        Workflow(
            name: "delegation",
            steps: [
                Step(command: "Get-MailboxPermission", repeats: 1...1),
                Step(command: "Add-MailboxPermission", repeats: 1...1),
                Step(command: "Remove-MailboxPermission", repeats: 1...2),
                Step(command: "Get-MailboxPermission", repeats: 1...1)
            ])
    ]

    static let attacks: [Attack] = [
        Attack(
            name: "mailbox-forwarding burst",
            steps: [
                Step(command: "Get-Mailbox", repeats: 1...1), Step(command: "Set-Mailbox#forward", repeats: 2...3),
                Step(command: "New-InboxRule#forward", repeats: 1...2)
            ]),
        Attack(
            name: "permission grab",
            steps: [
                Step(command: "Add-MailboxPermission#grab", repeats: 3...4),
                Step(command: "Add-RecipientPermission", repeats: 1...2)
            ]),
        Attack(
            name: "impersonation role",
            steps: [
                Step(command: "New-ManagementRoleAssignment", repeats: 1...1),
                Step(command: "New-TransportRule#bcc", repeats: 1...1),
                Step(command: "Set-Mailbox#forward", repeats: 1...1)
            ])
    ]

    /// Cmdlet → parameters. A `#variant` suffix is an attack's way of calling the cmdlet.
    static let commands: [String: [Parameter]] = [
        "New-Mailbox": [
            p("Name", 1, "person"), p("Alias", 1, "alias"), p("PrimarySmtpAddress", 1, "address"),
            p("Password", 1, "redacted"), p("ResetPasswordOnNextLogon", 0.9, "bool"), p("Shared", 0.2, "true")
        ],
        "Set-Mailbox": [
            p("Identity", 1, "mailbox"), p("ProhibitSendQuota", 0.5, "quota"), p("IssueWarningQuota", 0.4, "quota"),
            p("LitigationHoldEnabled", 0.2, "bool"), p("HiddenFromAddressListsEnabled", 0.2, "bool"),
            p("Force", 0.3, "empty")
        ],
        "Set-Mailbox#forward": [
            p("Identity", 1, "mailbox"), p("ForwardingSmtpAddress", 1, "attacker"),
            p("DeliverToMailboxAndForward", 1, "true")
        ],
        "Set-CASMailbox": [
            p("Identity", 1, "mailbox"), p("OWAEnabled", 0.6, "bool"), p("ActiveSyncEnabled", 0.6, "bool"),
            p("PopEnabled", 0.3, "false"), p("ImapEnabled", 0.3, "false")
        ],
        "Set-User": [
            p("Identity", 1, "mailbox"), p("Department", 0.6, "department"), p("Title", 0.5, "title"),
            p("Office", 0.5, "office"), p("Manager", 0.4, "mailbox"), p("Confirm", 0.6, "false")
        ],
        "Add-DistributionGroupMember": [
            p("Identity", 1, "group"), p("Member", 1, "mailbox"),
            p("BypassSecurityGroupManagerCheck", 0.3, "true")
        ],
        "Get-Mailbox": [
            p("Identity", 0.8, "mailbox"), p("ResultSize", 0.5, "resultsize"),
            p("RecipientTypeDetails", 0.5, "recipienttype"), p("Filter", 0.3, "filter")
        ],
        "Get-MailboxPermission": [
            p("Identity", 1, "mailbox"), p("User", 0.4, "mailbox"), p("Owner", 0.3, "true"),
            p("ResultSize", 0.5, "resultsize")
        ],
        "Get-InboxRule": [
            p("Mailbox", 1, "mailbox"), p("IncludeHidden", 0.5, "true"), p("DescriptionTimeZone", 0.4, "timezone")
        ],
        "New-InboxRule#forward": [
            p("Mailbox", 1, "mailbox"), p("Name", 1, "rulename-evil"), p("ForwardTo", 1, "attacker"),
            p("DeleteMessage", 1, "true"), p("MarkAsRead", 1, "true")
        ],
        "Get-TransportRule": [p("Identity", 0.7, "rule"), p("State", 0.5, "state"), p("DlpPolicy", 0.3, "dlp")],
        "Set-TransportRule": [
            p("Identity", 1, "rule"), p("Enabled", 0.6, "bool"), p("Priority", 0.4, "priority"),
            p("Comments", 0.3, "comment")
        ],
        "New-TransportRule#bcc": [
            p("Name", 1, "rulename-evil"), p("BlindCopyTo", 1, "attacker"), p("SentToScope", 1, "scope")
        ],
        "Set-OwaMailboxPolicy": [
            p("Identity", 1, "owapolicy"), p("InstantMessagingEnabled", 0.5, "bool"),
            p("WacExternalServicesEnabled", 0.5, "bool")
        ],
        "Add-MailboxPermission": [
            p("Identity", 1, "mailbox"), p("User", 1, "mailbox"), p("AccessRights", 1, "rights"),
            p("InheritanceType", 0.7, "inheritance"), p("AutoMapping", 0.5, "bool")
        ],
        "Add-MailboxPermission#grab": [
            p("Identity", 1, "executive"), p("User", 1, "attacker"), p("AccessRights", 1, "fullaccess"),
            p("InheritanceType", 1, "all")
        ],
        "Remove-MailboxPermission": [
            p("Identity", 1, "mailbox"), p("User", 1, "mailbox"), p("AccessRights", 1, "rights"),
            p("Confirm", 0.8, "false")
        ],
        "Add-RecipientPermission": [
            p("Identity", 1, "executive"), p("Trustee", 1, "attacker"), p("AccessRights", 1, "sendas")
        ],
        "New-ManagementRoleAssignment": [p("Role", 1, "impersonation"), p("User", 1, "attacker")]
    ]

    static func p(_ name: String, _ presence: Double, _ pool: String) -> Parameter {
        Parameter(name: name, presence: presence, pool: pool)
    }

    static let pools: [String: [String]] = {
        var pools: [String: [String]] = [
            "bool": ["True", "False"], "true": ["True"], "false": ["False"], "empty": [""],
            "quota": [
                "49.5 GB (53,150,220,288 bytes)", "99 GB (106,300,440,576 bytes)", "9.5 GB (10,200,547,328 bytes)"
            ],
            "resultsize": ["Unlimited", "1000"],
            "department": ["Finance", "Sales", "Engineering", "HR", "Legal", "Marketing", "IT"],
            "title": ["Analyst", "Manager", "Director", "Engineer", "Associate", "Consultant"],
            "office": ["Seattle", "London", "Munich", "Singapore"],
            "rights": ["FullAccess", "ReadPermission", "FullAccess", "FullAccess"],
            "inheritance": ["All", "SelfAndChildren"], "priority": ["0", "1", "2", "3"],
            "comment": ["quarterly review", "ticket update", "compliance change"],
            "recipienttype": ["UserMailbox", "SharedMailbox", "RoomMailbox"],
            "filter": ["RecipientType -eq 'UserMailbox'", "Department -eq 'Sales'"],
            "timezone": ["Pacific Standard Time", "W. Europe Standard Time"], "state": ["Enabled", "Disabled"],
            "dlp": ["PII Policy", "Financial Data"],
            "owapolicy": ["OwaMailboxPolicy-Default", "OwaMailboxPolicy-Restricted"],
            "scope": ["InOrganization"], "all": ["All"], "fullaccess": ["FullAccess"], "sendas": ["SendAs"],
            "impersonation": ["ApplicationImpersonation"], "redacted": ["********"],
            "attacker": [
                "smtp:exfil@proton-mail.xyz", "archive-sync@outlook-backup.top", "svc-sync@contoso-support.net"
            ],
            "rulename-evil": [".", "..", "RSS Feeds"],
            "executive": ["ceo@contoso.com", "cfo@contoso.com", "general.counsel@contoso.com"],
            "rule": (1...25).map { "Transport rule \($0)" },
            "group": (1...40).map { "dl-team-\($0)@contoso.com" }
        ]
        let first = [
            "alex", "sam", "jordan", "taylor", "morgan", "casey", "riley", "jamie", "drew", "quinn",
            "avery", "parker", "rowan", "sage", "emery", "finley", "harper", "kai", "logan", "reese"
        ]
        let last = [
            "smith", "chen", "garcia", "müller", "okafor", "tanaka", "rossi", "kowalski", "nguyen", "silva",
            "brown", "haddad", "ivanova", "larsen", "patel", "dubois", "kim", "novak", "ortiz", "walsh"
        ]
        var people: [String] = []
        for f in first { for l in last { people.append("\(f).\(l)") } }
        pools["person"] = people.map { $0.split(separator: ".").map { $0.capitalized }.joined(separator: " ") }
        pools["alias"] = people.map { $0.filter { $0 != "." } }
        pools["address"] = people.map { "\($0)@contoso.com" }
        pools["mailbox"] = people.map { "\($0)@contoso.com" }
        return pools
    }()

    // Interned ids.
    var commandIDs: [String: Int32] = [:]
    var parameterIDs: [String: [Int32]] = [:]
    var valueIDs: [String: [[Int32]]] = [:]  // command → per parameter → pool value ids

    mutating func intern(into builder: inout SessionStore.Builder) {
        for (key, parameters) in Self.commands.sorted(by: { $0.key < $1.key }) {
            let name = String(key.split(separator: "#")[0])
            commandIDs[key] = builder.internCommand(name)
            var pids: [Int32] = []
            var vids: [[Int32]] = []
            for parameter in parameters {
                let pid = builder.internParameter(parameter.name)
                pids.append(pid)
                vids.append(
                    Self.pools[parameter.pool]!.map {
                        $0.isEmpty ? SessionStore.noValue : builder.internValue(parameter: pid, value: $0)
                    })
            }
            parameterIDs[key] = pids
            valueIDs[key] = vids
        }
    }

    func workflow(for admin: Int, rng: inout SplitMix64) -> [Step] {
        let choices = Self.admins[admin].workflows
        return Self.workflows[choices[Int(rng.next() % UInt64(choices.count))]].steps
    }

    /// Appends one event of `command` (a key of ``commands``), drawing its parameters.
    func emit(_ command: String, attack: Bool, into builder: inout SessionStore.Builder, rng: inout SplitMix64) {
        builder.beginEvent(uncheckedCommandID: commandIDs[command]!)
        let parameters = Self.commands[command]!
        let pids = parameterIDs[command]!, vids = valueIDs[command]!
        for i in parameters.indices where parameters[i].presence >= 1 || rng.unit() < parameters[i].presence {
            let pool = vids[i]
            // Skewed choice: low indices are more common, as real tenants are.
            let u = rng.unit()
            let index = min(pool.count - 1, Int(u * u * Double(pool.count)))
            try! builder.addParameter(uncheckedID: pids[i], valueID: pool[index])
        }
    }
}
