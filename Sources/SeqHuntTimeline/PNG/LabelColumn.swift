/// The labels of the marked sessions, in a column beside the plot, each joined to its
/// point by a straight leader.
///
/// Labels are stacked in the column in the order of their points' heights, as near
/// their points' heights as the stack allows (ggrepel's one-dimensional layout), so no
/// two labels overlap; then any two leaders that cross swap labels. A swap shortens the
/// leaders' total length (the triangle inequality), so swapping ends, and leaves no
/// crossing. Leaders end at the column's edge and every point lies left of it, so no
/// leader crosses a label.
package struct LabelColumn: Sendable {
    /// One placed label.
    package struct Label: Sendable {
        /// The rank of the marked session.
        package var rank: Int
        /// The point the label belongs to.
        package var pointX: Double, pointY: Double
        /// The label's box in the column.
        package var box: TimelineLayout.Rect
        /// Where its leader meets the box (the middle of the box's left edge).
        package var anchorX: Double { box.x }
        package var anchorY: Double { box.y + box.height / 2 }
    }

    package private(set) var labels: [Label] = []

    /// Places one label of `rowHeight` per point (rank, x, y) in `column`. Points beyond
    /// what the column holds get no label (the caller says so in a note).
    package init(points: [(rank: Int, x: Double, y: Double)], column: TimelineLayout.Rect, rowHeight: Double) {
        let capacity = max(0, Int(column.height / rowHeight))
        let placed = points.sorted { ($0.rank) < ($1.rank) }.prefix(capacity).sorted {
            ($0.y, $0.rank) < ($1.y, $1.rank)
        }
        guard !placed.isEmpty else { return }
        // Each label wants its point's height; stack downwards, then push back up from the bottom.
        var tops = placed.map { min(max($0.y - rowHeight / 2, column.y), column.y + column.height - rowHeight) }
        for i in tops.indices.dropFirst() { tops[i] = max(tops[i], tops[i - 1] + rowHeight) }
        let bottom = column.y + column.height
        for i in tops.indices.reversed() {
            let limit = i == tops.count - 1 ? bottom - rowHeight : tops[i + 1] - rowHeight
            tops[i] = min(tops[i], limit)
        }
        var labels = placed.enumerated().map { i, point in
            Label(
                rank: point.rank, pointX: point.x, pointY: point.y,
                box: TimelineLayout.Rect(x: column.x, y: tops[i], width: column.width, height: rowHeight))
        }
        // Swap the boxes of crossing leaders until none cross.
        var swapped = true
        var rounds = 0
        while swapped && rounds < 10_000 {
            swapped = false
            rounds += 1
            for i in labels.indices {
                for j in labels.indices where j > i && Self.leadersCross(labels[i], labels[j]) {
                    let box = labels[i].box
                    labels[i].box = labels[j].box
                    labels[j].box = box
                    swapped = true
                }
            }
        }
        self.labels = labels
    }

    /// Whether the leaders of two labels cross (touching at a shared end does not count).
    package static func leadersCross(_ a: Label, _ b: Label) -> Bool {
        segmentsCross((a.pointX, a.pointY), (a.anchorX, a.anchorY), (b.pointX, b.pointY), (b.anchorX, b.anchorY))
    }

    /// Whether segments p1–p2 and q1–q2 properly intersect.
    package static func segmentsCross(
        _ p1: (Double, Double), _ p2: (Double, Double), _ q1: (Double, Double), _ q2: (Double, Double)
    ) -> Bool {
        func orientation(_ a: (Double, Double), _ b: (Double, Double), _ c: (Double, Double)) -> Double {
            (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
        }
        let d1 = orientation(q1, q2, p1), d2 = orientation(q1, q2, p2)
        let d3 = orientation(p1, p2, q1), d4 = orientation(p1, p2, q2)
        return ((d1 > 1e-9 && d2 < -1e-9) || (d1 < -1e-9 && d2 > 1e-9))
            && ((d3 > 1e-9 && d4 < -1e-9) || (d3 < -1e-9 && d4 > 1e-9))
    }
}
