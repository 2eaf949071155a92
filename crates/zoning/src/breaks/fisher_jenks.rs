//! Exact Fisher–Jenks natural breaks over weighted distinct values.
//!
//! Fisher, W. D. (1958), "On grouping for maximum homogeneity", *Journal of the
//! American Statistical Association* 53(284):789–798, showed that the partition of
//! ordered values into K contiguous groups minimising the within-group sum of squared
//! deviations (SDCM) is found exactly by dynamic programming; Jenks, G. F. (1977),
//! "Optimal data classification for choropleth maps" (Occasional Paper 2, Dept. of
//! Geography, University of Kansas) made it the cartographers' "natural breaks". With
//! D_c(j) the least SDCM of the first j values in c groups,
//!
//! D_1(j) = SSD(0, j),  D_c(j) = min_{c−1 ≤ i < j} D_{c−1}(i) + SSD(i, j),
//!
//! where SSD(i, j) = Σ w x² − (Σ w x)²/Σ w over values i..j (weights w = cell counts,
//! so each distinct quantised value is one weighted item and a tie group is never
//! split — an optimal partition never needs to split equal values).
//!
//! The within-group SSD satisfies the quadrangle inequality, so the leftmost optimal
//! split i*(j) is non-decreasing in j (Grønlund, Larsen, Mathiasen, Nielsen, Schneider
//! & Song 2017, "Fast exact k-means, k-medians and Bregman divergence clustering in
//! 1D", arXiv:1701.07204, §2; the same property underlies Wang & Song 2011,
//! Ckmeans.1d.dp, *The R Journal* 3(2):29–33). Each layer is therefore filled by
//! divide and conquer over j in O(n log n): O(K·n·log n) overall instead of Fisher's
//! O(K·n²), with the same optimum.
//!
//! Arithmetic: values are the integers q of the quantised histogram (offset to the
//! middle bin). Prefix sums of w, w·q and w·q² are exact in i128, and the numerator
//! Σw·Σwq² − (Σwq)² of SSD·Σw is exact in i128 where it fits (checked; otherwise
//! f64), so SSD is computed with a single rounding: the breaks are the exact optimum
//! for the quantised population, up to ties between partitions whose SDCM differ by
//! less than one part in 10¹⁶ (the leftmost split is taken).

/// Optimal partition of ascending distinct values `q` with weights `w` (> 0) into `k`
/// groups (1 ≤ k ≤ q.len()): exclusive end indices, ascending, the last = q.len().
pub fn partition(q: &[i64], w: &[u64], k: usize) -> Vec<usize> {
    let n = q.len();
    assert!(
        k >= 1 && k <= n && w.len() == n,
        "1 ≤ k ≤ n checked by the caller"
    );
    if k == 1 {
        return vec![n];
    }
    let cost = Cost::new(q, w);
    let mut prev: Vec<f64> = (0..=n).map(|j| cost.ssd(0, j)).collect();
    let mut cur = vec![f64::INFINITY; n + 1];
    // arg[c − 2][j] = the optimal split for c groups over the first j values.
    let mut arg: Vec<Vec<u32>> = Vec::with_capacity(k - 1);
    for c in 2..=k {
        let mut a = vec![0u32; n + 1];
        cur.iter_mut().for_each(|x| *x = f64::INFINITY);
        // Only j = n matters in the last layer.
        let jlo = if c == k { n } else { c };
        fill(&cost, &prev, &mut cur, &mut a, jlo, n, c - 1, n - 1);
        std::mem::swap(&mut prev, &mut cur);
        arg.push(a);
    }
    let mut ends = vec![n];
    let mut j = n;
    for c in (2..=k).rev() {
        j = arg[c - 2][j] as usize;
        ends.push(j);
    }
    ends.reverse();
    ends
}

/// Fill cur[jl..=jh] knowing the optimal split lies in il..=ih (divide and conquer).
#[allow(clippy::too_many_arguments)]
fn fill(
    cost: &Cost,
    prev: &[f64],
    cur: &mut [f64],
    arg: &mut [u32],
    jl: usize,
    jh: usize,
    il: usize,
    ih: usize,
) {
    if jl > jh {
        return;
    }
    let m = (jl + jh) / 2;
    let hi = ih.min(m - 1);
    let mut best = f64::INFINITY;
    let mut bi = il;
    for (i, &p) in prev.iter().enumerate().take(hi + 1).skip(il) {
        let v = p + cost.ssd(i, m);
        if v < best {
            best = v;
            bi = i;
        }
    }
    cur[m] = best;
    arg[m] = bi as u32;
    if m > jl {
        fill(cost, prev, cur, arg, jl, m - 1, il, bi);
    }
    fill(cost, prev, cur, arg, m + 1, jh, bi, ih);
}

/// Within-group sums of squared deviations from prefix sums.
struct Cost {
    w: Vec<u64>,
    s1: Vec<i128>,
    s2: Vec<i128>,
}

impl Cost {
    fn new(q: &[i64], w: &[u64]) -> Self {
        let n = q.len();
        let mid = q[n / 2] as i128;
        let mut pw = Vec::with_capacity(n + 1);
        let mut p1 = Vec::with_capacity(n + 1);
        let mut p2 = Vec::with_capacity(n + 1);
        let (mut a, mut b, mut c) = (0u64, 0i128, 0i128);
        pw.push(0);
        p1.push(0);
        p2.push(0);
        for (&qi, &wi) in q.iter().zip(w) {
            let d = qi as i128 - mid;
            a += wi;
            // |d| < 2^54 and w < 2^64: w·d < 2^118, w·d² may not fit — saturate, and
            // ssd() falls back to f64 for groups whose sums saturated.
            b = b.saturating_add(wi as i128 * d);
            c = c.saturating_add((wi as i128).saturating_mul(d.saturating_mul(d)));
            pw.push(a);
            p1.push(b);
            p2.push(c);
        }
        Self {
            w: pw,
            s1: p1,
            s2: p2,
        }
    }

    /// SSD of values i..j (0 for an empty or single-valued group).
    #[inline]
    fn ssd(&self, i: usize, j: usize) -> f64 {
        if j <= i + 1 {
            return 0.0;
        }
        let w = (self.w[j] - self.w[i]) as i128;
        let s1 = self.s1[j] - self.s1[i];
        let s2 = self.s2[j] - self.s2[i];
        let exact = s2
            .checked_mul(w)
            .zip(s1.checked_mul(s1))
            .filter(|_| self.s2[j] != i128::MAX && self.s1[j].abs() != i128::MAX)
            .map(|(a, b)| a - b);
        match exact {
            Some(num) => num as f64 / w as f64,
            None => s2 as f64 - (s1 as f64) * (s1 as f64) / w as f64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SDCM of a partition (reference, direct two-pass formula).
    fn sdcm(x: &[f64], w: &[f64], ends: &[usize]) -> f64 {
        let mut s = 0.0;
        let mut a = 0;
        for &e in ends {
            let sw: f64 = w[a..e].iter().sum();
            let m: f64 = x[a..e]
                .iter()
                .zip(&w[a..e])
                .map(|(x, w)| x * w)
                .sum::<f64>()
                / sw;
            s += x[a..e]
                .iter()
                .zip(&w[a..e])
                .map(|(x, w)| w * (x - m).powi(2))
                .sum::<f64>();
            a = e;
        }
        s
    }

    /// Every way of cutting n items into k contiguous groups.
    fn all_partitions(n: usize, k: usize) -> Vec<Vec<usize>> {
        if k == 1 {
            return vec![vec![n]];
        }
        let mut out = Vec::new();
        for first in 1..=n - (k - 1) {
            for rest in all_partitions(n - first, k - 1) {
                let mut p = vec![first];
                p.extend(rest.iter().map(|e| e + first));
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn matches_brute_force_on_random_weighted_sets() {
        let mut s = 7u64;
        let mut rnd = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            s >> 33
        };
        for trial in 0..200 {
            let n = 3 + (trial % 12);
            let mut q: Vec<i64> = (0..n).map(|_| (rnd() % 1000) as i64 - 300).collect();
            q.sort_unstable();
            q.dedup();
            let w: Vec<u64> = q.iter().map(|_| 1 + rnd() % 20).collect();
            let xf: Vec<f64> = q.iter().map(|&v| v as f64).collect();
            let wf: Vec<f64> = w.iter().map(|&v| v as f64).collect();
            for k in 1..=q.len().min(6) {
                let got = partition(&q, &w, k);
                let best = all_partitions(q.len(), k)
                    .into_iter()
                    .map(|p| sdcm(&xf, &wf, &p))
                    .fold(f64::INFINITY, f64::min);
                let g = sdcm(&xf, &wf, &got);
                assert!(
                    (g - best).abs() <= 1e-9 * best.max(1.0),
                    "trial {trial} k {k}: {g} vs optimum {best}"
                );
                assert_eq!(got.len(), k);
                assert_eq!(*got.last().unwrap(), q.len());
            }
        }
    }

    #[test]
    fn three_obvious_clusters() {
        // Hand example: {1,2,3}, {10,11}, {20} with unit weights.
        let q = [1, 2, 3, 10, 11, 20];
        assert_eq!(partition(&q, &[1; 6], 3), vec![3, 5, 6]);
        // A heavy weight pulls a boundary: 3 weighs 100 → {1,2,3}∪... stays; 10 weighs 1000
        assert_eq!(partition(&q, &[1, 1, 1, 1000, 1, 1], 2), vec![3, 6]);
    }
}
