//! The mitigation-capacity survey: `community_capacity` (one record per township or
//! village, keyed by its admin code, no geometry), `shelters.shelter_type` and
//! `rescue_teams.kind` as codes — loaded from the demo county as surveyors deliver it
//! (`fixtures/demo-small`), and the checks of the unit codes.

mod common;

use common::{census, fixtures, opts};
use riskcensus_survey::{Census, IngestOptions, IngestReport, Query, Rule};

fn demo(file: &str) -> std::path::PathBuf {
    fixtures("demo-small").join("survey").join(file)
}

/// The demo's townships and village seats as admin units.
fn load_admin(c: &Census) {
    for layer in ["townships", "villages"] {
        let r = c
            .ingest(
                &demo("admin.gpkg"),
                &IngestOptions {
                    source_layer: Some(layer.into()),
                    ..opts("admin_units", None)
                },
            )
            .unwrap();
        assert_eq!(r.rejected, 0, "{layer}: {:#?}", r.problems);
    }
}

fn notes_with<'a>(r: &'a IngestReport, part: &str) -> Vec<&'a str> {
    r.notes
        .iter()
        .filter(|n| n.contains(part))
        .map(String::as_str)
        .collect()
}

#[test]
fn the_demo_capacity_survey_loads_every_unit_with_codes_for_its_answers() {
    let (_d, c) = census("demo-small");
    load_admin(&c);
    // GBK without a declared encoding, Chinese headers, 有/无 and 是/否 answers.
    let r = c
        .ingest(
            &demo("community_capacity.csv"),
            &opts("community_capacity", None),
        )
        .unwrap();
    assert_eq!((r.read, r.rejected), (374, 0), "{:#?}", r.problems);
    assert!(r.ignored_fields.is_empty(), "{:?}", r.ignored_fields);
    assert!(r.encoding.as_deref().unwrap().starts_with("GBK"), "{r:?}");
    // Every code is one of the loaded units: no note about unknown codes.
    assert!(
        notes_with(&r, "not among the loaded").is_empty(),
        "{:?}",
        r.notes
    );
    assert!(notes_with(&r, "not checked").is_empty(), "{:?}", r.notes);
    let rows = c.query("community_capacity", &Query::default()).unwrap();
    assert_eq!(rows.len(), 374);
    let town = rows.iter().find(|f| f.text("code") == "370999001").unwrap();
    assert_eq!(town.text("name"), "岱阳街道");
    assert_eq!(town.text("emergency_plan"), "yes");
    assert_eq!(town.text("demo_community"), "");
    let values = |field: &str| {
        rows.iter()
            .map(|f| f.text(field))
            .collect::<std::collections::BTreeSet<_>>()
    };
    for field in ["emergency_plan", "warning_broadcast", "risk_map"] {
        assert_eq!(
            values(field).into_iter().collect::<Vec<_>>(),
            ["no", "yes"],
            "{field}"
        );
    }
    assert_eq!(
        values("demo_community").into_iter().collect::<Vec<_>>(),
        ["", "no", "yes"]
    );
    let cov: Vec<f64> = rows
        .iter()
        .map(|f| f.number("warning_coverage_pct").unwrap())
        .collect();
    assert!(cov.iter().all(|v| (60.0..=100.0).contains(v)), "{cov:?}");
    // A township's query holds its own record and its villages'.
    let t1 = c
        .query(
            "community_capacity",
            &Query {
                admin: Some("370999001".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(t1.len() > 10, "{}", t1.len());
    assert!(t1.iter().all(|f| f.text("code").starts_with("370999001")));
    let one = c
        .query(
            "community_capacity",
            &Query {
                admin: Some("370999001201".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(one.len(), 1);
    // No geometry: a bounding box does not apply.
    let e = c
        .query(
            "community_capacity",
            &Query {
                bbox: Some([0.0, 0.0, 1.0, 1.0]),
                ..Default::default()
            },
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("no geometry"), "{e}");
    // Re-loading the same file changes nothing.
    let again = c
        .ingest(
            &demo("community_capacity.csv"),
            &opts("community_capacity", None),
        )
        .unwrap();
    assert_eq!((again.unchanged, again.rejected), (374, 0));
}

#[test]
fn demo_shelters_and_rescue_teams_load_their_kinds_as_codes() {
    let (_d, c) = census("demo-small");
    load_admin(&c);
    let r = c
        .ingest(&demo("shelters.geojson"), &opts("shelters", None))
        .unwrap();
    assert_eq!(r.rejected, 0, "{:#?}", r.problems);
    let shelters = c.query("shelters", &Query::default()).unwrap();
    let class = |kind: &str, level: &str| {
        shelters
            .iter()
            .filter(|f| f.text("kind") == kind && (level.is_empty() || f.text("level") == level))
            .map(|f| f.text("shelter_type"))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    };
    assert_eq!(class("体育场", ""), ["central"]);
    assert_eq!(class("广场", ""), ["fixed_short"]);
    assert_eq!(class("学校操场", ""), ["emergency"]);
    assert_eq!(class("公园", "I类"), ["fixed_long"]);
    assert_eq!(class("公园", "II类"), ["fixed_medium"]);

    let r = c
        .ingest(
            &demo("rescue_stations.csv"),
            &opts("rescue_teams", Some("EPSG:4490")),
        )
        .unwrap();
    assert_eq!(r.rejected, 0, "{:#?}", r.problems);
    let teams = c.query("rescue_teams", &Query::default()).unwrap();
    let kind_of = |name: &str| {
        teams
            .iter()
            .find(|f| f.text("name").contains(name))
            .map(|f| f.text("kind"))
            .unwrap()
    };
    assert_eq!(kind_of("特勤站"), "fire");
    assert_eq!(kind_of("专职消防队"), "fire");
    assert_eq!(kind_of("森林消防"), "forest_fire");
    assert_eq!(kind_of("矿山救护队"), "mine");
    assert_eq!(kind_of("水上救援队"), "water");
    assert_eq!(kind_of("民兵应急排"), "militia");
}

/// Every check of a unit code, and of the answers, in one delivery.
#[test]
fn capacity_records_are_checked_by_their_admin_code_and_answers() {
    let (d, c) = census("demo-small");
    load_admin(&c);
    let path = d.path().join("capacity.csv");
    let text = "行政区划代码,名称,灾害信息员,应急预案,年度应急演练次数,预警信息覆盖率(%),应急广播/大喇叭,综合减灾示范社区,调查年份\r\n\
        370999001,岱阳街道,8,已编制,4,99,1,,2024\r\n\
        156370999002,明堂街道,6,Y,3,97.5,true,,2024\r\n\
        370999101999,不存在村,1,无,0,70,否,否,2024\r\n\
        37099910,短码,1,有,0,70,是,否,2024\r\n\
        370102001,外县镇,1,有,0,70,是,否,2024\r\n\
        370999102201,某村,1,不详,0,101,是,否,2999\r\n\
        370999001,岱阳街道,8,有,4,99,是,,2024\r\n\
        370999101998,也不存在村,1,不详,0,70,否,否,2024\r\n";
    let (bytes, _, bad) = encoding_rs::GBK.encode(text);
    assert!(!bad);
    std::fs::write(&path, bytes).unwrap();
    let r = c.ingest(&path, &opts("community_capacity", None)).unwrap();
    assert_eq!(
        (r.read, r.loaded, r.rejected),
        (8, 3, 5),
        "{:#?}",
        r.problems
    );
    let rules = |row: u64| {
        let mut v: Vec<(String, Rule)> = r
            .problems
            .iter()
            .filter(|p| p.row == row)
            .map(|p| (p.field.clone(), p.rule))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    assert_eq!(rules(4), [("code".to_string(), Rule::Type)]);
    assert_eq!(rules(5), [("code".to_string(), Rule::ForeignCode)]);
    assert_eq!(
        rules(6),
        [
            ("emergency_plan".to_string(), Rule::Domain),
            ("survey_year".to_string(), Rule::FutureDate),
            ("warning_coverage_pct".to_string(), Rule::Range),
        ]
    );
    assert_eq!(rules(7), [("code".to_string(), Rule::DuplicateId)]);
    assert_eq!(rules(8), [("emergency_plan".to_string(), Rule::Domain)]);
    // The prefix 156 is stripped; an unknown village is loaded and reported (the
    // rejected one is not counted).
    assert_eq!(
        notes_with(&r, "national prefix 156").len(),
        1,
        "{:?}",
        r.notes
    );
    let unknown = notes_with(&r, "not among the loaded admin units");
    assert!(
        unknown.len() == 1
            && unknown[0].contains("1 record(s)")
            && unknown[0].contains("370999101999"),
        "{:?}",
        r.notes
    );
    let rows = c.query("community_capacity", &Query::default()).unwrap();
    let plan = |code: &str| {
        rows.iter()
            .find(|f| f.text("code") == code)
            .map(|f| (f.text("emergency_plan"), f.text("warning_broadcast")))
            .unwrap()
    };
    assert_eq!(plan("370999001"), ("yes".into(), "yes".into()));
    assert_eq!(plan("370999002"), ("yes".into(), "yes".into()));
    assert_eq!(plan("370999101999"), ("no".into(), "no".into()));
}

/// Without admin units the codes cannot be checked against them: said, not refused.
#[test]
fn capacity_without_admin_units_is_loaded_with_a_note() {
    let (_d, c) = census("demo-small");
    let r = c
        .ingest(
            &demo("community_capacity.csv"),
            &opts("community_capacity", None),
        )
        .unwrap();
    assert_eq!((r.loaded, r.rejected), (374, 0));
    assert_eq!(
        notes_with(&r, "no admin units are loaded yet").len(),
        1,
        "{:?}",
        r.notes
    );
}

/// A rescue team whose kind is not a `team_kind` is refused by name, and a mapping
/// file's `[values.kind]` translates a county's own wording.
#[test]
fn an_unknown_team_kind_is_a_domain_problem_a_mapping_file_translates() {
    let (d, c) = census("demo-small");
    let path = d.path().join("teams.csv");
    std::fs::write(
        &path,
        "id,name,kind,lon,lat,personnel\r\nJY1,应急救援中队,综合应急救援,117.0,36.2,20\r\n",
    )
    .unwrap();
    let r = c
        .ingest(&path, &opts("rescue_teams", Some("EPSG:4490")))
        .unwrap();
    assert_eq!(r.rejected, 1);
    let p = &r.problems[0];
    assert_eq!((p.field.as_str(), p.rule), ("kind", Rule::Domain));
    assert!(p.message.contains("militia (民兵应急)"), "{}", p.message);
    let map = d.path().join("map.toml");
    std::fs::write(&map, "[values.kind]\n\"综合应急救援\" = \"other\"\n").unwrap();
    let r = c
        .ingest(
            &path,
            &IngestOptions {
                mapping: Some(map),
                ..opts("rescue_teams", Some("EPSG:4490"))
            },
        )
        .unwrap();
    assert_eq!(r.rejected, 0, "{:#?}", r.problems);
    let teams = c.query("rescue_teams", &Query::default()).unwrap();
    assert_eq!(teams[0].text("kind"), "other");
}
