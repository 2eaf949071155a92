//! The capacity chapter of the report on a small run folder built here by hand: a
//! 30 × 20 grid of 100 m cells, two townships (东镇 west, 西镇 east) with a village
//! each, one level grid, and the six capacity tables with values written below (the
//! figures the chapter must show are these values, so each assertion names its
//! source). The same folder without the tables gets its report without the chapter;
//! a bad value in a table is reported with its file, table, fid and field.

use std::path::Path;

use geo_types::{polygon, Geometry, MultiPolygon, Point};
use ndarray::Array2;
use riskcensus_contracts::tables::capacity as capacity_names;
use riskcensus_io::vector::{
    FieldDef, FieldType, FieldValue, GeometryType, VectorDriver, VectorLayerSpec, VectorWriter,
    WriteOptions,
};
use riskcensus_report::{capacity, render_report, ReportOptions};

const CRS: &str = "EPSG:4548";
const X0: f64 = 500_000.0;
const Y1: f64 = 4_000_000.0;
const CELL: f64 = 100.0;
const ROWS: usize = 20;
const COLS: usize = 30;
const STATUS: &str = "provisional (GB/T 43981-2024 tables not in hand)";

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
    MultiPolygon(vec![polygon![
        (x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1)
    ]])
}

/// 东镇: the western half; 西镇: the eastern half.
fn east_town() -> MultiPolygon<f64> {
    rect(X0, Y1 - 2000.0, X0 + 1500.0, Y1)
}

fn west_town() -> MultiPolygon<f64> {
    rect(X0 + 1500.0, Y1 - 2000.0, X0 + 3000.0, Y1)
}

/// Field specs from `(name, type)` with `s` text, `i` integer, `r` real.
fn fields(spec: &[(&str, char)]) -> Vec<FieldDef> {
    spec.iter()
        .map(|(n, t)| {
            let ty = match t {
                's' => FieldType::String,
                'i' => FieldType::Integer,
                _ => FieldType::Real,
            };
            FieldDef::new(*n, ty)
        })
        .collect()
}

fn s(v: &str) -> FieldValue {
    FieldValue::String(v.into())
}

fn i(v: i32) -> FieldValue {
    FieldValue::Integer(v)
}

fn r(v: f64) -> FieldValue {
    FieldValue::Real(v)
}

struct Layer {
    name: &'static str,
    geometry: GeometryType,
    fields: Vec<FieldDef>,
    rows: Vec<(Option<Geometry<f64>>, Vec<FieldValue>)>,
}

fn write_gpkg(path: &Path, layers: Vec<Layer>) {
    let mut w =
        VectorWriter::create(path, VectorDriver::GeoPackage, &WriteOptions::default()).unwrap();
    for l in layers {
        let spec = VectorLayerSpec::new(VectorDriver::GeoPackage, l.name, CRS, l.geometry)
            .fields(l.fields);
        if l.geometry == GeometryType::None {
            w.add_table(&spec, l.rows.into_iter().map(|(_, v)| v))
                .unwrap();
        } else {
            w.add_layer(&spec, l.rows.into_iter().map(|(g, v)| (g.unwrap(), v)))
                .unwrap();
        }
    }
    w.finish().unwrap();
}

/// The base run: manifest, census database with an empty `_batches`, one level
/// grid, and `zoning.gpkg` with the townships, empty unit tables and `extra` layers.
fn base_run(dir: &Path, extra: Vec<Layer>) {
    std::fs::create_dir_all(dir.join("assess")).unwrap();
    std::fs::create_dir_all(dir.join("census")).unwrap();
    let manifest = serde_json::json!({
        "engine_version": "0.1.0",
        "gdal_version": "",
        "census": {
            "dir": "census",
            "name": "测试县 Test County",
            "code": "370999",
            "grid": {"crs": CRS, "x_min": X0, "y_max": Y1, "cell_size": CELL, "rows": ROWS, "cols": COLS}
        },
        "hazards": [{"id": "flood", "name_zh": "洪涝", "name_en": "Flood", "order": 2}]
    });
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
    .unwrap();
    let gt = [X0, CELL, 0.0, Y1, 0.0, -CELL];
    let levels = Array2::<u8>::from_shape_fn((ROWS, COLS), |(_, c)| 1 + (c / 6) as u8);
    riskcensus_io::geotiff::write_geotiff(
        &dir.join("assess/flood_risk_level.tif"),
        levels.view(),
        gt,
        CRS,
        Some(0.0),
    )
    .unwrap();
    write_gpkg(
        &dir.join("census/census.gpkg"),
        vec![Layer {
            name: "_batches",
            geometry: GeometryType::None,
            fields: fields(&[
                ("batch_id", 's'),
                ("layer", 's'),
                ("source", 's'),
                ("format", 's'),
                ("encoding", 's'),
                ("read", 'i'),
                ("loaded", 'i'),
                ("rejected", 'i'),
                ("inserted", 'i'),
                ("updated", 'i'),
                ("unchanged", 'i'),
                ("finished_at", 's'),
            ]),
            rows: Vec::new(),
        }],
    );
    let mut layers = vec![
        Layer {
            name: "townships",
            geometry: GeometryType::MultiPolygon,
            fields: fields(&[("code", 's'), ("name", 's')]),
            rows: vec![
                (Some(east_town().into()), vec![s("370999001"), s("东镇")]),
                (Some(west_town().into()), vec![s("370999002"), s("西镇")]),
            ],
        },
        Layer {
            name: "unit_summary",
            geometry: GeometryType::None,
            fields: fields(&[("unit_code", 's'), ("layer", 's')]),
            rows: Vec::new(),
        },
        Layer {
            name: "unit_levels",
            geometry: GeometryType::None,
            fields: fields(&[("unit_code", 's'), ("layer", 's')]),
            rows: Vec::new(),
        },
    ];
    layers.extend(extra);
    write_gpkg(&dir.join("assess/zoning.gpkg"), layers);
}

/// The six capacity tables; `bad_safe` writes 3 into `shelter_safety.safe` of the
/// second shelter (fid 2).
fn capacity_layers(bad_safe: bool) -> Vec<Layer> {
    let unit = |code: &str,
                name: &str,
                level: &str,
                town: &str,
                pop: f64,
                drills: f64,
                score: f64,
                index: f64,
                grade: i32,
                zh: &str,
                area: MultiPolygon<f64>| {
        (
            Some(area.into()),
            vec![
                s(code),
                s(name),
                s(level),
                s(town),
                r(pop),
                i(1),
                r(drills),
                r(score),
                r(index),
                r(0.96),
                i(grade),
                s(zh),
                s(STATUS),
            ],
        )
    };
    let gap = |sc: &str, zh: &str, code: &str, name: &str, level: &str, v: [f64; 6]| {
        (
            None,
            vec![
                s(sc),
                s(zh),
                s(code),
                s(name),
                s(level),
                r(v[0]),
                r(v[1]),
                r(v[2]),
                r(v[3]),
                r(v[4]),
                r(v[5]),
                i(1),
            ],
        )
    };
    let rescue = |code: &str, name: &str, level: &str, v: [f64; 12]| {
        let mut row = vec![s(code), s(name), s(level)];
        row.extend(v.iter().map(|x| r(*x)));
        (None, row)
    };
    let screen =
        |code: &str, name: &str, flags: [i32; 4], met: i32, level: i32, area: MultiPolygon<f64>| {
            (
                Some(area.into()),
                vec![
                    s(code),
                    s(name),
                    r(100.0),
                    r(0.5),
                    i(if flags[0] == 1 { 2 } else { 4 }),
                    i(flags[0]),
                    r(3.0),
                    r(20.0),
                    r(150.0),
                    r(30.0),
                    i(flags[1]),
                    i(if flags[2] == 1 { 1 } else { 3 }),
                    i(flags[2]),
                    i(if flags[3] == 1 { 1 } else { 4 }),
                    i(flags[3]),
                    i(met),
                    i(level),
                ],
            )
        };
    vec![
        Layer {
            name: capacity_names::UNITS,
            geometry: GeometryType::MultiPolygon,
            fields: fields(&[
                ("unit_code", 's'),
                ("unit_name", 's'),
                ("unit_level", 's'),
                ("township_code", 's'),
                ("population", 'r'),
                ("surveyed", 'i'),
                ("drills", 'r'),
                ("drills_score", 'r'),
                ("capacity_index", 'r'),
                ("weight_covered", 'r'),
                ("level", 'i'),
                ("grade_zh", 's'),
                ("status", 's'),
            ]),
            rows: vec![
                unit(
                    "370999001",
                    "东镇",
                    "township",
                    "",
                    1000.0,
                    2.0,
                    1.0,
                    0.72,
                    4,
                    "较强",
                    east_town(),
                ),
                unit(
                    "370999002",
                    "西镇",
                    "township",
                    "",
                    2000.0,
                    0.0,
                    0.0,
                    0.15,
                    1,
                    "弱",
                    west_town(),
                ),
                unit(
                    "370999001201",
                    "东村",
                    "village",
                    "370999001",
                    400.0,
                    1.0,
                    1.0,
                    0.9,
                    5,
                    "强",
                    rect(X0, Y1 - 1000.0, X0 + 1000.0, Y1),
                ),
                unit(
                    "370999002201",
                    "西村",
                    "village",
                    "370999002",
                    800.0,
                    0.0,
                    0.0,
                    0.3,
                    2,
                    "较弱",
                    rect(X0 + 2000.0, Y1 - 1000.0, X0 + 3000.0, Y1),
                ),
            ],
        },
        Layer {
            name: capacity_names::SHELTER_GAPS,
            geometry: GeometryType::None,
            fields: fields(&[
                ("scenario", 's'),
                ("scenario_zh", 's'),
                ("unit_code", 's'),
                ("unit_name", 's'),
                ("unit_level", 's'),
                ("displaced", 'r'),
                ("placed", 'r'),
                ("unplaced", 'r'),
                ("unplaced_pct", 'r'),
                ("unplaced_if_unsafe_used", 'r'),
                ("safe_places_in_unit", 'r'),
                ("assessed", 'i'),
            ]),
            rows: vec![
                gap(
                    "flood_100y",
                    "百年一遇洪水",
                    "370999001",
                    "东镇",
                    "township",
                    [200.0, 200.0, 0.0, 0.0, 0.0, 800.0],
                ),
                gap(
                    "flood_100y",
                    "百年一遇洪水",
                    "370999002",
                    "西镇",
                    "township",
                    [1000.4, 100.2, 900.2, 89.98, 800.0, 0.0],
                ),
                gap(
                    "flood_100y",
                    "百年一遇洪水",
                    "370999",
                    "测试县",
                    "county",
                    [1200.4, 300.2, 900.2, 74.99, 800.0, 800.0],
                ),
                gap(
                    "earthquake_rare",
                    "罕遇地震",
                    "370999",
                    "测试县",
                    "county",
                    [2500.0, 800.0, 1700.0, 68.0, 1400.0, 800.0],
                ),
            ],
        },
        Layer {
            name: capacity_names::SHELTER_SAFETY,
            geometry: GeometryType::Point,
            fields: fields(&[
                ("shelter_id", 's'),
                ("name", 's'),
                ("shelter_type", 's'),
                ("radius_m", 'r'),
                ("capacity", 'r'),
                ("township_code", 's'),
                ("level", 'i'),
                ("safe", 'i'),
                ("reasons", 's'),
            ]),
            rows: vec![
                (
                    Some(Point::new(X0 + 500.0, Y1 - 500.0).into()),
                    vec![
                        s("S1"),
                        s("东镇广场避难场所"),
                        s("fixed_short"),
                        r(1000.0),
                        r(800.0),
                        s("370999001"),
                        i(2),
                        i(1),
                        s(""),
                    ],
                ),
                (
                    Some(Point::new(X0 + 2500.0, Y1 - 1500.0).into()),
                    vec![
                        s("S2"),
                        s("西镇学校避难场所"),
                        s("emergency"),
                        r(500.0),
                        r(300.0),
                        s("370999002"),
                        i(1),
                        i(if bad_safe { 3 } else { 0 }),
                        s("100y洪水淹没 1.20 m inside the 100y flood extent"),
                    ],
                ),
            ],
        },
        Layer {
            name: capacity_names::RESERVE_DAYS,
            geometry: GeometryType::None,
            fields: fields(&[
                ("scenario", 's'),
                ("scope", 's'),
                ("code", 's'),
                ("name", 's'),
                ("displaced", 'r'),
                ("food_t_stock", 'r'),
                ("food_t_days", 'r'),
                ("water_t_stock", 'r'),
                ("water_t_days", 'r'),
                ("tents_stock", 'r'),
                ("tents_cover_pct", 'r'),
                ("min_days", 'r'),
                ("target_days", 'r'),
                ("meets_target", 'i'),
            ]),
            // The plan's 5,000 people: 20 t of food at 0.4 kg/day last 20 / (5000 ×
            // 0.0004) = 10 days, 50 t of water at 2.5 l/day 50 / (5000 × 0.0025) = 4
            // days, 500 tents of four cover 500 × 4 / 5000 = 40 %.
            rows: vec![
                (
                    None,
                    vec![
                        s("plan_target"),
                        s("warehouse"),
                        s("WZ1"),
                        s("县储备库"),
                        r(5000.0),
                        r(20.0),
                        r(10.0),
                        r(50.0),
                        r(4.0),
                        r(500.0),
                        r(40.0),
                        r(4.0),
                        r(15.0),
                        i(0),
                    ],
                ),
                (
                    None,
                    vec![
                        s("plan_target"),
                        s("county"),
                        s("370999"),
                        s("测试县"),
                        r(5000.0),
                        r(20.0),
                        r(10.0),
                        r(50.0),
                        r(4.0),
                        r(500.0),
                        r(40.0),
                        r(4.0),
                        r(15.0),
                        i(0),
                    ],
                ),
                (
                    None,
                    vec![
                        s("flood_100y"),
                        s("county"),
                        s("370999"),
                        s("测试县"),
                        r(1200.4),
                        r(20.0),
                        r(41.65),
                        r(50.0),
                        r(16.66),
                        r(500.0),
                        r(100.0),
                        r(16.66),
                        r(15.0),
                        i(1),
                    ],
                ),
            ],
        },
        Layer {
            name: capacity_names::RESCUE_ACCESS,
            geometry: GeometryType::None,
            // Isochrones of 20 and 45 min: the chapter and the map take them from
            // these column names.
            fields: fields(&[
                ("unit_code", 's'),
                ("unit_name", 's'),
                ("unit_level", 's'),
                ("population", 'r'),
                ("mean_minutes", 'r'),
                ("pop_beyond_20min", 'r'),
                ("pop_beyond_20min_pct", 'r'),
                ("pop_beyond_45min", 'r'),
                ("pop_beyond_45min_pct", 'r'),
                ("key_facilities", 'r'),
                ("facilities_beyond_20min", 'r'),
                ("facilities_beyond_45min", 'r'),
                ("teams_fire", 'r'),
                ("personnel_fire", 'r'),
                ("minutes_fire", 'r'),
            ]),
            rows: vec![
                rescue(
                    "370999001",
                    "东镇",
                    "township",
                    [
                        1000.0, 8.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 1.0, 20.0, 8.0,
                    ],
                ),
                rescue(
                    "370999002",
                    "西镇",
                    "township",
                    [
                        2000.0, 24.0, 1200.0, 60.0, 450.0, 22.5, 3.0, 2.0, 1.0, 0.0, 0.0, 24.0,
                    ],
                ),
                rescue(
                    "370999",
                    "测试县",
                    "county",
                    [
                        3000.0, 18.5, 1200.0, 40.0, 450.0, 15.0, 5.0, 2.0, 1.0, 1.0, 20.0, 18.5,
                    ],
                ),
            ],
        },
        Layer {
            name: capacity_names::SCREENING,
            geometry: GeometryType::MultiPolygon,
            fields: fields(&[
                ("unit_code", 's'),
                ("unit_name", 's'),
                ("recorded_loss_wan_per_yr", 'r'),
                ("recorded_loss_gdp_pct", 'r'),
                ("recorded_loss_level", 'i'),
                ("high_loss", 'i'),
                ("hidden_dangers", 'r'),
                ("hidden_dangers_per_100km2", 'r'),
                ("threatened", 'r'),
                ("threatened_per_1k", 'r'),
                ("high_hidden_danger", 'i'),
                ("risk_level", 'i'),
                ("high_risk", 'i'),
                ("capacity_grade", 'i'),
                ("low_capacity", 'i'),
                ("criteria_met", 'i'),
                ("level", 'i'),
            ]),
            rows: vec![
                screen("370999001", "东镇", [0, 1, 0, 0], 1, 3, east_town()),
                screen("370999002", "西镇", [1, 1, 1, 1], 4, 1, west_town()),
            ],
        },
    ]
}

/// `rescue_minutes.tif`: 2 min per column from the west edge; no value in the
/// eastern half's top-right 5 × 5 cells (a township no road reaches there).
fn write_minutes(dir: &Path) -> Array2<f32> {
    let m = Array2::<f32>::from_shape_fn((ROWS, COLS), |(row, c)| {
        if row < 5 && c >= 25 {
            f32::NAN
        } else {
            2.0 * c as f32
        }
    });
    riskcensus_io::geotiff::write_geotiff(
        &dir.join("assess").join(capacity::RESCUE_MINUTES),
        m.view(),
        [X0, CELL, 0.0, Y1, 0.0, -CELL],
        CRS,
        Some(f64::NAN),
    )
    .unwrap();
    m
}

fn opts() -> ReportOptions {
    ReportOptions {
        web_only: true,
        font: None,
    }
}

/// The element with `id="<id>"` (its start tag up to its end tag `</tag>`).
fn element<'a>(html: &'a str, id: &str, tag: &str) -> &'a str {
    let i = html
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no element {id}"));
    let rest = &html[i..];
    &rest[..rest.find(&format!("</{tag}>")).unwrap()]
}

/// The table row of `attr="value"`.
fn row<'a>(html: &'a str, attr: &str, value: &str) -> &'a str {
    let i = html
        .find(&format!(r#"<tr {attr}="{value}""#))
        .unwrap_or_else(|| panic!("no row {attr}={value}"));
    let rest = &html[i..];
    &rest[..rest.find("</tr>").unwrap()]
}

#[test]
fn the_chapter_shows_the_county_figures_unsafe_shelters_and_maps() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    base_run(&run, capacity_layers(false));
    let minutes = write_minutes(&run);
    let summary = render_report(&run, &opts()).unwrap();
    let html = std::fs::read_to_string(&summary.html).unwrap();

    // After the maps (no loss tables in this run): chapter 5, the township tables 6,
    // provenance 7; listed in the contents.
    assert!(html.contains(r##"<li><a href="#capacity">减灾能力与资源缺口 Mitigation capacity and resource gaps</a></li>"##));
    assert!(html.contains(r#"<h2 id="capacity">5 减灾能力与资源缺口"#));
    assert!(html.contains(r#"<h2 id="units">6 "#));
    assert!(html.contains(r#"<h2 id="provenance">7 "#));
    let sec = &html
        [html.find(r#"<h2 id="capacity">"#).unwrap()..html.find(r#"<h2 id="units">"#).unwrap()];

    // The index is provisional, with the status column's words.
    let lead = element(sec, "capacity-provisional", "p");
    assert!(lead.contains("PROVISIONAL") && lead.contains("GB/T 43981-2024"));
    assert!(lead.contains(STATUS));

    // Per scenario the county's displaced, placed and unplaced (shelter_gaps).
    let flood = row(sec, "data-scenario", "flood_100y");
    for (field, value, shown) in [
        ("displaced", "1200.4", "1200"),
        ("placed", "300.2", "300"),
        ("unplaced", "900.2", "900"),
        ("unplaced_pct", "74.99", "75.0"),
    ] {
        assert!(
            flood.contains(&format!(
                r#"data-field="{field}" data-value="{value}">{shown}</td>"#
            )),
            "{field}: {flood}"
        );
    }
    let quake = row(sec, "data-scenario", "earthquake_rare");
    assert!(quake.contains(r#"data-field="unplaced" data-value="1700">1700</td>"#));

    // Reserves for the plan's 5,000 people: water lasts 4 days, short of 15.
    let reserve = element(sec, "capacity-reserve", "dd");
    assert!(reserve.contains(r#"data-value="4""#), "{reserve}");
    assert!(reserve.contains("5000") && reserve.contains("15-day target"));
    assert!(
        reserve.contains("falls short of the target days"),
        "{reserve}"
    );

    // Population beyond the table's isochrones, 20 and 45 min, and no other.
    assert!(sec.contains(r#"data-minutes="20" data-value="1200">1200 人（40.0%）"#));
    assert!(sec.contains(r#"data-minutes="45" data-value="450">450 人（15.0%）"#));
    assert_eq!(sec.matches(r#"class="capacity-beyond""#).count(), 2);

    // One unsafe shelter of two; 西镇 is the 三高一低 township.
    let unsafe_dd = element(sec, "capacity-unsafe", "dd");
    assert!(unsafe_dd.contains(r#"data-value="1""#) && unsafe_dd.contains("1 / 2"));
    let screened = element(sec, "capacity-3h1l", "dd");
    assert!(
        screened.contains("西镇") && !screened.contains("东镇"),
        "{screened}"
    );

    // The unsafe-shelter list: S2 with its type, township and reasons; not S1.
    let s2 = row(sec, "data-shelter", "S2");
    assert!(s2.contains("西镇学校避难场所") && s2.contains("紧急避难场所") && s2.contains("西镇"));
    assert!(s2.contains("inside the 100y flood extent"));
    assert!(!sec.contains(r#"data-shelter="S1""#));

    // Township tables: grades with the index, gaps, rescue access.
    let east = row(sec, "data-capacity-unit", "370999001");
    assert!(east.contains(r#"data-field="capacity_index" data-value="0.72">0.720</td>"#));
    assert!(east.contains("较强"));
    assert!(sec.contains(r#"data-field="pop_beyond_45min" data-value="450">450</td>"#));

    // The three maps are written and embedded.
    for id in [
        capacity::GRADES_MAP,
        capacity::RESCUE_MAP,
        capacity::SCREENING_MAP,
    ] {
        assert!(
            run.join("maps").join(format!("{id}_web.png")).exists(),
            "{id}"
        );
        assert!(
            sec.contains(&format!(r#"<figure id="map-{id}"><img"#)),
            "{id}"
        );
    }

    // The maps' classes: villages' grades, travel classes of 20 and 45 min with the
    // unreached cells, 三高一低 on 西镇.
    let r = riskcensus_report::run::Run::open(&run).unwrap();
    let base = riskcensus_report::basemap::load(&r).unwrap();
    let t = capacity::read(&r).unwrap().unwrap();
    let grades = capacity::grades_map(&base, &t).unwrap();
    assert_eq!(grades.levels[(2, 2)], 5, "东村");
    assert_eq!(grades.levels[(2, 25)], 2, "西村");
    assert_eq!(grades.levels[(15, 2)], 0, "no village");
    assert_eq!(grades.markers.len(), 2, "safe and unsafe sets");
    assert_eq!(grades.markers[1].points, vec![(X0 + 2500.0, Y1 - 1500.0)]);
    assert_eq!(
        grades.markers[1].rgb,
        [0xD7, 0x19, 0x1C],
        "unsafe: shelter_safety2 code 1"
    );
    let iso = capacity::rescue_map(&base, &t).unwrap();
    let names: Vec<&str> = iso.classes.iter().map(|c| c.name_en.as_str()).collect();
    assert_eq!(
        names,
        ["≤ 20 min", "20–45 min", "> 45 min", "no road reaches"]
    );
    for (cell, code) in [((10, 10), 1), ((10, 11), 2), ((10, 23), 3), ((0, 29), 4)] {
        assert_eq!(
            iso.levels[cell], code,
            "cell {cell:?}: {} min",
            minutes[cell]
        );
    }
    let screen = capacity::screening_map(&base, &t).unwrap();
    assert_eq!((screen.levels[(5, 5)], screen.levels[(5, 25)]), (3, 1));
}

#[test]
fn a_run_without_the_capacity_tables_gets_its_report_without_the_chapter() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    base_run(&run, Vec::new());
    let summary = render_report(&run, &opts()).unwrap();
    let html = std::fs::read_to_string(&summary.html).unwrap();
    assert!(!html.contains(r#"id="capacity""#));
    assert!(!html.contains("#capacity"));
    assert!(html.contains(r#"<h2 id="maps">4 "#));
    assert!(html.contains(r#"<h2 id="units">5 "#));
    assert!(html.contains(r#"<h2 id="provenance">6 "#));
    assert!(!run
        .join("maps")
        .join(format!("{}_web.png", capacity::GRADES_MAP))
        .exists());
    assert_eq!(summary.maps.len(), 1, "the level grid's web map only");
}

#[test]
fn a_bad_value_is_reported_with_file_table_fid_and_field() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    base_run(&run, capacity_layers(true));
    let e = render_report(&run, &opts()).unwrap_err();
    assert!(e.is_input_error());
    let msg = e.to_string();
    for part in [
        "zoning.gpkg",
        "table shelter_safety",
        "fid 2",
        "field safe",
        "3 is not a flag",
    ] {
        assert!(msg.contains(part), "{part}: {msg}");
    }
}
