//! Bad model files give errors naming the file, the line and the key.

use riskcensus_models::{Model, ModelError};

use crate::common::data;

/// The text of a valid two-factor model, to be broken one way at a time.
const GOOD: &str = r#"id = "m"
version = "1"
sources = ["test"]
aggregation = "weighted_sum"

[inputs]
hand = { unit = "m" }
slope_deg = { unit = "deg" }

[[factors]]
id = "hand"
input = "hand"
unit = "m"
transform = { kind = "ramp", x0 = 15.0, x1 = 0.0 }

[[factors]]
id = "slope"
input = "slope_deg"
unit = "deg"
transform = { kind = "ramp", x0 = 30.0, x1 = 0.0 }

[weights.direct]
hand = 0.6
slope = 0.4
"#;

fn invalid(text: &str) -> (String, ModelError) {
    let e = Model::from_toml(text, "bad_model.toml").expect_err("model should be refused");
    let s = e.to_string();
    assert!(
        s.contains("bad_model.toml"),
        "error does not name the file: {s}"
    );
    (s, e)
}

/// The problem about `key`, which must be on `line`.
fn assert_problem(e: &ModelError, key: &str, line: usize, words: &str) {
    let p = e
        .problems()
        .iter()
        .find(|p| p.key == key)
        .unwrap_or_else(|| panic!("no problem for `{key}` in {e}"));
    assert_eq!(p.line, line, "{p}");
    assert!(p.msg.contains(words), "{p}");
}

#[test]
fn good_model_is_accepted() {
    let m = Model::from_toml(GOOD, "good.toml").unwrap();
    assert_eq!(m.aggregation().weights().unwrap(), &[0.6, 0.4]);
}

#[test]
fn unknown_key_in_file() {
    let e = Model::load(data("bad_unknown_key.toml")).unwrap_err();
    let s = e.to_string();
    match &e {
        ModelError::Syntax { line, msg, .. } => {
            assert_eq!(*line, 13, "{s}");
            assert!(msg.contains("unknown field `x2`"), "{s}");
        }
        _ => panic!("{s}"),
    }
    assert!(s.contains("bad_unknown_key.toml:13"), "{s}");
}

#[test]
fn unknown_top_level_key() {
    let (s, _) = invalid(&GOOD.replace("version = \"1\"", "version = \"1\"\nweigths = 3"));
    assert!(
        s.contains("bad_model.toml:3") && s.contains("unknown field `weigths`"),
        "{s}"
    );
}

#[test]
fn missing_key() {
    let (s, _) = invalid(&GOOD.replace("unit = \"deg\"\ntransform", "transform"));
    assert!(s.contains("missing field `unit`"), "{s}");
}

#[test]
fn missing_input_layer() {
    let (_, e) = invalid(&GOOD.replace("input = \"slope_deg\"", "input = \"slope\""));
    // Line 18 holds `input = "slope"` of factors[1].
    assert_problem(
        &e,
        "factors[1].input",
        18,
        "which [inputs] does not declare",
    );
    // And the declared input nobody reads is reported too (all problems at once).
    assert_problem(&e, "inputs.slope_deg", 8, "no factor reads it");
}

#[test]
fn unit_mismatch() {
    let (_, e) =
        invalid(&GOOD.replace("unit = \"deg\"\ntransform", "unit = \"percent\"\ntransform"));
    assert_problem(&e, "factors[1].unit", 19, "declared in `deg`");
}

#[test]
fn weights_not_summing_to_one() {
    let (s, e) = invalid(&GOOD.replace("slope = 0.4", "slope = 0.5"));
    assert_problem(&e, "weights.direct", 22, "sum to 1.1");
    assert!(
        s.contains("bad_model.toml") && s.contains("`weights.direct`"),
        "{s}"
    );
    // Within 1e-6 is accepted.
    Model::from_toml(&GOOD.replace("slope = 0.4", "slope = 0.4000005"), "ok.toml").unwrap();
}

#[test]
fn weight_for_unknown_factor_and_missing_weight() {
    let (_, e) = invalid(&GOOD.replace("slope = 0.4", "slop = 0.4"));
    assert_problem(&e, "weights.direct.slop", 24, "not a factor");
    assert_problem(&e, "weights.direct", 22, "no weight for factor `slope`");
}

#[test]
fn inconsistent_ahp_matrix() {
    let e = Model::load(data("bad_inconsistent_ahp.toml")).unwrap_err();
    let s = e.to_string();
    assert!(s.contains("bad_inconsistent_ahp.toml"), "{s}");
    assert_problem(&e, "weights.ahp.matrix", 32, "inconsistent: CR =");
}

#[test]
fn non_reciprocal_ahp_matrix() {
    let text = GOOD.replace(
        "[weights.direct]\nhand = 0.6\nslope = 0.4\n",
        "[weights.ahp]\nfactors = [\"hand\", \"slope\"]\nmatrix = [[1, 3], [\"1/2\", 1]]\n",
    );
    let (_, e) = invalid(&text);
    assert_problem(&e, "weights.ahp.matrix", 24, "not reciprocal");
    // The same with 1/3 written out is accepted, to three significant digits.
    let ok = text.replace("[\"1/2\", 1]", "[0.333, 1]");
    let m = Model::from_toml(&ok, "ok.toml").unwrap();
    assert!((m.aggregation().weights().unwrap()[0] - 0.75).abs() < 1e-3);
}

#[test]
fn bad_transform_parameters_and_breaks() {
    let text = GOOD.replace("x0 = 30.0, x1 = 0.0", "x0 = 30.0, x1 = 30.0")
        + "\n[classification]\nmethod = \"fixed_breaks\"\nbreaks = [0.5, 0.2]\nscheme = \"risk5\"\n";
    let (_, e) = invalid(&text);
    assert_problem(&e, "factors[1].transform.x1", 20, "x0 ≠ x1");
    assert_problem(&e, "classification.breaks", 28, "strictly ascending");
    assert_problem(&e, "classification.scheme", 29, "has 5 levels");
}

#[test]
fn risk_roles_are_checked() {
    let text = GOOD
        .replace("aggregation = \"weighted_sum\"", "aggregation = \"risk\"")
        .replace("[weights.direct]\nhand = 0.6\nslope = 0.4\n", "[risk]\nhazard = \"hand\"\nexposure = \"slope\"\nvulnerability = \"hazard\"\nalpha = 2.0\n");
    let (_, e) = invalid(&text);
    assert_problem(&e, "risk.vulnerability", 25, "not a factor");
    assert_problem(&e, "risk.alpha", 26, "in [0, 1]");
}

#[test]
fn io_error_names_the_file() {
    let e = Model::load(data("no_such_model.toml")).unwrap_err();
    assert!(matches!(e, ModelError::Io { .. }));
    assert!(e.to_string().contains("no_such_model.toml"));
}

#[test]
fn data_driven_classifications_are_checked() {
    let ok = GOOD.to_string()
        + "\n[classification]\nmethod = \"natural_breaks\"\nclasses = 5\nstep = 0.001\nscheme = \"risk5\"\n";
    let m = Model::from_toml(&ok, "ok.toml").unwrap();
    let c = m.classification().unwrap();
    assert_eq!(
        (c.method, c.classes(), c.step),
        ("natural_breaks", 5, Some(0.001))
    );
    // Breaks come from the data: none yet, and the compiled kernel does not classify.
    assert!(!c.has_breaks());
    let resolved = c.with_breaks(vec![0.1, 0.2, 0.3, 0.4]);
    assert!(resolved.has_breaks());
    // Upper-bound rule: 0.2 is in the class whose bound it does not exceed (level 4).
    assert_eq!(resolved.code(0.2), 4);
    assert_eq!(resolved.code(0.2001), 3);

    let text = GOOD.to_string()
        + "\n[classification]\nmethod = \"quantile\"\nclasses = 4\nscheme = \"risk5\"\n";
    let (_, e) = invalid(&text);
    assert_problem(&e, "classification.scheme", 29, "has 5 levels");
    let text = GOOD.to_string() + "\n[classification]\nmethod = \"equal_interval\"\nclasses = 1\n";
    let (_, e) = invalid(&text);
    assert_problem(&e, "classification.classes", 28, "2..=255");
    let text = GOOD.to_string()
        + "\n[classification]\nmethod = \"natural_breaks\"\nclasses = 5\nstep = -1.0\n";
    let (_, e) = invalid(&text);
    assert_problem(&e, "classification.step", 29, "positive");
}

/// A hazard map is never labelled as risk: the scheme of a single hazard's index may
/// not measure risk, a risk composition's must; hazards and schemes must be declared.
#[test]
fn schemes_and_hazards_are_resolved_and_match_what_the_model_scores() {
    let classify = |scheme: &str| {
        format!("\n[classification]\nmethod = \"fixed_breaks\"\nbreaks = [0.2, 0.4, 0.6, 0.8]\nscheme = \"{scheme}\"\n")
    };
    let index = GOOD.replace(
        "sources = [\"test\"]",
        "sources = [\"test\"]\nhazard = \"flood\"",
    );
    // A flood hazard index with hazard levels: accepted, the scheme resolved.
    let m = Model::from_toml(&(index.clone() + &classify("hazard5")), "ok.toml").unwrap();
    assert_eq!(m.hazard(), Some("flood"));
    let s = m.classification().unwrap().scheme.as_ref().unwrap();
    assert_eq!(
        (s.id(), s.class(1).unwrap().name_zh.as_str()),
        ("hazard5", "高危险")
    );
    // … with risk levels: refused.
    let (_, e) = invalid(&(index.clone() + &classify("risk5")));
    assert_problem(
        &e,
        "classification.scheme",
        30,
        "a hazard map is never labelled as risk",
    );
    // The combined risk with hazard levels: refused.
    let combined = index.replace("hazard = \"flood\"", "hazard = \"comprehensive\"");
    let (_, e) = invalid(&(combined + &classify("hazard5")));
    assert_problem(&e, "classification.scheme", 30, "does not measure risk");
    // Undeclared hazard and scheme: refused, with what is declared.
    let (_, e) = invalid(&(index.replace("\"flood\"", "\"hail\"") + &classify("risk7")));
    assert_problem(
        &e,
        "hazard",
        4,
        "declared: flood, earthquake, geohazard, wildfire, comprehensive",
    );
    assert_problem(
        &e,
        "classification.scheme",
        30,
        "scheme `risk7` is declared by no levels.toml",
    );
}
