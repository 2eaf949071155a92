//! The appraisal of a measure: the present value of its benefit (the expected
//! annual loss it averts) and of its costs over a horizon at a discount rate, and
//! their ratio.
//!
//! ```text
//! annuity factor  A(r, n) = Σ_{t=1..n} (1 + r)^−t = (1 − (1 + r)^−n) / r   (n if r = 0)
//! PV(benefit)     = averted AAL × A(r, n)
//! PV(cost)        = investment + annual cost × A(r, n)
//! BCR             = PV(benefit) / PV(cost)
//! ```
//!
//! The investment is spent in year 0, the benefit and the running costs accrue at
//! the end of each year 1…n (the convention of CLIMADA's `CostBenefit` with a
//! constant benefit, and of the cost–benefit guidance the discount rate comes from,
//! e.g. 国家发展改革委、建设部《建设项目经济评价方法与参数》第三版 (2006), social
//! discount rate 8 %). The benefit is held constant at the target year's value: the
//! scenario's exposure grows until the target year and is not extrapolated beyond.

use serde::Serialize;

/// The discounting of an appraisal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Discounting {
    /// Discount rate per year, ≥ 0.
    pub rate: f64,
    /// Horizon, years ≥ 1.
    pub years: u32,
}

impl Discounting {
    /// Σ_{t=1..n} (1 + r)^−t.
    pub fn annuity_factor(&self) -> f64 {
        let n = f64::from(self.years);
        if self.rate == 0.0 {
            n
        } else {
            (1.0 - (1.0 + self.rate).powf(-n)) / self.rate
        }
    }
}

/// A measure's appraisal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Appraisal {
    /// AAL averted, 万元/yr.
    pub averted_aal_wan: f64,
    /// Expected deaths averted per year.
    pub averted_deaths: f64,
    /// Present value of the averted AAL, 万元.
    pub pv_benefit_wan: f64,
    /// Present value of the costs, 万元.
    pub pv_cost_wan: f64,
    /// PV(benefit) / PV(cost) (NaN without a cost).
    pub bcr: f64,
}

/// Appraise a measure that averts `averted_aal_wan` per year (and
/// `averted_deaths`) for an investment and a yearly running cost.
pub fn appraise(
    d: Discounting,
    averted_aal_wan: f64,
    averted_deaths: f64,
    investment_wan: f64,
    annual_cost_wan: f64,
) -> Appraisal {
    let a = d.annuity_factor();
    let pv_benefit_wan = averted_aal_wan * a;
    let pv_cost_wan = investment_wan + annual_cost_wan * a;
    Appraisal {
        averted_aal_wan,
        averted_deaths,
        pv_benefit_wan,
        pv_cost_wan,
        bcr: if pv_cost_wan > 0.0 {
            pv_benefit_wan / pv_cost_wan
        } else {
            f64::NAN
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appraisal_by_hand() {
        // r = 8 %, n = 30: A = (1 − 1.08^−30)/0.08 = 11.257783…
        let d = Discounting {
            rate: 0.08,
            years: 30,
        };
        assert!((d.annuity_factor() - 11.257_783_343_127_485).abs() < 1e-9);
        // 100 万元/yr averted, 500 invested, 10/yr running:
        // PV(b) = 1125.778…, PV(c) = 500 + 112.578 = 612.578, BCR = 1.8378…
        let a = appraise(d, 100.0, 0.01, 500.0, 10.0);
        assert!((a.pv_benefit_wan - 1_125.778_334_312_748_5).abs() < 1e-6);
        assert!((a.pv_cost_wan - 612.577_833_431_274_8).abs() < 1e-6);
        assert!((a.bcr - 1_125.778_334_312_748_5 / 612.577_833_431_274_8).abs() < 1e-12);
        let free = Discounting {
            rate: 0.0,
            years: 10,
        };
        assert_eq!(free.annuity_factor(), 10.0);
        assert!(appraise(free, 1.0, 0.0, 0.0, 0.0).bcr.is_nan());
    }
}
