//! The fused kernel equals the scalar reference bit for bit, on seeded random stacks
//! with nodata, for every test model (together they cover every transform, every
//! aggregation and both nodata policies), and its bits do not depend on the chunk
//! size, on splitting a tile, or on the ndarray entry point.

use ndarray::Array2;
use riskcensus_core::TilePlan;
use riskcensus_models::{Model, Reference, TileScorer};

use crate::common::{data, random_stack, repo_model};

const MODELS: [&str; 4] = [
    "all_transforms.toml",
    "product_ahp.toml",
    "max.toml",
    "risk.toml",
];

fn models() -> Vec<Model> {
    let mut v: Vec<Model> = MODELS
        .iter()
        .map(|n| Model::load(data(n)).unwrap())
        .collect();
    v.push(Model::load(repo_model("flood/flood.toml")).unwrap());
    v
}

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|x| x.to_bits()).collect()
}

#[test]
fn fused_kernel_equals_reference_bit_for_bit() {
    const N: usize = 20_000;
    for (k, m) in models().iter().enumerate() {
        for seed in [1u64, 2, 3] {
            let stack = random_stack(m, N, seed * 100 + k as u64);
            let inputs: Vec<&[f32]> = stack.iter().map(|v| v.as_slice()).collect();
            let mut want = vec![0f32; N];
            Reference(m).score_tile(&inputs, &mut want).unwrap();
            // The stacks must exercise nodata in the output and real values.
            let nan = want.iter().filter(|v| v.is_nan()).count();
            assert!(nan > 0 && nan < N, "{}: {nan} NaN of {N}", m.id());
            let mut want_lv = vec![0u8; N];
            if m.classification().is_some() {
                Reference(m)
                    .score_classify_tile(&inputs, None, &mut want_lv)
                    .unwrap();
            }
            for (chunk, simd) in [
                (1, true),
                (7, true),
                (256, true),
                (1024, true),
                (4096, true),
                (1024, false),
                (7, false),
            ] {
                let p = m.compile().with_chunk(chunk).unwrap().with_avx2(simd);
                let mut got = vec![0f32; N];
                p.score_tile(&inputs, &mut got).unwrap();
                assert_eq!(
                    bits(&got),
                    bits(&want),
                    "{} chunk {chunk} seed {seed}",
                    m.id()
                );
                if m.classification().is_some() {
                    let mut s = vec![0f32; N];
                    let mut lv = vec![9u8; N];
                    p.score_classify_tile(&inputs, Some(&mut s), &mut lv)
                        .unwrap();
                    assert_eq!(bits(&s), bits(&want), "{} chunk {chunk}", m.id());
                    assert_eq!(lv, want_lv, "{} chunk {chunk}", m.id());
                    // Levels alone (stack accumulator) are the same.
                    let mut lv2 = vec![9u8; N];
                    p.score_classify_tile(&inputs, None, &mut lv2).unwrap();
                    assert_eq!(lv2, want_lv);
                }
            }
        }
    }
}

#[test]
fn every_level_and_nodata_code_occurs() {
    let m = Model::load(data("all_transforms.toml")).unwrap();
    let stack = random_stack(&m, 50_000, 7);
    let inputs: Vec<&[f32]> = stack.iter().map(|v| v.as_slice()).collect();
    let mut lv = vec![0u8; 50_000];
    m.compile()
        .score_classify_tile(&inputs, None, &mut lv)
        .unwrap();
    let mut seen = [false; 6];
    for l in lv {
        seen[l as usize] = true;
    }
    // 0 = nodata and the five risk levels: otherwise the bit-for-bit test is weak.
    assert_eq!(seen, [true; 6], "levels seen");
}

#[test]
fn splitting_a_tile_does_not_change_bits() {
    for m in models() {
        let n = 10_007;
        let stack = random_stack(&m, n, 42);
        let inputs: Vec<&[f32]> = stack.iter().map(|v| v.as_slice()).collect();
        let p = m.compile();
        let mut whole = vec![0f32; n];
        p.score_tile(&inputs, &mut whole).unwrap();
        let mut parts = vec![0f32; n];
        for (a, b) in [(0, 1), (1, 333), (333, 5000), (5000, n)] {
            let sub: Vec<&[f32]> = inputs.iter().map(|x| &x[a..b]).collect();
            p.score_tile(&sub, &mut parts[a..b]).unwrap();
        }
        assert_eq!(bits(&whole), bits(&parts), "{}", m.id());
    }
}

/// The ndarray entry point, as the engine's executor calls it (inputs shaped like
/// `tile.read` with a halo, outputs like `tile.core`), gives the bits of the slice API.
#[test]
fn views_with_halo_match_slices() {
    let m = Model::load(repo_model("flood/flood.toml")).unwrap();
    let (rows, cols) = (37, 53);
    let stack = random_stack(&m, rows * cols, 9);
    let p = m.compile();
    let inputs: Vec<&[f32]> = stack.iter().map(|v| v.as_slice()).collect();
    let mut flat = vec![0f32; rows * cols];
    let mut flat_lv = vec![0u8; rows * cols];
    p.score_classify_tile(&inputs, Some(&mut flat), &mut flat_lv)
        .unwrap();
    let grids: Vec<Array2<f32>> = stack
        .iter()
        .map(|v| Array2::from_shape_vec((rows, cols), v.clone()).unwrap())
        .collect();
    for tile in TilePlan::new(rows, cols, 16, 2).tiles() {
        let w = tile.read;
        let views: Vec<_> = grids
            .iter()
            .map(|g| g.slice(ndarray::s![w.row_off..w.row_end(), w.col_off..w.col_end()]))
            .collect();
        let mut out = Array2::<f32>::zeros((tile.core.rows, tile.core.cols));
        let mut lv = Array2::<u8>::zeros((tile.core.rows, tile.core.cols));
        p.score_views(&tile, &views, &mut out.view_mut(), Some(&mut lv.view_mut()))
            .unwrap();
        for r in 0..tile.core.rows {
            for c in 0..tile.core.cols {
                let i = (tile.core.row_off + r) * cols + tile.core.col_off + c;
                assert_eq!(out[[r, c]].to_bits(), flat[i].to_bits());
                assert_eq!(lv[[r, c]], flat_lv[i]);
            }
        }
    }
}

#[test]
fn shape_errors_are_reported() {
    use riskcensus_models::ScoreError;
    let m = Model::load(data("max.toml")).unwrap();
    let p = m.compile();
    let a = [0f32; 4];
    let b = [0f32; 3];
    let mut out = [0f32; 4];
    assert!(matches!(
        p.score_tile(&[&a], &mut out),
        Err(ScoreError::InputCount {
            expected: 2,
            got: 1,
            ..
        })
    ));
    assert!(matches!(
        p.score_tile(&[&a, &b], &mut out),
        Err(ScoreError::InputLength { .. })
    ));
    let mut lv = [0u8; 4];
    assert!(matches!(
        p.score_classify_tile(&[&a, &a], None, &mut lv),
        Err(ScoreError::NoClassification { .. })
    ));
    assert!(m.compile().with_chunk(0).is_err());
    assert!(m.compile().with_chunk(4097).is_err());
}
