import CCairo
import Foundation

/// A thin drawing layer over a Cairo context, in points.
struct Canvas {
    enum Align { case left, center, right }
    let cr: OpaquePointer

    func fill(_ r: TimelineLayout.Rect, _ c: (Double, Double, Double), alpha: Double = 1) {
        cairo_set_source_rgba(cr, c.0, c.1, c.2, alpha)
        cairo_rectangle(cr, r.x, r.y, r.width, r.height)
        cairo_fill(cr)
    }

    func stroke(_ r: TimelineLayout.Rect, _ c: (Double, Double, Double), width: Double) {
        cairo_set_source_rgb(cr, c.0, c.1, c.2)
        cairo_set_line_width(cr, width)
        cairo_rectangle(cr, r.x + 0.5, r.y + 0.5, r.width, r.height)
        cairo_stroke(cr)
    }

    func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ c: (Double, Double, Double), width: Double) {
        cairo_set_source_rgb(cr, c.0, c.1, c.2)
        cairo_set_line_width(cr, width)
        cairo_move_to(cr, x0, y0)
        cairo_line_to(cr, x1, y1)
        cairo_stroke(cr)
    }

    func circle(_ x: Double, _ y: Double, radius: Double, _ c: (Double, Double, Double), alpha: Double) {
        cairo_set_source_rgba(cr, c.0, c.1, c.2, alpha)
        cairo_new_sub_path(cr)
        cairo_arc(cr, x, y, radius, 0, 2 * Double.pi)
        cairo_fill(cr)
    }

    func ring(_ x: Double, _ y: Double, radius: Double, _ c: (Double, Double, Double), width: Double) {
        cairo_set_source_rgb(cr, c.0, c.1, c.2)
        cairo_set_line_width(cr, width)
        cairo_new_sub_path(cr)
        cairo_arc(cr, x, y, radius, 0, 2 * Double.pi)
        cairo_stroke(cr)
    }

    private func font(size: Double, bold: Bool) {
        cairo_select_font_face(
            cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
    }

    func measure(_ text: String, size: Double, bold: Bool = false) -> (width: Double, height: Double) {
        font(size: size, bold: bold)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        return (extents.x_advance, size * 1.2)
    }

    func text(
        _ text: String, x: Double, y: Double, size: Double, bold: Bool = false, align: Align = .left,
        rotate: Bool = false, colour: (Double, Double, Double) = (0.1, 0.1, 0.1)
    ) {
        font(size: size, bold: bold)
        cairo_set_source_rgb(cr, colour.0, colour.1, colour.2)
        let width = measure(text, size: size, bold: bold).width
        cairo_save(cr)
        cairo_translate(cr, x, y)
        if rotate { cairo_rotate(cr, -Double.pi / 2) }
        let dx = rotate ? -width / 2 : align == .left ? 0 : align == .center ? -width / 2 : -width
        cairo_move_to(cr, dx, 0)
        cairo_show_text(cr, text)
        cairo_restore(cr)
    }
}

/// Places labels near points so that they overlap neither each other, nor the marked
/// points, nor the image's edge; a label that cannot be placed is left out.
struct LabelPlacer {
    let bounds: TimelineLayout.Rect
    private(set) var taken: [TimelineLayout.Rect] = []

    init(bounds: TimelineLayout.Rect) { self.bounds = bounds }

    mutating func occupy(_ r: TimelineLayout.Rect) { taken.append(r) }

    /// A free rectangle of the given size near `point`, trying positions at growing distances.
    mutating func place(near point: (Double, Double), width: Double, height: Double) -> TimelineLayout.Rect? {
        for distance in stride(from: 10.0, through: 160, by: 15) {
            for (dx, dy) in [(1.0, -1.0), (1, 1), (-1, -1), (-1, 1), (0, -1.6), (0, 1.6)] {
                let x = dx > 0 ? point.0 + distance : dx < 0 ? point.0 - distance - width : point.0 - width / 2
                let y = point.1 + dy * distance * 0.6 - height / 2
                let r = TimelineLayout.Rect(x: x, y: y, width: width, height: height)
                if r.inside(bounds) && !taken.contains(where: { $0.intersects(r) }) {
                    taken.append(r)
                    return r
                }
            }
        }
        return nil
    }
}
