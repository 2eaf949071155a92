//! The bad-input corpus (fixtures/bad): every file gives its named error or rule,
//! and the census layer is left as it was.

use std::path::PathBuf;

use riskcensus_survey::{Census, IngestOptions, Query, Rule};

mod common;

use common::opts;

fn fixtures() -> PathBuf {
    common::fixtures("bad")
}

fn census() -> (tempfile::TempDir, Census) {
    common::census("bad")
}

fn ids(c: &Census, layer: &str) -> Vec<(String, String)> {
    c.query(layer, &Query::default())
        .unwrap()
        .into_iter()
        .map(|f| {
            (
                format!("{:?}", f.get("id").unwrap()),
                format!("{:?}", f.get("record_hash").unwrap()),
            )
        })
        .collect()
}

#[test]
fn baseline_loads_and_gbk_is_detected() {
    let (_d, c) = census();
    let r = c
        .ingest(
            &fixtures().join("good_utf8.csv"),
            &opts("buildings", Some("EPSG:4490")),
        )
        .unwrap();
    assert_eq!((r.read, r.loaded, r.rejected, r.inserted), (2, 2, 0, 2));
    // The same records in GBK: detected, decoded, unchanged.
    let r = c
        .ingest(
            &fixtures().join("gbk.csv"),
            &opts("buildings", Some("EPSG:4490")),
        )
        .unwrap();
    assert!(
        r.encoding.as_deref().unwrap().starts_with("GBK"),
        "{:?}",
        r.encoding
    );
    assert_eq!((r.loaded, r.unchanged, r.inserted), (2, 2, 0));
    let rows = c.query("buildings", &Query::default()).unwrap();
    assert_eq!(
        rows[1].get("structure"),
        Some(&riskcensus_survey::FieldValue::String(
            "brick_concrete".into()
        ))
    );
}

#[test]
fn whole_source_errors_are_named_and_leave_the_database_untouched() {
    let (_d, c) = census();
    c.ingest(
        &fixtures().join("good_utf8.csv"),
        &opts("buildings", Some("EPSG:4490")),
    )
    .unwrap();
    let before = ids(&c, "buildings");
    let batches = c.batches().unwrap().len();
    let mut utf8 = opts("buildings", Some("EPSG:4490"));
    utf8.encoding = Some("UTF-8".into());
    let cases: Vec<(&str, IngestOptions, &str)> = vec![
        ("gbk.csv", utf8, "encoding"),
        (
            "broken_gbk.csv",
            opts("buildings", Some("EPSG:4490")),
            "encoding",
        ),
        ("truncated.gpkg", opts("buildings", None), "unreadable"),
        (
            "truncated_shp.shp",
            opts("hidden_dangers", None),
            "unreadable",
        ),
        ("no_crs.shp", opts("hidden_dangers", None), "no_crs"),
        ("empty.csv", opts("buildings", Some("EPSG:4490")), "empty"),
        (
            "header_only.csv",
            opts("buildings", Some("EPSG:4490")),
            "empty",
        ),
        (
            "missing_fields.csv",
            opts("buildings", Some("EPSG:4490")),
            "missing_fields",
        ),
        ("good_utf8.csv", opts("buildings", None), "no_crs"),
        ("good_utf8.csv", opts("castles", None), "unknown_layer"),
    ];
    for (file, o, want) in cases {
        let e = c.ingest(&fixtures().join(file), &o).expect_err(file);
        assert_eq!(e.name(), want, "{file}: {e}");
        assert!(e.is_input_error(), "{file}: {e}");
        assert!(
            e.to_string().contains(file) || want == "unknown_layer",
            "{file}: {e}"
        );
        assert_eq!(ids(&c, "buildings"), before, "{file}");
        assert_eq!(c.batches().unwrap().len(), batches, "{file}");
    }
}

/// One expected problem: its rule, field and value.
type Expected<'a> = (Rule, &'a str, &'a str);

#[test]
fn record_problems_name_record_field_value_and_rule() {
    let (_d, c) = census();
    c.ingest(
        &fixtures().join("good_utf8.csv"),
        &opts("buildings", Some("EPSG:4490")),
    )
    .unwrap();
    let mut before = ids(&c, "buildings");
    // (file, census layer, expected problems).
    let cases: Vec<(&str, &str, Vec<Expected>)> = vec![
        (
            "truncated.csv",
            "buildings",
            vec![
                (Rule::FieldCount, "*", "3 fields"),
                (Rule::Required, "structure", ""),
                (Rule::Required, "storeys", ""),
            ],
        ),
        (
            "swapped.csv",
            "buildings",
            vec![(Rule::LonlatSwapped, "geometry", "(36.2467869, 116.9511466)")],
        ),
        (
            "outside.csv",
            "buildings",
            vec![(Rule::OutsideStudyArea, "geometry", "(121.5, 31.2)")],
        ),
        (
            "out_of_range.csv",
            "buildings",
            vec![
                (Rule::Range, "storeys", "500"),
                (Rule::Domain, "fortification", "X"),
                (Rule::Range, "occupants", "-1"),
            ],
        ),
        (
            "wrong_type.csv",
            "buildings",
            vec![(Rule::Type, "storeys", "four")],
        ),
        (
            "future.csv",
            "buildings",
            vec![(Rule::FutureDate, "year_built", "2999")],
        ),
        (
            "duplicate_ids.csv",
            "buildings",
            vec![(Rule::DuplicateId, "id", "37099900100001")],
        ),
    ];
    for (file, layer, want) in cases {
        // The dry run and the ingest agree.
        let v = c
            .validate(&fixtures().join(file), &opts(layer, Some("EPSG:4490")))
            .unwrap();
        let r = c
            .ingest(&fixtures().join(file), &opts(layer, Some("EPSG:4490")))
            .unwrap();
        assert_eq!(v.problems, r.problems, "{file}");
        assert_eq!(r.loaded + r.rejected, r.read, "{file}");
        assert!(r.rejected >= 1, "{file}");
        let got: Vec<Expected> = r
            .problems
            .iter()
            .map(|p| (p.rule, p.field.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(got, want, "{file}: {:#?}", r.problems);
        assert!(r
            .problems
            .iter()
            .all(|p| p.source.ends_with(file) && p.record.starts_with("row ")));
        // Rejected records never reach the layer; the rejects table has them.
        let rejects = c.rejects(&r.batch_id).unwrap();
        assert_eq!(rejects.len(), r.problems.len(), "{file}");
        if r.loaded == 0 {
            assert_eq!(ids(&c, "buildings"), before, "{file}");
        }
        before = ids(&c, "buildings");
    }
}

#[test]
fn csv_rows_and_lines_are_counted_from_the_header() {
    let (_d, c) = census();
    let r = c
        .validate(
            &fixtures().join("duplicate_ids.csv"),
            &opts("buildings", Some("EPSG:4490")),
        )
        .unwrap();
    assert_eq!(r.problems[0].record, "row 2 (line 3)");
    assert!(
        r.problems[0].message.contains("row 1 (line 2)"),
        "{}",
        r.problems[0].message
    );
}

#[test]
fn self_intersecting_polygon_is_rejected_and_the_valid_one_loads() {
    let (_d, c) = census();
    let r = c
        .ingest(
            &fixtures().join("selfintersect.geojson"),
            &opts("lithology", None),
        )
        .unwrap();
    assert_eq!((r.read, r.loaded, r.rejected), (2, 1, 1));
    assert_eq!(r.problems[0].rule, Rule::InvalidGeometry);
    assert_eq!(r.problems[0].key.as_deref(), Some("I"));
    let rows = c.query("lithology", &Query::default()).unwrap();
    assert_eq!(rows.len(), 1);
}

#[test]
fn mapping_renames_fields_and_translates_codes() {
    let (d, c) = census();
    let csv = d.path().join("teams.csv");
    std::fs::write(
        &csv,
        "编号,经度,纬度,结构代码,层数\n37099900100001,116.9511466,36.2467869,1,3\n37099900100002,116.9611466,36.2367869,2,1\n",
    )
    .unwrap();
    let map = d.path().join("map.toml");
    std::fs::write(
        &map,
        "x = \"经度\"\ny = \"纬度\"\ncrs = \"CGCS2000\"\n[fields]\n\"结构代码\" = \"structure\"\n[values.structure]\n\"1\" = \"rc_frame\"\n\"2\" = \"砖木\"\n",
    )
    .unwrap();
    let o = IngestOptions {
        layer: "buildings".into(),
        mapping: Some(map),
        ..Default::default()
    };
    let r = c.ingest(&csv, &o).unwrap();
    assert_eq!((r.loaded, r.rejected), (2, 0), "{:#?}", r.problems);
    let rows = c.query("buildings", &Query::default()).unwrap();
    let s: Vec<_> = rows
        .iter()
        .map(|f| format!("{:?}", f.get("structure").unwrap()))
        .collect();
    assert_eq!(s, ["String(\"rc_frame\")", "String(\"brick_wood\")"]);
}
