//! Normalisation of a susceptibility index to [0, 1] and the four geohazard levels
//! (1 = 极高 very high … 4 = 低 low, 0 = nodata; `LevelScheme::Geohazard`).
//!
//! **Normalisation**: S_n = (S − S_min) / (S_max − S_min) over the valid cells of the
//! study area (the raw indices of IV, FR and CF have no common scale; LR
//! probabilities are rescaled the same way so that every method yields a [0, 1]
//! index for the hazard and risk composition). S_min and S_max are reported.
//!
//! **Natural breaks**: Fisher's exact optimal partition into K = 4 classes minimising
//! the within-class sum of squared deviations (Fisher, W.D. (1958) On grouping for
//! maximum homogeneity. JASA 53, 789–798; the "Jenks natural breaks" of GIS
//! software, Jenks, G.F. (1967) The data model concept in statistical mapping.
//! International Yearbook of Cartography 7, 186–190), solved by dynamic programming
//! over M = min(n, 2000) order statistics of the valid values taken at ranks
//! ⌊(i + ½)·n / M⌋ — a deterministic quantile sample, so a 10 M-cell grid costs one
//! sort, not O(K·n²). The break between two classes is the lowest value of the upper
//! class.

/// (min, max) of the non-NaN values; `None` if there are none.
pub fn range(values: &[f32]) -> Option<(f32, f32)> {
    let mut it = values.iter().copied().filter(|v| !v.is_nan());
    let first = it.next()?;
    Some(it.fold((first, first), |(lo, hi), v| (lo.min(v), hi.max(v))))
}

/// Normalise in place to [0, 1] by (min, max); a constant field becomes 0.
pub fn normalise(values: &mut [f32], min: f32, max: f32) {
    let span = max as f64 - min as f64;
    for v in values.iter_mut() {
        if !v.is_nan() {
            *v = if span > 0.0 {
                ((*v as f64 - min as f64) / span) as f32
            } else {
                0.0
            };
        }
    }
}

/// The sample size of the natural-breaks solve.
pub const JENKS_SAMPLE: usize = 2000;

/// K − 1 natural breaks (ascending) of the non-NaN values.
pub fn natural_breaks(values: &[f32], k: usize) -> Vec<f64> {
    let mut v: Vec<f32> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() || k < 2 {
        return Vec::new();
    }
    v.sort_unstable_by(|a, b| a.total_cmp(b));
    let n = v.len();
    let m = n.min(JENKS_SAMPLE);
    let x: Vec<f64> = (0..m)
        .map(|i| v[(((i as f64 + 0.5) * n as f64 / m as f64) as usize).min(n - 1)] as f64)
        .collect();
    fisher_breaks(&x, k)
}

/// Fisher's optimal K-partition of sorted `x` (dynamic programming on prefix sums);
/// returns the lowest value of classes 2..=K.
pub fn fisher_breaks(x: &[f64], k: usize) -> Vec<f64> {
    let m = x.len();
    if m <= k {
        let mut b: Vec<f64> = x.iter().skip(1).copied().collect();
        b.dedup();
        return b;
    }
    let mut s1 = vec![0.0; m + 1];
    let mut s2 = vec![0.0; m + 1];
    for i in 0..m {
        s1[i + 1] = s1[i] + x[i];
        s2[i + 1] = s2[i] + x[i] * x[i];
    }
    // Sum of squared deviations of x[a..b].
    let ssd = |a: usize, b: usize| {
        let n = (b - a) as f64;
        let s = s1[b] - s1[a];
        (s2[b] - s2[a] - s * s / n).max(0.0)
    };
    // cost[j][b]: best cost of x[..b] in j + 1 classes; from[j][b]: start of the last.
    let mut cost = vec![vec![f64::INFINITY; m + 1]; k];
    let mut from = vec![vec![0usize; m + 1]; k];
    for b in 1..=m {
        cost[0][b] = ssd(0, b);
    }
    for j in 1..k {
        for b in j + 1..=m {
            let mut best = f64::INFINITY;
            let mut arg = j;
            for a in j..b {
                let c = cost[j - 1][a] + ssd(a, b);
                if c < best {
                    best = c;
                    arg = a;
                }
            }
            cost[j][b] = best;
            from[j][b] = arg;
        }
    }
    let mut starts = Vec::with_capacity(k - 1);
    let mut b = m;
    for j in (1..k).rev() {
        let a = from[j][b];
        starts.push(a);
        b = a;
    }
    starts.reverse();
    let mut breaks: Vec<f64> = starts.iter().map(|&a| x[a]).collect();
    breaks.dedup();
    breaks
}

/// Level code 1..=4 (1 = highest) of a normalised value by ascending `breaks`
/// (a value equal to a break goes up); 0 for NaN.
#[inline]
pub fn level(v: f32, breaks: &[f64]) -> u8 {
    if v.is_nan() {
        return 0;
    }
    let i = breaks.iter().take_while(|&&b| v as f64 >= b).count();
    (breaks.len() + 1 - i) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fisher_splits_obvious_groups() {
        let x = [1.0, 1.1, 1.2, 5.0, 5.1, 9.0, 9.2, 9.1, 20.0];
        let mut s = x.to_vec();
        s.sort_by(f64::total_cmp);
        assert_eq!(fisher_breaks(&s, 4), vec![5.0, 9.0, 20.0]);
    }

    #[test]
    fn levels_count_down_from_the_top() {
        let b = [0.25, 0.5, 0.75];
        assert_eq!(level(0.9, &b), 1);
        assert_eq!(level(0.5, &b), 2);
        assert_eq!(level(0.1, &b), 4);
        assert_eq!(level(f32::NAN, &b), 0);
    }
}
