import SeqHunt

/// A seeded generator of realistic Office 365 Exchange admin sessions with planted
/// attacks, for demos, tests and benchmarks.
///
/// Normal sessions follow the everyday workflows of a dozen admins (provisioning
/// mailboxes, auditing permissions, maintaining transport rules and policies),
/// with parameters and values drawn from tenant-sized pools. About one session in
/// 500 is a planted attack: a mailbox-forwarding burst, a permission grab or an
/// impersonation-role assignment with an external address. The same seed gives the
/// same sessions on every machine.
public struct DemoGenerator: Sendable {
    /// One generated session's descriptive fields.
    public struct SessionInfo: Sendable {
        /// The acting admin's UserId.
        public var user: String
        /// The client IP address.
        public var clientIP: String
        /// When the first event happened, in seconds since the Unix epoch.
        public var begin: Int
        /// When the last event happened, in seconds since the Unix epoch.
        public var end: Int
        /// The attack planted in this session, or `nil` for a normal session.
        public var plantedAttack: String?
    }

    /// The generated sessions.
    public struct Output: Sendable {
        /// The sessions' commands, parameters and values.
        public var store: SessionStore
        /// Each session's who and when, in the store's order.
        public var sessions: [SessionInfo]
        /// Indices of the planted sessions.
        public var planted: [Int] { sessions.indices.filter { sessions[$0].plantedAttack != nil } }
    }

    /// Seconds between two events of a session.
    public static let eventSpacing = 20

    /// The seed: the same seed gives the same sessions.
    public var seed: UInt64
    /// The probability that a session is a planted attack.
    public var attackRate: Double
    /// Whether the log looks like a real tenant's: parameter values mostly distinct (GUIDs,
    /// directory paths, message ids, timestamps, a directory of 60,000 mailboxes), `ClientIP`
    /// with the client's port (so nearly every session has its own key), about 450 accounts and
    /// heavy-tailed session lengths. The default demo draws from small pools instead.
    public var realistic: Bool

    /// A generator with `seed`, planting attacks at `attackRate` (one in 500 by default).
    public init(seed: UInt64 = 42, attackRate: Double = 0.002, realistic: Bool = false) {
        self.seed = seed
        self.attackRate = attackRate
        self.realistic = realistic
    }

    /// Generates `count` sessions (about 5 events and 20 parameter occurrences each).
    /// At least three attacks are planted when `count >= 100`.
    /// - Complexity: O(events); strings are interned once, up front.
    public func generate(sessions count: Int) -> Output {
        if realistic { return generateRealistic(sessions: count) }
        var rng = SplitMix64(seed: seed)
        var catalog = Catalog()
        var builder = SessionStore.Builder()
        builder.reserveCapacity(sessions: count, events: count * 6, parameterOccurrences: count * 22)
        catalog.intern(into: &builder)
        var infos: [SessionInfo] = []
        infos.reserveCapacity(count)
        // Guarantee a few attacks in small demos, spread over the run.
        let guaranteed: Set<Int> = count >= 100 ? [count / 5, count / 2, count * 4 / 5] : []
        var clock = 1_704_067_200  // 2024-01-01T00:00:00Z
        for index in 0..<count {
            let admin = Int(rng.next() % UInt64(Catalog.admins.count))
            let attack: Int? =
                guaranteed.contains(index) || rng.unit() < attackRate
                ? Int(rng.next() % UInt64(Catalog.attacks.count)) : nil
            let steps = attack.map { Catalog.attacks[$0].steps } ?? catalog.workflow(for: admin, rng: &rng)
            var events = 0
            for step in steps {
                let repeats = step.repeats.lowerBound + Int(rng.next() % UInt64(step.repeats.count))
                for _ in 0..<repeats {
                    catalog.emit(step.command, attack: attack != nil, into: &builder, rng: &rng)
                    events += 1
                }
            }
            try! builder.endSession()  // every workflow emits at least one event
            let ips = Catalog.admins[admin].ips
            // Events 20 s apart; sessions at least 150 s apart, so that sessionizing the
            // generated events gives back exactly these sessions.
            infos.append(
                SessionInfo(
                    user: Catalog.admins[admin].user,
                    clientIP: attack != nil
                        ? Catalog.attackerIPs[Int(rng.next() % UInt64(Catalog.attackerIPs.count))]
                        : ips[Int(rng.next() % UInt64(ips.count))],
                    begin: clock, end: clock + Self.eventSpacing * (events - 1),
                    plantedAttack: attack.map { Catalog.attacks[$0].name }))
            clock += Self.eventSpacing * (events - 1) + 150 + Int(rng.next() % 900)
        }
        return Output(store: builder.build(), sessions: infos)
    }
}

/// A small, fast, seeded random number generator (SplitMix64): the same seed, the same
/// numbers on every platform. (The tests use it too, so that random cases repeat.)
package struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    package init(seed: UInt64) { state = seed }
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    package mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
