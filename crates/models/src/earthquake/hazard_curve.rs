//! The seismic hazard curve of a site from the four probability levels of China's
//! zoning map, and the annual rates of building damage states over it.
//!
//! # Levels (GB 18306-2015)
//!
//! The zoning map gives the basic PGA (基本地震动, 10 % probability of exceedance in
//! 50 years, §3.9) of a class II site. §6.2 derives the other three levels from it:
//! frequent (多遇, 63 % in 50 years, §3.10) at no less than 1/3 of the basic PGA,
//! rare (罕遇, 2 % in 50 years, §3.11) at 1.6–2.3 times and very rare (极罕遇,
//! annual probability 10⁻⁴, §3.12) at 2.7–3.2 times. The factors used and the
//! probabilities are parameters (`[hazard_curve]` of `models/earthquake/
//! earthquake.toml`); the built-in file takes 1/3 and the midpoints of the two
//! ranges (1.95, 2.95) — this model's stated choice.
//!
//! A probability P in T years is the annual rate λ = −ln(1 − P)/T of a Poisson
//! process: 63 %/50 yr → 0.01989, 10 %/50 yr → 0.002107, 2 %/50 yr → 0.000404,
//! 10⁻⁴/yr → 0.000100005.
//!
//! # The curve
//!
//! Between two levels, ln λ is linear in ln PGA (log-log interpolation, the usual
//! local form of a hazard curve; e.g. Cornell et al. 2002, eq. 3, with a slope per
//! segment). The curve is not extended beyond its ends:
//!
//! - **frequent tail**: events more frequent than the frequent level (PGA below
//!   1/3 of the basic) are not counted — damage there is negligible for the
//!   fragility curves used (the slight-damage medians are ≥ 0.1 g);
//! - **rare tail**: events rarer than the very rare level are counted at the very
//!   rare level's PGA: λₙ·f(aₙ), a lower bound of their share (damage grows with
//!   PGA), the same convention as the flood EAD (Olsen et al. 2015).
//!
//! # Annual rates
//!
//! The annual rate of a consequence f (the probability of reaching a damage state,
//! a loss ratio, a death rate — all functions of PGA) is the integral over the
//! curve, ν = ∫ f(a(λ)) dλ from λₙ to λ₁ plus the tail. It is computed by the
//! trapezoidal rule on λ with `steps` nodes per segment spaced evenly in ln λ —
//! the rule OpenQuake's `classical_damage` applies with the curve's IMLs as nodes
//! (its occurrence rate of IML i is (λᵢ₋₁ − λᵢ₊₁)/2); the validation compares the
//! two (`fixtures/annual_loss`, `crates/models/tests/annual_loss.rs`).

use serde::{Deserialize, Serialize};

use super::fragility::Curve;

/// One probability level of the zoning map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HazardLevel {
    /// Name (`frequent`, `basic`, `rare`, `very_rare`).
    pub name: String,
    /// Probability of exceedance in `years`.
    pub probability: f64,
    /// The exposure time of `probability`, years.
    pub years: f64,
    /// PGA of the level as a multiple of the basic PGA.
    pub pga_factor: f64,
}

impl HazardLevel {
    /// The annual rate of exceedance λ = −ln(1 − P)/T.
    pub fn annual_rate(&self) -> f64 {
        -(1.0 - self.probability).ln() / self.years
    }
}

/// `[hazard_curve]` of the earthquake parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HazardCurveSection {
    /// The levels, from the most frequent to the rarest.
    pub levels: Vec<HazardLevel>,
    /// Integration nodes per segment of the curve (≥ 2).
    pub steps_per_segment: u32,
}

impl HazardCurveSection {
    /// Every problem of the section, as messages naming the key.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.levels.len() < 2 {
            out.push("hazard_curve.levels: at least two levels are needed".into());
        }
        if self.steps_per_segment < 2 {
            out.push("hazard_curve.steps_per_segment must be at least 2".into());
        }
        for (i, l) in self.levels.iter().enumerate() {
            if !(l.probability > 0.0 && l.probability < 1.0 && l.years > 0.0 && l.pga_factor > 0.0)
            {
                out.push(format!(
                    "hazard_curve.levels[{i}] ({}): probability in (0, 1), years > 0 and pga_factor > 0 are needed",
                    l.name
                ));
            }
        }
        for (i, w) in self.levels.windows(2).enumerate() {
            if !(w[1].annual_rate() < w[0].annual_rate() && w[1].pga_factor > w[0].pga_factor) {
                out.push(format!(
                    "hazard_curve.levels[{}] ({}) must be rarer and stronger than levels[{i}] ({})",
                    i + 1,
                    w[1].name,
                    w[0].name
                ));
            }
        }
        out
    }

    /// The hazard curve of a site of basic PGA `basic_pga_g`.
    pub fn curve(&self, basic_pga_g: f64) -> HazardCurve {
        HazardCurve {
            points: self
                .levels
                .iter()
                .map(|l| (l.pga_factor * basic_pga_g, l.annual_rate()))
                .collect(),
            steps: self.steps_per_segment.max(2) as usize,
        }
    }
}

/// A hazard curve: (PGA g, annual rate of exceedance) points, PGA ascending and
/// rate descending, log-log between them.
#[derive(Debug, Clone, PartialEq)]
pub struct HazardCurve {
    points: Vec<(f64, f64)>,
    steps: usize,
}

/// An annual rate split into the part integrated over the curve and the rare tail.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Annual {
    /// ∫ f dλ between the rarest and the most frequent level.
    pub body: f64,
    /// λₙ·f(aₙ): events rarer than the rarest level, at its PGA.
    pub tail: f64,
}

impl Annual {
    /// body + tail.
    pub fn total(&self) -> f64 {
        self.body + self.tail
    }
}

impl HazardCurve {
    /// A curve from (PGA, rate) points (PGA ascending, rate descending, all > 0) and
    /// the integration nodes per segment.
    pub fn new(points: Vec<(f64, f64)>, steps: usize) -> Option<HazardCurve> {
        let ok = points.len() >= 2
            && points.iter().all(|&(a, l)| a > 0.0 && l > 0.0)
            && points
                .windows(2)
                .all(|w| w[1].0 > w[0].0 && w[1].1 < w[0].1);
        ok.then_some(HazardCurve {
            points,
            steps: steps.max(2),
        })
    }

    /// The (PGA g, annual rate) points.
    pub fn points(&self) -> &[(f64, f64)] {
        &self.points
    }

    /// The annual rate of exceeding `pga_g` by log-log interpolation; `None`
    /// outside the curve's PGA range.
    pub fn rate_of(&self, pga_g: f64) -> Option<f64> {
        let w = self
            .points
            .windows(2)
            .find(|w| pga_g >= w[0].0 && pga_g <= w[1].0)?;
        let t = (pga_g / w[0].0).ln() / (w[1].0 / w[0].0).ln();
        Some((w[0].1.ln() + t * (w[1].1 / w[0].1).ln()).exp())
    }

    /// The PGA whose annual rate of exceedance is `rate`; `None` outside the curve.
    pub fn pga_of(&self, rate: f64) -> Option<f64> {
        let w = self
            .points
            .windows(2)
            .find(|w| rate <= w[0].1 && rate >= w[1].1)?;
        let t = (rate / w[0].1).ln() / (w[1].1 / w[0].1).ln();
        Some((w[0].0.ln() + t * (w[1].0 / w[0].0).ln()).exp())
    }

    /// The annual rates ∫ f(a) dλ of N consequences at once (see the module doc).
    pub fn integrate<const N: usize>(&self, f: impl Fn(f64) -> [f64; N]) -> [Annual; N] {
        let mut body = [0.0; N];
        for w in self.points.windows(2) {
            let ((a0, l0), (a1, l1)) = (w[0], w[1]);
            let (la0, ll0) = (a0.ln(), l0.ln());
            let (dla, dll) = ((a1 / a0).ln(), (l1 / l0).ln());
            let n = self.steps;
            let mut prev = (l0, f(a0));
            for k in 1..=n {
                let t = k as f64 / n as f64;
                let (a, l) = if k == n {
                    (a1, l1)
                } else {
                    ((la0 + t * dla).exp(), (ll0 + t * dll).exp())
                };
                let v = f(a);
                for i in 0..N {
                    body[i] += (prev.0 - l) * (prev.1[i] + v[i]) / 2.0;
                }
                prev = (l, v);
            }
        }
        let &(an, ln) = self.points.last().expect("two points at least");
        let fin = f(an);
        std::array::from_fn(|i| Annual {
            body: body[i],
            tail: ln * fin[i],
        })
    }

    /// The annual rates of exceeding the slight, moderate, extensive and complete
    /// damage states of a fragility curve.
    pub fn damage_state_rates(&self, curve: &Curve) -> [Annual; 4] {
        self.integrate(|a| curve.exceedance(a))
    }
}

/// The annual rates of being in each damage state (none, slight … complete) from
/// the rates of exceeding them: `ν[ds] = ν[≥ ds] − ν[≥ ds + 1]`; `none` is left 0 (the
/// rate of "no damage" is not a consequence).
pub fn state_rates(exceed: &[f64; 4]) -> [f64; 5] {
    [
        0.0,
        exceed[0] - exceed[1],
        exceed[1] - exceed[2],
        exceed[2] - exceed[3],
        exceed[3],
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels() -> HazardCurveSection {
        let l = |name: &str, probability, years, pga_factor| HazardLevel {
            name: name.into(),
            probability,
            years,
            pga_factor,
        };
        HazardCurveSection {
            levels: vec![
                l("frequent", 0.63, 50.0, 1.0 / 3.0),
                l("basic", 0.10, 50.0, 1.0),
                l("rare", 0.02, 50.0, 1.95),
                l("very_rare", 1.0e-4, 1.0, 2.95),
            ],
            steps_per_segment: 64,
        }
    }

    #[test]
    fn rates_of_the_four_levels_by_hand() {
        let s = levels();
        let r: Vec<f64> = s.levels.iter().map(HazardLevel::annual_rate).collect();
        // −ln(0.37)/50, −ln(0.9)/50, −ln(0.98)/50, −ln(0.9999).
        assert!((r[0] - 0.019885).abs() < 1e-6, "{r:?}");
        assert!((r[1] - 0.0021072).abs() < 1e-7);
        assert!((r[2] - 0.00040405).abs() < 1e-8);
        assert!((r[3] - 1.00005e-4).abs() < 1e-9);
        assert!(s.problems().is_empty());
        let c = s.curve(0.15);
        assert!((c.points()[0].0 - 0.05).abs() < 1e-12);
        assert!((c.rate_of(0.15).unwrap() - r[1]).abs() < 1e-15);
        // Log-log: halfway in ln PGA is halfway in ln λ.
        let mid = (0.15f64 * 0.2925).sqrt();
        assert!((c.rate_of(mid).unwrap() - (r[1] * r[2]).sqrt()).abs() < 1e-12);
        assert!((c.pga_of((r[1] * r[2]).sqrt()).unwrap() - mid).abs() < 1e-12);
        assert!(c.rate_of(0.01).is_none() && c.pga_of(1.0).is_none());
    }

    #[test]
    fn a_constant_consequence_integrates_to_the_rate_span_plus_the_tail() {
        let c = levels().curve(0.2);
        let [a] = c.integrate(|_| [1.0]);
        let (l1, ln) = (c.points()[0].1, c.points()[3].1);
        assert!((a.body - (l1 - ln)).abs() < 1e-15);
        assert!((a.tail - ln).abs() < 1e-18);
        // A step at a PGA: the rate of exceeding it (up to the trapezoid on one node
        // interval).
        let [s] = c.integrate(|a| [if a >= 0.2 { 1.0 } else { 0.0 }]);
        let want = c.rate_of(0.2).unwrap();
        assert!((s.total() - want).abs() / want < 0.05, "{s:?} vs {want}");
    }

    #[test]
    fn bad_sections_are_named() {
        let mut s = levels();
        s.levels[2].pga_factor = 0.5;
        s.steps_per_segment = 1;
        let p = s.problems().join("\n");
        assert!(
            p.contains("levels[2] (rare)") && p.contains("steps_per_segment"),
            "{p}"
        );
    }

    #[test]
    fn state_rates_difference_the_exceedance_rates() {
        let s = state_rates(&[0.01, 0.004, 0.001, 0.0002]);
        assert_eq!(s[0], 0.0);
        assert!((s[1] - 0.006).abs() < 1e-15 && (s[4] - 0.0002).abs() < 1e-18);
        assert!((s.iter().sum::<f64>() - 0.01).abs() < 1e-15);
    }
}
