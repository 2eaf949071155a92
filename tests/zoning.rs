//! The zoning stage and the run outputs on the small demo census: zoning.gpkg
//! (zones, unit tables, the prevention trace, QGIS styles), manifest.json, a
//! byte-identical re-run and resume.

use std::path::Path;

use riskcensus::contracts::RunLayout;
use riskcensus::demo::{run_demo, DemoOptions};
use riskcensus::progress::NoProgress;
use riskcensus::stages::earthquake::{grade_counts, EarthquakeReport};
use riskcensus::RunOptions;
use riskcensus_io::gpkg::{DbFeature, GpkgDb};
use riskcensus_io::vector::FieldValue;

/// Rows of a GeoPackage table through the io crate's reader.
fn rows(gpkg: &Path, table: &str) -> Vec<DbFeature> {
    GpkgDb::open_read(gpkg)
        .unwrap()
        .query(table, None, None)
        .unwrap()
}

fn s(f: &DbFeature, k: &str) -> String {
    match f.get(k) {
        Some(FieldValue::String(v)) => v.clone(),
        Some(FieldValue::Integer(v)) => v.to_string(),
        Some(FieldValue::Integer64(v)) => v.to_string(),
        Some(FieldValue::Real(v)) => format!("{v}"),
        _ => String::new(),
    }
}

fn n(f: &DbFeature, k: &str) -> f64 {
    s(f, k).parse().unwrap()
}

fn without_timings(p: &Path) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("timings");
    v
}

#[test]
fn demo_run_writes_zoning_gpkg_manifest_and_reruns_identically() {
    let a = tempfile::tempdir().unwrap();
    let opts = DemoOptions {
        resolution_m: 150.0,
        ..DemoOptions::default()
    };
    let r = run_demo(a.path(), &opts, &RunOptions::default(), &NoProgress).unwrap();
    let gpkg = r.assess_dir().join("zoning.gpkg");

    // Styles: every zones layer and the townships have a default QGIS style whose
    // categories carry the level colours.
    let styles = rows(&gpkg, "layer_styles");
    let names: Vec<String> = styles.iter().map(|f| s(f, "f_table_name")).collect();
    assert!(
        names.iter().any(|n| n == "townships") && names.iter().any(|n| n == "zones_flood_risk"),
        "{names:?}"
    );
    for st in &styles {
        assert_eq!(s(st, "useAsDefault"), "1");
        if s(st, "f_table_name").starts_with("zones_") {
            let q = s(st, "styleQML");
            assert!(q.contains("215,25,28,255") && q.contains("attr=\"level\""));
        }
    }

    // Zones: levels 1–5 only, areas sum to about the county area, each zone in one
    // of the 12 townships.
    let zones = rows(&gpkg, "zones_flood_risk");
    let levels: Vec<i64> = zones.iter().map(|f| n(f, "level") as i64).collect();
    let distinct: std::collections::BTreeSet<i64> = levels.iter().copied().collect();
    assert!(
        distinct.iter().all(|l| (1..=5).contains(l)) && distinct.len() >= 3,
        "{distinct:?}"
    );
    let towns: std::collections::BTreeSet<String> =
        zones.iter().map(|f| s(f, "township_code")).collect();
    assert_eq!(towns.len(), 12);
    let zone_km2: f64 = zones.iter().map(|f| n(f, "area_m2")).sum::<f64>() / 1e6;
    assert!(zone_km2 > 700.0 && zone_km2 < 830.0, "{zone_km2} km²");

    // Every zone of every zoned layer is at least the minimum mapping unit (10 ha),
    // however the levels and township lines cut the grid.
    let z = riskcensus_io::gpkg::GpkgDb::open_read(&gpkg).unwrap();
    let layers: Vec<String> = names
        .iter()
        .filter(|n| n.starts_with("zones_"))
        .cloned()
        .collect();
    assert!(layers.len() >= 6, "{layers:?}");
    for l in &layers {
        assert!(z.has_table(l));
        let small: Vec<f64> = rows(&gpkg, l)
            .iter()
            .map(|f| n(f, "area_m2"))
            .filter(|a| *a < 100_000.0)
            .collect();
        assert!(small.is_empty(), "{l}: zones below 10 ha: {small:?}");
    }
    let zoned = r.run.zoned().unwrap();
    assert!(zoned.layers.iter().all(|z| z.zones > 0));

    // Unit tables: per township and layer, level shares sum to 1; every risk row
    // has a prevention tier, rule and trace naming the rule.
    let mut sums: std::collections::BTreeMap<(String, String), f64> = Default::default();
    for f in rows(&gpkg, "unit_levels") {
        *sums
            .entry((s(&f, "unit_code"), s(&f, "layer")))
            .or_default() += n(&f, "share");
    }
    assert!(sums.len() >= 24, "{}", sums.len());
    for (k, t) in &sums {
        assert!((t - 1.0).abs() < 1e-9, "{k:?}: {t}");
    }
    let summary = rows(&gpkg, "unit_summary");
    let flood: Vec<&DbFeature> = summary
        .iter()
        .filter(|f| s(f, "layer") == "flood_risk")
        .collect();
    assert_eq!(flood.len(), 12);
    for f in &flood {
        let tier = n(f, "prevention_tier") as u8;
        assert!((1..=3).contains(&tier));
        let (rule, trace) = (s(f, "prevention_rule"), s(f, "prevention_trace"));
        assert!(
            trace.starts_with(&rule),
            "trace {trace:?} names rule {rule:?}"
        );
    }
    // Each hazard's units are placed by its own rules file (rule ids F…, E…, G…,
    // W…, K…), and only the geological hazards' rules look at hidden-danger points:
    // a township dense in landslide points is not 重点 for flood on their account.
    for (layer, prefix) in [
        ("flood_risk", 'F'),
        ("earthquake_risk", 'E'),
        ("geohazard_risk", 'G'),
        ("wildfire_risk", 'W'),
        ("comprehensive_risk", 'K'),
    ] {
        let rows: Vec<&DbFeature> = summary.iter().filter(|f| s(f, "layer") == layer).collect();
        assert_eq!(rows.len(), 12, "{layer}");
        for f in rows {
            let (rule, trace) = (s(f, "prevention_rule"), s(f, "prevention_trace"));
            assert!(rule.starts_with(prefix), "{layer}: {rule}");
            assert_eq!(
                trace.contains("hidden_danger"),
                layer == "geohazard_risk" && trace.contains("hidden_danger_density"),
                "{layer}: {trace}"
            );
        }
    }
    // The flood rules see the 100-year extent: some township is placed by the
    // people or the protected objects in it.
    assert!(
        flood.iter().any(|f| {
            let t = s(f, "prevention_trace");
            t.contains("population_100yr") || t.contains("protected_objects_100yr")
        }),
        "no flood placement by the 100-year extent"
    );
    // The α sensitivity of the index-route risk grids: four rows per model, none
    // changed at the model's own α, the mean risk falling as α rises (R = H·E·V·
    // (1 − α·C) with C ≥ 0), strictly for some model.
    let text = std::fs::read_to_string(r.assess_dir().join("risk_alpha_sensitivity.csv")).unwrap();
    let alpha: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let models: std::collections::BTreeSet<&str> = alpha.iter().map(|r| r[0]).collect();
    assert!(
        models.contains("wildfire_risk") && models.contains("geohazard_risk"),
        "{models:?}"
    );
    assert_eq!(alpha.len(), 4 * models.len());
    let mut strictly = false;
    for m in &models {
        let of: Vec<&Vec<&str>> = alpha.iter().filter(|r| r[0] == *m).collect();
        let alphas: Vec<f64> = of.iter().map(|r| r[2].parse().unwrap()).collect();
        assert_eq!(alphas, [0.0, 0.25, 0.5, 0.75]);
        let own = of.iter().find(|r| r[3] == "1").expect("the model's own α");
        assert_eq!(own[6].parse::<f64>().unwrap(), 0.0, "{m}");
        let mean: Vec<f64> = of.iter().map(|r| r[4].parse().unwrap()).collect();
        assert!(mean.windows(2).all(|w| w[1] <= w[0]), "{m}: {mean:?}");
        strictly |= mean[3] < mean[0];
    }
    assert!(strictly);
    // The CSV table has one row per unit and layer, like the GeoPackage table.
    let csv = std::fs::read_to_string(r.assess_dir().join("unit_summary.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + summary.len());

    // Villages: every village polygon of the census has a row per layer in
    // `village_summary`; per village and layer the level shares sum to 1; over the
    // villages of a township, area and population per level equal the township's
    // within 1e-6 relative (the village polygons tile their township) and buildings
    // and hidden dangers per level equal the township's exactly.
    let villages = rows(&gpkg, "villages");
    assert!(villages.len() > 300, "{} villages", villages.len());
    let vsummary = rows(&gpkg, "village_summary");
    let vflood: Vec<&DbFeature> = vsummary
        .iter()
        .filter(|f| s(f, "layer") == "flood_risk")
        .collect();
    assert_eq!(vflood.len(), villages.len());
    assert_eq!(vsummary.len(), villages.len() * summary.len() / 12);
    for f in &vflood {
        let tier = n(f, "prevention_tier") as u8;
        assert!((1..=3).contains(&tier), "{}", s(f, "unit_code"));
        assert!(s(f, "prevention_trace").starts_with(&s(f, "prevention_rule")));
        assert!(s(f, "unit_code").starts_with(&s(f, "township_code")));
        assert!(
            !s(f, "township_name").starts_with('('),
            "{}",
            s(f, "unit_code")
        );
    }
    let mut vshare: std::collections::BTreeMap<(String, String), f64> = Default::default();
    // (township, layer, level) → [area, population, buildings, value, hidden dangers]
    type Key = (String, String, i64);
    let mut by_town: std::collections::BTreeMap<Key, [f64; 5]> = Default::default();
    let cols = [
        "area_km2",
        "population",
        "buildings",
        "value_wan",
        "hidden_dangers",
    ];
    for f in rows(&gpkg, "village_levels") {
        *vshare
            .entry((s(&f, "unit_code"), s(&f, "layer")))
            .or_default() += n(&f, "share");
        let e = by_town
            .entry((
                s(&f, "township_code"),
                s(&f, "layer"),
                n(&f, "level") as i64,
            ))
            .or_default();
        for (k, c) in cols.iter().enumerate() {
            e[k] += n(&f, c);
        }
    }
    // A village all on nodata of a layer keeps its row there: shares 0, level 0,
    // no score.
    assert_eq!(vshare.len(), vsummary.len());
    let mut unclassified = Vec::new();
    for (k, t) in &vshare {
        let row = vsummary
            .iter()
            .find(|f| s(f, "unit_code") == k.0 && s(f, "layer") == k.1)
            .unwrap();
        if *t == 0.0 {
            assert_eq!(s(row, "unit_level"), "0", "{k:?}");
            assert_eq!(s(row, "score_mean"), "", "{k:?}");
            unclassified.push(k.clone());
        } else {
            assert!((t - 1.0).abs() < 1e-9, "{k:?}: {t}");
        }
    }
    eprintln!("village rows without a classified cell: {unclassified:?}");
    assert!(unclassified.len() < vshare.len() / 100, "{unclassified:?}");
    let town_levels = rows(&gpkg, "unit_levels");
    assert_eq!(by_town.len(), town_levels.len());
    // Area and population: within 1e-6 of the township's value, plus 1e-9 of the
    // township's total over its levels — boolean-op rounding of the village polygons
    // along the township boundary moves a few mm², which on a level holding a few
    // hundred m² exceeds 1e-6 of the level's own value.
    let mut tot: std::collections::BTreeMap<(String, String), [f64; 2]> = Default::default();
    for f in &town_levels {
        let e = tot.entry((s(f, "unit_code"), s(f, "layer"))).or_default();
        e[0] += n(f, "area_km2");
        e[1] += n(f, "population");
    }
    let (mut checked_pop, mut checked_bld) = (0.0, 0.0);
    let (mut max_rel, mut max_rel_tot) = ([0.0f64; 2], [0.0f64; 2]);
    for f in &town_levels {
        let key = (s(f, "unit_code"), s(f, "layer"), n(f, "level") as i64);
        let v = by_town.get(&key).unwrap_or_else(|| panic!("{key:?}"));
        let total = tot[&(key.0.clone(), key.1.clone())];
        for (k, c) in cols.iter().enumerate() {
            let t = n(f, c);
            if k < 2 {
                let d = (v[k] - t).abs();
                assert!(
                    d <= 1e-6 * t.abs() + 1e-9 * total[k],
                    "{key:?} {c}: villages {} vs township {t}",
                    v[k]
                );
                if t > 0.0 {
                    max_rel[k] = max_rel[k].max(d / t);
                }
                max_rel_tot[k] = max_rel_tot[k].max(d / total[k].max(f64::MIN_POSITIVE));
            } else if k == 3 {
                assert!((v[k] - t).abs() <= 1e-9 * t.abs(), "{key:?} {c}");
            } else {
                assert_eq!(v[k], t, "{key:?} {c}");
            }
        }
        checked_pop += v[1];
        checked_bld += v[2];
    }
    eprintln!(
        "villages vs township per level (area, population): max relative {max_rel:?}, max relative to the township total {max_rel_tot:?}"
    );
    assert!(
        checked_pop > 1.0e5 && checked_bld > 1000.0,
        "{checked_pop} {checked_bld}"
    );
    let csv = std::fs::read_to_string(r.assess_dir().join("village_summary.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + vsummary.len());
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .starts_with("unit_code,unit_name,township_code,"));
    let zr = r.run.zoned().unwrap();
    assert_eq!(zr.villages, villages.len());
    assert!(zr.villages_without_polygon.is_empty() && zr.villages_outside_townships.is_empty());
    assert_eq!(zr.buildings_without_village, 0);

    // Earthquake hidden-danger grades per township: one row per township, the
    // counts equal the per-building table's grades by township code.
    let grades = rows(&gpkg, "unit_seismic_grades");
    let mut expect: std::collections::BTreeMap<String, [i64; 3]> = Default::default();
    let damage = std::fs::read_to_string(r.assess_dir().join("eq_building_damage.csv")).unwrap();
    let head: Vec<&str> = damage.lines().next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let (tc, gc) = (col("township_code"), col("grade"));
    for line in damage.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let g: usize = f[gc].parse().unwrap();
        expect.entry(f[tc].to_string()).or_default()[g - 1] += 1;
    }
    assert!(grades.len() >= 12, "{}", grades.len());
    let mut total = 0;
    for g in &grades {
        let want = expect.remove(&s(g, "unit_code")).unwrap_or_default();
        let got = [
            n(g, "grade1_key") as i64,
            n(g, "grade2_general") as i64,
            n(g, "grade3_minor") as i64,
        ];
        assert_eq!(got, want, "township {}", s(g, "unit_code"));
        assert_eq!(n(g, "buildings") as i64, want.iter().sum::<i64>());
        total += n(g, "buildings") as i64;
        // Shares beside the counts (4 decimals), and the grade's basis.
        let b = n(g, "buildings");
        for class in ["grade1_key", "grade2_general", "grade3_minor"] {
            let share = s(g, &format!("{class}_share"));
            if b > 0.0 {
                let want = (n(g, class) / b * 1e4).round() / 1e4;
                assert_eq!(share.parse::<f64>().unwrap(), want, "{class}");
            } else {
                assert!(share.is_empty(), "no building, no share");
            }
        }
        assert!(s(g, "grade_basis").starts_with("provisional"));
    }
    // The same buildings per structure type, then the county row `all`.
    let by_structure = rows(&gpkg, "eq_grades_by_structure");
    let (all, types): (Vec<_>, Vec<_>) = by_structure
        .iter()
        .partition(|f| s(f, "structure") == "all");
    assert_eq!(all.len(), 1);
    assert_eq!(
        types.iter().map(|f| n(f, "buildings") as i64).sum::<i64>(),
        n(all[0], "buildings") as i64
    );
    assert_eq!(
        n(all[0], "buildings") as i64,
        damage.lines().count() as i64 - 1
    );
    assert!(by_structure
        .iter()
        .all(|f| s(f, "grade_basis").starts_with("provisional")));
    assert!(
        expect.is_empty(),
        "townships missing from the table: {expect:?}"
    );
    assert_eq!(total, damage.lines().count() as i64 - 1);
    assert!(total > 1000, "{total} buildings graded");
    let csv = std::fs::read_to_string(r.assess_dir().join("unit_seismic_grades.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + grades.len());

    // Manifest: inputs with digests, models with parameter hashes, outputs.
    let m = without_timings(&a.path().join("manifest.json"));
    assert!(m["inputs"].as_array().unwrap().len() >= 20);
    assert!(m["models"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == "loss_levels" && e["param_hash"].as_str().unwrap().len() == 64));
    assert!(m["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["path"] == "assess/zoning.gpkg"));
    assert!(
        !m.to_string().contains(a.path().to_str().unwrap()),
        "absolute path in manifest"
    );

    // A second run elsewhere gives the same bytes and the same manifest.
    let b = tempfile::tempdir().unwrap();
    run_demo(b.path(), &opts, &RunOptions::default(), &NoProgress).unwrap();
    assert_eq!(
        std::fs::read(&gpkg).unwrap(),
        std::fs::read(b.path().join("assess/zoning.gpkg")).unwrap(),
        "zoning.gpkg differs between identical runs"
    );
    for f in [
        "village_summary.csv",
        "village_levels.csv",
        "village_summary.json",
    ] {
        assert_eq!(
            std::fs::read(r.assess_dir().join(f)).unwrap(),
            std::fs::read(b.path().join("assess").join(f)).unwrap(),
            "{f} differs between identical runs"
        );
    }
    assert_eq!(m, without_timings(&b.path().join("manifest.json")));

    // Resume: running the pipeline again over the finished run keeps every model's
    // outputs (same parameter hash and input digests) and changes no byte.
    let again = riskcensus::run_in(
        &r.census().dir,
        &RunLayout::new(a.path()),
        &RunOptions::default(),
        &NoProgress,
    )
    .unwrap();
    assert!(again
        .assessed()
        .unwrap()
        .runs
        .iter()
        .filter(|m| m.method.as_deref() != Some("natural_breaks"))
        .all(|m| m.cached));
    assert_eq!(m, without_timings(&a.path().join("manifest.json")));
    let grades = grade_counts(
        again
            .details::<EarthquakeReport>(riskcensus::stages::earthquake::ID)
            .unwrap(),
    );

    // `[zoning] majority_filter = true`: one majority pass before the sieve leaves
    // fewer zones, and the report records the option.
    let mut census = r.census().clone();
    census.zoning.majority_filter = true;
    // The loss-route levels of the townships and villages (the comprehensive stage).
    let units = again.comprehensive().unwrap().units.clone();
    let c = tempfile::tempdir().unwrap();
    let rules =
        riskcensus::stages::zoning::load_rules(&riskcensus_models::Library::shipped()).unwrap();
    let published = riskcensus::stages::zoning::Published {
        counts: &[&grades],
        unit_risk: &units,
        extra: &[],
    };
    let zone = |census: &riskcensus::config::CensusConfig, out: &std::path::Path| {
        riskcensus::stages::zoning::zoning(census, &again.stack, &rules, &published, out).unwrap()
    };
    let filtered = zone(&census, c.path());
    let zoned = again.zoned().unwrap();
    assert!(filtered.options.majority_filter && !zoned.options.majority_filter);
    let zones = |z: &riskcensus::stages::zoning::ZoningReport| -> usize {
        z.layers.iter().map(|l| l.zones).sum()
    };
    assert_eq!(filtered.layers.len(), zoned.layers.len());
    assert!(
        zones(&filtered) < zones(zoned),
        "{} zones with the majority filter, {} without",
        zones(&filtered),
        zones(zoned)
    );

    // A village whose township code is no mapped township keeps its rows, flagged;
    // a census without village polygons gets the township tables only, unchanged.
    let d = tempfile::tempdir().unwrap();
    for f in ["census.toml", "census.gpkg"] {
        std::fs::copy(r.census().dir.join(f), d.path().join(f)).unwrap();
    }
    let mut census = r.census().clone();
    census.dir = d.path().to_path_buf();
    let db = GpkgDb::open(&d.path().join("census.gpkg"), false).unwrap();
    let first = s(&villages[0], "code");
    db.sql(&format!(
        "UPDATE admin_units SET parent_code = '370999999' WHERE code = '{first}'"
    ))
    .unwrap();
    drop(db);
    let o1 = tempfile::tempdir().unwrap();
    let z = zone(&census, o1.path());
    assert_eq!(z.villages_outside_townships, std::slice::from_ref(&first));
    assert_eq!(z.villages, villages.len());
    let orphan: Vec<DbFeature> = rows(&o1.path().join("zoning.gpkg"), "village_summary")
        .into_iter()
        .filter(|f| s(f, "unit_code") == first)
        .collect();
    assert_eq!(orphan.len(), summary.len() / 12);
    assert!(orphan.iter().all(|f| s(f, "township_code") == "370999999"
        && s(f, "township_name").contains("not a mapped township")));
    let db = GpkgDb::open(&d.path().join("census.gpkg"), false).unwrap();
    db.sql("DELETE FROM admin_units WHERE level = 'village'")
        .unwrap();
    drop(db);
    let o2 = tempfile::tempdir().unwrap();
    let z = zone(&census, o2.path());
    assert_eq!((z.villages, z.units), (0, 12));
    let g2 = o2.path().join("zoning.gpkg");
    let tables = GpkgDb::open_read(&g2).unwrap().tables();
    assert!(
        !tables.iter().any(|t| t.starts_with("village")),
        "{tables:?}"
    );
    assert!(!o2.path().join("village_summary.csv").exists());
    for t in ["unit_summary", "unit_levels"] {
        let key = |f: &DbFeature| format!("{:?}", f.get("unit_code").zip(f.get("layer")));
        let (a, b) = (rows(&gpkg, t), rows(&g2, t));
        assert_eq!(a.len(), b.len(), "{t}");
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(key(x), key(y), "{t}");
            assert_eq!(s(x, "share"), s(y, "share"), "{t}");
            assert_eq!(s(x, "buildings"), s(y, "buildings"), "{t}");
            assert_eq!(s(x, "prevention_trace"), s(y, "prevention_trace"), "{t}");
        }
    }
    assert_eq!(
        std::fs::read(r.assess_dir().join("unit_summary.csv")).unwrap(),
        std::fs::read(o2.path().join("unit_summary.csv")).unwrap()
    );
}

/// A census's own flood prevention rules with an indicator of another hazard are
/// refused by the run's plan — exit 2, naming the file, the rule's key and the
/// indicator — before anything is loaded or computed (no census database, no run
/// outputs).
#[test]
fn a_bad_hazard_prevention_file_is_refused_before_any_stage() {
    let d = tempfile::tempdir().unwrap();
    let census = crate::util::demo_census(&d.path().join("census"), 600.0);
    let own = census.join("models/flood");
    std::fs::create_dir_all(&own).unwrap();
    let shipped = riskcensus_models::library::shipped_text("flood/prevention.toml");
    let bad = shipped.replacen(
        "\"population_100yr_share\", op",
        "\"hidden_danger_density\", op",
        1,
    );
    assert_ne!(bad, shipped);
    std::fs::write(own.join("prevention.toml"), bad).unwrap();
    let out = crate::util::run(&["run", census.to_str().unwrap()]);
    let e = crate::util::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{e}");
    assert!(
        e.contains("flood/prevention.toml") && e.contains("hidden_danger_density"),
        "{e}"
    );
    assert!(!census.join("census.gpkg").exists(), "nothing was loaded");
    fn tifs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                tifs(&p, out);
            } else if p.extension().is_some_and(|x| x == "tif") {
                out.push(p);
            }
        }
    }
    let mut written = Vec::new();
    tifs(&census.join("out"), &mut written);
    assert!(written.is_empty(), "{written:?}");
}
