//! AHP against published numbers.

use riskcensus_models::ahp::{analyse, AhpError, RANDOM_INDEX};

/// Saaty, T.L. (2008) Decision making with the analytic hierarchy process. Int. J.
/// Services Sciences 1(1), 83–98, Table 2 "Which drink is consumed more in the US?":
/// the judgement matrix over coffee, wine, tea, beer, sodas, milk, water, with the
/// derived priorities printed to three decimals (.177 .019 .042 .116 .190 .129 .327)
/// and consistency ratio C.R. = 0.022.
#[test]
fn saaty_2008_drinks_example() {
    let a: Vec<Vec<f64>> = vec![
        vec![1.0, 9.0, 5.0, 2.0, 1.0, 1.0, 0.5],
        vec![
            1.0 / 9.0,
            1.0,
            1.0 / 3.0,
            1.0 / 9.0,
            1.0 / 9.0,
            1.0 / 9.0,
            1.0 / 9.0,
        ],
        vec![
            1.0 / 5.0,
            3.0,
            1.0,
            1.0 / 3.0,
            1.0 / 4.0,
            1.0 / 3.0,
            1.0 / 9.0,
        ],
        vec![1.0 / 2.0, 9.0, 3.0, 1.0, 1.0 / 2.0, 1.0, 1.0 / 3.0],
        vec![1.0, 9.0, 4.0, 2.0, 1.0, 2.0, 1.0 / 2.0],
        vec![1.0, 9.0, 3.0, 1.0, 1.0 / 2.0, 1.0, 1.0 / 3.0],
        vec![2.0, 9.0, 9.0, 3.0, 2.0, 3.0, 1.0],
    ];
    let r = analyse(&a).unwrap();
    let published = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327];
    for (w, p) in r.weights.iter().zip(published) {
        assert_eq!((w * 1000.0).round() / 1000.0, p, "weights {:?}", r.weights);
    }
    assert_eq!((r.cr * 1000.0).round() / 1000.0, 0.022, "CR {}", r.cr);
    assert!((r.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    // The eigen-equation holds to the iteration tolerance: A·w = λmax·w.
    for (row, wi) in a.iter().zip(&r.weights) {
        let aw: f64 = row.iter().zip(&r.weights).map(|(x, y)| x * y).sum();
        assert!((aw - r.lambda_max * wi).abs() < 1e-10);
    }
}

/// A perfectly consistent matrix (a_ij = w_i/w_j with w = (4, 2, 1)/7): by hand the
/// eigenvector is (4/7, 2/7, 1/7) = (0.571428…, 0.285714…, 0.142857…), λmax = n = 3,
/// CI = (3 − 3)/2 = 0, CR = 0.
#[test]
fn consistent_matrix_by_hand() {
    let a = vec![
        vec![1.0, 2.0, 4.0],
        vec![0.5, 1.0, 2.0],
        vec![0.25, 0.5, 1.0],
    ];
    let r = analyse(&a).unwrap();
    for (w, want) in r.weights.iter().zip([4.0 / 7.0, 2.0 / 7.0, 1.0 / 7.0]) {
        assert!((w - want).abs() < 1e-12, "{w} vs {want}");
    }
    assert!((r.lambda_max - 3.0).abs() < 1e-12);
    assert!(r.cr.abs() < 1e-12);
}

/// Order 2 is always consistent; CR is defined as 0 (RI(2) = 0).
/// w = (3, 1)/4 for a_12 = 3.
#[test]
fn order_two() {
    let r = analyse(&[vec![1.0, 3.0], vec![1.0 / 3.0, 1.0]]).unwrap();
    assert!((r.weights[0] - 0.75).abs() < 1e-12 && (r.weights[1] - 0.25).abs() < 1e-12);
    assert_eq!(r.cr, 0.0);
}

/// Saaty's random index table (1980; 1987 for n = 11..15).
#[test]
fn random_index_table() {
    assert_eq!(
        RANDOM_INDEX,
        [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59]
    );
}

#[test]
fn malformed_matrices() {
    assert!(matches!(
        analyse(&[vec![1.0, 3.0], vec![0.5, 1.0]]),
        Err(AhpError::NotReciprocal { row: 0, col: 1, .. })
    ));
    assert!(matches!(
        analyse(&[vec![2.0, 3.0], vec![1.0 / 3.0, 1.0]]),
        Err(AhpError::Diagonal(0, _))
    ));
    assert!(matches!(
        analyse(&[vec![1.0, -3.0], vec![-1.0 / 3.0, 1.0]]),
        Err(AhpError::NotPositive { .. })
    ));
    assert!(matches!(
        analyse(&[vec![1.0, 3.0]]),
        Err(AhpError::NotSquare { .. })
    ));
    assert!(matches!(analyse(&[]), Err(AhpError::Empty)));
}
