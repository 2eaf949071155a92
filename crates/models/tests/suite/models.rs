//! The shipped models (models/**/*.toml) and the validated-model API.

use riskcensus_models::{Aggregation, Model, Nodata, Reference, TileScorer, Weighting};

use crate::common::{data, repo_model};

#[test]
fn flood_model_is_valid_and_documented() {
    let m = Model::load(repo_model("flood/flood.toml")).unwrap();
    assert_eq!(m.id(), "flood");
    assert!(m.sources().len() >= 3);
    // Inputs are sorted by layer id: the order of the scorer's slices. (Layer ids
    // follow the engine's layer stack; the tests address factors by factor id.)
    let ids: Vec<&str> = m.inputs().iter().map(|i| i.id.as_str()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]) && ids.contains(&"hand"),
        "{ids:?}"
    );
    let fids: Vec<&str> = m.factors().iter().map(|f| f.id.as_str()).collect();
    assert_eq!(
        fids,
        [
            "hand",
            "dist_river",
            "flow_acc",
            "slope_deg",
            "rain24h_100y",
            "landcover"
        ]
    );
    let Weighting::Ahp { result, .. } = m.weighting() else {
        panic!("AHP weights")
    };
    assert!(result.cr < 0.1, "CR {}", result.cr);
    let w = m.aggregation().weights().unwrap();
    assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    // HAND carries the largest weight (documented ≈ 0.333 in the file).
    assert!((w[0] - 0.3327).abs() < 5e-4, "{w:?}");
    let cl = m.classification().unwrap();
    assert_eq!(cl.classes(), 5);
    // A cell by hand: HAND 0 m (1.0), 100 m from the river (1/(1 + 0.2²) = 0.961538),
    // accumulation 10⁶ (1.0), flat (1.0), 300 mm (1.0), water (1.0) → score
    // 1 − w_dist·(1 − 0.961538) ≈ 0.9925 → level 1.
    let by_factor = [0.0, 100.0, 1.0e6, 0.0, 300.0, 60.0];
    let mut cell = vec![f32::NAN; m.inputs().len()];
    for (f, v) in m.factors().iter().zip(by_factor) {
        cell[f.input_index] = v;
    }
    let inputs: Vec<&[f32]> = cell.iter().map(std::slice::from_ref).collect();
    let mut s = [0f32];
    let mut lv = [0u8];
    m.compile()
        .score_classify_tile(&inputs, Some(&mut s), &mut lv)
        .unwrap();
    let want = 1.0 - w[1] * (1.0 - 1.0 / 1.04);
    assert!((s[0] as f64 - want).abs() < 1e-5, "{} vs {want}", s[0]);
    assert_eq!(lv[0], 1);
    let mut r = [0f32];
    Reference(&m).score_tile(&inputs, &mut r).unwrap();
    assert_eq!(r[0].to_bits(), s[0].to_bits());
}

#[test]
fn shipped_models_all_load() {
    // Every scoring model of the shipped library validates; files that call a
    // built-in operator (`operator = "…"`, e.g. HAND inundation) are read by that
    // operator, not as a weighted overlay.
    let lib = riskcensus_models::Library::shipped();
    let models = lib.scoring_models(&[]).unwrap_or_else(|e| panic!("{e}"));
    assert!(models.len() >= 9, "models/ holds {} models", models.len());
    let operators = lib.files().filter(|f| f.is_operator()).count();
    assert_eq!(
        operators, 17,
        "flood depth, damage and mortality, earthquake, geohazard, prevention (general and flood, earthquake, geohazard, wildfire, comprehensive), loss levels, comprehensive loss, grassroots capacity, capacity gaps, trends, scenarios"
    );
}

/// Issue 18, item 7: every shipped scoring model and operator parameter file says,
/// for each value, whether it is published (with its source) or this project's
/// convention, and opens that statement with one header line. Declarations
/// (`hazard.toml`, `levels.toml`) hold names and codes, not parameters.
#[test]
fn every_shipped_model_file_states_parameter_provenance() {
    const HEADER: &str =
        "# Parameter provenance: each value below is marked published (source) or convention.";
    let lib = riskcensus_models::Library::shipped();
    let files: Vec<_> = lib
        .files()
        .filter(|f| f.is_operator() || f.is_scoring_model())
        .collect();
    assert!(
        files.len() >= 20,
        "only {} model files checked",
        files.len()
    );
    let missing: Vec<&str> = files
        .iter()
        .filter(|f| !f.text.lines().any(|l| l.trim_end() == HEADER))
        .map(|f| f.path.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "model files without the line `{HEADER}`: {missing:?}"
    );
}

#[test]
fn risk_composition_by_hand() {
    let m = Model::load(data("risk.toml")).unwrap();
    assert_eq!(
        m.aggregation(),
        &Aggregation::Risk {
            alpha: 0.4,
            capacity: true
        }
    );
    let order: Vec<&str> = m.factors().iter().map(|f| f.id.as_str()).collect();
    assert_eq!(order, ["H", "E", "V", "C"]);
    assert_eq!(m.factors()[3].nodata, Nodata::Value(0.0));
    // Inputs sorted: capacity, exposure, hazard, vulnerability.
    // H = 0.5, E = 0.8, V = 0.5, C = 0.5: R = 0.5·0.8·0.5·(1 − 0.4·0.5) = 0.2·0.8 = 0.16.
    // C = NaN scores 0: R = 0.2·(1 − 0) = 0.2. H = NaN propagates.
    let c = [0.5, f32::NAN, 0.5];
    let e = [0.8, 0.8, 0.8];
    let h = [0.5, 0.5, f32::NAN];
    let v = [0.5, 0.5, 0.5];
    let mut out = [0f32; 3];
    m.compile().score_tile(&[&c, &e, &h, &v], &mut out).unwrap();
    assert!((out[0] - 0.16).abs() < 1e-7, "{}", out[0]);
    assert!((out[1] - 0.2).abs() < 1e-7, "{}", out[1]);
    assert!(out[2].is_nan());
}

#[test]
fn index_risk_models_and_the_loss_route() {
    // The index route remains for the hazards without a loss model; flood and
    // earthquake risk come from the loss route (no `*_risk` scoring model, the
    // comprehensive file is the loss-sum operator's).
    let rk = Model::load(repo_model("geohazard/geohazard_risk.toml")).unwrap();
    assert!(matches!(
        rk.aggregation(),
        Aggregation::Risk { capacity: true, .. }
    ));
    let lib = riskcensus_models::Library::shipped();
    let ids: Vec<String> = lib
        .scoring_models(&[])
        .unwrap()
        .iter()
        .map(|m| m.id().to_string())
        .collect();
    for gone in [
        "flood_risk",
        "earthquake_risk",
        "flood_vulnerability",
        "comprehensive",
    ] {
        assert!(!ids.iter().any(|i| i == gone), "{gone} in {ids:?}");
    }
    riskcensus_models::loss::Comprehensive::builtin();
}

#[test]
fn param_hash_is_canonical() {
    let text = std::fs::read_to_string(data("max.toml")).unwrap();
    let a = Model::from_toml(&text, "a.toml").unwrap();
    // Comments, layout and number spelling do not change the hash …
    let b = Model::from_toml(
        &format!(
            "# a comment\n{}",
            text.replace("midpoint = 40.0", "midpoint = 4e1")
        ),
        "elsewhere/b.toml",
    )
    .unwrap();
    assert_eq!(a.param_hash(), b.param_hash());
    assert_eq!(a.param_hash().len(), 64);
    // … a parameter does.
    let c = Model::from_toml(
        &text.replace("midpoint = 40.0", "midpoint = 41.0"),
        "a.toml",
    )
    .unwrap();
    assert_ne!(a.param_hash(), c.param_hash());
    // Pinned: a change of the canonical form breaks provenance and must be
    // deliberate (update this value and say why in the commit).
    assert_eq!(
        a.param_hash(),
        "642c57a0cac0dc1fb76c928217fe81152d5f66a356df21f177fc5f7764307e0e"
    );
}

#[test]
fn layer_stack_check() {
    let m = Model::load(data("max.toml")).unwrap();
    m.check_stack([("p", "mm"), ("q", "m"), ("dem", "m")])
        .unwrap();
    let e = m.check_stack([("p", "m")]).unwrap_err().to_string();
    assert!(
        e.contains("`p` is in `m`") && e.contains("`q` is not in the layer stack"),
        "{e}"
    );
}

/// No hazard counted twice on the index route: in every shipped risk model
/// (H·E·V·(1 − αC)) the vulnerability's input does not contain the hazard — the
/// hazard layer is not among the layers the vulnerability is computed from, through
/// any chain of model files. (Flood and earthquake have no index risk model any
/// more: their risk is the loss route's AAL; the wildfire vulnerability is written
/// by the wildfire stage from land cover, distance to wildland and building value
/// only — `riskcensus_models::wildfire::hazard::wui` takes no hazard input.)
#[test]
fn no_risk_model_has_the_hazard_inside_its_vulnerability() {
    use std::collections::{BTreeMap, BTreeSet};
    let lib = riskcensus_models::Library::shipped();
    let models = lib.scoring_models(&[]).unwrap();
    let output = |m: &Model| -> String {
        match (m.output(), m.aggregation()) {
            (Some(o), _) => o.to_string(),
            (None, Aggregation::Risk { .. }) => m.id().to_string(),
            (None, _) => format!("{}_hazard", m.id()),
        }
    };
    let producers: BTreeMap<String, Vec<String>> = models
        .iter()
        .map(|m| (output(m), m.inputs().iter().map(|i| i.id.clone()).collect()))
        .collect();
    fn closure(layer: &str, p: &BTreeMap<String, Vec<String>>, seen: &mut BTreeSet<String>) {
        if seen.insert(layer.to_string()) {
            for i in p.get(layer).into_iter().flatten() {
                closure(i, p, seen);
            }
        }
    }
    let mut checked = 0;
    for m in &models {
        if !matches!(m.aggregation(), Aggregation::Risk { .. }) {
            continue;
        }
        let (h, v) = (&m.factors()[0].input, &m.factors()[2].input);
        let mut from_v = BTreeSet::new();
        closure(v, &producers, &mut from_v);
        assert!(
            !from_v.contains(h),
            "{}: the vulnerability {v} is computed from the hazard {h} ({from_v:?})",
            m.id()
        );
        checked += 1;
    }
    assert!(checked >= 2, "geohazard and wildfire risk at least");
    // The check can fail: a vulnerability made from the hazard is caught.
    let mut p = producers.clone();
    p.insert("bad_v".into(), vec!["geohazard_hazard".into()]);
    let mut from_v = BTreeSet::new();
    closure("bad_v", &p, &mut from_v);
    assert!(from_v.contains("geohazard_hazard"));
}

/// Natural breaks (or any data-driven classification) are a display option, never
/// the default for a risk level: every shipped model whose levels measure risk
/// classifies by fixed breaks (docs/risk.md §3).
#[test]
fn no_shipped_risk_level_comes_from_the_data() {
    let lib = riskcensus_models::Library::shipped();
    let mut risk_levels = 0;
    for m in lib.scoring_models(&[]).unwrap() {
        let Some(c) = m.classification() else {
            continue;
        };
        let risky = c
            .scheme
            .as_ref()
            .is_some_and(|s| s.measures == riskcensus_core::Measure::Risk);
        if risky {
            risk_levels += 1;
            assert_eq!(c.method, "fixed_breaks", "{}: {}", m.id(), c.method);
        }
    }
    assert!(risk_levels >= 2, "geohazard and wildfire risk");
}
