//! Agreement with the independent implementation in validate/geohazard (numpy and
//! scikit-learn) on the committed sample table fixtures/geohazard/samples.csv:
//! IV, FR, CF to 1e-12 relative, logistic-regression coefficients and standard
//! errors to 1e-6 relative, test-set AUCs to 1e-9. Regenerate with
//! `validate/geohazard/run.sh`.

use std::path::PathBuf;

use riskcensus_models::geohazard::certainty_factor::certainty_factors;
use riskcensus_models::geohazard::frequency_ratio::frequency_ratios;
use riskcensus_models::geohazard::information_value::information_values;
use riskcensus_models::geohazard::roc::roc_curve;
use riskcensus_models::geohazard::{ClassCounts, Method, SampleTable, TrainedModel};
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/geohazard")
}

struct Data {
    all: SampleTable,
    train: SampleTable,
    test: SampleTable,
    golden: Value,
}

fn load() -> Data {
    let golden: Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("golden.json")).unwrap())
            .unwrap();
    let text = std::fs::read_to_string(fixtures().join("samples.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let nf = header.len() - 2;
    let factors: Vec<String> = header[..nf].iter().map(|s| s.to_string()).collect();
    let classes: Vec<usize> = golden["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    let (mut codes, mut labels, mut is_test) = (Vec::new(), Vec::new(), Vec::new());
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        codes.extend(cells[..nf].iter().map(|c| c.parse::<u16>().unwrap()));
        labels.push(cells[nf].parse::<u8>().unwrap());
        is_test.push(cells[nf + 1] == "test");
    }
    let all = SampleTable::new(factors, classes, codes, labels).unwrap();
    let tr: Vec<usize> = (0..all.len()).filter(|&i| !is_test[i]).collect();
    let te: Vec<usize> = (0..all.len()).filter(|&i| is_test[i]).collect();
    Data {
        train: all.subset(&tr),
        test: all.subset(&te),
        all,
        golden,
    }
}

/// Study area = every row, hazard = training rows with label 1 (as the script).
fn counts(d: &Data) -> ClassCounts {
    let mut c = ClassCounts::zeros(&d.all.classes);
    for s in 0..d.all.len() {
        c.add_area(d.all.row(s));
    }
    for s in 0..d.train.len() {
        if d.train.labels[s] == 1 {
            c.add_hazard(d.train.row(s));
        }
    }
    c
}

fn matrix(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect()
        })
        .collect()
}

fn vector(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn max_rel(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .map(|(x, y)| {
            if *y == 0.0 {
                x.abs()
            } else {
                ((x - y) / y).abs()
            }
        })
        .fold(0.0, f64::max)
}

#[test]
fn counts_match_the_script() {
    let d = load();
    let c = counts(&d);
    let area: Vec<Vec<u64>> = matrix(&d.golden["area_counts"])
        .iter()
        .map(|r| r.iter().map(|&v| v as u64).collect())
        .collect();
    let haz: Vec<Vec<u64>> = matrix(&d.golden["hazard_counts"])
        .iter()
        .map(|r| r.iter().map(|&v| v as u64).collect())
        .collect();
    assert_eq!(c.area, area);
    assert_eq!(c.hazard, haz);
}

#[test]
fn information_value_frequency_ratio_and_certainty_factor_agree_to_1e_12() {
    let d = load();
    let c = counts(&d);
    for (name, ours, key) in [
        ("IV", information_values(&c), "information_value"),
        ("FR", frequency_ratios(&c), "frequency_ratio"),
        ("CF", certainty_factors(&c), "certainty_factor"),
    ] {
        let e = max_rel(&ours, &matrix(&d.golden[key]));
        println!("{name}: max relative difference vs numpy {e:.3e}");
        assert!(e <= 1e-12, "{name} differs by {e:e}");
    }
}

#[test]
fn logistic_regression_agrees_with_scikit_learn_to_1e_6() {
    let d = load();
    let c = counts(&d);
    let m = TrainedModel::train(Method::Lr, &d.all.factors, &c, &d.train, None).unwrap();
    let fit = m.logistic.as_ref().unwrap();
    let want = vector(&d.golden["logistic"]["coefficients"]);
    let want_se = vector(&d.golden["logistic"]["std_errors"]);
    let e = max_rel(std::slice::from_ref(&fit.coefficients), &[want]);
    let e_se = max_rel(std::slice::from_ref(&fit.std_errors), &[want_se]);
    println!(
        "LR: {} IRLS iterations; max relative difference vs scikit-learn: coefficients {e:.3e}, standard errors {e_se:.3e}",
        fit.iterations
    );
    assert!(e <= 1e-6, "coefficients differ by {e:e}");
    assert!(e_se <= 1e-6, "standard errors differ by {e_se:e}");
}

#[test]
fn test_set_auc_agrees_with_roc_auc_score_to_1e_9() {
    let d = load();
    let c = counts(&d);
    for (method, key) in [
        (Method::Iv, "iv"),
        (Method::Fr, "fr"),
        (Method::Cf, "cf"),
        (Method::Lr, "lr"),
    ] {
        let m = TrainedModel::train(method, &d.all.factors, &c, &d.train, None).unwrap();
        let scores = m.score_table(&d.test);
        let auc = roc_curve(&scores, &d.test.labels).unwrap().auc;
        let want = d.golden["test_auc"][key].as_f64().unwrap();
        println!(
            "AUC {key}: ours {auc:.12}, scikit-learn {want:.12}, |Δ| {:.2e}",
            (auc - want).abs()
        );
        assert!((auc - want).abs() <= 1e-9, "{key}: {auc} vs {want}");
    }
}
