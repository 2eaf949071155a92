//! Administrative units of the demo county: the county boundary, 12 townships
//! (3 街道 + 9 镇, Voronoi cells of seeded seats clipped to the county) and villages
//! (seats, and synthetic boundaries 村界: the Voronoi cells of the village seats of a
//! township clipped to the township, so the villages of a township tile it).
//!
//! Codes: county `370999` (GB/T 2260 style; 3709 is the prefix of Tai'an, 99 is an
//! unused county number); townships 9 digits = county + 3 (001–099 街道, 101–199 镇,
//! as in GB/T 10114); villages 12 digits = township + 3 (001–199 社区居委会,
//! 201–399 村委会), as in the statistical division codes.

use geo::{BooleanOps, Contains, Coord, LineString, MultiPolygon, Point, Polygon};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::landscape::{Landscape, X0, X1, Y0, Y1};

/// Admin code of the demo county (6 digits, GB/T 2260 style).
pub const COUNTY_CODE: &str = "370999";
/// Chinese name of the demo county.
pub const COUNTY_NAME: &str = "演示县";

/// A township (乡级: 街道 or 镇) of the demo county. Coordinates are in the census
/// CRS (EPSG:4548, metres), `(x, y)` = (easting, northing).
#[derive(Debug, Clone)]
pub struct Township {
    /// Admin code, 9 digits (county + 001–099 for 街道, 101–199 for 镇).
    pub code: String,
    /// Chinese name, e.g. `岱阳街道`.
    pub name: &'static str,
    /// 街道 or 镇.
    pub kind: &'static str,
    /// Seat of the township government.
    pub seat: Coord,
    /// Boundary: the seat's Voronoi cell clipped to the county.
    pub area: MultiPolygon,
}

/// A village (村级: 村委会 or 社区居委会). Coordinates are in the census CRS
/// (EPSG:4548, metres).
#[derive(Debug, Clone)]
pub struct Village {
    /// Admin code, 12 digits (township + 001–199 for 社区居委会, 201–399 for 村委会).
    pub code: String,
    /// Chinese name.
    pub name: String,
    /// 村委会 or 社区居委会.
    pub kind: &'static str,
    /// Index of its township in [`Admin::townships`].
    pub township: usize,
    /// The village seat.
    pub pos: Coord,
    /// Resident population (persons).
    pub population: u32,
    /// In the hills (hill mask > 0.35).
    pub upland: bool,
    /// Synthetic boundary (村界): the seat's Voronoi cell among the seats of its
    /// township, clipped to the township ([`village_areas`]).
    pub area: MultiPolygon,
}

/// The admin units of the demo county, census CRS (EPSG:4548, metres).
pub struct Admin {
    /// The county boundary.
    pub county: Polygon,
    /// The 12 townships, 街道 first.
    pub townships: Vec<Township>,
    /// Every village, with the index of its township.
    pub villages: Vec<Village>,
}

impl Admin {
    /// Index in [`Admin::townships`] of the township whose boundary contains `p`
    /// (strictly inside; `None` on a boundary or outside the county).
    pub fn township_of(&self, p: Coord) -> Option<usize> {
        let pt = Point::from(p);
        self.townships.iter().position(|t| t.area.contains(&pt))
    }

    /// True when `p` lies inside the county boundary.
    pub fn in_county(&self, p: Coord) -> bool {
        self.county.contains(&Point::from(p))
    }
}

const STREETS: [&str; 3] = ["岱阳街道", "明堂街道", "东湖街道"];
/// Town names ordered by compass direction from the town centre, anticlockwise
/// starting east.
const TOWNS: [&str; 9] = [
    "东岭镇",
    "石门镇",
    "北山镇",
    "良庄镇",
    "汶口镇",
    "马庄镇",
    "柳林镇",
    "南峪镇",
    "范家镇",
];
const SURNAMES: &str = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛段雷侯龙史陶贺顾毛郝龚邵万钱严武戴孔";
const PREFIXES: &str = "东西南北前后上下大小中";
const PLAIN_SUFFIX: [&str; 9] = ["家庄", "庄", "村", "店", "屯", "官庄", "家集", "家洼", "楼"];
const HILL_SUFFIX: [&str; 7] = ["家峪", "峪", "岭", "家沟", "坡", "家寨", "崖"];
const COMMUNITY_STEMS: [&str; 16] = [
    "泰和", "迎春", "灵芝", "青年", "光明", "虎山", "长城", "花园", "岱宗", "文化", "财源", "上河",
    "通天", "红门", "三里", "望岳",
];

/// Build the county boundary, townships and villages.
pub fn build(land: &Landscape, rng: &mut ChaCha8Rng) -> Admin {
    let county = county_boundary(land);
    let seats = township_seats(land, &county, rng);
    let cells = voronoi(&seats.iter().map(|s| s.0).collect::<Vec<_>>());
    let cmp = MultiPolygon::new(vec![county.clone()]);
    let mut townships: Vec<Township> = seats
        .iter()
        .zip(cells)
        .enumerate()
        .map(|(i, (&(seat, name, kind, code), cell))| {
            let area = cmp.intersection(&MultiPolygon::new(vec![cell]));
            let _ = i;
            Township {
                code: format!("{COUNTY_CODE}{code:03}"),
                name,
                kind,
                seat,
                area,
            }
        })
        .collect();
    townships.sort_by(|a, b| a.code.cmp(&b.code));
    let mut admin = Admin {
        county,
        townships,
        villages: Vec::new(),
    };
    admin.villages = villages(land, &admin, rng);
    let areas = village_areas(&admin);
    for (v, a) in admin.villages.iter_mut().zip(areas) {
        v.area = a;
    }
    admin
}

/// Village boundaries (村界), synthetic: per township, the Voronoi cells of its
/// village seats (nearest-seat regions, the same rule the census uses to give a record
/// a village when only seats are surveyed) intersected with the township polygon (geo
/// boolean ops). The cells of one township's seats cover the plane, so the villages
/// of a township tile it; every seat lies in its own cell. In `admin.villages` order.
pub fn village_areas(admin: &Admin) -> Vec<MultiPolygon> {
    let mut out = vec![MultiPolygon::new(vec![]); admin.villages.len()];
    for (ti, t) in admin.townships.iter().enumerate() {
        let idx: Vec<usize> = (0..admin.villages.len())
            .filter(|&i| admin.villages[i].township == ti)
            .collect();
        let pts: Vec<Coord> = idx.iter().map(|&i| admin.villages[i].pos).collect();
        for (&i, cell) in idx.iter().zip(voronoi(&pts)) {
            out[i] = t.area.intersection(&MultiPolygon::new(vec![cell]));
        }
    }
    out
}

/// Area of the county polygon (m²): the city the demo models covers ≈ 815 km².
pub const COUNTY_AREA_M2: f64 = 815.0e6;

/// An irregular county boundary filling most of the study area: a star-shaped ring
/// around the area centre whose radius follows the rectangle with a seeded wobble,
/// scaled about the centre to exactly [`COUNTY_AREA_M2`].
fn county_boundary(land: &Landscape) -> Polygon {
    let (cx, cy) = ((X0 + X1) / 2.0, (Y0 + Y1) / 2.0);
    let n = 360;
    let nz = land.noise.derive(60);
    let mut ring: Vec<Coord> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            let (s, c) = a.sin_cos();
            // Distance from the centre to the rectangle edge along this ray.
            let tx = if c.abs() > 1e-12 {
                ((X1 - X0) / 2.0) / c.abs()
            } else {
                f64::INFINITY
            };
            let ty = if s.abs() > 1e-12 {
                ((Y1 - Y0) / 2.0) / s.abs()
            } else {
                f64::INFINITY
            };
            let edge = tx.min(ty);
            let wob = 0.5 + 0.5 * nz.line(i as f64 * 300.0, 9_000.0, 4);
            let r = edge - 250.0 - 1_400.0 * wob.clamp(0.0, 1.0);
            Coord {
                x: cx + r * c,
                y: cy + r * s,
            }
        })
        .collect();
    ring.push(ring[0]);
    let area = geo::Area::unsigned_area(&Polygon::new(LineString::new(ring.clone()), vec![]));
    let k = (COUNTY_AREA_M2 / area).sqrt();
    for p in &mut ring {
        p.x = cx + k * (p.x - cx);
        p.y = cy + k * (p.y - cy);
    }
    Polygon::new(LineString::new(ring), vec![])
}

type Seat = (Coord, &'static str, &'static str, u32);

fn township_seats(land: &Landscape, county: &Polygon, rng: &mut ChaCha8Rng) -> Vec<Seat> {
    let t = land.town;
    let mut seats: Vec<Seat> = vec![
        (
            Coord {
                x: t.x - 1_600.0,
                y: t.y + 500.0,
            },
            STREETS[0],
            "街道",
            1,
        ),
        (
            Coord {
                x: t.x + 1_500.0,
                y: t.y + 900.0,
            },
            STREETS[1],
            "街道",
            2,
        ),
        (
            Coord {
                x: t.x + 300.0,
                y: t.y - 1_500.0,
            },
            STREETS[2],
            "街道",
            3,
        ),
    ];
    let mut rural: Vec<Coord> = Vec::new();
    let mut min_d = 6_500.0;
    let mut tries = 0;
    while rural.len() < TOWNS.len() {
        tries += 1;
        if tries % 4_000 == 0 {
            min_d *= 0.9;
        }
        let p = Coord {
            x: rng.random_range(X0..X1),
            y: rng.random_range(Y0..Y1),
        };
        let far = |q: &Coord| ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt();
        if !county.contains(&Point::from(p))
            || far(&t) < min_d
            || rural.iter().any(|q| far(q) < min_d)
            || land.hill(p.x, p.y) > 0.6
            || land.reservoir.rel_radius(p.x, p.y) < 1.6
            || land.nearest_river(p.x, p.y).is_some_and(|r| r.0 < 500.0)
        {
            continue;
        }
        // Keep the seat inside the county by a margin so its cell is not a sliver.
        let inner = (-1..=1)
            .flat_map(|i| (-1..=1).map(move |j| (i, j)))
            .all(|(i, j)| {
                county.contains(&Point::new(
                    p.x + 2_500.0 * i as f64,
                    p.y + 2_500.0 * j as f64,
                ))
            });
        if inner {
            rural.push(p);
        }
    }
    // Name rural towns by compass direction from the town centre (pseudo-angle:
    // monotone in the true angle, without trig).
    let pseudo = |p: &Coord| {
        let (dx, dy) = (p.x - t.x, p.y - t.y);
        let r = dx / (dx.abs() + dy.abs());
        if dy >= 0.0 {
            1.0 - r
        } else {
            3.0 + r
        }
    };
    rural.sort_by(|a, b| pseudo(a).total_cmp(&pseudo(b)));
    for (i, p) in rural.into_iter().enumerate() {
        seats.push((p, TOWNS[i], "镇", 101 + i as u32));
    }
    seats
}

/// Voronoi cells of the points, by clipping a rectangle (the study area + 5 km) with
/// the perpendicular bisector half-planes (Sutherland–Hodgman against a line).
/// O(n²) per call: fine for the 12 township seats and the ≤ ~60 village seats of a
/// township.
fn voronoi(seats: &[Coord]) -> Vec<Polygon> {
    let m = 5_000.0;
    let rect = vec![
        Coord {
            x: X0 - m,
            y: Y0 - m,
        },
        Coord {
            x: X1 + m,
            y: Y0 - m,
        },
        Coord {
            x: X1 + m,
            y: Y1 + m,
        },
        Coord {
            x: X0 - m,
            y: Y1 + m,
        },
    ];
    seats
        .iter()
        .enumerate()
        .map(|(i, si)| {
            let mut poly = rect.clone();
            for (j, sj) in seats.iter().enumerate() {
                if i == j {
                    continue;
                }
                let (a, b) = (*si, *sj);
                let (nx, ny) = (b.x - a.x, b.y - a.y);
                let (mx, my) = ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
                let side = |p: &Coord| (p.x - mx) * nx + (p.y - my) * ny;
                let mut out = Vec::with_capacity(poly.len() + 1);
                for k in 0..poly.len() {
                    let (p, q) = (poly[k], poly[(k + 1) % poly.len()]);
                    let (sp, sq) = (side(&p), side(&q));
                    if sp <= 0.0 {
                        out.push(p);
                    }
                    if (sp <= 0.0) != (sq <= 0.0) {
                        let t = sp / (sp - sq);
                        out.push(Coord {
                            x: p.x + t * (q.x - p.x),
                            y: p.y + t * (q.y - p.y),
                        });
                    }
                }
                poly = out;
            }
            let mut ring = poly;
            ring.push(ring[0]);
            Polygon::new(LineString::new(ring), vec![])
        })
        .collect()
}

fn villages(land: &Landscape, admin: &Admin, rng: &mut ChaCha8Rng) -> Vec<Village> {
    let t = land.town;
    let surnames: Vec<char> = SURNAMES.chars().collect();
    let prefixes: Vec<char> = PREFIXES.chars().collect();
    let mut pts: Vec<(Coord, bool)> = Vec::new(); // (position, is community)
                                                  // Urban communities inside ≈ 3 km of the town centre.
    let mut tries = 0;
    while pts.len() < 22 && tries < 20_000 {
        tries += 1;
        let p = Coord {
            x: t.x + rng.random_range(-3_200.0..3_200.0),
            y: t.y + rng.random_range(-3_000.0..3_000.0),
        };
        let d = ((p.x - t.x).powi(2) + (p.y - t.y).powi(2)).sqrt();
        if d > 3_000.0 || pts.iter().any(|q| dist(q.0, p) < 650.0) || wet(land, p) {
            continue;
        }
        pts.push((p, true));
    }
    // Villages over the rest of the county, sparser in the hills.
    let target = 340;
    tries = 0;
    while pts.len() < 22 + target && tries < 400_000 {
        tries += 1;
        let p = Coord {
            x: rng.random_range(X0..X1),
            y: rng.random_range(Y0..Y1),
        };
        let m = land.hill(p.x, p.y);
        let keep = 1.0 - 0.8 * m;
        if rng.random::<f64>() > keep
            || dist(p, t) < 3_400.0
            || !admin.in_county(p)
            || wet(land, p)
            || pts.iter().any(|q| dist(q.0, p) < 780.0)
        {
            continue;
        }
        pts.push((p, false));
    }
    // Assign township, code and name in a fixed order (north → south, west → east).
    pts.sort_by(|a, b| b.0.y.total_cmp(&a.0.y).then(a.0.x.total_cmp(&b.0.x)));
    let mut next_code = vec![(1u32, 201u32); admin.townships.len()];
    let mut used = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (p, community) in pts {
        let Some(ti) = admin.township_of(p) else {
            continue;
        };
        let upland = land.hill(p.x, p.y) > 0.35;
        let (name, kind, code) = loop {
            let name = if community {
                let stem = COMMUNITY_STEMS[rng.random_range(0..COMMUNITY_STEMS.len())];
                let suffix = ["社区", "路社区", "街社区", "苑社区"][rng.random_range(0..4)];
                format!("{stem}{suffix}")
            } else {
                let s = surnames[rng.random_range(0..surnames.len())];
                let suf = if upland {
                    HILL_SUFFIX[rng.random_range(0..HILL_SUFFIX.len())]
                } else {
                    PLAIN_SUFFIX[rng.random_range(0..PLAIN_SUFFIX.len())]
                };
                if rng.random::<f64>() < 0.25 {
                    let pre = prefixes[rng.random_range(0..prefixes.len())];
                    format!("{pre}{s}{suf}")
                } else {
                    format!("{s}{suf}")
                }
            };
            if used.insert(name.clone()) {
                let c = &mut next_code[ti];
                let code = if community {
                    c.0 += 1;
                    c.0 - 1
                } else {
                    c.1 += 1;
                    c.1 - 1
                };
                break (
                    name,
                    if community {
                        "社区居委会"
                    } else {
                        "村委会"
                    },
                    code,
                );
            }
        };
        let population = if community {
            rng.random_range(6_000..14_000)
        } else if upland {
            rng.random_range(300..1_200)
        } else {
            rng.random_range(800..2_800)
        };
        out.push(Village {
            code: format!("{}{code:03}", admin.townships[ti].code),
            name,
            kind,
            township: ti,
            pos: p,
            population,
            upland,
            area: MultiPolygon::new(vec![]),
        });
    }
    out
}

/// Euclidean distance between two points (metres in the census CRS).
pub fn dist(a: Coord, b: Coord) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

/// True on or next to water (rivers, reservoir).
pub fn wet(land: &Landscape, p: Coord) -> bool {
    land.reservoir.rel_radius(p.x, p.y) < 1.3
        || land.nearest_river(p.x, p.y).is_some_and(|r| r.0 < 250.0)
}
