//! Vector survey layers: admin units, water, rivers (Shapefile, GBK, no .cpg), roads
//! (GeoJSON), geology (faults, lithology), seismic PGA zoning, hidden-danger points
//! (Shapefile, GBK, no .cpg), shelters (GeoJSON), key facilities and protected sites.

use geo::{
    BooleanOps, Buffer, Coord, Geometry, Length, LineString, MultiPolygon, Point, Polygon, Rect,
};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use riskcensus_contracts::tables::census as table;
use riskcensus_io::crs::Transformer;
use riskcensus_io::vector::{
    FieldDef, FieldType as T, FieldValue as V, GeometryType, VectorDriver, VectorLayerSpec,
    VectorWriter, WriteOptions,
};

use crate::admin::{dist, wet};
use crate::config::{GeometryKind, VectorSource};
use crate::landscape::{X0, X1, Y0, Y1};
use crate::{Ctx, DemoError};

type Feat = (Geometry, Vec<V>);

fn wopts() -> WriteOptions {
    WriteOptions {
        fixed_timestamp: Some(crate::FIXED_TIMESTAMP.into()),
    }
}

fn f(name: &str, ty: T) -> FieldDef {
    FieldDef::new(name, ty)
}

fn s(v: impl Into<String>) -> V {
    V::String(v.into())
}

pub(crate) fn write_all(ctx: &mut Ctx) -> Result<(), DemoError> {
    admin(ctx)?;
    water(ctx)?;
    rivers(ctx)?;
    roads(ctx)?;
    geology(ctx)?;
    seismic(ctx)?;
    hidden_dangers(ctx)?;
    shelters(ctx)?;
    key_facilities(ctx)?;
    protected_sites(ctx)?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn register(
    ctx: &mut Ctx,
    id: &str,
    kind: &str,
    rel: &str,
    layer: Option<&str>,
    geom: &str,
    enc: Option<&str>,
    desc: &str,
    n: u64,
) {
    ctx.cfg.vector.push(VectorSource {
        id: id.into(),
        path: rel.into(),
        kind: Some(kind.into()),
        layer: layer.map(Into::into),
        geometry: match geom {
            "point" => GeometryKind::Point,
            "line" => GeometryKind::Line,
            _ => GeometryKind::Polygon,
        },
        encoding: enc.map(Into::into),
        description: Some(desc.into()),
    });
    ctx.record(id, rel, n);
}

fn gpkg(crs: &str, layer: &str, g: GeometryType, fields: Vec<FieldDef>) -> VectorLayerSpec {
    VectorLayerSpec::new(VectorDriver::GeoPackage, layer, crs, g).fields(fields)
}

/// A GeoJSON layer in CGCS2000 lon/lat (EPSG:4490, written with its CRS member, so
/// not RFC 7946) at 1e-7° precision, as web-map exports from survey teams arrive.
fn geojson(layer: &str, g: GeometryType, fields: Vec<FieldDef>) -> VectorLayerSpec {
    VectorLayerSpec::new(VectorDriver::GeoJson, layer, "EPSG:4490", g)
        .fields(fields)
        .option("COORDINATE_PRECISION=7")
        .option("RFC7946=NO")
}

/// Township code at a point, or "" outside the county.
fn town_code(ctx: &Ctx, p: Coord) -> String {
    ctx.admin
        .township_of(p)
        .map(|i| ctx.admin.townships[i].code.clone())
        .unwrap_or_default()
}

fn admin(ctx: &mut Ctx) -> Result<(), DemoError> {
    let rel = "survey/admin.gpkg";
    let crs = crate::landscape::CRS;
    let path = ctx.path(rel);
    let mut w = VectorWriter::create(&path, VectorDriver::GeoPackage, &wopts())
        .map_err(ctx.io_err("townships", rel))?;
    let a = &ctx.admin;
    let county = vec![(
        Geometry::MultiPolygon(MultiPolygon::new(vec![a.county.clone()])),
        vec![
            s(crate::admin::COUNTY_CODE),
            s(crate::admin::COUNTY_NAME),
            V::Real(round(geo::Area::unsigned_area(&a.county) / 1e6, 2)),
        ],
    )];
    let spec = gpkg(
        crs,
        "county",
        GeometryType::MultiPolygon,
        vec![
            f("code", T::String),
            f("name", T::String),
            f("area_km2", T::Real),
        ],
    );
    let n_c = w
        .add_layer(&spec, county)
        .map_err(ctx.io_err("county", rel))?;
    let towns: Vec<Feat> = a
        .townships
        .iter()
        .map(|t| {
            let mine = a
                .villages
                .iter()
                .filter(|v| a.townships[v.township].code == t.code);
            let nv = mine.clone().count();
            let pop: u64 = mine.map(|v| u64::from(v.population)).sum();
            (
                Geometry::MultiPolygon(t.area.clone()),
                vec![
                    s(&t.code),
                    s(t.name),
                    s(t.kind),
                    V::Real(round(geo::Area::unsigned_area(&t.area) / 1e6, 2)),
                    V::Integer(nv as i32),
                    V::Integer(pop as i32),
                    V::Real(township_gdp_wan(&t.code, t.kind, pop)),
                ],
            )
        })
        .collect();
    let spec = gpkg(
        crs,
        "townships",
        GeometryType::MultiPolygon,
        vec![
            f("code", T::String),
            f("name", T::String),
            f("kind", T::String),
            f("area_km2", T::Real),
            f("villages", T::Integer),
            f("population", T::Integer),
            f("gdp_wan", T::Real),
        ],
    );
    let n_t = w
        .add_layer(&spec, towns)
        .map_err(ctx.io_err("townships", rel))?;
    let vills: Vec<Feat> = a
        .villages
        .iter()
        .map(|v| {
            (
                Geometry::Point(Point::from(v.pos)),
                vec![
                    s(&v.code),
                    s(&v.name),
                    s(v.kind),
                    s(&a.townships[v.township].code),
                    V::Integer(v.population as i32),
                ],
            )
        })
        .collect();
    let spec = gpkg(
        crs,
        "villages",
        GeometryType::Point,
        vec![
            f("code", T::String),
            f("name", T::String),
            f("kind", T::String),
            f("township", T::String),
            f("population", T::Integer),
        ],
    );
    let n_v = w
        .add_layer(&spec, vills)
        .map_err(ctx.io_err("villages", rel))?;
    // Village boundaries (村界), synthetic: see `admin::village_areas`.
    let bounds: Vec<Feat> = a
        .villages
        .iter()
        .map(|v| {
            (
                Geometry::MultiPolygon(v.area.clone()),
                vec![
                    s(&v.code),
                    s(&v.name),
                    s(v.kind),
                    s(&a.townships[v.township].code),
                    V::Integer(v.population as i32),
                    V::Real(round(geo::Area::unsigned_area(&v.area) / 1e6, 4)),
                ],
            )
        })
        .collect();
    let spec = gpkg(
        crs,
        "village_boundaries",
        GeometryType::MultiPolygon,
        vec![
            f("code", T::String),
            f("name", T::String),
            f("kind", T::String),
            f("township", T::String),
            f("population", T::Integer),
            f("area_km2", T::Real),
        ],
    );
    let n_vb = w
        .add_layer(&spec, bounds)
        .map_err(ctx.io_err("village_boundaries", rel))?;
    let mut seats: Vec<Feat> = vec![(
        Geometry::Point(Point::from(ctx.land.town)),
        vec![
            s(crate::admin::COUNTY_CODE),
            s("演示县人民政府"),
            s("县政府驻地"),
        ],
    )];
    for t in &a.townships {
        seats.push((
            Geometry::Point(Point::from(t.seat)),
            vec![
                s(&t.code),
                s(format!(
                    "{}{}",
                    t.name,
                    if t.kind == "镇" {
                        "人民政府"
                    } else {
                        "办事处"
                    }
                )),
                s("乡镇驻地"),
            ],
        ));
    }
    let spec = gpkg(
        crs,
        "seats",
        GeometryType::Point,
        vec![
            f("code", T::String),
            f("name", T::String),
            f("kind", T::String),
        ],
    );
    let n_s = w
        .add_layer(&spec, seats)
        .map_err(ctx.io_err("seats", rel))?;
    w.finish().map_err(ctx.io_err("townships", rel))?;
    register(
        ctx,
        "county",
        table::ADMIN_UNITS,
        rel,
        Some("county"),
        "polygon",
        None,
        "县界 county boundary (code, name, area_km2)",
        n_c,
    );
    register(
        ctx,
        "townships",
        table::ADMIN_UNITS,
        rel,
        Some("townships"),
        "polygon",
        None,
        "乡镇（街道）界 12 townships: 9-digit code (county 370999 + 3), name, kind 镇/街道, population, gdp_wan (地区生产总值 万元, synthetic: 12 万元 per person in a 街道, 7 in a 镇, ±15 %)",
        n_t,
    );
    register(ctx, "villages", table::ADMIN_UNITS, rel, Some("villages"), "point", None, "村（社区）驻地 villages and urban communities: 12-digit code, name, parent township code, population", n_v);
    register(
        ctx,
        "village_boundaries", table::ADMIN_UNITS,
        rel,
        Some("village_boundaries"),
        "polygon",
        None,
        "村界 village boundaries (synthetic: Voronoi cells of the village seats within their township, clipped to it): 12-digit code, name, kind, parent township code, population, area_km2",
        n_vb,
    );
    register(
        ctx,
        "seats",
        table::ADMIN_SEATS,
        rel,
        Some("seats"),
        "point",
        None,
        "县城与乡镇驻地 the town centre (county seat) and township seats",
        n_s,
    );
    Ok(())
}

fn water(ctx: &mut Ctx) -> Result<(), DemoError> {
    let rel = "survey/water.gpkg";
    let r = &ctx.land.reservoir;
    let ring = LineString::new(r.shoreline());
    let poly = Polygon::new(ring, vec![]);
    let feats = vec![(
        Geometry::Polygon(poly),
        vec![
            s("HP3709990001"),
            s("岱北水库"),
            s("中型"),
            V::Real(round(r.volume_m3 / 1e4, 0)),
            V::Real(round(r.level, 1)),
            V::Real(r.dam_height),
            s(town_code(ctx, r.center)),
        ],
    )];
    let spec = gpkg(
        crate::landscape::CRS,
        "reservoirs",
        GeometryType::Polygon,
        vec![
            f("code", T::String),
            f("name", T::String),
            f("scale", T::String),
            f("capacity_wan_m3", T::Real),
            f("normal_level_m", T::Real),
            f("dam_height_m", T::Real),
            f("township", T::String),
        ],
    );
    let n = riskcensus_io::vector::write_layer(&ctx.path(rel), &spec, &wopts(), feats)
        .map_err(ctx.io_err("reservoirs", rel))?;
    register(
        ctx,
        "reservoirs",
        table::RESERVOIRS,
        rel,
        Some("reservoirs"),
        "polygon",
        None,
        "水库 reservoir at normal water level: capacity 万m³, normal level m, dam height m",
        n,
    );
    Ok(())
}

fn rivers(ctx: &mut Ctx) -> Result<(), DemoError> {
    let (id, rel) = ("rivers", "survey/rivers.shp");
    let feats: Vec<Feat> = ctx
        .land
        .rivers
        .iter()
        .map(|r| {
            let ls = LineString::new(r.pts.clone());
            let len = geo::Euclidean.length(&ls);
            (
                Geometry::LineString(ls),
                vec![
                    s(&r.code),
                    s(r.name),
                    s(r.grade),
                    V::Real(round(len / 1000.0, 2)),
                    V::Real(2.0 * r.half_width),
                ],
            )
        })
        .collect();
    let spec = VectorLayerSpec::new(
        VectorDriver::Shapefile,
        "rivers",
        crate::landscape::CRS,
        GeometryType::LineString,
    )
    .fields([
        f("HYCD", T::String).width(10),
        f("NAME", T::String).width(20),
        f("GRADE", T::String).width(10),
        f("LENGTH_KM", T::Real).width(10).precision(2),
        f("WIDTH_M", T::Real).width(8).precision(1),
    ])
    .encoding("CP936", false);
    let n = riskcensus_io::vector::write_layer(&ctx.path(rel), &spec, &wopts(), feats)
        .map_err(ctx.io_err(id, rel))?;
    register(
        ctx,
        id, table::RIVERS,
        rel,
        None,
        "line",
        Some("GBK"),
        "河流 rivers digitised in flow direction: HYCD code, NAME, GRADE 干流/一级支流, LENGTH_KM, WIDTH_M; DBF in GBK with no .cpg",
        n,
    );
    Ok(())
}

/// A wiggly polyline from a to b, vertices every ~300 m.
fn wiggle(a: Coord, b: Coord, amp: f64, rng: &mut ChaCha8Rng) -> Vec<Coord> {
    let len = dist(a, b);
    let n = ((len / 300.0).ceil() as usize).max(2);
    let (nx, ny) = (-(b.y - a.y) / len.max(1.0), (b.x - a.x) / len.max(1.0));
    let (p1, p2) = (rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0));
    (0..=n)
        .map(|i| {
            let t = i as f64 / n as f64;
            let o = amp
                * ((std::f64::consts::PI * t).sin() * p1
                    + (2.0 * std::f64::consts::PI * t).sin() * 0.4 * p2);
            Coord {
                x: a.x + t * (b.x - a.x) + o * nx,
                y: a.y + t * (b.y - a.y) + o * ny,
            }
        })
        .collect()
}

fn to_lonlat(ctx: &Ctx, id: &str, rel: &str, pts: &mut [Coord]) -> Result<(), DemoError> {
    let t = Transformer::new(crate::landscape::CRS, "EPSG:4490").map_err(ctx.io_err(id, rel))?;
    let mut xs: Vec<f64> = pts.iter().map(|p| p.x).collect();
    let mut ys: Vec<f64> = pts.iter().map(|p| p.y).collect();
    t.transform(&mut xs, &mut ys).map_err(ctx.io_err(id, rel))?;
    for (p, (x, y)) in pts.iter_mut().zip(xs.into_iter().zip(ys)) {
        // 1e-7° ≈ 1 cm, as survey GeoJSON is usually written.
        *p = Coord {
            x: round(x, 7),
            y: round(y, 7),
        };
    }
    Ok(())
}

/// A road of the demo before it is written: attributes and polyline (census CRS).
struct Road {
    code: String,
    name: String,
    /// 国道 / 省道 / 县道 / 乡道.
    class: &'static str,
    width_m: f64,
    lanes: i32,
    surface: &'static str,
    line: Vec<Coord>,
}

fn roads(ctx: &mut Ctx) -> Result<(), DemoError> {
    let (id, rel) = ("roads", "survey/roads.geojson");
    let mut rng = ctx.rng(10);
    let t = ctx.land.town;
    let a = &ctx.admin;
    let mut roads: Vec<Road> = Vec::new();
    let mut through = |code: &str,
                       name: &str,
                       class: &'static str,
                       w: f64,
                       lanes: i32,
                       pts: &[Coord],
                       rng: &mut ChaCha8Rng| {
        let mut line = Vec::new();
        for seg in pts.windows(2) {
            let mut p = wiggle(seg[0], seg[1], 350.0, rng);
            if !line.is_empty() {
                p.remove(0);
            }
            line.extend(p);
        }
        roads.push(Road {
            code: code.into(),
            name: name.into(),
            class,
            width_m: w,
            lanes,
            surface: "沥青",
            line,
        });
    };
    through(
        "G104",
        "京岚线",
        "国道",
        24.0,
        4,
        &[
            Coord {
                x: t.x - 2_500.0,
                y: Y1 + 300.0,
            },
            t,
            Coord {
                x: t.x + 4_000.0,
                y: Y0 - 300.0,
            },
        ],
        &mut rng,
    );
    through(
        "G342",
        "日凤线",
        "国道",
        20.0,
        4,
        &[
            Coord {
                x: X0 - 300.0,
                y: t.y - 1_200.0,
            },
            t,
            Coord {
                x: X1 + 300.0,
                y: t.y - 2_400.0,
            },
        ],
        &mut rng,
    );
    // Provincial roads from the town to the farthest township seats.
    let mut far: Vec<&crate::admin::Township> =
        a.townships.iter().filter(|x| x.kind == "镇").collect();
    far.sort_by(|p, q| {
        dist(q.seat, t)
            .total_cmp(&dist(p.seat, t))
            .then(p.code.cmp(&q.code))
    });
    for (i, tw) in far.iter().take(3).enumerate() {
        let code = ["S243", "S331", "S104"][i];
        let name = ["泰新线", "岱汶线", "济微线"][i];
        through(code, name, "省道", 14.0, 2, &[t, tw.seat], &mut rng);
    }
    // County roads: each township seat to its two nearest seats (deduplicated).
    let mut pairs = std::collections::BTreeSet::new();
    for (i, p) in a.townships.iter().enumerate() {
        let mut near: Vec<usize> = (0..a.townships.len()).filter(|&j| j != i).collect();
        near.sort_by(|&x, &y| {
            dist(a.townships[x].seat, p.seat).total_cmp(&dist(a.townships[y].seat, p.seat))
        });
        for &j in near.iter().take(2) {
            pairs.insert((i.min(j), i.max(j)));
        }
    }
    for (k, (i, j)) in pairs.into_iter().enumerate() {
        let (p, q) = (&a.townships[i], &a.townships[j]);
        let name = format!(
            "{}—{}路",
            p.name.trim_end_matches(['镇', '道']).trim_end_matches('街'),
            q.name.trim_end_matches(['镇', '道']).trim_end_matches('街')
        );
        through(
            &format!("X{:03}", k + 1),
            &name,
            "县道",
            8.0,
            2,
            &[p.seat, q.seat],
            &mut rng,
        );
    }
    // Rural roads: every village to its township seat or a nearer village on the way.
    for (k, v) in a.villages.iter().filter(|v| v.kind == "村委会").enumerate() {
        let seat = a.townships[v.township].seat;
        let d0 = dist(v.pos, seat);
        let target = a
            .villages
            .iter()
            .filter(|u| u.township == v.township && dist(u.pos, seat) < d0 - 300.0)
            .map(|u| u.pos)
            .min_by(|p, q| dist(*p, v.pos).total_cmp(&dist(*q, v.pos)))
            .filter(|p| dist(*p, v.pos) < d0)
            .unwrap_or(seat);
        let line = wiggle(v.pos, target, 120.0, &mut rng);
        roads.push(Road {
            code: format!("Y{:03}", k + 1),
            name: format!("{}路", v.name),
            class: "乡道",
            width_m: 4.5,
            lanes: 1,
            surface: if v.upland { "砂石" } else { "水泥" },
            line,
        });
    }
    let mut feats = Vec::with_capacity(roads.len());
    for Road {
        code,
        name,
        class,
        width_m,
        lanes,
        surface,
        mut line,
    } in roads
    {
        to_lonlat(ctx, id, rel, &mut line)?;
        feats.push((
            Geometry::LineString(LineString::new(line)),
            vec![
                s(code),
                s(name),
                s(class),
                V::Real(width_m),
                V::Integer(lanes),
                s(surface),
            ],
        ));
    }
    let spec = geojson(
        "roads",
        GeometryType::LineString,
        vec![
            f("code", T::String),
            f("name", T::String),
            f("class", T::String),
            f("width_m", T::Real),
            f("lanes", T::Integer),
            f("surface", T::String),
        ],
    );
    let n = riskcensus_io::vector::write_layer(&ctx.path(rel), &spec, &wopts(), feats)
        .map_err(ctx.io_err(id, rel))?;
    register(ctx, id, table::ROADS, rel, None, "line", None, "道路 roads, CGCS2000 lon/lat (EPSG:4490): code, name, class 国道/省道/县道/乡道, width_m, lanes, surface", n);
    Ok(())
}

fn round(v: f64, d: i32) -> f64 {
    let m = 10f64.powi(d);
    (v * m).round() / m
}

fn study_rect() -> MultiPolygon {
    MultiPolygon::new(vec![Rect::new(
        Coord { x: X0, y: Y0 },
        Coord { x: X1, y: Y1 },
    )
    .to_polygon()])
}

/// Region on one side of a boundary curve, closed well outside the study area.
fn side_polygon(curve: Vec<Coord>, close: [Coord; 2]) -> MultiPolygon {
    let mut ring = curve;
    ring.push(close[0]);
    ring.push(close[1]);
    let first = ring[0];
    ring.push(first);
    MultiPolygon::new(vec![Polygon::new(LineString::new(ring), vec![])])
}

fn geology(ctx: &mut Ctx) -> Result<(), DemoError> {
    let rel = "survey/geology.gpkg";
    let crs = crate::landscape::CRS;
    let land = &ctx.land;
    let m = 2_000.0;
    let xs: Vec<f64> = (0..=((X1 - X0 + 2.0 * m) / 250.0) as usize)
        .map(|i| X0 - m + 250.0 * i as f64)
        .collect();
    let ys: Vec<f64> = (0..=((Y1 - Y0 + 2.0 * m) / 250.0) as usize)
        .map(|i| Y0 - m + 250.0 * i as f64)
        .collect();
    let north = |off: f64| {
        side_polygon(
            xs.iter()
                .map(|&x| Coord {
                    x,
                    y: land.north_edge(x) + off,
                })
                .collect(),
            [
                Coord {
                    x: X1 + m,
                    y: Y1 + 3.0 * m,
                },
                Coord {
                    x: X0 - m,
                    y: Y1 + 3.0 * m,
                },
            ],
        )
    };
    let east = |off: f64| {
        side_polygon(
            ys.iter()
                .map(|&y| Coord {
                    x: land.east_edge(y) + off,
                    y,
                })
                .collect(),
            [
                Coord {
                    x: X1 + 3.0 * m,
                    y: Y1 + m,
                },
                Coord {
                    x: X1 + 3.0 * m,
                    y: Y0 - m,
                },
            ],
        )
    };
    let south = |off: f64| {
        side_polygon(
            xs.iter()
                .map(|&x| Coord {
                    x,
                    y: land.south_edge(x) - off,
                })
                .collect(),
            [
                Coord {
                    x: X1 + m,
                    y: Y0 - 3.0 * m,
                },
                Coord {
                    x: X0 - m,
                    y: Y0 - 3.0 * m,
                },
            ],
        )
    };
    let rect = study_rect();
    let hills = north(0.0).union(&east(0.0)).union(&south(0.0));
    let n_core = north(1_200.0);
    let es_core = east(1_200.0).union(&south(1_000.0));
    let groups: [(&str, &str, &str, &str, MultiPolygon); 4] = [
        (
            "I",
            "坚硬岩组",
            "太古宇泰山岩群花岗片麻岩、花岗岩",
            ">60",
            rect.intersection(&n_core),
        ),
        (
            "II",
            "较坚硬岩组",
            "寒武—奥陶系灰岩、白云岩",
            "30–60",
            rect.intersection(&es_core.difference(&n_core)),
        ),
        (
            "III",
            "软弱岩组",
            "山前页岩、泥岩夹砂岩及强风化带",
            "5–30",
            rect.intersection(&hills.difference(&n_core.union(&es_core))),
        ),
        (
            "IV",
            "松散土体",
            "第四系冲洪积粉土、粉质黏土、砂砾石",
            "<5",
            rect.difference(&hills),
        ),
    ];
    let lith: Vec<Feat> = groups
        .into_iter()
        .filter(|g| !g.4 .0.is_empty())
        .map(|(code, name, desc, ucs, mp)| {
            let area = round(geo::Area::unsigned_area(&mp) / 1e6, 2);
            (
                Geometry::MultiPolygon(mp),
                vec![s(code), s(name), s(desc), s(ucs), V::Real(area)],
            )
        })
        .collect();
    let faults: Vec<Feat> = land
        .faults
        .iter()
        .map(|fl| {
            let ls = LineString::new(fl.pts.clone());
            let len = round(geo::Euclidean.length(&ls) / 1000.0, 2);
            (
                Geometry::LineString(ls),
                vec![
                    s(fl.code),
                    s(fl.name),
                    s(fl.kind),
                    s(fl.activity),
                    s(fl.strike),
                    s(fl.dip),
                    V::Real(len),
                ],
            )
        })
        .collect();
    let mut w = VectorWriter::create(&ctx.path(rel), VectorDriver::GeoPackage, &wopts())
        .map_err(ctx.io_err("faults", rel))?;
    let spec = gpkg(
        crs,
        "faults",
        GeometryType::LineString,
        vec![
            f("code", T::String),
            f("name", T::String),
            f("kind", T::String),
            f("activity", T::String),
            f("strike", T::String),
            f("dip", T::String),
            f("length_km", T::Real),
        ],
    );
    let n_f = w
        .add_layer(&spec, faults)
        .map_err(ctx.io_err("faults", rel))?;
    let spec = gpkg(
        crs,
        "lithology",
        GeometryType::MultiPolygon,
        vec![
            f("code", T::String),
            f("name", T::String),
            f("lithology", T::String),
            f("ucs_mpa", T::String),
            f("area_km2", T::Real),
        ],
    );
    let n_l = w
        .add_layer(&spec, lith)
        .map_err(ctx.io_err("lithology", rel))?;
    w.finish().map_err(ctx.io_err("faults", rel))?;
    register(
        ctx,
        "faults",
        table::FAULTS,
        rel,
        Some("faults"),
        "line",
        None,
        "断层 fault traces: code, name, kind, activity, strike, dip, length_km",
        n_f,
    );
    register(
        ctx,
        "lithology", table::LITHOLOGY,
        rel,
        Some("lithology"),
        "polygon",
        None,
        "工程地质岩组 engineering rock groups: code I–IV, name 坚硬岩组/较坚硬岩组/软弱岩组/松散土体, lithology, ucs_mpa (uniaxial compressive strength class)",
        n_l,
    );
    Ok(())
}

/// The PGA bands of the demo's zoning map along the faults (GB 18306-2015 style
/// classes): 0.20 g within 2.5 km of the active range-front fault F1; 0.15 g within
/// 7 km of F1 or 3 km of F2; 0.10 g elsewhere.
pub(crate) struct SeismicBands {
    b20: MultiPolygon,
    b15: MultiPolygon,
}

impl SeismicBands {
    pub(crate) fn new(land: &crate::landscape::Landscape) -> Self {
        let lines: Vec<LineString> = land
            .faults
            .iter()
            .map(|fl| LineString::new(fl.pts.clone()))
            .collect();
        SeismicBands {
            b20: lines[0].buffer(2_500.0),
            b15: lines[0].buffer(7_000.0).union(&lines[1].buffer(3_000.0)),
        }
    }

    /// The zoning PGA class (g) at `p` (census CRS).
    pub(crate) fn pga_at(&self, p: Coord) -> f64 {
        use geo::Contains;
        let pt = Point::from(p);
        if self.b20.contains(&pt) {
            0.20
        } else if self.b15.contains(&pt) {
            0.15
        } else {
            0.10
        }
    }
}

fn seismic(ctx: &mut Ctx) -> Result<(), DemoError> {
    let (id, rel) = ("seismic_pga", "survey/seismic.gpkg");
    let SeismicBands { b20, b15 } = SeismicBands::new(&ctx.land);
    let rect = study_rect();
    let zones = [
        (0.20, "VIII", rect.intersection(&b20)),
        (0.15, "VII", rect.intersection(&b15.difference(&b20))),
        (0.10, "VII", rect.difference(&b15.union(&b20))),
    ];
    let feats: Vec<Feat> = zones
        .into_iter()
        .filter(|z| !z.2 .0.is_empty())
        .map(|(g, intensity, mp)| {
            let tg = if g >= 0.2 { 0.45 } else { 0.40 };
            (
                Geometry::MultiPolygon(mp),
                vec![V::Real(g), s(intensity), V::Real(tg), s("GB 18306-2015")],
            )
        })
        .collect();
    let spec = gpkg(
        crate::landscape::CRS,
        "pga",
        GeometryType::MultiPolygon,
        vec![
            f("pga_g", T::Real),
            f("intensity", T::String),
            f("tg_s", T::Real),
            f("source", T::String),
        ],
    );
    let n = riskcensus_io::vector::write_layer(&ctx.path(rel), &spec, &wopts(), feats)
        .map_err(ctx.io_err(id, rel))?;
    register(
        ctx,
        id, table::SEISMIC_ZONES,
        rel,
        Some("pga"),
        "polygon",
        None,
        "地震动峰值加速度区划 seismic PGA zoning (pga_g 0.10/0.15/0.20 g, basic intensity, characteristic period tg_s), banded along the faults",
        n,
    );
    Ok(())
}

/// Hidden-danger points placed by terrain: slope, faults, rivers and rock group.
fn hidden_dangers(ctx: &mut Ctx) -> Result<(), DemoError> {
    let (id, rel) = ("hidden_dangers", "survey/hidden_dangers.shp");
    let mut rng = ctx.rng(11);
    let land = &ctx.land;
    let target_slope = 96usize;
    let target_plain = 10usize;
    let mut pts: Vec<(Coord, &str, f64)> = Vec::new(); // (pos, type, slope)
    let mut tries = 0;
    while pts.len() < target_slope && tries < 200_000 {
        tries += 1;
        let p = Coord {
            x: rng.random_range(X0..X1),
            y: rng.random_range(Y0..Y1),
        };
        if !ctx.admin.in_county(p) || land.reservoir.rel_radius(p.x, p.y) < 1.1 {
            continue;
        }
        let sl = land.slope_deg(p.x, p.y, 30.0);
        let df = land.fault_distance(p.x, p.y);
        let dr = land.nearest_river(p.x, p.y).map_or(f64::INFINITY, |r| r.0);
        let near_settlement = ctx.admin.villages.iter().any(|v| dist(v.pos, p) < 1_200.0);
        let score = ((sl - 10.0) / 25.0).clamp(0.0, 1.0)
            * (0.35 + 0.4 * (-df / 3_000.0).exp() + 0.25 * (-dr / 800.0).exp())
            * if near_settlement { 1.0 } else { 0.35 };
        if rng.random::<f64>() > score || pts.iter().any(|q| dist(q.0, p) < 300.0) {
            continue;
        }
        let kind = if sl > 32.0 {
            "崩塌"
        } else if dr < 500.0 && land.hill(p.x, p.y) > 0.3 {
            "泥石流"
        } else {
            "滑坡"
        };
        pts.push((p, kind, sl));
    }
    // Subsidence near the karst/mining edge of the town and ground fissures on the
    // plain along the faults.
    tries = 0;
    let mut plain = 0;
    while plain < target_plain && tries < 200_000 {
        tries += 1;
        let p = Coord {
            x: rng.random_range(X0..X1),
            y: rng.random_range(Y0..Y1),
        };
        if !ctx.admin.in_county(p) || land.hill(p.x, p.y) > 0.1 || wet(land, p) {
            continue;
        }
        let df = land.fault_distance(p.x, p.y);
        let kind = if df < 1_500.0 {
            "地裂缝"
        } else if dist(p, land.town) < 7_000.0 && dist(p, land.town) > 3_500.0 {
            "地面塌陷"
        } else {
            continue;
        };
        let sl = land.slope_deg(p.x, p.y, 30.0);
        pts.push((p, kind, sl));
        plain += 1;
    }
    let bad_at = pts.len() / 2;
    let mut feats: Vec<Feat> = Vec::with_capacity(pts.len());
    for (i, (p, kind, sl)) in pts.iter().enumerate() {
        let near = ctx
            .admin
            .villages
            .iter()
            .min_by(|a, b| dist(a.pos, *p).total_cmp(&dist(b.pos, *p)))
            .map(|v| v.name.clone())
            .unwrap_or_default();
        let volume: f64 = match *kind {
            "崩塌" => rng.random_range(200.0..40_000.0),
            "泥石流" => rng.random_range(2_000.0..120_000.0),
            "滑坡" => rng.random_range(1_000.0..600_000.0),
            _ => rng.random_range(100.0..5_000.0),
        };
        let scale = if volume < 10_000.0 {
            "小型"
        } else if volume < 100_000.0 {
            "中型"
        } else {
            "大型"
        };
        let stability = if *sl > 30.0 || rng.random::<f64>() < 0.25 {
            "不稳定"
        } else if rng.random::<f64>() < 0.6 {
            "基本稳定"
        } else {
            "稳定"
        };
        let people: i32 = rng.random_range(3..120);
        let property = round(people as f64 * rng.random_range(4.0..18.0), 1);
        let monitor = if scale != "小型" || people > 60 {
            "专业监测"
        } else if rng.random::<f64>() < 0.8 {
            "群测群防"
        } else {
            "未监测"
        };
        // Relocation, without drawing from the generator (the rest of the census stays
        // as it was): some of the most-threatened points have moved their people or
        // plan to.
        let relocation = if people > 100 && i % 3 == 0 {
            "已搬迁"
        } else if people > 80 && i % 2 == 0 {
            "计划搬迁"
        } else {
            "未搬迁"
        };
        // The deliberately bad record: a type outside the schema (a typo of 滑坡).
        let kind = if i == bad_at { "滑破" } else { kind };
        let town = town_code(ctx, *p);
        let point_id = format!("{}{:04}", town.get(..9).unwrap_or("370999000"), 1 + i);
        if relocation == "计划搬迁" && i != bad_at && !town.is_empty() {
            ctx.relocations.push((point_id.clone(), people));
        }
        feats.push((
            Geometry::Point(Point::from(*p)),
            vec![
                s(point_id),
                s(format!("{near}{kind}")),
                s(kind),
                s(scale),
                V::Real(round(volume, 0)),
                s(stability),
                V::Integer(people),
                V::Real(property),
                s(monitor),
                s(town),
                s(relocation),
            ],
        ));
    }
    let spec = VectorLayerSpec::new(
        VectorDriver::Shapefile,
        "hidden_dangers",
        crate::landscape::CRS,
        GeometryType::Point,
    )
    .fields([
        f("ZHDBH", T::String).width(14),
        f("NAME", T::String).width(40),
        f("TYPE", T::String).width(10),
        f("SCALE", T::String).width(8),
        f("VOLUME_M3", T::Real).width(12).precision(0),
        f("STABILITY", T::String).width(10),
        f("THREAT_POP", T::Integer).width(8),
        f("THREAT_VAL", T::Real).width(12).precision(1),
        f("MONITOR", T::String).width(10),
        f("TOWN_CODE", T::String).width(9),
        f("BQBR", T::String).width(10),
    ])
    .encoding("CP936", false);
    let n = riskcensus_io::vector::write_layer(&ctx.path(rel), &spec, &wopts(), feats)
        .map_err(ctx.io_err(id, rel))?;
    register(
        ctx,
        id, table::HIDDEN_DANGERS,
        rel,
        None,
        "point",
        Some("GBK"),
        "地质灾害隐患点 geological hidden-danger points: ZHDBH code, NAME, TYPE 滑坡/崩塌/泥石流/地面塌陷/地裂缝, SCALE, VOLUME_M3, STABILITY, THREAT_POP persons, THREAT_VAL 万元, MONITOR, TOWN_CODE, BQBR 已搬迁/计划搬迁/未搬迁 (relocation); DBF in GBK with no .cpg",
        n,
    );
    Ok(())
}

fn shelters(ctx: &mut Ctx) -> Result<(), DemoError> {
    let (id, rel) = ("shelters", "survey/shelters.geojson");
    let mut rng = ctx.rng(12);
    let a = &ctx.admin;
    let mut items: Vec<(Coord, String, &str, &str, f64)> = Vec::new();
    for t in &a.townships {
        let p = Coord {
            x: t.seat.x + rng.random_range(-300.0..300.0),
            y: t.seat.y + rng.random_range(-300.0..300.0),
        };
        let area = rng.random_range(8_000.0..30_000.0);
        items.push((
            p,
            format!("{}文化广场应急避难场所", t.name),
            "广场",
            if area > 20_000.0 { "II类" } else { "III类" },
            area,
        ));
        let q = Coord {
            x: t.seat.x + rng.random_range(-800.0..800.0),
            y: t.seat.y + rng.random_range(-800.0..800.0),
        };
        let area = rng.random_range(6_000.0..15_000.0);
        items.push((
            q,
            format!("{}中学操场应急避难场所", t.name),
            "学校操场",
            "III类",
            area,
        ));
    }
    for (k, v) in a
        .villages
        .iter()
        .filter(|v| v.kind == "社区居委会")
        .enumerate()
    {
        if k % 3 == 0 {
            let area = rng.random_range(20_000.0..90_000.0);
            items.push((
                v.pos,
                format!("{}公园应急避难场所", v.name.trim_end_matches("社区")),
                "公园",
                if area > 50_000.0 { "I类" } else { "II类" },
                area,
            ));
        }
    }
    items.push((
        Coord {
            x: ctx.land.town.x + 900.0,
            y: ctx.land.town.y - 600.0,
        },
        "演示县体育中心应急避难场所".into(),
        "体育场",
        "I类",
        120_000.0,
    ));
    let mut feats = Vec::new();
    for (i, (p, name, kind, level, area)) in items.into_iter().enumerate() {
        let town = town_code(ctx, p);
        // The GB 51143-2015 class, as surveyors write it, from the site and its
        // GB 21734 class (no random draw: the other fields stay as they were).
        let shelter_type = match (kind, level) {
            ("体育场", _) => "中心避难场所",
            ("公园", "I类") => "长期固定避难场所",
            ("公园", _) => "中期固定避难场所",
            ("广场", _) => "短期固定避难场所",
            _ => "紧急避难场所",
        };
        let mut ll = [p];
        to_lonlat(ctx, id, rel, &mut ll)?;
        // Effective area ≈ 60 % of the site at 1.5 m² per person (GB 21734-2008).
        let capacity = (area * 0.6 / 1.5).round() as i32;
        feats.push((
            Geometry::Point(Point::from(ll[0])),
            vec![
                s(format!("BN{:03}", i + 1)),
                s(name),
                s(kind),
                s(level),
                s(shelter_type),
                V::Real(round(area, 0)),
                V::Integer(capacity),
                s(town),
            ],
        ));
    }
    let spec = geojson(
        "shelters",
        GeometryType::Point,
        vec![
            f("code", T::String),
            f("name", T::String),
            f("kind", T::String),
            f("level", T::String),
            f("shelter_type", T::String),
            f("area_m2", T::Real),
            f("capacity", T::Integer),
            f("township", T::String),
        ],
    );
    let n = riskcensus_io::vector::write_layer(&ctx.path(rel), &spec, &wopts(), feats)
        .map_err(ctx.io_err(id, rel))?;
    register(ctx, id, table::SHELTERS, rel, None, "point", None, "应急避难场所 emergency shelters, EPSG:4490: code, name, kind, level I/II/III类, shelter_type (GB 51143-2015 class), area_m2, capacity persons, township", n);
    Ok(())
}

fn key_facilities(ctx: &mut Ctx) -> Result<(), DemoError> {
    let (id, rel) = ("key_facilities", "survey/key_facilities.gpkg");
    let mut rng = ctx.rng(13);
    let land = &ctx.land;
    let a = &ctx.admin;
    let jitter = |p: Coord, r: f64, rng: &mut ChaCha8Rng| Coord {
        x: p.x + rng.random_range(-r..r),
        y: p.y + rng.random_range(-r..r),
    };
    // (pos, name, type, capacity, unit); works' flood-control standard below.
    let mut items: Vec<(Coord, String, &str, i32, &str)> = Vec::new();
    for t in &a.townships {
        items.push((
            jitter(t.seat, 500.0, &mut rng),
            format!("{}中学", t.name),
            "学校",
            rng.random_range(800..2_600),
            "学生",
        ));
        items.push((
            jitter(t.seat, 700.0, &mut rng),
            format!("{}中心小学", t.name),
            "学校",
            rng.random_range(500..1_800),
            "学生",
        ));
        let h = if t.kind == "镇" {
            format!("{}卫生院", t.name)
        } else {
            format!("{}社区卫生服务中心", t.name)
        };
        items.push((
            jitter(t.seat, 400.0, &mut rng),
            h,
            "医院",
            rng.random_range(20..120),
            "床位",
        ));
    }
    for (k, v) in a.villages.iter().enumerate() {
        if v.kind == "村委会" && k % 14 == 0 {
            items.push((
                jitter(v.pos, 150.0, &mut rng),
                format!("{}小学", v.name),
                "学校",
                rng.random_range(80..400),
                "学生",
            ));
        }
    }
    let t = land.town;
    items.push((
        jitter(t, 600.0, &mut rng),
        "演示县人民医院".into(),
        "医院",
        1_200,
        "床位",
    ));
    items.push((
        jitter(t, 900.0, &mut rng),
        "演示县中医医院".into(),
        "医院",
        600,
        "床位",
    ));
    items.push((
        jitter(t, 900.0, &mut rng),
        "演示县第一中学".into(),
        "学校",
        4_200,
        "学生",
    ));
    // A chemical park on the western plain by 泮汶河.
    let river = &land.rivers[0];
    let park = river
        .pts
        .iter()
        .find(|p| p.x < t.x - 5_000.0)
        .copied()
        .unwrap_or(t);
    let names = [
        "鲁岱化工有限公司",
        "汶阳精细化工厂",
        "泰和农药有限公司",
        "岱宗新材料有限公司",
        "华鲁气体有限公司",
        "明堂化肥厂",
    ];
    for (i, n) in names.iter().enumerate() {
        let p = Coord {
            x: park.x - 600.0 + 450.0 * (i % 3) as f64,
            y: park.y + 700.0 + 500.0 * (i / 3) as f64,
        };
        items.push((
            jitter(p, 120.0, &mut rng),
            n.to_string(),
            "化工厂",
            rng.random_range(50..600),
            "吨危化品",
        ));
    }
    let r = &land.reservoir;
    items.push((
        r.dam,
        "岱北水库大坝".into(),
        "水库",
        (r.volume_m3 / 1e4).round() as _,
        "万立方米",
    ));
    // Dikes every ~4 km of channel along the main rivers on the plain, 80 m from the
    // centre line on the left (左岸, facing downstream) or right bank.
    for (ri, rv) in land.rivers.iter().take(2).enumerate() {
        for (k, p) in rv.pts.iter().enumerate().step_by(100) {
            if land.hill(p.x, p.y) < 0.15 && a.in_county(*p) {
                let side = if (k / 100) % 2 == 0 { "左" } else { "右" };
                let nx = rv.pts[(k + 1).min(rv.pts.len() - 1)];
                let pv = rv.pts[k.saturating_sub(1)];
                let l = ((nx.x - pv.x).powi(2) + (nx.y - pv.y).powi(2))
                    .sqrt()
                    .max(1.0);
                let sgn = if side == "左" { 80.0 } else { -80.0 };
                let q = Coord {
                    x: p.x - sgn * (nx.y - pv.y) / l,
                    y: p.y + sgn * (nx.x - pv.x) / l,
                };
                items.push((
                    q,
                    format!("{}{}岸堤防{}段", rv.name, side, k / 100 + 1),
                    "堤防",
                    if ri == 1 { 50 } else { 20 },
                    "年一遇",
                ));
            }
        }
    }
    let feats: Vec<Feat> = items
        .into_iter()
        .enumerate()
        .map(|(i, (p, name, kind, cap, unit))| {
            // 是否达标: the 20-year dikes of the main river fall short of the
            // 50-year standard of the plain's towns (GB 50201-2014 Table 4.2.1,
            // towns of 20–150 thousand people: 20–50 years; taken as 50 here); the
            // 50-year dikes and the reservoir meet theirs. Not a work: empty.
            let meets = match kind {
                "堤防" if cap < 50 => s("否"),
                "堤防" | "水库" => s("是"),
                _ => V::Null,
            };
            (
                Geometry::Point(Point::from(p)),
                vec![
                    s(format!("ZD{:04}", i + 1)),
                    s(name),
                    s(kind),
                    V::Integer(cap),
                    s(unit),
                    meets,
                    s(town_code(ctx, p)),
                ],
            )
        })
        .collect();
    let spec = gpkg(
        crate::landscape::CRS,
        "key_facilities",
        GeometryType::Point,
        vec![
            f("code", T::String),
            f("name", T::String),
            f("kind", T::String),
            f("capacity", T::Integer),
            f("capacity_unit", T::String),
            f("是否达标", T::String),
            f("township", T::String),
        ],
    );
    let n = riskcensus_io::vector::write_layer(&ctx.path(rel), &spec, &wopts(), feats)
        .map_err(ctx.io_err(id, rel))?;
    register(
        ctx,
        id, table::KEY_FACILITIES,
        rel,
        Some("key_facilities"),
        "point",
        None,
        "重点设施 key facilities: kind 学校/医院/化工厂/水库/堤防, capacity with capacity_unit (students, beds, tonnes of hazardous chemicals, 万m³, design flood return period years), 是否达标 (dikes and the reservoir: meets its flood-control standard 是/否), township",
        n,
    );
    Ok(())
}

/// Protected sites (保护地) on the forested hills: a scenic area around the highest
/// hill, a forest park and a heritage site (a temple) on the next hills at least
/// 8 km apart, as 32-gons of radius 2.5 km, 1.5 km and 0.8 km.
fn protected_sites(ctx: &mut Ctx) -> Result<(), DemoError> {
    let (id, rel) = ("protected_sites", "survey/protected_sites.gpkg");
    let land = &ctx.land;
    let a = &ctx.admin;
    // Hill tops on a 500 m lattice, highest first (ties by position).
    let mut tops: Vec<(f64, Coord)> = Vec::new();
    let mut y = Y0 + 2_500.0;
    while y < Y1 - 2_500.0 {
        let mut x = X0 + 2_500.0;
        while x < X1 - 2_500.0 {
            let p = Coord { x, y };
            if a.in_county(p) {
                tops.push((land.hill(x, y), p));
            }
            x += 500.0;
        }
        y += 500.0;
    }
    tops.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut chosen: Vec<Coord> = Vec::new();
    for (_, p) in tops {
        if chosen.iter().all(|q| dist(*q, p) >= 8_000.0) {
            chosen.push(p);
        }
        if chosen.len() == 3 {
            break;
        }
    }
    let sites = [
        ("BHD001", "岱岳风景名胜区", "风景名胜区", "省级", 2_500.0),
        ("BHD002", "徂徕山森林公园", "森林公园", "国家级", 1_500.0),
        ("BHD003", "灵岩寺", "文物保护单位", "省级", 800.0),
    ];
    let feats: Vec<Feat> = sites
        .iter()
        .zip(&chosen)
        .map(|((code, name, kind, level, r), c)| {
            let ring: Vec<Coord> = (0..=32)
                .map(|k| {
                    let t = std::f64::consts::TAU * f64::from(k % 32) / 32.0;
                    Coord {
                        x: c.x + r * t.cos(),
                        y: c.y + r * t.sin(),
                    }
                })
                .collect();
            (
                Geometry::Polygon(Polygon::new(geo::LineString(ring), vec![])),
                vec![s(*code), s(*name), s(*kind), s(*level)],
            )
        })
        .collect();
    let spec = gpkg(
        crate::landscape::CRS,
        "protected_sites",
        GeometryType::Polygon,
        vec![
            f("code", T::String),
            f("name", T::String),
            f("kind", T::String),
            f("level", T::String),
        ],
    );
    let n = riskcensus_io::vector::write_layer(&ctx.path(rel), &spec, &wopts(), feats)
        .map_err(ctx.io_err(id, rel))?;
    register(
        ctx,
        id,
        table::PROTECTED_SITES,
        rel,
        Some("protected_sites"),
        "polygon",
        None,
        "保护地 protected sites on the forested hills: kind 风景名胜区/森林公园/文物保护单位, level",
        n,
    );
    Ok(())
}

/// A township's GDP (万元, synthetic): its population times a per-capita GDP of
/// 12 万元 for a 街道 (urban sub-district) and 7 万元 for a 镇, ±15 % by the code
/// (the order of magnitude of eastern Chinese counties' statistical yearbooks).
fn township_gdp_wan(code: &str, kind: &str, population: u64) -> f64 {
    let per_capita = if kind == "街道" { 12.0 } else { 7.0 };
    let k: u64 = code.bytes().map(u64::from).sum();
    let factor = 0.85 + 0.30 * ((k % 31) as f64 / 30.0);
    round(population as f64 * per_capita * factor, 1)
}
