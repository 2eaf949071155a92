//! The physical landscape of the demo county as continuous functions of `(x, y)` in
//! the census CRS (EPSG:4548, metres), so every raster, at any resolution or in any
//! CRS, samples the same terrain.
//!
//! Layout (modelled on the Tai'an/Jinan piedmont of Shandong): a crystalline range in
//! the north (peaks ≈ 1 400 m), limestone hills in the east (≈ 850 m) and south
//! (≈ 650 m), an alluvial plain in the centre and west falling gently westward
//! (≈ 1.8 m/km, ≈ 90 m at the eastern hills to ≈ 30 m in the west) and toward the
//! nearest main river (≈ 1.3 m/km), with ±1 m micro-relief; two meandering rivers
//! flowing west with meandering tributaries from the hills; a range-front fault at
//! the foot of the northern range and a NE–SW fault across the south-east; a
//! reservoir dammed in a northern tributary valley; the town centre on the plain at
//! the foot of the range.
//!
//! Hydrological consistency: every river bed decreases monotonically downstream and
//! tributary beds end at the main-river bed at the confluence; the terrain is the
//! minimum of the uncarved surface and, per river, `bed + bank + side slope × distance`,
//! so valleys are carved along the mapped lines and the minimum never creates a new
//! pit. On the plain the westward slope dominates the micro-relief gradient, so every
//! plain cell has a downhill direction toward a river.

use geo::Coord;

use crate::noise::Noise;

/// Western edge of the study area (census grid extent, EPSG:4548 easting, m); the
/// study area is 34.4 km × 26.4 km = 908.16 km².
pub const X0: f64 = 484_000.0;
/// Eastern edge of the study area (easting, m).
pub const X1: f64 = 518_400.0;
/// Southern edge of the study area (northing, m).
pub const Y0: f64 = 3_993_600.0;
/// Northern edge of the study area (northing, m).
pub const Y1: f64 = 4_020_000.0;
/// The census CRS of the demo: CGCS2000 / 3-degree Gauss-Kruger CM 117E.
pub const CRS: &str = "EPSG:4548";

/// Area of the study area rectangle (m²), the extent of the census grid.
pub const fn study_area_m2() -> f64 {
    (X1 - X0) * (Y1 - Y0)
}

/// Smoothstep `3t² − 2t³` of `t` clamped to [0, 1]: 0 below 0, 1 above 1, with zero
/// slope at both ends.
#[inline]
pub fn smoothstep(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// A river reach digitised in flow direction, with bed elevation at each vertex.
#[derive(Debug, Clone)]
pub struct River {
    /// River code (河流编码), e.g. `AFB10`; a tributary takes its main river's first
    /// three characters and a number from 11.
    pub code: String,
    /// Chinese name.
    pub name: &'static str,
    /// 干流 (main stem) or 一级支流 (first-order tributary).
    pub grade: &'static str,
    /// Channel centre line, upstream to downstream, census CRS (metres).
    pub pts: Vec<Coord>,
    /// Bed elevation (m) per vertex, strictly decreasing downstream.
    pub bed: Vec<f64>,
    /// Half the channel width (m): cells closer than this are water.
    pub half_width: f64,
    /// Half width (m) of a flat valley floor beyond the channel, per vertex (0 except
    /// in the basin flooded by the reservoir).
    pub floor: Vec<f64>,
}

impl River {
    /// Channel length (m).
    pub fn length(&self) -> f64 {
        self.pts.windows(2).map(|w| dist(w[0], w[1])).sum()
    }

    /// Sinuosity: channel length over the straight distance between the ends.
    pub fn sinuosity(&self) -> f64 {
        self.length() / dist(self.pts[0], *self.pts.last().unwrap())
    }
}

/// A fault of the demo county, with the attributes the census `faults` layer holds
/// (as Chinese text).
#[derive(Debug, Clone)]
pub struct Fault {
    /// Fault code, e.g. `F1`.
    pub code: &'static str,
    /// Chinese name.
    pub name: &'static str,
    /// Kind (性质), e.g. `正断层`.
    pub kind: &'static str,
    /// Activity (活动性: age of the latest movement), e.g. `晚更新世活动`.
    pub activity: &'static str,
    /// Strike (走向), e.g. `近东西`.
    pub strike: &'static str,
    /// Dip direction and angle (倾向倾角), e.g. `南倾 70°`.
    pub dip: &'static str,
    /// Surface trace, census CRS (metres).
    pub pts: Vec<Coord>,
}

/// The reservoir: the valley upstream of a dam flooded to the normal water level.
/// The shoreline is traced from a flood fill of the carved terrain (30 m lattice)
/// and smoothed.
#[derive(Debug, Clone)]
pub struct Reservoir {
    /// Centroid of the water surface.
    pub center: Coord,
    /// Shoreline at the normal water level: closed ring, counter-clockwise.
    pub ring: Vec<Coord>,
    /// Normal water level (m).
    pub level: f64,
    /// The dam, across the valley at the downstream end.
    pub dam: Coord,
    /// Dam height above the river bed (m), including 2.5 m freeboard.
    pub dam_height: f64,
    /// Storage at the normal water level (m³).
    pub volume_m3: f64,
    /// Unit vector pointing upstream along the river at the dam.
    up: Coord,
    /// Bounding box of the ring (x0, y0, x1, y1).
    bbox: (f64, f64, f64, f64),
}

impl Reservoir {
    fn empty() -> Self {
        Reservoir {
            center: Coord { x: 0.0, y: 0.0 },
            ring: Vec::new(),
            level: 0.0,
            dam: Coord { x: 0.0, y: 0.0 },
            dam_height: 0.0,
            volume_m3: 0.0,
            up: Coord { x: 0.0, y: 1.0 },
            bbox: (0.0, 0.0, -1.0, -1.0),
        }
    }

    #[inline]
    fn near_bbox(&self, x: f64, y: f64, m: f64) -> bool {
        let (x0, y0, x1, y1) = self.bbox;
        x >= x0 - m && x <= x1 + m && y >= y0 - m && y <= y1 + m
    }

    /// True on the water surface (inside the shoreline).
    pub fn contains(&self, x: f64, y: f64) -> bool {
        if !self.near_bbox(x, y, 0.0) {
            return false;
        }
        let mut inside = false;
        for w in self.ring.windows(2) {
            let (a, b) = (w[0], w[1]);
            if (a.y > y) != (b.y > y) && x < a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x) {
                inside = !inside;
            }
        }
        inside
    }

    /// Distance (m) to the shoreline.
    pub fn shore_distance(&self, x: f64, y: f64) -> f64 {
        let p = Coord { x, y };
        self.ring
            .windows(2)
            .map(|w| seg_dist(p, w[0], w[1]))
            .fold(f64::INFINITY, f64::min)
    }

    /// Normalised distance from the water: < 1 on the water surface, 1 + d/500 m
    /// outside (so 1.3 is 150 m from the shore); ≥ 3 far away.
    pub fn rel_radius(&self, x: f64, y: f64) -> f64 {
        if !self.near_bbox(x, y, 1_000.0) {
            return 3.0;
        }
        if self.contains(x, y) {
            return 0.5;
        }
        (1.0 + self.shore_distance(x, y) / 500.0).min(3.0)
    }

    /// The shoreline as a closed ring (counter-clockwise).
    pub fn shoreline(&self) -> Vec<Coord> {
        self.ring.clone()
    }

    /// True upstream of the dam line.
    #[inline]
    fn upstream(&self, x: f64, y: f64) -> bool {
        (x - self.dam.x) * self.up.x + (y - self.dam.y) * self.up.y > 0.0
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

/// The demo county's landscape for one seed: terrain, rivers, faults, reservoir and
/// town as functions of `(x, y)` in the census CRS (EPSG:4548, metres).
pub struct Landscape {
    /// The seed's base noise field; writers derive independent fields from it.
    pub noise: Noise,
    n_north: Noise,
    n_east: Noise,
    n_south: Noise,
    n_relief: Noise,
    n_warp: Noise,
    n_spur: Noise,
    n_micro: Noise,
    /// Centre of the county town, on the plain at the foot of the northern range.
    pub town: Coord,
    /// The meander-belt axes of the two main rivers: (y at the east end, noise).
    axes: [(f64, Noise); 2],
    /// The two main rivers, then their tributaries.
    pub rivers: Vec<River>,
    /// The two faults (`F1`, `F2`).
    pub faults: Vec<Fault>,
    /// The reservoir in a northern tributary valley.
    pub reservoir: Reservoir,
    index: SegIndex,
}

/// Influence radius of a valley (m) beyond which rivers do not shape terrain.
const VALLEY_MAX: f64 = 1_700.0;
/// Regional westward slope of the plain (m/m).
const WEST_SLOPE: f64 = 1.8e-3;
/// Lateral slope of the plain toward the nearest main-river axis (m/m).
const LATERAL_SLOPE: f64 = 1.3e-3;
/// Amplitude of the plain's micro-relief (m).
const MICRO: f64 = 1.2;

impl Landscape {
    /// Build the landscape of `seed`: rivers, their index, the reservoir and the
    /// faults. The same seed gives the same landscape.
    pub fn new(seed: u64) -> Self {
        let noise = Noise::new(seed);
        let mut l = Landscape {
            noise,
            n_north: noise.derive(1),
            n_east: noise.derive(2),
            n_south: noise.derive(3),
            n_relief: noise.derive(4),
            n_warp: noise.derive(5),
            n_spur: noise.derive(6),
            n_micro: noise.derive(7),
            town: Coord {
                x: 498_500.0,
                y: 4_011_200.0,
            },
            axes: [(0.0, noise.derive(11)), (4_001_300.0, noise.derive(12))],
            rivers: Vec::new(),
            faults: Vec::new(),
            reservoir: Reservoir::empty(),
            index: SegIndex {
                cell: 1000.0,
                x0: 0.0,
                y0: 0.0,
                nx: 0,
                ny: 0,
                buckets: Vec::new(),
            },
        };
        // The town sits 3 km below the range front, 泮汶河 3 km south of the town.
        l.town.y = l.north_edge(l.town.x) - 3_300.0;
        l.axes[0].0 = l.town.y - 3_100.0;
        l.build_rivers();
        l.build_index();
        l.build_reservoir();
        l.build_faults();
        l
    }

    /// y of the foot of the northern range at easting x (before the domain warp).
    pub fn north_edge(&self, x: f64) -> f64 {
        4_014_500.0
            + 1_100.0 * self.n_north.line(x, 9_000.0, 3)
            + 2_600.0 * smoothstep((492_000.0 - x) / 8_000.0)
    }

    /// x of the foot of the eastern hills at northing y (before the domain warp).
    pub fn east_edge(&self, y: f64) -> f64 {
        506_800.0 + 4_500.0 * self.n_east.line(y, 8_000.0, 4)
    }

    /// y of the foot of the southern hills at easting x (they fade out westward;
    /// before the domain warp).
    pub fn south_edge(&self, x: f64) -> f64 {
        3_999_000.0 + 3_000.0 * self.n_south.line(x, 8_000.0, 4)
            - 5_500.0 * smoothstep((495_000.0 - x) / 8_000.0)
    }

    /// Strength of the three hill belts at (x, y): (north, east, south) in [0, 1].
    /// The coordinates are domain-warped (≈ ±1.4 km) and a spur field shifts the
    /// belts by up to ≈ ±1.2 km, so the hill foot is irregular: spurs reach into the
    /// plain and embayments into the hills.
    #[inline]
    pub fn belts(&self, x: f64, y: f64) -> (f64, f64, f64) {
        let u = x + 1_400.0 * self.n_warp.fbm(x, y, 6_000.0, 3);
        let v = y + 1_400.0 * self.n_warp.fbm(x + 7.3e5, y - 2.1e5, 6_000.0, 3);
        let sp = 0.35 * self.n_spur.fbm(x, y, 2_600.0, 3);
        (
            smoothstep((v - self.north_edge(u)) / 3_500.0 + sp),
            smoothstep((u - self.east_edge(v)) / 4_000.0 + sp),
            smoothstep((self.south_edge(u) - v) / 3_000.0 + sp),
        )
    }

    /// Hill mask in [0, 1]: 0 on the plain, 1 in the heart of the hills.
    #[inline]
    pub fn hill(&self, x: f64, y: f64) -> f64 {
        let (n, e, s) = self.belts(x, y);
        n.max(e).max(s)
    }

    /// y of the meander-belt axis of main river `k` at easting x.
    #[inline]
    fn axis_y(&self, k: usize, x: f64) -> f64 {
        let (y0, n) = self.axes[k];
        y0 + 850.0 * n.line(x, 7_000.0, 3)
    }

    /// Regional plain level (m) at easting x: falls 1.8 m/km westward.
    #[inline]
    fn regional(x: f64) -> f64 {
        30.0 + WEST_SLOPE * (x - X0)
    }

    /// Plain surface without micro-relief (m): the regional westward slope plus a
    /// lateral slope toward the nearest main-river axis.
    #[inline]
    fn plain(&self, x: f64, y: f64) -> f64 {
        let d = (y - self.axis_y(0, x))
            .abs()
            .min((y - self.axis_y(1, x)).abs());
        Self::regional(x) + LATERAL_SLOPE * ((d * d + 250.0 * 250.0).sqrt() - 250.0)
    }

    /// Terrain before rivers carve it, without micro-relief and without the fine
    /// hill texture; `belts` at (x, y). Returns (smooth surface, hill texture).
    #[inline]
    fn uncarved_parts(&self, x: f64, y: f64, (n, e, s): (f64, f64, f64)) -> (f64, f64) {
        let m = n.max(e).max(s);
        let mut z = self.plain(x, y);
        let mut tex = 0.0;
        if m > 0.0 {
            let relief = (n * 1_350.0).max(e * 820.0).max(s * 620.0);
            let r = self.n_relief.ridged(x, y, 7_000.0, 6);
            z += relief * (0.25 + 0.75 * r) + m * 110.0 * self.n_relief.fbm(x, y, 3_000.0, 4);
            tex = m * 60.0 * self.noise.fbm(x, y, 900.0, 4);
        }
        (z, tex)
    }

    fn uncarved(&self, x: f64, y: f64) -> f64 {
        let (z, tex) = self.uncarved_parts(x, y, self.belts(x, y));
        z + tex
    }

    /// Cross-section of a carved valley: height above the bed at distance `d` (m)
    /// from the centre line of a channel of half width `hw`, with hill mask `m`:
    /// 2.5 m banks, then a floodplain rising 2.5 m/km on the plain or V-shaped sides
    /// (≈ 39°) in the hills, steepening beyond 1.2 km so the valley closes before
    /// `VALLEY_MAX`; a flat floor of half width `floor` beyond the channel.
    #[inline]
    fn profile(d: f64, hw: f64, floor: f64, m: f64) -> f64 {
        let e = (d - hw - floor).max(0.0);
        2.5 * smoothstep(e / (hw + 25.0))
            + (0.0025 + 0.8 * m) * e
            + 2_500.0 * smoothstep((d - 0.6 * VALLEY_MAX) / (0.4 * VALLEY_MAX))
    }

    /// Terrain without the reservoir (m): the uncarved surface, valleys carved along
    /// every river, then the plain's micro-relief fading out toward the channels.
    pub fn terrain(&self, x: f64, y: f64) -> f64 {
        let b = self.belts(x, y);
        let m = b.0.max(b.1).max(b.2);
        let (z, tex) = self.uncarved_parts(x, y, b);
        let mut z = z + tex;
        let (dmin, carve, bed) = self.carve(x, y, m);
        // The broad valley: the hillside scaled toward the nearest river's bed (keeps
        // the ridges and texture of the hills; where the ground is below the bed, a
        // valley fill lifts it to the bed), then the valley floor and banks cut by
        // the minimum with the cross-section.
        let w = 300.0 + 1_150.0 * m;
        if dmin < w {
            let t = 1.0 - dmin / w;
            z = bed + (z - bed) * (1.0 - t * t);
        }
        let mut z = z.min(carve);
        if m < 1.0 {
            // Micro-relief of the plain, fading out at the rivers and in the hills.
            z += MICRO
                * (1.0 - m)
                * smoothstep((dmin - 60.0) / 500.0)
                * self.n_micro.fbm(x, y, 4_500.0, 2);
        }
        z
    }

    /// Elevation (m above sea level) at (x, y): the carved terrain with the
    /// reservoir's flat water surface; the shore rises from the water.
    pub fn elevation(&self, x: f64, y: f64) -> f64 {
        let z = self.terrain(x, y);
        let r = &self.reservoir;
        if r.near_bbox(x, y, 120.0) && r.upstream(x, y) {
            if r.contains(x, y) {
                return r.level;
            }
            if z < r.level + 0.5 && r.shore_distance(x, y) < 90.0 {
                return r.level + 0.5;
            }
        }
        z
    }

    /// Slope (degrees) by central differences over `h` metres.
    pub fn slope_deg(&self, x: f64, y: f64, h: f64) -> f64 {
        let dzdx = (self.elevation(x + h, y) - self.elevation(x - h, y)) / (2.0 * h);
        let dzdy = (self.elevation(x, y + h) - self.elevation(x, y - h)) / (2.0 * h);
        (dzdx * dzdx + dzdy * dzdy).sqrt().atan().to_degrees()
    }

    #[inline]
    fn bucket(&self, x: f64, y: f64) -> Option<&[(u16, u32)]> {
        let ix = ((x - self.index.x0) / self.index.cell).floor();
        let iy = ((y - self.index.y0) / self.index.cell).floor();
        if ix < 0.0 || iy < 0.0 || ix as usize >= self.index.nx || iy as usize >= self.index.ny {
            return None;
        }
        Some(&self.index.buckets[iy as usize * self.index.nx + ix as usize])
    }

    /// (distance to the nearest river within `VALLEY_MAX`, min over rivers of
    /// bed + profile, bed at the nearest point); (∞, ∞, ∞) away from rivers.
    #[inline]
    fn carve(&self, x: f64, y: f64, m: f64) -> (f64, f64, f64) {
        let Some(b) = self.bucket(x, y) else {
            return (f64::INFINITY, f64::INFINITY, f64::INFINITY);
        };
        let mut near_bed = f64::INFINITY;
        let mut best_d2 = VALLEY_MAX * VALLEY_MAX;
        let mut best_z = f64::INFINITY;
        // Per river: nearest segment (d², bed); a river's valley is shaped by its
        // nearest point only.
        let mut cur: Option<(u16, f64, f64, f64)> = None;
        let flush = |c: Option<(u16, f64, f64, f64)>, best_z: &mut f64| {
            if let Some((ri, d2, bed, floor)) = c {
                if d2 < VALLEY_MAX * VALLEY_MAX {
                    let hw = self.rivers[ri as usize].half_width;
                    *best_z = best_z.min(bed + Self::profile(d2.sqrt(), hw, floor, m));
                }
            }
        };
        for &(ri, si) in b {
            if cur.is_some_and(|c| c.0 != ri) {
                flush(cur.take(), &mut best_z);
            }
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
            if cur.is_none_or(|c| d2 < c.1) {
                let (i, j) = (si as usize, si as usize + 1);
                let bed = r.bed[i] + t * (r.bed[j] - r.bed[i]);
                let floor = r.floor[i] + t * (r.floor[j] - r.floor[i]);
                cur = Some((ri, d2, bed, floor));
            }
            if d2 < best_d2 {
                best_d2 = d2;
                near_bed = cur.map_or(f64::INFINITY, |c| c.2);
            }
        }
        flush(cur, &mut best_z);
        (best_d2.sqrt(), best_z, near_bed)
    }

    /// Nearest river within the valley influence radius: (distance m, bed elevation
    /// at the nearest point, river index).
    pub fn nearest_river(&self, x: f64, y: f64) -> Option<(f64, f64, usize)> {
        let b = self.bucket(x, y)?;
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

    fn build_rivers(&mut self) {
        // Two main stems digitised east → west (flow direction), meandering about a
        // gently curving axis (sine-generated curves, Langbein & Leopold 1966, with
        // Kinoshita's skewing terms), less sinuous in the eastern hills.
        let mains: [(&str, &'static str, f64, f64); 2] = [
            ("AFB10", "泮汶河", 45.0, 1_050.0),
            ("AFA10", "汶阳河", 60.0, 1_300.0),
        ];
        for (k, (code, name, hw, lambda)) in mains.into_iter().enumerate() {
            let n = self.noise.derive(13 + k as u64);
            let axis: Vec<Coord> = (0..=((X1 - X0 + 3_000.0) / 100.0) as usize)
                .map(|i| {
                    let x = X1 + 1_500.0 - 100.0 * i as f64;
                    Coord {
                        x,
                        y: self.axis_y(k, x),
                    }
                })
                .collect();
            let pts = self.confine(meander(&axis, 40.0, lambda, n, |p, _| {
                1.2 * (1.0 - 0.85 * self.hill(p.x, p.y))
            }));
            // Bed: 3 m below the regional plain, rising into the eastern hills,
            // then forced to fall at least 0.1 m/km along the channel.
            let target: Vec<f64> = pts
                .iter()
                .map(|p| {
                    Self::regional(p.x) - 3.0 + 120.0 * smoothstep((p.x - 507_000.0) / 12_000.0)
                })
                .collect();
            let bed = monotone(&pts, &target, f64::NEG_INFINITY);
            self.rivers.push(River {
                code: code.to_string(),
                name,
                grade: "干流",
                floor: pts.iter().map(|p| 40.0 * self.hill(p.x, p.y)).collect(),
                pts,
                bed,
                half_width: hw,
            });
        }
        // Tributaries: (name, main index, source x, source offset into the hills,
        // confluence x). Northern ones drain the range into 泮汶河, southern ones the
        // southern hills into 汶阳河, one drains the eastern hills. Each follows a
        // curved course that joins the main stem at ≈ 45° pointing downstream (west),
        // with meanders fading out toward the confluence.
        let tribs: [(&'static str, usize, f64, f64, f64); 5] = [
            ("北沙河", 0, 490_500.0, 4_200.0, 488_600.0),
            ("明堂河", 0, 502_200.0, 5_600.0, 500_600.0),
            ("石峪河", 0, 510_200.0, 5_000.0, 507_800.0),
            ("南峪河", 1, 504_000.0, -4_200.0, 502_000.0),
            ("龙泉河", 1, 499_000.0, -3_000.0, 496_400.0),
        ];
        for (i, (name, mi, sx, off, cx)) in tribs.into_iter().enumerate() {
            let n = self.noise.derive(20 + i as u64);
            let side = off.signum();
            let sy = if off > 0.0 {
                (self.north_edge(sx) + off).min(Y1 - 400.0)
            } else {
                (self.south_edge(sx) + off).max(Y0 + 400.0)
            };
            let s = Coord { x: sx, y: sy };
            // Confluence: the main-stem vertex nearest to cx where the channel runs
            // (nearly) west, i.e. down the valley.
            let main = &self.rivers[mi];
            let dir = |j: usize| {
                let (a, b) = (
                    main.pts[j.saturating_sub(3)],
                    main.pts[(j + 3).min(main.pts.len() - 1)],
                );
                let dl = dist(a, b).max(1.0);
                Coord {
                    x: (b.x - a.x) / dl,
                    y: (b.y - a.y) / dl,
                }
            };
            let ci = (0..main.pts.len())
                .filter(|&j| dir(j).x < -0.9)
                .min_by(|&a, &b| {
                    (main.pts[a].x - cx)
                        .abs()
                        .total_cmp(&(main.pts[b].x - cx).abs())
                })
                .unwrap_or(0);
            let (c, cbed) = (main.pts[ci], main.bed[ci]);
            let down = dir(ci);
            // Normal toward the tributary's side.
            let mut nrm = Coord {
                x: -down.y,
                y: down.x,
            };
            if nrm.y * side < 0.0 {
                nrm = Coord {
                    x: -nrm.x,
                    y: -nrm.y,
                };
            }
            let len = dist(s, c);
            // Quadratic Bézier S → Q → C: the tangent at C is Q→C, 45° off the main.
            let q0 = Coord {
                x: c.x + 0.45 * len * 0.707 * (nrm.x - down.x),
                y: c.y + 0.45 * len * 0.707 * (nrm.y - down.y),
            };
            let m = 120;
            let axis: Vec<Coord> = (0..=m)
                .map(|j| {
                    let t = j as f64 / m as f64;
                    let u = 1.0 - t;
                    let p = Coord {
                        x: u * u * s.x + 2.0 * u * t * q0.x + t * t * c.x,
                        y: u * u * s.y + 2.0 * u * t * q0.y + t * t * c.y,
                    };
                    // Low-frequency wandering of the valley, zero at both ends.
                    let w = (std::f64::consts::PI * t).sin().powi(2)
                        * 600.0
                        * n.line(t * len, 3_500.0, 2);
                    Coord {
                        x: p.x + w * 0.707,
                        y: p.y + w * 0.707,
                    }
                })
                .collect();
            let pts = self.confine(meander(&axis, 30.0, 520.0, n.derive(1), |p, rest| {
                0.95 * (1.0 - 0.8 * self.hill(p.x, p.y)) * smoothstep((rest - 150.0) / 900.0)
            }));
            // Where the course first comes within 150 m of the main stem (it may
            // clip a meander loop upstream of the planned confluence), it joins
            // there, at the main-stem vertex nearest to it.
            let (pts, c, cbed) = {
                let main = &self.rivers[mi];
                let near = |p: Coord| {
                    main.pts
                        .iter()
                        .enumerate()
                        .map(|(j, q)| (dist(p, *q), j))
                        .fold((f64::INFINITY, 0), |a, b| if b.0 < a.0 { b } else { a })
                };
                match pts[..pts.len() - 1].iter().position(|p| near(*p).0 < 150.0) {
                    Some(k) if k > 0 => {
                        let j = near(pts[k]).1;
                        let mut v = pts[..k].to_vec();
                        v.push(main.pts[j]);
                        (v, main.pts[j], main.bed[j])
                    }
                    _ => (pts, c, cbed),
                }
            };
            let src_bed = cbed + 0.85 * (self.uncarved(sx, sy) - cbed).max(0.0);
            let total: f64 = pts.windows(2).map(|w| dist(w[0], w[1])).sum();
            let mut acc = 0.0;
            let target: Vec<f64> = pts
                .iter()
                .enumerate()
                .map(|(j, p)| {
                    if j > 0 {
                        acc += dist(pts[j - 1], *p);
                    }
                    let t = acc / total;
                    // Concave long profile, kept 2.5 m below the plain surface.
                    let prof = cbed + (src_bed - cbed) * (1.0 - t).powf(1.6);
                    let hill = self.hill(p.x, p.y);
                    // Near the confluence the bed falls 2 m/km onto the main bed, and
                    // stays 0.3 m below the main stem's valley where the two run close.
                    prof.min(
                        self.plain(p.x, p.y) - 2.5 + 40.0 * hill + 3_000.0 * (hill - 0.3).max(0.0),
                    )
                    .min(cbed + 0.002 * (total - acc) + 0.5 * (total - acc - 300.0).max(0.0))
                    .min(self.main_carve(mi, *p, hill) - 0.3)
                })
                .collect();
            let mut bed = monotone(&pts, &target, cbed);
            *bed.last_mut().unwrap() = cbed;
            let mut pts = pts;
            *pts.last_mut().unwrap() = c;
            self.rivers.push(River {
                code: format!("{}{:02}", &self.rivers[mi].code[..3], 11 + i),
                name,
                grade: "一级支流",
                floor: pts.iter().map(|p| 40.0 * self.hill(p.x, p.y)).collect(),
                pts,
                bed,
                half_width: 12.0,
            });
        }
    }

    /// The carved valley surface of main stem `mi` alone at p (m), by brute force.
    fn main_carve(&self, mi: usize, p: Coord, m: f64) -> f64 {
        let r = &self.rivers[mi];
        let mut best = (f64::INFINITY, 0.0, 0.0);
        for (i, w) in r.pts.windows(2).enumerate() {
            let (vx, vy) = (w[1].x - w[0].x, w[1].y - w[0].y);
            let l2 = vx * vx + vy * vy;
            let t = if l2 > 0.0 {
                (((p.x - w[0].x) * vx + (p.y - w[0].y) * vy) / l2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let d2 = (w[0].x + t * vx - p.x).powi(2) + (w[0].y + t * vy - p.y).powi(2);
            if d2 < best.0 {
                let bed = r.bed[i] + t * (r.bed[i + 1] - r.bed[i]);
                let floor = r.floor[i] + t * (r.floor[i + 1] - r.floor[i]);
                best = (d2, bed, floor);
            }
        }
        if best.0 > VALLEY_MAX * VALLEY_MAX {
            return f64::INFINITY;
        }
        best.1 + Self::profile(best.0.sqrt(), r.half_width, best.2, m)
    }

    /// In the hills channels are confined: smooth away the short bends (so the
    /// valley sides do not echo every bend); the ends stay put.
    fn confine(&self, pts: Vec<Coord>) -> Vec<Coord> {
        let n = pts.len();
        let k = 8usize;
        let mut out = pts.clone();
        for j in 1..n.saturating_sub(1) {
            let (a, b) = (j.saturating_sub(k), (j + k).min(n - 1));
            let w = (b - a + 1) as f64;
            let avg = pts[a..=b]
                .iter()
                .fold(Coord { x: 0.0, y: 0.0 }, |s, p| Coord {
                    x: s.x + p.x / w,
                    y: s.y + p.y / w,
                });
            let h = smoothstep(self.hill(pts[j].x, pts[j].y) / 0.5)
                * smoothstep(j.min(n - 1 - j) as f64 / k as f64);
            out[j] = Coord {
                x: pts[j].x + h * (avg.x - pts[j].x),
                y: pts[j].y + h * (avg.y - pts[j].y),
            };
        }
        out
    }

    fn build_index(&mut self) {
        let cell = 500.0;
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
                        // Keep the segment only if it can come within VALLEY_MAX of
                        // the bucket (distance between the boxes).
                        let (qx0, qy0) = (x0 + cx as f64 * cell, y0 + cy as f64 * cell);
                        let gx = (qx0 - w[0].x.max(w[1].x))
                            .max(w[0].x.min(w[1].x) - (qx0 + cell))
                            .max(0.0);
                        let gy = (qy0 - w[0].y.max(w[1].y))
                            .max(w[0].y.min(w[1].y) - (qy0 + cell))
                            .max(0.0);
                        if gx * gx + gy * gy < VALLEY_MAX * VALLEY_MAX {
                            buckets[cy * nx + cx].push((ri as u16, si as u32));
                        }
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

    /// 岱北水库 on 明堂河 (river 3): a dam where the valley leaves the range, the
    /// valley upstream flooded to the normal level (26 m above the bed at the dam).
    fn build_reservoir(&mut self) {
        let r = &self.rivers[3];
        // The dam: the downstream-most point in the hills where both valley sides
        // stand at least 40 m above the water level 300 m and 600 m from the channel.
        let j0 = r
            .pts
            .iter()
            .rposition(|p| self.hill(p.x, p.y) > 0.5)
            .unwrap_or(r.pts.len() / 3)
            .max(12);
        let j = (12..=j0)
            .rev()
            .find(|&j| {
                let (a, b) = (r.pts[j - 1], r.pts[j + 1]);
                let l = dist(a, b).max(1.0);
                let (nx, ny) = (-(b.y - a.y) / l, (b.x - a.x) / l);
                [-600.0, -300.0, 300.0, 600.0].iter().all(|&o| {
                    self.terrain(r.pts[j].x + o * nx, r.pts[j].y + o * ny) > r.bed[j] + 66.0
                })
            })
            .unwrap_or(j0);
        // Upstream of the dam (which sits in a gorge) the valley opens into a basin:
        // a flat floor up to 320 m wide each side and a bed falling only 6 m/km over
        // 2.8 km, so the lake fills a valley rather than a canyon.
        {
            let r = &mut self.rivers[3];
            let (bed_j, mut up_s) = (r.bed[j], 0.0);
            for k in (0..j).rev() {
                up_s += dist(r.pts[k], r.pts[k + 1]);
                if up_s > 2_800.0 {
                    break;
                }
                r.bed[k] = r.bed[k].min(bed_j + 0.006 * up_s);
                r.floor[k] = r.floor[k].max(0.0)
                    + 320.0
                        * smoothstep((up_s - 150.0) / 700.0)
                        * smoothstep((2_800.0 - up_s) / 1_400.0);
            }
            r.bed = slope_limit(&r.pts, &r.bed, MAX_BED_SLOPE);
        }
        let r = &self.rivers[3];
        let dam = r.pts[j];
        let bed = r.bed[j];
        let back = r.pts[j - 12];
        let dl = dist(back, dam);
        let up = Coord {
            x: (back.x - dam.x) / dl,
            y: (back.y - dam.y) / dl,
        };
        let level = ((bed + 26.0) * 10.0).round() / 10.0;
        // Flood fill of the terrain below the level, upstream of the dam line, on a
        // 30 m lattice centred on the dam. Cells are evaluated on demand.
        let h = 30.0;
        let half = 140i64;
        let side = (2 * half + 1) as usize;
        let mut state = vec![0u8; side * side]; // 0 unknown, 1 water, 2 dry
        let at = |i: i64, j: i64| Coord {
            x: dam.x + i as f64 * h,
            y: dam.y + j as f64 * h,
        };
        let start = (
            (up.x * 60.0 / h).round() as i64,
            (up.y * 60.0 / h).round() as i64,
        );
        let reach = &self.rivers[3].pts[..=j];
        let mut stack = vec![start];
        let mut volume = 0.0;
        let (mut sx, mut sy, mut nw) = (0.0, 0.0, 0.0f64);
        while let Some((i, jj)) = stack.pop() {
            if i.abs() >= half || jj.abs() >= half {
                continue;
            }
            let k = ((jj + half) as usize) * side + (i + half) as usize;
            if state[k] != 0 {
                continue;
            }
            let p = at(i, jj);
            let upstream = (p.x - dam.x) * up.x + (p.y - dam.y) * up.y > 0.0
                && reach.windows(2).any(|w| seg_dist(p, w[0], w[1]) < 1_500.0);
            let z = if upstream {
                self.terrain(p.x, p.y)
            } else {
                f64::INFINITY
            };
            if z < level {
                state[k] = 1;
                volume += (level - z) * h * h;
                sx += p.x;
                sy += p.y;
                nw += 1.0;
                stack.extend([(i + 1, jj), (i - 1, jj), (i, jj + 1), (i, jj - 1)]);
            } else {
                state[k] = 2;
            }
        }
        let water = |i: i64, j: i64| {
            i.abs() < half
                && j.abs() < half
                && state[((j + half) as usize) * side + (i + half) as usize] == 1
        };
        let ring = trace_outline(half, &water);
        let mut ring: Vec<Coord> = ring
            .into_iter()
            .map(|(i, j)| Coord {
                x: dam.x + (i as f64 - 0.5) * h,
                y: dam.y + (j as f64 - 0.5) * h,
            })
            .collect();
        for _ in 0..2 {
            ring = chaikin(&ring);
        }
        let bbox = ring.iter().fold(
            (
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ),
            |b, p| (b.0.min(p.x), b.1.min(p.y), b.2.max(p.x), b.3.max(p.y)),
        );
        self.reservoir = Reservoir {
            center: Coord {
                x: sx / nw.max(1.0),
                y: sy / nw.max(1.0),
            },
            ring,
            level,
            dam,
            dam_height: ((level - bed + 2.5) * 10.0).round() / 10.0,
            volume_m3: volume,
            up,
            bbox,
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

/// Distance between two points.
#[inline]
pub fn dist(a: Coord, b: Coord) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
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

/// A meandering channel along a valley axis (digitised in flow direction): steps of
/// `ds` metres whose direction is the heading toward a look-ahead point on the axis
/// plus a sine-generated deflection ω·sin θ (Langbein & Leopold 1966) with
/// Kinoshita's skewing and flattening terms ω³(Js cos 3θ − Jf sin 3θ); θ advances
/// 2π per wavelength `lambda` (varied ±30 % by seeded noise). `omega(p, rest)`
/// gives the maximum deflection (radians) at p with `rest` metres of axis left.
/// Ends exactly at the last axis point.
fn meander(
    axis: &[Coord],
    ds: f64,
    lambda: f64,
    n: Noise,
    omega: impl Fn(Coord, f64) -> f64,
) -> Vec<Coord> {
    // Cumulative axis length.
    let mut cum = vec![0.0; axis.len()];
    for i in 1..axis.len() {
        cum[i] = cum[i - 1] + dist(axis[i - 1], axis[i]);
    }
    let total = *cum.last().unwrap();
    let end = *axis.last().unwrap();
    let look = 0.9 * lambda;
    let mut p = axis[0];
    let mut pts = vec![p];
    let (mut k, mut s, mut theta) = (0usize, 0.0, 0.0f64);
    let (js, jf) = (0.03 + 0.02 * n.line(1.0e6, 9_000.0, 1), 0.02);
    while pts.len() < 100_000 {
        while k + 1 < axis.len() && dist(axis[k + 1], p) <= dist(axis[k], p) {
            k += 1;
        }
        let rest = total - cum[k];
        if dist(p, end) < 1.5 * ds || (k + 1 == axis.len()) {
            break;
        }
        let mut j = k;
        while j + 1 < axis.len() && cum[j] - cum[k] < look {
            j += 1;
        }
        let tgt = axis[j];
        let base = (tgt.y - p.y).atan2(tgt.x - p.x);
        let w = omega(p, rest) * (1.0 + 0.2 * n.line(s + 3.0e5, 4_000.0, 2));
        let phi = base
            + w * theta.sin()
            + w.powi(3) * (js * (3.0 * theta).cos() - jf * (3.0 * theta).sin());
        let (sn, cs) = phi.sin_cos();
        p = Coord {
            x: p.x + ds * cs,
            y: p.y + ds * sn,
        };
        pts.push(p);
        s += ds;
        theta += std::f64::consts::TAU * ds / (lambda * (1.0 + 0.3 * n.line(s, 5_000.0, 2)));
    }
    if dist(*pts.last().unwrap(), end) > 0.3 * ds {
        pts.push(end);
    } else {
        *pts.last_mut().unwrap() = end;
    }
    pts
}

/// Bed elevations along `pts` that follow `target` but fall at least 0.1 m/km
/// downstream and stay at or above `floor` + 0.1 m/km × the remaining length.
fn monotone(pts: &[Coord], target: &[f64], floor: f64) -> Vec<f64> {
    let eps = 1.0e-4;
    let target = slope_limit(pts, target, MAX_BED_SLOPE);
    let mut bed = Vec::with_capacity(pts.len());
    for (j, &t) in target.iter().enumerate() {
        let b = if j == 0 {
            t
        } else {
            t.min(bed[j - 1] - eps * dist(pts[j - 1], pts[j]))
        };
        bed.push(b);
    }
    if floor.is_finite() {
        let mut rest = 0.0;
        for j in (0..pts.len()).rev() {
            if j + 1 < pts.len() {
                rest += dist(pts[j], pts[j + 1]);
            }
            bed[j] = bed[j].max(floor + eps * rest);
        }
    }
    bed
}

/// Steepest bed gradient (m/m) a knick point may have.
const MAX_BED_SLOPE: f64 = 0.2;

/// Lower `z` upstream of any drop so that no reach is steeper than `smax`
/// (a backward pass: z[i] ≤ z[i+1] + smax × segment length).
fn slope_limit(pts: &[Coord], z: &[f64], smax: f64) -> Vec<f64> {
    let mut out = z.to_vec();
    for i in (0..out.len().saturating_sub(1)).rev() {
        out[i] = out[i].min(out[i + 1] + smax * dist(pts[i], pts[i + 1]));
    }
    out
}

/// Outline of the cells where `water(i, j)` holds (lattice indices in
/// −half..half), as a closed ring of cell-corner indices, counter-clockwise, water
/// on the left. Corner (i, j) is the lower-left corner of cell (i, j). Only the
/// outer ring of the component touching the lowest-leftmost water cell.
fn trace_outline(half: i64, water: &dyn Fn(i64, i64) -> bool) -> Vec<(i64, i64)> {
    use std::collections::BTreeMap;
    let mut out: BTreeMap<(i64, i64), Vec<(i64, i64)>> = BTreeMap::new();
    let mut first: Option<(i64, i64)> = None;
    for j in -half..half {
        for i in -half..half {
            if !water(i, j) {
                continue;
            }
            if first.is_none() {
                first = Some((i, j));
            }
            let mut e = |a: (i64, i64), b: (i64, i64)| out.entry(a).or_default().push(b);
            if !water(i, j - 1) {
                e((i, j), (i + 1, j));
            }
            if !water(i + 1, j) {
                e((i + 1, j), (i + 1, j + 1));
            }
            if !water(i, j + 1) {
                e((i + 1, j + 1), (i, j + 1));
            }
            if !water(i - 1, j) {
                e((i, j + 1), (i, j));
            }
        }
    }
    let Some((fi, fj)) = first else {
        return Vec::new();
    };
    let start = (fi, fj);
    let mut ring = vec![start];
    let (mut prev, mut cur) = (start, (fi + 1, fj));
    out.get_mut(&start).unwrap().retain(|&b| b != cur);
    while cur != start && ring.len() < 1_000_000 {
        ring.push(cur);
        let d = (cur.0 - prev.0, cur.1 - prev.1);
        let nexts = out.get_mut(&cur).unwrap();
        // Prefer a left turn, then straight, then right.
        let pick = [(-d.1, d.0), d, (d.1, -d.0)]
            .into_iter()
            .map(|dd| (cur.0 + dd.0, cur.1 + dd.1))
            .find(|c| nexts.contains(c))
            .unwrap_or(nexts[0]);
        nexts.retain(|&b| b != pick);
        prev = cur;
        cur = pick;
    }
    ring.push(start);
    // Drop collinear vertices.
    let mut simple = vec![ring[0]];
    for w in ring.windows(3) {
        let (a, b, c) = (w[0], w[1], w[2]);
        if (b.0 - a.0) * (c.1 - b.1) != (b.1 - a.1) * (c.0 - b.0) {
            simple.push(b);
        }
    }
    simple.push(ring[0]);
    simple
}

/// One round of Chaikin corner cutting on a closed ring.
fn chaikin(ring: &[Coord]) -> Vec<Coord> {
    let mut out = Vec::with_capacity(ring.len() * 2);
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        out.push(Coord {
            x: 0.75 * a.x + 0.25 * b.x,
            y: 0.75 * a.y + 0.25 * b.y,
        });
        out.push(Coord {
            x: 0.25 * a.x + 0.75 * b.x,
            y: 0.25 * a.y + 0.75 * b.y,
        });
    }
    out.push(out[0]);
    out
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
        for r in &l.rivers {
            for w in r.bed.windows(2) {
                assert!(w[1] < w[0], "{}: bed rises downstream", r.name);
            }
        }
        let res = &l.reservoir;
        assert!(res.contains(res.center.x, res.center.y) || res.ring.len() > 8);
        assert!(res.volume_m3 > 1.0e6, "{}", res.volume_m3);
    }

    #[test]
    fn rivers_meander() {
        let l = Landscape::new(20260101);
        for r in &l.rivers {
            println!(
                "{} sinuosity {:.2} length {:.1} km",
                r.name,
                r.sinuosity(),
                r.length() / 1e3
            );
        }
        for r in &l.rivers[..2] {
            assert!(
                (1.15..1.8).contains(&r.sinuosity()),
                "{} {}",
                r.name,
                r.sinuosity()
            );
        }
    }
}
