//! The capacity stage on the demo county (docs/capacity.md): the gap tables add up
//! (township rows to the county, placed ≤ displaced ≤ population, places used ≤
//! places offered), the shelter screen agrees with the flood grid it reads, the
//! reserve days are the hand formula stock / (people × need), the rescue table's
//! isochrones nest, and every table is a layer of `zoning.gpkg` with its style.

use std::collections::BTreeMap;

use riskcensus::progress::NoProgress;
use riskcensus::RunOptions;
use riskcensus_testkit::read_raster;

fn table(path: &std::path::Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| {
            let x = x.unwrap();
            h.iter().cloned().zip(x.iter().map(String::from)).collect()
        })
        .collect();
    (h, rows)
}

fn num(row: &BTreeMap<String, String>, col: &str) -> f64 {
    let v = &row[col];
    if v.is_empty() {
        f64::NAN
    } else {
        v.parse().unwrap_or_else(|_| panic!("{col} = {v:?}"))
    }
}

#[test]
fn demo_capacity_tables_add_up_and_follow_their_rules() {
    use riskcensus::demo::{run_demo, DemoOptions};
    let d = tempfile::tempdir().unwrap();
    let opts = DemoOptions {
        resolution_m: 150.0,
        ..DemoOptions::default()
    };
    let r = run_demo(d.path(), &opts, &RunOptions::default(), &NoProgress).unwrap();
    let assess = r.assess_dir();
    let gaps = riskcensus_models::capacity::gaps::CapacityGaps::builtin();

    // Shelter gaps: per scenario the townships add up to the county; nobody is placed
    // twice; the places used never exceed the safe places offered.
    let (_, rows) = table(&assess.join("shelter_gaps.csv"));
    for sc in &gaps.scenarios {
        let of = |level: &str| -> Vec<&BTreeMap<String, String>> {
            rows.iter()
                .filter(|r| r["scenario"] == sc.id && r["unit_level"] == level)
                .collect()
        };
        let county = of("county");
        assert_eq!(county.len(), 1, "{}", sc.id);
        let c = county[0];
        assert_eq!(&c["assessed"], "1", "{} assessed on the demo", sc.id);
        for col in ["displaced", "placed"] {
            let sum: f64 = of("township").iter().map(|r| num(r, col)).sum();
            assert!(
                (sum - num(c, col)).abs() <= 0.1 * 12.0 + 1e-6 * num(c, col),
                "{} {col}: townships {sum} vs county {}",
                sc.id,
                num(c, col)
            );
        }
        let (disp, placed, unplaced) = (num(c, "displaced"), num(c, "placed"), num(c, "unplaced"));
        assert!(disp > 0.0, "{}: somebody is displaced", sc.id);
        assert!(placed <= disp + 0.1 && placed <= num(c, "safe_places_in_unit") + 0.5);
        assert!((disp - placed - unplaced).abs() <= 0.2, "{}", sc.id);
        // Using the unsafe shelters too can only place more people.
        assert!(num(c, "unplaced_if_unsafe_used") <= unplaced + 0.1);
    }
    // The rarer event displaces more.
    let county_disp = |id: &str| {
        rows.iter()
            .find(|r| r["scenario"] == id && r["unit_level"] == "county")
            .map(|r| num(r, "displaced"))
            .unwrap()
    };
    assert!(county_disp("flood_200y") >= county_disp("flood_100y"));
    assert!(county_disp("earthquake_rare") > county_disp("earthquake_basic"));

    // Shelter safety agrees with the flood grid it screens on: a shelter is flagged
    // for the flood extent exactly when the 100-year depth at its cell is above 0.
    let depth = read_raster(&assess.join("flood_depth_100y.tif"));
    let grid = &r.run.census.grid;
    let db = riskcensus::ingest::Census::open(&r.run.census.dir).unwrap();
    let pos: BTreeMap<String, (f64, f64)> = db
        .query("shelters", &Default::default())
        .unwrap()
        .into_iter()
        .filter_map(|f| match f.geometry {
            Some(geo_types::Geometry::Point(p)) => Some((f.text("id"), (p.x(), p.y()))),
            _ => None,
        })
        .collect();
    let (_, shelters) = table(&assess.join("shelter_safety.csv"));
    assert_eq!(shelters.len(), pos.len());
    let (mut wet, mut dry) = (0, 0);
    for s in &shelters {
        let (x, y) = pos[&s["shelter_id"]];
        let (row, col) = grid.cell_of(x, y).unwrap();
        let d = depth[(row, col)];
        let flagged = s["reasons"].contains("flood extent");
        assert_eq!(
            flagged,
            d.is_finite() && d > 0.0,
            "{}: depth {d}",
            s["shelter_id"]
        );
        assert_eq!(s["safe"] == "1", s["reasons"].is_empty());
        if flagged {
            wet += 1;
        } else {
            dry += 1;
        }
    }
    assert!(wet > 0 && dry > 0, "{wet} flooded, {dry} dry shelters");

    // Reserve days: stock / (people × need per person-day), for the plan's 5,000.
    let (_, res) = table(&assess.join("reserve_days.csv"));
    let plan = res
        .iter()
        .find(|r| r["scenario"] == "plan_target" && r["scope"] == "county")
        .unwrap();
    assert_eq!(num(plan, "displaced"), 5000.0);
    for c in &gaps.relief.consumables {
        let stock = num(plan, &format!("{}_stock", c.item));
        let days = num(plan, &format!("{}_days", c.item));
        let want = stock / (5000.0 * c.per_person_day);
        assert!((days - want).abs() <= 0.006, "{}: {days} vs {want}", c.item);
    }
    assert_eq!(
        plan["meets_target"] == "1",
        num(plan, "min_days") >= gaps.relief.target_days
    );

    // Rescue access: townships add up to the county; the isochrones nest.
    let (_, acc) = table(&assess.join("rescue_access.csv"));
    let county = acc.iter().find(|r| r["unit_level"] == "county").unwrap();
    let towns: f64 = acc
        .iter()
        .filter(|r| r["unit_level"] == "township")
        .map(|r| num(r, "population"))
        .sum();
    assert!((towns - num(county, "population")).abs() <= 0.1 * 12.0);
    for r in &acc {
        let b: Vec<f64> = gaps
            .rescue
            .isochrones_min
            .iter()
            .map(|t| num(r, &format!("pop_beyond_{t}min")))
            .collect();
        assert!(
            b.windows(2).all(|w| w[0] >= w[1]),
            "{}: {b:?}",
            r["unit_code"]
        );
    }
    let minutes = read_raster(&assess.join("rescue_minutes.tif"));
    assert!(minutes.iter().any(|v| v.is_finite()));
    assert!(minutes.iter().filter(|v| v.is_finite()).all(|&v| v >= 0.0));

    // Capacity units: every township and village, index in [0, 1], grade 1–5 or none,
    // labelled provisional.
    let (_, units) = table(&assess.join("capacity_units.csv"));
    assert_eq!(
        units
            .iter()
            .filter(|u| u["unit_level"] == "township")
            .count(),
        12
    );
    assert!(
        units
            .iter()
            .filter(|u| u["unit_level"] == "village")
            .count()
            > 300
    );
    for u in &units {
        let i = num(u, "capacity_index");
        assert!(i.is_nan() || (0.0..=1.0).contains(&i));
        assert!(matches!(
            u["level"].as_str(),
            "" | "1" | "2" | "3" | "4" | "5"
        ));
        assert!(u["status"].starts_with("provisional"));
    }

    // Rescue stations delivered as a CSV table ([[table]] with lon/lat) get their
    // distance layer from the census table: 0 at every station's cell, growing away.
    let dist = read_raster(&r.layers_dir().join("dist_rescue_stations.tif"));
    let teams = db.query("rescue_teams", &Default::default()).unwrap();
    assert!(!teams.is_empty());
    for f in &teams {
        let Some(geo_types::Geometry::Point(p)) = &f.geometry else {
            continue;
        };
        let (row, col) = grid.cell_of(p.x(), p.y()).unwrap();
        assert_eq!(dist[(row, col)], 0.0, "{}", f.text("id"));
    }
    assert!(dist.iter().any(|&v| v > 1000.0));

    // Every table is a layer of zoning.gpkg, the maps' layers with their style.
    let z = riskcensus_io::gpkg::GpkgDb::open_read(&assess.join("zoning.gpkg")).unwrap();
    for t in [
        "capacity_units",
        "shelter_gaps",
        "shelter_safety",
        "reserve_days",
        "rescue_access",
        "three_high_one_low",
    ] {
        assert!(z.has_table(t), "zoning.gpkg lacks {t}");
    }
    let styled: Vec<String> = z
        .query("layer_styles", None, None)
        .unwrap()
        .iter()
        .map(|f| f.text("f_table_name"))
        .collect();
    for t in ["capacity_units", "shelter_safety", "three_high_one_low"] {
        assert!(
            styled.iter().any(|s| s == t),
            "no style for {t}: {styled:?}"
        );
    }
}

#[test]
fn a_broken_capacity_file_stops_the_run_before_its_first_stage() {
    let d = tempfile::tempdir().unwrap();
    let census = crate::util::demo_census(&d.path().join("census"), 300.0);
    let path = riskcensus_models::capacity::gaps::PATH;
    let text = riskcensus_models::library::shipped_text(path).replacen(
        "radius_m = 500.0",
        "radius_m = -500.0",
        1,
    );
    let dest = census.join("models").join(path);
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::write(&dest, text).unwrap();
    let opts = RunOptions {
        report: false,
        ..RunOptions::default()
    };
    let e = riskcensus::run(&census, &opts, &NoProgress).unwrap_err();
    let msg = format!(
        "{e}: {}",
        std::error::Error::source(&e)
            .map(|s| s.to_string())
            .unwrap_or_default()
    );
    assert!(
        msg.contains("capacity_gaps.toml") && msg.contains("radius_m"),
        "{msg}"
    );
    // Nothing was computed: no stage wrote its grids.
    let assess = census.join("out/latest/assess");
    assert!(
        !assess.join("flood_depth_100y.tif").exists(),
        "a stage ran before the check"
    );
}
