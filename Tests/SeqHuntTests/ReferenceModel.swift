import Foundation

@testable import SeqHunt

/// A slow, obviously-correct transcription of msticpy's algorithm (dictionaries,
/// literal smoothing loops, products), used to check the closed forms and the kernel.
struct ReferenceModel {
    static let start = "##START##", end = "##END##", unk = "##UNK##"
    typealias Cmd = (name: String, params: [String: String])

    var seq1: [String: Double] = [:]
    var seq2: [String: [String: Double]] = [:]
    var cmdParam: [String: [String: Double]] = [:]
    var paramValue: [String: [String: Double]] = [:]
    var modellable: Set<String> = []
    let type: SessionType

    init(sessions: [[Cmd]], type: SessionType, modellable fixed: Set<String>? = nil) {
        self.type = type
        var paramCount: [String: Double] = [:]
        for session in sessions {
            var prev = Self.start
            seq1[prev, default: 0] += 1
            for cmd in session {
                seq1[cmd.name, default: 0] += 1
                seq2[prev, default: [:]][cmd.name, default: 0] += 1
                prev = cmd.name
                for (p, v) in cmd.params {
                    paramCount[p, default: 0] += 1
                    cmdParam[cmd.name, default: [:]][p, default: 0] += 1
                    if !v.isEmpty { paramValue[p, default: [:]][v, default: 0] += 1 }
                }
            }
            seq2[prev, default: [:]][Self.end, default: 0] += 1
            seq1[Self.end, default: 0] += 1
        }
        modellable =
            fixed
            ?? Set(
                paramValue.compactMap { p, values in
                    let d = Double(values.count), n = paramCount[p]!
                    return values.count <= 20 && n >= 20 && 100 * d / n <= 10 ? p : nil
                })
        // Laplace smoothing, literally.
        let cmds = Array(seq1.keys) + [Self.unk]
        let rawSeq1 = seq1
        for a in cmds {
            for b in cmds where a != Self.end && b != Self.start {
                seq1[a, default: 0] += 1
                seq2[a, default: [:]][b, default: 0] += 1
                seq1[b, default: 0] += 1
            }
        }
        _ = rawSeq1
        let params = Array(paramCount.keys) + [Self.unk]
        for c in cmds {
            for p in params where cmdParam[c]?[p] != nil || p == Self.unk {
                cmdParam[c, default: [:]][p, default: 0] += 1
            }
        }
        var allValues = Set<String>()
        for (_, values) in paramValue { allValues.formUnion(values.keys) }
        for p in params {
            for v in Array(allValues) + [Self.unk] where paramValue[p]?[v] != nil || v == Self.unk {
                paramValue[p, default: [:]][v, default: 0] += 1
            }
        }
    }

    func lookup(_ row: [String: [String: Double]], _ a: String, _ b: String) -> [String: Double] {
        row[a] ?? row[Self.unk]!
    }
    func prior(_ x: String) -> Double {
        let total = seq1.values.reduce(0, +)
        return (seq1[x] ?? seq1[Self.unk]!) / total
    }
    func trans(_ a: String, _ b: String) -> Double {
        let row = seq2[a] ?? seq2[Self.unk]!
        return (row[b] ?? row[Self.unk]!) / row.values.reduce(0, +)
    }
    func q(_ c: String) -> [String: Double] {
        let row = cmdParam[c] ?? cmdParam[Self.unk]!
        let n = seq1[c] ?? seq1[Self.unk]!
        return row.mapValues { $0 / n }
    }
    func r(_ p: String, _ v: String) -> Double {
        let row = paramValue[p] ?? paramValue[Self.unk]!
        return (row[v] ?? row[Self.unk]!) / row.values.reduce(0, +)
    }
    func factor(_ cmd: Cmd) -> Double {
        guard type.usesParameters, !cmd.params.isEmpty else { return 1 }
        var lik = 1.0, num = 0.0
        let ref = q(cmd.name)
        for (p, prob) in ref {
            if let v = cmd.params[p] {
                lik *= prob
                if type.usesValues && modellable.contains(p) {
                    num += 1
                    lik *= r(p, v)
                }
            } else {
                lik *= 1 - prob
            }
        }
        return pow(lik, 1 / (Double(ref.count) + num))
    }
    func window(_ w: [Cmd], useStart: Bool) -> Double {
        var prob = (useStart ? trans(Self.start, w[0].name) : prior(w[0].name)) * factor(w[0])
        for i in 1..<w.count { prob *= trans(w[i - 1].name, w[i].name) * factor(w[i]) }
        return prob
    }
    func sessionLikelihood(_ s: [Cmd], tokens: Bool) -> Double {
        var prob = window(s, useStart: tokens)
        if tokens { prob *= trans(s.last!.name, Self.end) }
        return prob
    }
    /// (likelihood, every start whose likelihood is within 1e-12 relative of the minimum)
    func rarestWindow(_ s: [Cmd], k: Int, tokens: Bool) -> (Double, [Int])? {
        let seq = tokens ? s + [(Self.end, [:])] : s
        guard seq.count >= k else { return nil }
        let liks = (0...(seq.count - k)).map { i in window(Array(seq[i..<(i + k)]), useStart: i == 0 && tokens) }
        let m = liks.min()!
        return (m, liks.indices.filter { abs(log(liks[$0]) - log(m)) <= 1e-12 })
    }
}
