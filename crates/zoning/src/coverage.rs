//! Exact coverage fractions: the fraction of each raster cell's area that a polygon
//! covers, as exactextract computes it (Baston, D., *exactextract*, ISciences, 2019–,
//! "Fast and accurate raster zonal statistics": cells crossed by the boundary get the
//! exact area of the polygon inside them, interior cells 1, exterior cells 0).
//!
//! # Method
//!
//! The area of a polygon inside each cell is accumulated edge by edge with signed
//! trapezoids and finished by a running sum along each row (the area-accumulation
//! technique of exact anti-aliased scan conversion, e.g. the font rasterizers that
//! descend from libart; it is Green's theorem applied cell by cell). In cell units
//! (x to the east, y to the south, the window's north-west corner at (0, 0)), every
//! edge is cut where it crosses a cell row or column, so each piece lies inside one
//! cell (r, c). A piece that falls by dy with mean abscissa x̄ contributes
//! dy·(c + 1 − x̄) to cell c — the trapezoid between the piece and the cell's east
//! side — and dy to every cell east of it. The second term is deferred: it is added
//! once to `acc[r][c + 1]` and spread by the running sum. After all rings (exterior
//! rings counted positive, holes negative, whatever their orientation) the running
//! sum of row r at column c is the covered area of cell (r, c), exactly for straight
//! edges up to floating-point rounding (errors ≈ 1e-15 per cell).
//!
//! Pieces east of the window are dropped (they affect no cell in it), pieces west of
//! it are moved onto its west edge (they cover every cell of the row span they
//! cross), and pieces north or south of it are clipped away, so a polygon larger than
//! the grid gives 1 on every covered cell.
//!
//! Fractions within 1e-12 of 0 are dropped and within 1e-12 of 1 are set to 1 (the
//! rounding noise of the running sum). Polygons should be valid (OGC): for
//! overlapping parts the fractions are summed and clamped to 1.
//!
//! Coordinates are `(x, y)` in the raster's CRS (units of `GridSpec::cell_size`);
//! rows count from the north edge.

use geo_types::{Coord, MultiPolygon, Polygon};
use riskcensus_core::{GridSpec, Window};

use crate::error::ZoningError;

/// Fraction noise threshold (see the module docs).
pub const FRACTION_EPS: f64 = 1e-12;

/// Polygons as closed rings: each polygon is its exterior ring then its holes. A ring
/// may or may not repeat its first vertex at the end.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rings {
    /// Per polygon, its exterior ring then its holes; vertices `(x, y)` in the grid's CRS.
    pub polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

impl Rings {
    /// One polygon from an exterior ring and holes.
    pub fn polygon(exterior: Vec<(f64, f64)>, holes: Vec<Vec<(f64, f64)>>) -> Self {
        let mut p = vec![exterior];
        p.extend(holes);
        Self { polygons: vec![p] }
    }

    /// Bounding box (x_min, y_min, x_max, y_max), `None` when there is no vertex.
    pub fn bbox(&self) -> Option<(f64, f64, f64, f64)> {
        let mut b: Option<(f64, f64, f64, f64)> = None;
        for &(x, y) in self.polygons.iter().flatten().flatten() {
            b = Some(match b {
                None => (x, y, x, y),
                Some((a, c, d, e)) => (a.min(x), c.min(y), d.max(x), e.max(y)),
            });
        }
        b
    }

    /// Every coordinate must be finite; the error names the polygon, ring and vertex.
    pub fn validate(&self) -> Result<(), ZoningError> {
        for (p, poly) in self.polygons.iter().enumerate() {
            for (r, ring) in poly.iter().enumerate() {
                for (v, &(x, y)) in ring.iter().enumerate() {
                    if !(x.is_finite() && y.is_finite()) {
                        return Err(ZoningError::BadCoordinate {
                            polygon: p,
                            ring: r,
                            vertex: v,
                            x,
                            y,
                        });
                    }
                }
            }
        }
        Ok(())
    }
}

fn ring_of(cs: &[Coord<f64>]) -> Vec<(f64, f64)> {
    cs.iter().map(|c| (c.x, c.y)).collect()
}

impl From<&Polygon<f64>> for Rings {
    fn from(p: &Polygon<f64>) -> Self {
        Rings::polygon(
            ring_of(&p.exterior().0),
            p.interiors().iter().map(|r| ring_of(&r.0)).collect(),
        )
    }
}

impl From<&MultiPolygon<f64>> for Rings {
    fn from(m: &MultiPolygon<f64>) -> Self {
        Self {
            polygons: m.0.iter().flat_map(|p| Rings::from(p).polygons).collect(),
        }
    }
}

/// One row of a coverage: fractions of the cells `col_start ..` of grid row `row`.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageRow {
    /// Grid row (0 = north).
    pub row: usize,
    /// Grid column of `fractions[0]`.
    pub col_start: usize,
    /// Covered fraction of each cell in (0, 1]; 0 marks an uncovered cell inside the
    /// span (between two parts of the polygon).
    pub fractions: Vec<f64>,
}

/// Sparse coverage of one polygon on a grid: rows in ascending order, each a span of
/// fractions with no leading or trailing zero.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Coverage {
    /// Covered rows, ascending; rows the polygon misses are absent.
    pub rows: Vec<CoverageRow>,
}

impl Coverage {
    /// Every covered cell as (row, col, fraction > 0), row-major.
    pub fn cells(&self) -> impl Iterator<Item = (usize, usize, f64)> + '_ {
        self.rows.iter().flat_map(|r| {
            r.fractions
                .iter()
                .enumerate()
                .filter(|(_, &f)| f > 0.0)
                .map(move |(i, &f)| (r.row, r.col_start + i, f))
        })
    }

    /// Σ fraction (the covered area in cells).
    pub fn total(&self) -> f64 {
        self.rows.iter().flat_map(|r| r.fractions.iter()).sum()
    }

    /// The smallest window holding every covered cell (`None` when empty).
    pub fn window(&self) -> Option<Window> {
        let r0 = self.rows.first()?.row;
        let r1 = self.rows.last()?.row + 1;
        let c0 = self.rows.iter().map(|r| r.col_start).min()?;
        let c1 = self
            .rows
            .iter()
            .map(|r| r.col_start + r.fractions.len())
            .max()?;
        Some(Window::new(r0, c0, r1 - r0, c1 - c0))
    }
}

/// The grid window a polygon's bounding box touches (`None` when it misses the grid).
pub fn bbox_window(rings: &Rings, grid: &GridSpec) -> Option<Window> {
    let (x0, y0, x1, y1) = rings.bbox()?;
    let cs = grid.cell_size;
    let c0 = ((x0 - grid.x_min) / cs).floor().max(0.0);
    let c1 = ((x1 - grid.x_min) / cs).ceil().min(grid.cols as f64);
    let r0 = ((grid.y_max - y1) / cs).floor().max(0.0);
    let r1 = ((grid.y_max - y0) / cs).ceil().min(grid.rows as f64);
    if !(c1 > c0 && r1 > r0) {
        return None;
    }
    Some(Window::new(
        r0 as usize,
        c0 as usize,
        (r1 - r0) as usize,
        (c1 - c0) as usize,
    ))
}

/// Exact coverage fractions of `rings` on the cells of `window` (a window of `grid`).
pub fn coverage(rings: &Rings, grid: &GridSpec, window: Window) -> Result<Coverage, ZoningError> {
    rings.validate()?;
    let (nr, nc) = (window.rows, window.cols);
    if nr == 0 || nc == 0 {
        return Ok(Coverage::default());
    }
    let w = nc + 1;
    let mut acc = vec![0.0f64; nr * w];
    let cs = grid.cell_size;
    let ox = grid.x_min + window.col_off as f64 * cs;
    let oy = grid.y_max - window.row_off as f64 * cs;
    let mut pts: Vec<(f64, f64)> = Vec::new();
    for poly in &rings.polygons {
        for (ri, ring) in poly.iter().enumerate() {
            pts.clear();
            pts.extend(ring.iter().map(|&(x, y)| ((x - ox) / cs, (oy - y) / cs)));
            if pts.len() > 1 && pts[0] == pts[pts.len() - 1] {
                pts.pop();
            }
            if pts.len() < 3 {
                continue;
            }
            let a = shoelace(&pts);
            if a == 0.0 {
                continue;
            }
            // A ring traced clockwise on the page (positive shoelace in these
            // y-down units) accumulates −area; exteriors must add, holes subtract.
            let hole = if ri == 0 { 1.0 } else { -1.0 };
            let sign = -a.signum() * hole;
            for i in 0..pts.len() {
                let p = pts[i];
                let q = pts[(i + 1) % pts.len()];
                edge(&mut acc, nr, nc, p, q, sign);
            }
        }
    }
    let mut rows = Vec::new();
    for r in 0..nr {
        let line = &acc[r * w..r * w + nc];
        let mut run = 0.0;
        let mut fr = Vec::with_capacity(nc);
        for &a in line {
            run += a;
            let f = if run < FRACTION_EPS {
                0.0
            } else if run > 1.0 - FRACTION_EPS {
                1.0
            } else {
                run
            };
            fr.push(f);
        }
        let Some(first) = fr.iter().position(|&f| f > 0.0) else {
            continue;
        };
        let last = fr.iter().rposition(|&f| f > 0.0).expect("non-empty");
        rows.push(CoverageRow {
            row: window.row_off + r,
            col_start: window.col_off + first,
            fractions: fr[first..=last].to_vec(),
        });
    }
    Ok(Coverage { rows })
}

/// Twice the signed area (shoelace) of a ring without its closing vertex.
fn shoelace(p: &[(f64, f64)]) -> f64 {
    let n = p.len();
    let (x0, y0) = p[0];
    let mut s = 0.0;
    for i in 1..n - 1 {
        let (x1, y1) = (p[i].0 - x0, p[i].1 - y0);
        let (x2, y2) = (p[i + 1].0 - x0, p[i + 1].1 - y0);
        s += x1 * y2 - x2 * y1;
    }
    s
}

/// Accumulate one edge p → q (cell units, y down) into `acc` (nr rows × nc + 1).
fn edge(acc: &mut [f64], nr: usize, nc: usize, p: (f64, f64), q: (f64, f64), sign: f64) {
    let (x0, y0) = p;
    let (x1, y1) = q;
    if y0 == y1 {
        return; // horizontal edges add no area
    }
    let (dx, dy) = (x1 - x0, y1 - y0);
    // Clip to the window's rows, 0 ≤ y ≤ nr, by the parameter t ∈ [0, 1].
    let (ta, tb) = {
        let t0 = (0.0 - y0) / dy;
        let t1 = (nr as f64 - y0) / dy;
        (t0.min(t1).max(0.0), t0.max(t1).min(1.0))
    };
    if ta >= tb {
        return;
    }
    // Cut points: row and column crossings inside (ta, tb), with the crossed
    // coordinate set exactly to its integer value.
    let mut cuts: Vec<(f64, f64, f64)> = Vec::new();
    let at = |t: f64| (x0 + t * dx, y0 + t * dy);
    let (xa, ya) = if ta == 0.0 {
        (x0, y0)
    } else {
        clamp_y(at(ta), nr)
    };
    let (xb, yb) = if tb == 1.0 {
        (x1, y1)
    } else {
        clamp_y(at(tb), nr)
    };
    cuts.push((ta, xa, ya));
    let (ylo, yhi) = (ya.min(yb), ya.max(yb));
    let mut k = ylo.floor() + 1.0;
    while k < yhi {
        let t = (k - y0) / dy;
        cuts.push((t, x0 + t * dx, k));
        k += 1.0;
    }
    if dx != 0.0 {
        let (xlo, xhi) = (xa.min(xb), xa.max(xb));
        // Only column lines inside the window matter (west of 0 all pieces clamp to
        // the west edge, east of nc they are dropped).
        let mut k = xlo.floor().max(0.0) + 1.0;
        if xlo < 0.0 && xhi > 0.0 {
            let t = (0.0 - x0) / dx;
            cuts.push((t, 0.0, y0 + t * dy));
        }
        while k < xhi && k <= nc as f64 {
            let t = (k - x0) / dx;
            cuts.push((t, k, y0 + t * dy));
            k += 1.0;
        }
    }
    cuts.push((tb, xb, yb));
    cuts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let w = nc + 1;
    for pair in cuts.windows(2) {
        let (_, xa, ya) = pair[0];
        let (_, xb, yb) = pair[1];
        let d = (yb - ya) * sign;
        if d == 0.0 {
            continue;
        }
        let ym = 0.5 * (ya + yb);
        let r = (ym.floor() as isize).clamp(0, nr as isize - 1) as usize;
        let xm = 0.5 * (xa + xb);
        if xm >= nc as f64 {
            continue;
        }
        if xm <= 0.0 {
            acc[r * w] += d;
            continue;
        }
        let c = (xm.floor() as usize).min(nc - 1);
        let inside = (c as f64 + 1.0 - xm).clamp(0.0, 1.0);
        acc[r * w + c] += d * inside;
        acc[r * w + c + 1] += d * (1.0 - inside);
    }
}

fn clamp_y(p: (f64, f64), nr: usize) -> (f64, f64) {
    (p.0, p.1.clamp(0.0, nr as f64))
}

/// Cells of `window` whose centre lies inside the polygon (fraction 1 each), by an
/// even–odd scanline at each row's centre line: a crossing counts when the edge spans
/// the line half-open (y₀ ≤ y < y₁ or y₁ ≤ y < y₀), and a cell counts when its centre
/// x satisfies x_in ≤ x < x_out — so a centre on a shared boundary belongs to exactly
/// one of two adjacent polygons (centres on a northern or western boundary are in,
/// on a southern or eastern boundary out). Holes and multipolygon parts need no orientation.
pub fn centers(rings: &Rings, grid: &GridSpec, window: Window) -> Result<Coverage, ZoningError> {
    rings.validate()?;
    let cs = grid.cell_size;
    let ox = grid.x_min + window.col_off as f64 * cs;
    let oy = grid.y_max - window.row_off as f64 * cs;
    let mut edges: Vec<((f64, f64), (f64, f64))> = Vec::new();
    for ring in rings.polygons.iter().flatten() {
        let n = ring.len();
        for i in 0..n {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            if a == b {
                continue;
            }
            edges.push((
                ((a.0 - ox) / cs, (oy - a.1) / cs),
                ((b.0 - ox) / cs, (oy - b.1) / cs),
            ));
        }
    }
    let mut rows = Vec::new();
    let mut xs: Vec<f64> = Vec::new();
    for r in 0..window.rows {
        let yc = r as f64 + 0.5;
        xs.clear();
        for &((x0, y0), (x1, y1)) in &edges {
            if (y0 <= yc && yc < y1) || (y1 <= yc && yc < y0) {
                xs.push(x0 + (yc - y0) * (x1 - x0) / (y1 - y0));
            }
        }
        if xs.len() < 2 {
            continue;
        }
        xs.sort_by(f64::total_cmp);
        let mut fr = vec![0.0f64; window.cols];
        let mut any = false;
        for pair in xs.chunks_exact(2) {
            // centre c + 0.5 in [x_in, x_out)  ⇔  c ∈ [⌈x_in − 0.5⌉, ⌈x_out − 0.5⌉)
            let c0 = (pair[0] - 0.5).ceil().max(0.0) as usize;
            let c1 = ((pair[1] - 0.5).ceil().max(0.0) as usize).min(window.cols);
            for f in fr.iter_mut().take(c1).skip(c0) {
                *f = 1.0;
                any = true;
            }
        }
        if !any {
            continue;
        }
        let first = fr.iter().position(|&f| f > 0.0).expect("any");
        let last = fr.iter().rposition(|&f| f > 0.0).expect("any");
        rows.push(CoverageRow {
            row: window.row_off + r,
            col_start: window.col_off + first,
            fractions: fr[first..=last].to_vec(),
        });
    }
    Ok(Coverage { rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(x_min: f64, y_max: f64, cs: f64, rows: usize, cols: usize) -> GridSpec {
        GridSpec {
            crs: "EPSG:4548".into(),
            x_min,
            y_max,
            cell_size: cs,
            rows,
            cols,
        }
    }

    fn dense(c: &Coverage, g: &GridSpec) -> Vec<f64> {
        let mut d = vec![0.0; g.rows * g.cols];
        for (r, col, f) in c.cells() {
            d[r * g.cols + col] = f;
        }
        d
    }

    fn full(g: &GridSpec) -> Window {
        Window::new(0, 0, g.rows, g.cols)
    }

    fn assert_all(got: &[f64], want: &[f64]) {
        assert_eq!(got.len(), want.len());
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert!((g - w).abs() <= 1e-12, "cell {i}: {g} vs {w}\n{got:?}");
        }
    }

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<(f64, f64)> {
        vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    }

    #[test]
    fn cell_aligned_square() {
        let g = grid(0.0, 4.0, 1.0, 4, 4);
        let c = coverage(
            &Rings::polygon(square(1.0, 1.0, 3.0, 3.0), vec![]),
            &g,
            full(&g),
        )
        .unwrap();
        #[rustfmt::skip]
        let want = [0., 0., 0., 0.,
                    0., 1., 1., 0.,
                    0., 1., 1., 0.,
                    0., 0., 0., 0.];
        assert_all(&dense(&c, &g), &want);
        assert_eq!(c.window(), Some(Window::new(1, 1, 2, 2)));
    }

    #[test]
    fn triangles_by_hand() {
        // x + y ≤ 2 on a 2 × 2 grid: the lower-left cell whole, two halves, one empty.
        let g = grid(0.0, 2.0, 1.0, 2, 2);
        let t = Rings::polygon(vec![(0.0, 0.0), (2.0, 0.0), (0.0, 2.0)], vec![]);
        assert_all(
            &dense(&coverage(&t, &g, full(&g)).unwrap(), &g),
            &[0.5, 0.0, 1.0, 0.5],
        );
        // Under y = 1 − x/3 on one row of three cells: ∫ from c to c+1 = 1 − (2c + 1)/6,
        // i.e. 5/6, 1/2, 1/6; on a 30 m grid with an odd origin, traced clockwise.
        let g = grid(500_000.5, 4_000_030.25, 30.0, 1, 3);
        let (x0, y0) = (500_000.5, 4_000_000.25);
        let t = Rings::polygon(vec![(x0, y0), (x0, y0 + 30.0), (x0 + 90.0, y0)], vec![]);
        assert_all(
            &dense(&coverage(&t, &g, full(&g)).unwrap(), &g),
            &[5.0 / 6.0, 0.5, 1.0 / 6.0],
        );
    }

    #[test]
    fn polygon_with_hole_any_orientation() {
        let g = grid(0.0, 4.0, 1.0, 4, 4);
        // Hole 1.5–2.5 traced the same way round as the exterior: each of the four
        // central cells loses a quarter.
        let p = Rings::polygon(square(0.0, 0.0, 4.0, 4.0), vec![square(1.5, 1.5, 2.5, 2.5)]);
        let c = coverage(&p, &g, full(&g)).unwrap();
        #[rustfmt::skip]
        let want = [1., 1.,   1.,   1.,
                    1., 0.75, 0.75, 1.,
                    1., 0.75, 0.75, 1.,
                    1., 1.,   1.,   1.];
        assert_all(&dense(&c, &g), &want);
        assert!((c.total() - 15.0).abs() < 1e-12);
    }

    #[test]
    fn polygon_larger_than_grid_and_window() {
        let g = grid(0.0, 4.0, 1.0, 4, 4);
        let p = Rings::polygon(square(-10.0, -7.0, 13.0, 10.0), vec![]);
        assert_all(&dense(&coverage(&p, &g, full(&g)).unwrap(), &g), &[1.0; 16]);
        // A diamond poking out of every side: |x − 2| + |y − 2| ≤ 3 on the 4 × 4 grid.
        // Corner cells (distance ≥ 3 at their inner corner... ) hand-computed: the
        // corner cell [0,1]×[0,1] holds the part with x + y ≥ 1: 1/2; edge and inner
        // cells are whole.
        let d = Rings::polygon(
            vec![(2.0, -1.0), (5.0, 2.0), (2.0, 5.0), (-1.0, 2.0)],
            vec![],
        );
        #[rustfmt::skip]
        let want = [0.5, 1., 1., 0.5,
                    1.,  1., 1., 1.,
                    1.,  1., 1., 1.,
                    0.5, 1., 1., 0.5];
        assert_all(&dense(&coverage(&d, &g, full(&g)).unwrap(), &g), &want);
        // The same on a sub-window: only its cells, with grid row/col numbers.
        let c = coverage(&d, &g, Window::new(2, 3, 2, 1)).unwrap();
        assert_eq!(
            c.cells().collect::<Vec<_>>(),
            vec![(2, 3, 1.0), (3, 3, 0.5)]
        );
    }

    #[test]
    fn multipolygon_parts_add_and_total_is_area() {
        let g = grid(0.0, 10.0, 1.0, 10, 10);
        let m = Rings {
            polygons: vec![
                vec![square(0.25, 0.25, 1.75, 1.5)],
                vec![vec![
                    (5.1, 5.3),
                    (9.7, 6.2),
                    (8.2, 9.9),
                    (6.0, 8.1),
                    (4.3, 7.7),
                ]],
            ],
        };
        let c = coverage(&m, &g, full(&g)).unwrap();
        // Shoelace area of the pentagon + the rectangle 1.5 × 1.25.
        let pent = [(5.1, 5.3), (9.7, 6.2), (8.2, 9.9), (6.0, 8.1), (4.3, 7.7)];
        let mut a2 = 0.0f64;
        for i in 0..5 {
            let (p, q) = (pent[i], pent[(i + 1) % 5]);
            a2 += p.0 * q.1 - q.0 * p.1;
        }
        let want = a2.abs() / 2.0 + 1.5 * 1.25;
        assert!((c.total() - want).abs() < 1e-12, "{} vs {want}", c.total());
        assert!(c.cells().all(|(_, _, f)| f > 0.0 && f <= 1.0));
        // Rectangle cells by hand: x 0.25–1.75, y 0.25–1.5 (rows 8, 9 from the top).
        let d = dense(&c, &g);
        assert!((d[9 * 10] - 0.75 * 0.75).abs() < 1e-12);
        assert!((d[8 * 10 + 1] - 0.75 * 0.5).abs() < 1e-12);
    }

    #[test]
    fn centres_half_open_with_holes() {
        let g = grid(0.0, 4.0, 1.0, 4, 4);
        let p = Rings::polygon(square(0.4, 0.5, 3.6, 3.6), vec![square(1.2, 1.2, 1.8, 1.8)]);
        let c = centers(&p, &g, full(&g)).unwrap();
        // Row centres y = 3.5, 2.5, 1.5, 0.5: 0.5 lies on the southern boundary, which
        // is outside under the half-open rule (north edges in, south edges out); the
        // hole covers the centre (1.5, 1.5) → row 2, col 1.
        #[rustfmt::skip]
        let want = [1., 1., 1., 1.,
                    1., 1., 1., 1.,
                    1., 0., 1., 1.,
                    0., 0., 0., 0.];
        assert_all(&dense(&c, &g), &want);
        assert!(matches!(
            coverage(
                &Rings::polygon(vec![(0.0, 0.0), (f64::NAN, 1.0), (1.0, 1.0)], vec![]),
                &g,
                full(&g)
            ),
            Err(ZoningError::BadCoordinate { vertex: 1, .. })
        ));
    }
}
