//! The susceptibility parameter file, the minimum-count refusal, expert mode, and
//! a seeded end-to-end run on a synthetic grid (sampling → training → ROC).

use std::path::PathBuf;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use riskcensus_models::geohazard::roc::{rate_curve, roc_curve};
use riskcensus_models::geohazard::sampling::draw;
use riskcensus_models::geohazard::{
    check_count, ClassCounts, GeohazardError, GeohazardParams, LevelRule, Method, SampleTable,
    SamplingRule, TrainedModel,
};

fn model_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/geohazard/geohazard.toml")
}

#[test]
fn the_shipped_parameter_file_is_valid() {
    let p = GeohazardParams::read(&model_file()).unwrap();
    assert_eq!(p.method, Method::Iv);
    assert_eq!(p.factors.len(), 13);
    assert_eq!(p.levels, LevelRule::NaturalBreaks);
    // The judgements are ratios of a ranking: perfectly consistent, and the weights
    // are the ranking normalised: slope 9 / 56.
    let ahp = p.expert.as_ref().unwrap();
    assert!(ahp.cr.abs() < 1e-9, "CR {}", ahp.cr);
    assert!(
        (ahp.weights[0] - 9.0 / 56.0).abs() < 1e-9,
        "{:?}",
        ahp.weights
    );
    assert_eq!(p.classes()[0], 9);
    assert_eq!(p.classes()[7], 4);
}

#[test]
fn an_unknown_hazard_type_is_named() {
    let text = std::fs::read_to_string(model_file())
        .unwrap()
        .replace("\"debris_flow\"]", "\"mudslide\"]");
    let e = GeohazardParams::from_toml(&text, "geohazard.toml").unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("hazard_types") && msg.contains("mudslide"),
        "{msg}"
    );
}

#[test]
fn an_inconsistent_expert_matrix_is_refused_with_its_cr() {
    let text = std::fs::read_to_string(model_file()).unwrap();
    // Slope against aspect turned from 9/2 to 1/9: the matrix stops being reciprocal
    // unless the mirror is changed too; change both.
    let text = text.replacen("[1, \"9/2\",", "[1, \"1/9\",", 1).replacen(
        "[\"2/9\", 1, 1,",
        "[9, 1, 1,",
        1,
    );
    let e = GeohazardParams::from_toml(&text, "geohazard.toml").unwrap_err();
    assert!(e.to_string().contains("CR ="), "{e}");
}

#[test]
fn statistical_training_is_refused_below_the_minimum_count_and_says_why() {
    let e = check_count(Method::Iv, 12, 30).unwrap_err();
    assert!(matches!(
        e,
        GeohazardError::TooFewPoints {
            have: 12,
            need: 30,
            ..
        }
    ));
    let msg = e.to_string();
    assert!(
        msg.contains("expert") && msg.contains("12") && msg.contains("30"),
        "{msg}"
    );
    assert!(check_count(Method::Expert, 0, 30).is_ok());
    assert!(check_count(Method::Lr, 30, 30).is_ok());
}

#[test]
fn expert_scores_are_the_ahp_weighted_sum_of_class_scores() {
    let p = GeohazardParams::read(&model_file()).unwrap();
    let m = TrainedModel::expert(&p).unwrap();
    // One class per factor, scores picked by hand from the file:
    // Σ w_f · e_f(k) with the ranking weights p_f / 56.
    let row: Vec<u16> = vec![7, 5, 4, 7, 1, 5, 2, 3, 1, 1, 1, 8, 5];
    let want = (9.0 * 1.0
        + 2.0 * 0.7
        + 2.0 * 0.8
        + 5.0 * 1.0
        + 3.0 * 0.8
        + 3.0 * 0.8
        + 3.0 * 0.7
        + 7.0 * 1.0
        + 6.0 * 1.0
        + 4.0 * 1.0
        + 3.0 * 0.9
        + 4.0 * 1.0
        + 5.0 * 1.0)
        / 56.0;
    assert!(
        (m.score_row(&row) - want).abs() < 1e-9,
        "{} vs {want}",
        m.score_row(&row)
    );
    assert!(m.score_row(&[0; 13]).is_nan());
}

/// A 200 × 250 grid with two factors; hazard points fall more often on steep,
/// soft cells. The model must rank held-out cells well, and a second run with the
/// same seed must give the same bits.
fn synthetic_run(seed: u64) -> (Vec<f32>, f64, f64) {
    let (rows, cols) = (200usize, 250usize);
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let slope: Vec<u16> = (0..rows * cols)
        .map(|i| 1 + ((i / cols) * 5 / rows) as u16)
        .collect();
    let rock: Vec<u16> = (0..rows * cols).map(|_| rng.random_range(1..=3)).collect();
    let mut pts = Vec::new();
    for i in 0..rows * cols {
        let p = 0.0004 * (slope[i] as f64).powi(2) * if rock[i] == 3 { 3.0 } else { 1.0 };
        if rng.random::<f64>() < p {
            pts.push(((i % cols) as f64 + 0.5, (i / cols) as f64 + 0.5));
        }
    }
    let valid = vec![true; rows * cols];
    let rule = SamplingRule {
        seed,
        negative_ratio: 1.0,
        buffer_m: 60.0,
        test_fraction: 0.3,
    };
    let s = draw(&pts, rows, cols, 30.0, &valid, &rule).unwrap();
    let factors = vec!["slope".to_string(), "rock".to_string()];
    let classes = vec![5, 3];
    let table = |idx: &[usize]| {
        let codes = idx
            .iter()
            .flat_map(|&k| [slope[s.cells[k]], rock[s.cells[k]]])
            .collect();
        let labels = idx.iter().map(|&k| s.labels[k]).collect();
        SampleTable::new(factors.clone(), classes.clone(), codes, labels).unwrap()
    };
    let train = table(&s.train);
    let test = table(&s.test);
    let mut counts = ClassCounts::zeros(&classes);
    for i in 0..rows * cols {
        counts.add_area(&[slope[i], rock[i]]);
    }
    for r in 0..train.len() {
        if train.labels[r] == 1 {
            counts.add_hazard(train.row(r));
        }
    }
    let m = TrainedModel::train(Method::Iv, &factors, &counts, &train, None).unwrap();
    let mut grid = vec![0f32; rows * cols];
    m.score_columns(&[&slope, &rock], &mut grid);
    let auc = roc_curve(&m.score_table(&test), &test.labels).unwrap().auc;
    let haz: Vec<f32> = (0..test.len())
        .filter(|&r| test.labels[r] == 1)
        .map(|r| m.score_row(test.row(r)) as f32)
        .collect();
    let pred = rate_curve(&grid, &haz).unwrap().auc;
    (grid, auc, pred)
}

#[test]
fn seeded_end_to_end_ranks_held_out_cells_and_is_deterministic() {
    let (g1, auc1, pr1) = synthetic_run(5);
    let (g2, auc2, pr2) = synthetic_run(5);
    assert_eq!(
        g1.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
        g2.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
    );
    assert_eq!(auc1.to_bits(), auc2.to_bits());
    assert_eq!(pr1.to_bits(), pr2.to_bits());
    // The generating odds grow 25-fold from the gentlest to the steepest class and
    // 3-fold on soft rock: the test AUC must be well above chance, and the
    // prediction rate curve above the diagonal (area > 0.5).
    assert!(auc1 > 0.7, "AUC {auc1}");
    assert!(pr1 > 0.6, "prediction-rate area {pr1}");
    let (_, auc3, _) = synthetic_run(6);
    assert_ne!(
        auc1.to_bits(),
        auc3.to_bits(),
        "another seed draws other samples"
    );
}

/// The chunked column scorer gives the bits of the per-row reference for every
/// method, including nodata and out-of-range codes, across chunk boundaries.
#[test]
fn column_scoring_equals_row_scoring_bit_for_bit() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let classes = vec![4usize, 3, 5];
    let factors: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let n = 3000;
    let cols: Vec<Vec<u16>> = classes
        .iter()
        .map(|&k| (0..n).map(|_| rng.random_range(0..=k as u16 + 1)).collect())
        .collect();
    let mut codes = Vec::new();
    let mut labels = Vec::new();
    let mut counts = ClassCounts::zeros(&classes);
    for i in 0..n {
        let row: Vec<u16> = cols.iter().map(|c| c[i]).collect();
        if row
            .iter()
            .zip(&classes)
            .all(|(&c, &k)| c >= 1 && c as usize <= k)
        {
            counts.add_area(&row);
            let l = u8::from(rng.random::<f64>() < 0.1 * row[0] as f64);
            if l == 1 {
                counts.add_hazard(&row);
            }
            codes.extend_from_slice(&row);
            labels.push(l);
        }
    }
    let t = SampleTable::new(factors.clone(), classes.clone(), codes, labels).unwrap();
    let refs: Vec<&[u16]> = cols.iter().map(Vec::as_slice).collect();
    for m in [Method::Iv, Method::Fr, Method::Cf, Method::Lr] {
        let model = TrainedModel::train(m, &factors, &counts, &t, None).unwrap();
        let mut out = vec![0f32; n];
        model.score_columns(&refs, &mut out);
        for i in 0..n {
            let row: Vec<u16> = cols
                .iter()
                .zip(&classes)
                .map(|(c, &k)| if (c[i] as usize) <= k { c[i] } else { 0 })
                .collect();
            let want = model.score_row(&row) as f32;
            assert_eq!(out[i].to_bits(), want.to_bits(), "{} cell {i}", m.id());
        }
    }
}

// ------------------------------------------------- spatially blocked cross-validation

/// Every cell of a 50 × 70 grid (30 m) in 600 m blocks (20 × 20 cells, so 3 × 4
/// blocks, the last ones cut by the grid's edge): each cell gets exactly one fold in
/// 0..k, every cell of a block the same fold, every fold some blocks, the same seed
/// the same folds; with every block holding the same counts the seed alone orders
/// them, so another seed deals them otherwise.
#[test]
fn blocked_folds_hold_every_cell_once_and_never_split_a_block() {
    use riskcensus_models::geohazard::spatial_cv::{assign_folds, block_groups};
    let (rows, cols) = (50usize, 70usize);
    let cells: Vec<usize> = (0..rows * cols).collect();
    let groups = block_groups(&cells, cols, 30.0, 600.0);
    // By hand: cell (r, c) lies in block (r / 20, c / 20).
    for &i in &cells {
        let (r, c) = ((i / cols) as u64, (i % cols) as u64);
        assert_eq!(groups[i], Some((r / 20) << 32 | (c / 20)));
    }
    let labels: Vec<u8> = cells.iter().map(|&i| u8::from(i % 7 == 0)).collect();
    let k = 5;
    let f = assign_folds(&groups, &labels, k, 42, "blocks").unwrap();
    assert_eq!(f.of_group.len(), 12);
    let mut per_fold = vec![0usize; k];
    for (i, fold) in f.of_sample.iter().enumerate() {
        let fold = fold.expect("every cell has a fold");
        assert!(fold < k);
        assert_eq!(fold, f.of_group[&groups[i].unwrap()], "cell {i}");
        per_fold[fold] += 1;
    }
    assert_eq!(per_fold.iter().sum::<usize>(), rows * cols);
    assert!(
        f.groups_per_fold().iter().all(|&n| n >= 2),
        "{:?}",
        f.groups_per_fold()
    );
    assert_eq!(f, assign_folds(&groups, &labels, k, 42, "blocks").unwrap());
    // 24 equal blocks of 10 × 10 cells (300 m) on the upper-left 40 × 60 cells,
    // all without hazard samples: only the shuffle orders them.
    let equal = block_groups(&cells, cols, 30.0, 300.0);
    let uniform = vec![0u8; cells.len()];
    let sub: Vec<usize> = cells
        .iter()
        .copied()
        .filter(|&i| i / cols < 40 && i % cols < 60)
        .collect();
    let g: Vec<Option<u64>> = sub.iter().map(|&i| equal[i]).collect();
    let l: Vec<u8> = sub.iter().map(|&i| uniform[i]).collect();
    let a = assign_folds(&g, &l, 4, 1, "blocks").unwrap();
    let b = assign_folds(&g, &l, 4, 2, "blocks").unwrap();
    assert_eq!(a.groups_per_fold(), vec![6, 6, 6, 6]);
    assert_ne!(
        a.of_group, b.of_group,
        "another seed deals the blocks otherwise"
    );
}

/// A spatially autocorrelated synthetic case. A 200 × 200 grid (30 m) has a genuine
/// factor (four row bands, hazard odds 1:4:9:16) and a `patch` factor whose classes
/// are 10 × 10-cell patches (300 m); 15 % of the patches are "hot" (hazard odds × 30
/// against the rest), a latent field the patch factor names but no factor explains.
/// A random split leaves training hazard cells in every hot patch, so the patch
/// classes score the test cells of that patch well: the AUC rewards interpolating
/// the latent field. Holding out whole 600 m blocks (2 × 2 patches each) leaves the
/// held-out patches without training hazard cells (FR 0), so only the genuine
/// factor ranks them. The blocked AUC must be clearly lower than both the random
/// split's and the random k-fold's — the optimism Roberts et al. (2017) warn of.
#[test]
fn blocked_auc_is_below_random_auc_when_hazards_cluster() {
    use riskcensus_models::geohazard::fit::{
        cross_validate, fit, random_folds, FactorColumns, Lattice,
    };
    use riskcensus_models::geohazard::spatial_cv::block_groups;
    use riskcensus_models::geohazard::{Classifier, CvBy, CvRule};
    let (rows, cols) = (200usize, 200usize);
    let mut rng = ChaCha8Rng::seed_from_u64(2017);
    let band: Vec<f32> = (0..rows * cols)
        .map(|i| (1 + (i / cols) * 4 / rows) as f32)
        .collect();
    let patch_of = |i: usize| ((i / cols) / 10) * (cols / 10) + (i % cols) / 10;
    let hot: Vec<bool> = (0..(rows / 10) * (cols / 10))
        .map(|_| rng.random::<f64>() < 0.15)
        .collect();
    let patch: Vec<f32> = (0..rows * cols).map(|i| patch_of(i) as f32).collect();
    let mut pts = Vec::new();
    for i in 0..rows * cols {
        let b = band[i] as f64;
        let p = 0.0002 * b * b * if hot[patch_of(i)] { 30.0 } else { 1.0 };
        if rng.random::<f64>() < p {
            pts.push(((i % cols) as f64 + 0.5, (i / cols) as f64 + 0.5));
        }
    }
    let mut f = FactorColumns::new();
    f.push(
        "band".into(),
        Classifier::Codes {
            codes: vec![1, 2, 3, 4],
        },
        &band,
    );
    f.push(
        "patch".into(),
        Classifier::Codes {
            codes: (0..hot.len() as i64).collect(),
        },
        &patch,
    );
    let mut params = GeohazardParams::read(&model_file()).unwrap();
    params.sampling.buffer_m = 30.0;
    params.sampling.seed = 3;
    params.cross_validation = CvRule {
        by: CvBy::Blocks { size_m: 600.0 },
        folds: 5,
        seed: 9,
    };
    let lattice = Lattice {
        rows,
        cols,
        cell_size: 30.0,
    };
    for method in [Method::Fr, Method::Iv] {
        let fit = fit(&f, &pts, None, lattice, &params, method, None).unwrap();
        let groups = block_groups(&fit.samples.cells, cols, 30.0, 600.0);
        let lr = params.lr_predictors;
        let blocked = cross_validate(&fit, &groups, &params.cross_validation, method, lr).unwrap();
        let random = random_folds(&fit, &params.cross_validation, method, lr).unwrap();
        let split = fit.evaluation.auc_test;
        println!(
            "{}: {} hazard cells; random split AUC {split:.4}, random 5-fold {:.4}, blocked 5-fold {:.4} {:?}",
            method.id(),
            fit.samples.hazard_cells(),
            random.auc_mean,
            blocked.auc_mean,
            blocked.auc_per_fold()
        );
        assert_eq!(blocked.folds_scored, 5);
        // Every sample is held out exactly once.
        let held: usize = blocked
            .folds
            .iter()
            .map(|f| f.test_hazard + f.test_non_hazard)
            .sum();
        assert_eq!(held, fit.samples.cells.len());
        assert!(
            split > 0.8 && random.auc_mean > 0.8,
            "{split} {}",
            random.auc_mean
        );
        assert!(
            blocked.auc_mean < random.auc_mean - 0.1 && blocked.auc_mean < split - 0.1,
            "blocked {} vs random {} / split {split}",
            blocked.auc_mean,
            random.auc_mean
        );
        // The genuine factor still ranks the held-out blocks above chance.
        assert!(blocked.auc_mean > 0.55, "{}", blocked.auc_mean);
    }
}
