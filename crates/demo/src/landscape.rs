//! The physical landscape of the demo county as continuous functions of `(x, y)` in
//! the census CRS (EPSG:4548, metres), so every raster, at any resolution or in any
//! CRS, samples the same terrain.
//!
//! Layout (modelled on the Tai'an/Jinan piedmont of Shandong): a crystalline range in
//! the north (peaks ≈ 1 400 m), limestone hills in the east (≈ 850 m) and south
//! (≈ 650 m), an alluvial plain in the centre and west falling from ≈ 150 m to ≈ 35 m;
//! two rivers flowing west with tributaries from the hills; a range-front fault at the
//! foot of the northern range and a NE–SW fault across the south-east; a reservoir on
//! a northern tributary; the town centre on the plain at the foot of the range.

use geo::Coord;

use crate::noise::Noise;

/// Study area (census grid extent) in EPSG:4548.
pub const X0: f64 = 484_000.0;
pub const X1: f64 = 515_500.0;
pub const Y0: f64 = 3_994_100.0;
pub const Y1: f64 = 4_020_000.0;
pub const CRS: &str = "EPSG:4548";

#[inline]
pub fn smoothstep(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// A river reach digitised in flow direction, with bed elevation at each vertex.
#[derive(Debug, Clone)]
pub struct River {
    pub code: String,
    pub name: &'static str,
    /// 干流 (main stem) or 一级支流 (first-order tributary).
    pub grade: &'static str,
    pub pts: Vec<Coord>,
    pub bed: Vec<f64>,
    /// Half the channel width (m): cells closer than this are water.
    pub half_width: f64,
}

#[derive(Debug, Clone)]
pub struct Fault {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
    pub activity: &'static str,
    pub strike: &'static str,
    pub dip: &'static str,
    pub pts: Vec<Coord>,
}

/// The reservoir: a lobed ellipse (x radius, y radius, three harmonics).
#[derive(Debug, Clone)]
pub struct Reservoir {
    pub center: Coord,
    pub rx: f64,
    pub ry: f64,
    pub lobes: [(f64, f64); 3],
    /// Normal water level (m).
    pub level: f64,
    /// The dam, at the downstream (southern) end.
    pub dam: Coord,
}

impl Reservoir {
    /// Lobe factor for a unit direction `(c, s)` = (cos θ, sin θ), using the
    /// multiple-angle identities instead of trig calls.
    fn lobe(&self, c: f64, s: f64) -> f64 {
        let (c2, s2) = (c * c - s * s, 2.0 * s * c);
        let (c3, s3) = (c * c2 - s * s2, s * c2 + c * s2);
        let (c4, s4) = (c2 * c2 - s2 * s2, 2.0 * s2 * c2);
        1.0 + self.lobes[0].0 * (c2 * self.lobes[0].1 + s2 * (1.0 - self.lobes[0].1))
            + self.lobes[1].0 * (c3 * self.lobes[1].1 + s3 * (1.0 - self.lobes[1].1))
            + self.lobes[2].0 * (c4 * self.lobes[2].1 + s4 * (1.0 - self.lobes[2].1))
    }

    /// Normalised radius: < 1 inside the shoreline.
    pub fn rel_radius(&self, x: f64, y: f64) -> f64 {
        let (dx, dy) = ((x - self.center.x) / self.rx, (y - self.center.y) / self.ry);
        let r = (dx * dx + dy * dy).sqrt();
        if r < 1e-12 {
            return 0.0;
        }
        r / self.lobe(dx / r, dy / r)
    }

    /// The shoreline as a closed ring of `n` vertices (counter-clockwise).
    pub fn shoreline(&self, n: usize) -> Vec<Coord> {
        let mut ring: Vec<Coord> = (0..n)
            .map(|i| {
                let a = std::f64::consts::TAU * i as f64 / n as f64;
                let (s, c) = a.sin_cos();
                let l = self.lobe(c, s);
                Coord {
                    x: self.center.x + self.rx * c * l,
                    y: self.center.y + self.ry * s * l,
                }
            })
            .collect();
        ring.push(ring[0]);
        ring
    }
}

/// Bucketed river segments, for fast nearest-river queries.
struct SegIndex {
    cell: f64,
    x0: f64,
    y0: f64,
    nx: usize,
    ny: usize,
    /// (river, segment) per bucket.
    buckets: Vec<Vec<(u16, u32)>>,
}

pub struct Landscape {
    pub noise: Noise,
    n_north: Noise,
    n_east: Noise,
    n_south: Noise,
    n_relief: Noise,
    pub town: Coord,
    pub rivers: Vec<River>,
    pub faults: Vec<Fault>,
    pub reservoir: Reservoir,
    index: SegIndex,
}

/// Influence radius of a valley (m) beyond which rivers do not shape terrain.
const VALLEY_MAX: f64 = 1_600.0;

impl Landscape {
    pub fn new(seed: u64) -> Self {
        let noise = Noise::new(seed);
        let mut l = Landscape {
            noise,
            n_north: noise.derive(1),
            n_east: noise.derive(2),
            n_south: noise.derive(3),
            n_relief: noise.derive(4),
            town: Coord {
                x: 498_500.0,
                y: 4_011_200.0,
            },
            rivers: Vec::new(),
            faults: Vec::new(),
            reservoir: Reservoir {
                center: Coord { x: 0.0, y: 0.0 },
                rx: 1.0,
                ry: 1.0,
                lobes: [(0.0, 0.0); 3],
                level: 0.0,
                dam: Coord { x: 0.0, y: 0.0 },
            },
            index: SegIndex {
                cell: 1000.0,
                x0: 0.0,
                y0: 0.0,
                nx: 0,
                ny: 0,
                buckets: Vec::new(),
            },
        };
        // The town sits 3 km below the range front.
        l.town.y = l.north_edge(l.town.x) - 3_300.0;
        l.build_rivers();
        l.build_index();
        l.build_reservoir();
        l.build_faults();
        l
    }

    /// y of the foot of the northern range at easting x.
    pub fn north_edge(&self, x: f64) -> f64 {
        4_014_500.0
            + 1_100.0 * self.n_north.line(x, 9_000.0, 3)
            + 2_600.0 * ((492_000.0 - x) / 8_000.0).clamp(0.0, 1.0)
    }

    /// x of the foot of the eastern hills at northing y.
    pub fn east_edge(&self, y: f64) -> f64 {
        506_800.0 + 4_500.0 * self.n_east.line(y, 8_000.0, 4)
    }

    /// y of the foot of the southern hills at easting x (they fade out westward).
    pub fn south_edge(&self, x: f64) -> f64 {
        3_999_000.0 + 3_000.0 * self.n_south.line(x, 8_000.0, 4)
            - 5_500.0 * ((495_000.0 - x) / 8_000.0).clamp(0.0, 1.0)
    }

    /// Strength of the three hill belts at (x, y): (north, east, south) in [0, 1].
    #[inline]
    pub fn belts(&self, x: f64, y: f64) -> (f64, f64, f64) {
        (
            smoothstep((y - self.north_edge(x)) / 3_500.0),
            smoothstep((x - self.east_edge(y)) / 4_000.0),
            smoothstep((self.south_edge(x) - y) / 3_000.0),
        )
    }

    /// Hill mask in [0, 1]: 0 on the plain, 1 in the heart of the hills.
    #[inline]
    pub fn hill(&self, x: f64, y: f64) -> f64 {
        let (n, e, s) = self.belts(x, y);
        n.max(e).max(s)
    }

    /// Plain surface (m): 35 m in the west rising to 150 m at the eastern hills.
    #[inline]
    fn plain(&self, x: f64, y: f64) -> f64 {
        35.0 + 115.0 * ((x - X0) / (X1 - X0)).clamp(-0.1, 1.1)
            + 6.0 * self.noise.fbm(x, y, 5_000.0, 3)
    }

    /// Terrain before rivers and the reservoir shape it.
    #[inline]
    fn uncarved(&self, x: f64, y: f64) -> f64 {
        let (n, e, s) = self.belts(x, y);
        let relief = (n * 1_350.0).max(e * 820.0).max(s * 620.0);
        let m = n.max(e).max(s);
        let r = self.n_relief.ridged(x, y, 7_000.0, 6);
        self.plain(x, y)
            + relief * (0.25 + 0.75 * r)
            + m * (60.0 * self.noise.fbm(x, y, 900.0, 4)
                + 110.0 * self.n_relief.fbm(x, y, 3_000.0, 4))
    }

    /// Elevation (m above sea level) at (x, y).
    pub fn elevation(&self, x: f64, y: f64) -> f64 {
        let mut z = self.uncarved(x, y);
        if let Some((d, bed, _)) = self.nearest_river(x, y) {
            let w = 280.0 + 1_250.0 * self.hill(x, y);
            if d < w && z > bed {
                // V-shaped valleys in the hills, a flat floodplain on the plain.
                let g = (d / w).powf(0.8);
                z = bed + (z - bed) * g;
            }
        }
        let rr = self.reservoir.rel_radius(x, y);
        let lv = self.reservoir.level;
        if rr < 1.0 {
            z = lv;
        } else if rr < 1.6 && z > lv {
            z = lv + (z - lv) * smoothstep((rr - 1.0) / 0.6);
        }
        z
    }

    /// Slope (degrees) by central differences over `h` metres.
    pub fn slope_deg(&self, x: f64, y: f64, h: f64) -> f64 {
        let dzdx = (self.elevation(x + h, y) - self.elevation(x - h, y)) / (2.0 * h);
        let dzdy = (self.elevation(x, y + h) - self.elevation(x, y - h)) / (2.0 * h);
        (dzdx * dzdx + dzdy * dzdy).sqrt().atan().to_degrees()
    }

    /// Nearest river within the valley influence radius: (distance m, bed elevation
    /// at the nearest point, river index).
    pub fn nearest_river(&self, x: f64, y: f64) -> Option<(f64, f64, usize)> {
        let ix = ((x - self.index.x0) / self.index.cell).floor();
        let iy = ((y - self.index.y0) / self.index.cell).floor();
        if ix < 0.0 || iy < 0.0 || ix as usize >= self.index.nx || iy as usize >= self.index.ny {
            return None;
        }
        let b = &self.index.buckets[iy as usize * self.index.nx + ix as usize];
        let mut best: Option<(f64, f64, usize)> = None;
        let mut best_d2 = VALLEY_MAX * VALLEY_MAX;
        for &(ri, si) in b {
            let r = &self.rivers[ri as usize];
            let (a, c) = (r.pts[si as usize], r.pts[si as usize + 1]);
            let (vx, vy) = (c.x - a.x, c.y - a.y);
            let l2 = vx * vx + vy * vy;
            let t = if l2 > 0.0 {
                (((x - a.x) * vx + (y - a.y) * vy) / l2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (px, py) = (a.x + t * vx - x, a.y + t * vy - y);
            let d2 = px * px + py * py;
            if d2 < best_d2 {
                best_d2 = d2;
                let bed = r.bed[si as usize] + t * (r.bed[si as usize + 1] - r.bed[si as usize]);
                best = Some((0.0, bed, ri as usize));
            }
        }
        best.map(|(_, bed, ri)| (best_d2.sqrt(), bed, ri))
    }

    /// Distance (m) from (x, y) to the nearest fault trace.
    pub fn fault_distance(&self, x: f64, y: f64) -> f64 {
        let p = Coord { x, y };
        self.faults
            .iter()
            .flat_map(|f| f.pts.windows(2))
            .map(|w| seg_dist(p, w[0], w[1]))
            .fold(f64::INFINITY, f64::min)
    }

    fn main_bed(x: f64) -> f64 {
        35.0 + 115.0 * ((x - X0) / (X1 - X0)) - 4.0
    }

    fn build_rivers(&mut self) {
        let step = 150.0;
        // Two main stems digitised east → west (flow direction).
        let mains: [(&str, &'static str, f64, u64, f64); 2] = [
            ("AFB10", "泮汶河", self.town.y - 3_100.0, 11, 45.0),
            ("AFA10", "汶阳河", 4_001_300.0, 12, 60.0),
        ];
        for (code, name, y0, k, hw) in mains {
            let n = self.noise.derive(k);
            let mut pts = Vec::new();
            let mut x = X1 + 600.0;
            while x >= X0 - 600.0 {
                let y = y0 + 850.0 * n.line(x, 7_000.0, 3) + 220.0 * n.line(x + 9e5, 1_400.0, 2);
                pts.push(Coord { x, y });
                x -= step;
            }
            let bed = pts.iter().map(|p| Self::main_bed(p.x)).collect();
            self.rivers.push(River {
                code: code.to_string(),
                name,
                grade: "干流",
                pts,
                bed,
                half_width: hw,
            });
        }
        // Tributaries: (name, main index, source x, source offset into the hills,
        // confluence x). Northern ones drain the range into 泮汶河, southern ones the
        // southern hills into 汶阳河, one drains the eastern hills.
        let tribs: [(&'static str, usize, f64, f64, f64); 5] = [
            ("北沙河", 0, 490_500.0, 4_200.0, 489_000.0),
            ("明堂河", 0, 502_200.0, 5_600.0, 501_000.0),
            ("石峪河", 0, 510_200.0, 5_000.0, 508_300.0),
            ("南峪河", 1, 504_000.0, -4_200.0, 502_600.0),
            ("龙泉河", 1, 499_000.0, -3_000.0, 496_800.0),
        ];
        for (i, (name, mi, sx, off, cx)) in tribs.into_iter().enumerate() {
            let n = self.noise.derive(20 + i as u64);
            let sy = if off > 0.0 {
                (self.north_edge(sx) + off).min(Y1 - 400.0)
            } else {
                (self.south_edge(sx) + off).max(Y0 + 400.0)
            };
            // Confluence: the main-stem vertex nearest to cx.
            let main = &self.rivers[mi];
            let ci = main
                .pts
                .iter()
                .enumerate()
                .min_by(|a, b| (a.1.x - cx).abs().total_cmp(&(b.1.x - cx).abs()))
                .map(|(j, _)| j)
                .unwrap_or(0);
            let (c, cbed) = (main.pts[ci], main.bed[ci]);
            let src_bed = 0.6 * self.uncarved(sx, sy);
            let (dx, dy) = (c.x - sx, c.y - sy);
            let len = (dx * dx + dy * dy).sqrt();
            let nseg = (len / step).ceil().max(2.0) as usize;
            let (nx, ny) = (-dy / len, dx / len);
            let mut pts = Vec::with_capacity(nseg + 1);
            let mut bed = Vec::with_capacity(nseg + 1);
            for j in 0..=nseg {
                let t = j as f64 / nseg as f64;
                let w = (std::f64::consts::PI * t).sin() * 700.0 * n.line(t * len, 3_000.0, 3);
                pts.push(Coord {
                    x: sx + t * dx + w * nx,
                    y: sy + t * dy + w * ny,
                });
                // Concave long profile: steep in the hills, flat near the confluence.
                bed.push(cbed + (src_bed - cbed).max(0.0) * (1.0 - t).powf(1.5));
            }
            self.rivers.push(River {
                code: format!("{}{:02}", &self.rivers[mi].code[..3], 11 + i),
                name,
                grade: "一级支流",
                pts,
                bed,
                half_width: 12.0,
            });
        }
    }

    fn build_index(&mut self) {
        let cell = 1_000.0;
        let (x0, y0) = (X0 - 3_000.0, Y0 - 3_000.0);
        let nx = ((X1 + 3_000.0 - x0) / cell).ceil() as usize;
        let ny = ((Y1 + 3_000.0 - y0) / cell).ceil() as usize;
        let mut buckets = vec![Vec::new(); nx * ny];
        for (ri, r) in self.rivers.iter().enumerate() {
            for (si, w) in r.pts.windows(2).enumerate() {
                let bx0 = w[0].x.min(w[1].x) - VALLEY_MAX;
                let bx1 = w[0].x.max(w[1].x) + VALLEY_MAX;
                let by0 = w[0].y.min(w[1].y) - VALLEY_MAX;
                let by1 = w[0].y.max(w[1].y) + VALLEY_MAX;
                let cx0 = (((bx0 - x0) / cell).floor().max(0.0)) as usize;
                let cx1 = (((bx1 - x0) / cell).floor().max(0.0) as usize).min(nx - 1);
                let cy0 = (((by0 - y0) / cell).floor().max(0.0)) as usize;
                let cy1 = (((by1 - y0) / cell).floor().max(0.0) as usize).min(ny - 1);
                for cy in cy0..=cy1 {
                    for cx in cx0..=cx1 {
                        buckets[cy * nx + cx].push((ri as u16, si as u32));
                    }
                }
            }
        }
        self.index = SegIndex {
            cell,
            x0,
            y0,
            nx,
            ny,
            buckets,
        };
    }

    fn build_reservoir(&mut self) {
        // On 明堂河 (river 3), where the valley enters the range.
        let r = &self.rivers[3];
        let j = r
            .pts
            .iter()
            .rposition(|p| self.belts(p.x, p.y).0 > 0.3)
            .unwrap_or(r.pts.len() / 3);
        let c = r.pts[j];
        let n = self.noise.derive(40);
        let g = |k: f64| 0.08 * n.line(k * 1_000.0, 3_000.0, 1);
        let (rx, ry) = (650.0, 1_250.0);
        let center = Coord {
            x: c.x,
            y: c.y + 0.4 * ry,
        };
        let level = r.bed[j] + 22.0;
        self.reservoir = Reservoir {
            center,
            rx,
            ry,
            lobes: [
                (g(1.0), 0.5 + g(2.0)),
                (g(3.0), 0.5 + g(4.0)),
                (g(5.0), 0.5 + g(6.0)),
            ],
            level,
            dam: Coord {
                x: center.x,
                y: center.y - ry,
            },
        };
    }

    fn build_faults(&mut self) {
        let n = self.noise.derive(50);
        let mut f1 = Vec::new();
        let mut x = X0 - 1_000.0;
        while x <= X1 + 1_000.0 {
            f1.push(Coord {
                x,
                y: self.north_edge(x) - 450.0 + 180.0 * n.line(x, 2_500.0, 2),
            });
            x += 500.0;
        }
        let (a, b) = (
            Coord {
                x: 486_000.0,
                y: Y0 - 800.0,
            },
            Coord {
                x: X1 + 800.0,
                y: 4_012_300.0,
            },
        );
        let len = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
        let steps = (len / 500.0).ceil() as usize;
        let f2 = (0..=steps)
            .map(|i| {
                let t = i as f64 / steps as f64;
                let w = 300.0 * n.line(9e5 + t * len, 3_000.0, 2);
                Coord {
                    x: a.x + t * (b.x - a.x) + w * 0.55,
                    y: a.y + t * (b.y - a.y) - w * 0.83,
                }
            })
            .collect();
        self.faults = vec![
            Fault {
                code: "F1",
                name: "北山山前断裂",
                kind: "正断层",
                activity: "晚更新世活动",
                strike: "近东西",
                dip: "南倾 70°",
                pts: f1,
            },
            Fault {
                code: "F2",
                name: "南峪—东岭断裂",
                kind: "正断层",
                activity: "早中更新世活动",
                strike: "北东",
                dip: "北西倾 65°",
                pts: f2,
            },
        ];
    }
}

/// Distance from p to segment ab.
pub fn seg_dist(p: Coord, a: Coord, b: Coord) -> f64 {
    let (vx, vy) = (b.x - a.x, b.y - a.y);
    let l2 = vx * vx + vy * vy;
    let t = if l2 > 0.0 {
        (((p.x - a.x) * vx + (p.y - a.y) * vy) / l2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (dx, dy) = (a.x + t * vx - p.x, a.y + t * vy - p.y);
    (dx * dx + dy * dy).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hills_rise_above_the_plain_and_rivers_run_downhill() {
        let l = Landscape::new(20260101);
        let plain = l.elevation(487_000.0, 4_005_000.0);
        assert!((20.0..120.0).contains(&plain), "{plain}");
        let north = (0..20)
            .map(|i| l.elevation(486_000.0 + i as f64 * 1_500.0, 4_019_500.0))
            .fold(f64::MIN, f64::max);
        assert!(north > 900.0, "{north}");
        for r in &l.rivers[..2] {
            assert!(r.bed.first().unwrap() > r.bed.last().unwrap());
        }
        let rr = l
            .reservoir
            .rel_radius(l.reservoir.center.x, l.reservoir.center.y);
        assert_eq!(rr, 0.0);
        assert_eq!(
            l.elevation(l.reservoir.center.x, l.reservoir.center.y),
            l.reservoir.level
        );
    }
}
