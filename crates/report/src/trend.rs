//! The tables of the chapter "风险变化趋势 Risk trend" (docs/scenarios.md), read
//! from the run's `assess/` folder: `trends.csv` (the trends stage),
//! `scenario_units.csv`, `scenario_measures.csv`, `scenario_uncertainty.csv`,
//! `scenario_sensitivity.csv` and `hindcast.csv` (the scenarios stage). A file the
//! run did not write is an empty part; a file that is there but broken is an error
//! naming its line and column.

use std::path::Path;

use crate::error::ReportError;
use crate::loss::CsvFile;
use crate::run::Run;

/// A trend of the record that is significant (Hamed–Rao) at the file's alpha.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendRow {
    /// `county`, `township` or `station`.
    pub scope: String,
    /// Unit code or station id.
    pub code: String,
    /// Name.
    pub name: String,
    /// Series id.
    pub series: String,
    /// Unit of the values.
    pub unit: String,
    /// First and last year.
    pub years: (i64, i64),
    /// Values tested.
    pub n: i64,
    /// Sen's slope per year.
    pub slope: Option<f64>,
    /// Hamed–Rao p-value.
    pub p: Option<f64>,
    /// Hamed–Rao verdict (`increasing`, `decreasing`, `no trend`; empty: not
    /// tested).
    pub trend: String,
}

/// One unit under one case (comprehensive only).
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioUnit {
    /// Case id (`baseline` or a scenario).
    pub scenario: String,
    /// Target year (None: the baseline).
    pub target_year: Option<i64>,
    /// Unit code.
    pub unit_code: String,
    /// Unit name.
    pub unit_name: String,
    /// `county`, `township`, `village`.
    pub unit_level: String,
    /// AAL, 万元/yr.
    pub aal: Option<f64>,
    /// Deaths per year.
    pub deaths: Option<f64>,
    /// AAL / GDP, %.
    pub aal_gdp_pct: Option<f64>,
    /// Risk level (risk5).
    pub risk_level: Option<u8>,
    /// Change of the AAL against the baseline, %.
    pub change_pct: Option<f64>,
}

/// One measure's appraisal.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureRow {
    /// Rank by benefit–cost ratio.
    pub rank: i64,
    /// Scenario.
    pub scenario: String,
    /// Measure id.
    pub measure: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Investment, 万元.
    pub cost: Option<f64>,
    /// AAL averted, 万元/yr.
    pub averted_aal: Option<f64>,
    /// Deaths averted per year.
    pub averted_deaths: Option<f64>,
    /// Present value of the benefit, 万元.
    pub pv_benefit: Option<f64>,
    /// Present value of the costs, 万元.
    pub pv_cost: Option<f64>,
    /// Benefit–cost ratio (None: not monetised).
    pub bcr: Option<f64>,
    /// Discount rate and horizon.
    pub discount: (Option<f64>, Option<i64>),
    /// What the figures do not count.
    pub note: String,
}

/// The 5/50/95 % band of one unit under one case.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Case id.
    pub scenario: String,
    /// Unit code.
    pub unit_code: String,
    /// Unit name.
    pub unit_name: String,
    /// `county` or `township`.
    pub unit_level: String,
    /// Samples.
    pub samples: i64,
    /// The loss route's figure.
    pub nominal: Option<f64>,
    /// 5 %, 50 %, 95 % of the AAL, 万元/yr.
    pub p5: Option<f64>,
    /// …
    pub p50: Option<f64>,
    /// …
    pub p95: Option<f64>,
}

/// One input's rank correlation with the county AAL.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// Case id.
    pub scenario: String,
    /// Input.
    pub input: String,
    /// Its distribution as text.
    pub distribution: String,
    /// Spearman's ρ.
    pub rho: Option<f64>,
}

/// One township of the hindcast.
#[derive(Debug, Clone, PartialEq)]
pub struct HindcastRow {
    /// Unit code.
    pub unit_code: String,
    /// Unit name.
    pub unit_name: String,
    /// Split year.
    pub split_year: i64,
    /// Predicted AAL as of the split year.
    pub predicted: Option<f64>,
    /// Recorded before and after.
    pub before: Option<f64>,
    /// …
    pub after: Option<f64>,
    /// Ranks (1 = largest).
    pub rank_predicted: Option<f64>,
    /// …
    pub rank_after: Option<f64>,
    /// ρ, p of the prediction and of the record alone.
    pub rho: Option<f64>,
    /// …
    pub p: Option<f64>,
    /// …
    pub rho_naive: Option<f64>,
    /// …
    pub p_naive: Option<f64>,
}

/// Everything the chapter shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrendTables {
    /// Series tested, and the significant trends.
    pub tested: usize,
    /// …
    pub significant: Vec<TrendRow>,
    /// County and township rows of the comprehensive AAL per case.
    pub units: Vec<ScenarioUnit>,
    /// Measures, best ratio first.
    pub measures: Vec<MeasureRow>,
    /// Bands.
    pub bands: Vec<Band>,
    /// Sensitivity.
    pub sensitivity: Vec<Sensitivity>,
    /// Hindcast.
    pub hindcast: Vec<HindcastRow>,
}

impl TrendTables {
    /// The cases in file order.
    pub fn cases(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for u in &self.units {
            if !v.contains(&u.scenario) {
                v.push(u.scenario.clone());
            }
        }
        v
    }

    /// The band of a unit under a case.
    pub fn band(&self, scenario: &str, unit: &str) -> Option<&Band> {
        self.bands
            .iter()
            .find(|b| b.scenario == scenario && b.unit_code == unit)
    }
}

fn optional(path: &Path) -> Result<Option<CsvFile>, ReportError> {
    if path.exists() {
        Ok(Some(CsvFile::read(path)?))
    } else {
        Ok(None)
    }
}

fn level(v: Option<i64>) -> Option<u8> {
    v.filter(|v| (1..=254).contains(v)).map(|v| v as u8)
}

/// Read the chapter's tables of `run`; `None` when the run wrote none of them.
pub fn read(run: &Run) -> Result<Option<TrendTables>, ReportError> {
    let dir = run.layout.assess();
    let mut t = TrendTables::default();
    let mut any = false;
    if let Some(f) = optional(&dir.join("trends.csv"))? {
        any = true;
        for r in f.rows() {
            if r.text("z")?.trim().is_empty() {
                continue;
            }
            t.tested += 1;
            let trend = r.text("hr_trend")?.to_string();
            if trend != "increasing" && trend != "decreasing" {
                continue;
            }
            t.significant.push(TrendRow {
                scope: r.text("scope")?.into(),
                code: r.text("code")?.into(),
                name: r.text("name")?.into(),
                series: r.text("series")?.into(),
                unit: r.text("unit")?.into(),
                years: (
                    r.opt_i64("first_year")?.unwrap_or(0),
                    r.opt_i64("last_year")?.unwrap_or(0),
                ),
                n: r.opt_i64("n")?.unwrap_or(0),
                slope: r.opt_f64("sen_slope_per_yr")?,
                p: r.opt_f64("hr_p")?,
                trend,
            });
        }
    }
    if let Some(f) = optional(&dir.join("scenario_units.csv"))? {
        any = true;
        for r in f.rows() {
            if r.text("hazard")? != "comprehensive" || r.text("unit_level")? == "village" {
                continue;
            }
            t.units.push(ScenarioUnit {
                scenario: r.text("scenario")?.into(),
                target_year: r.opt_i64("target_year")?,
                unit_code: r.text("unit_code")?.into(),
                unit_name: r.text("unit_name")?.into(),
                unit_level: r.text("unit_level")?.into(),
                aal: r.opt_f64("aal_wan_per_yr")?,
                deaths: r.opt_f64("deaths_per_yr")?,
                aal_gdp_pct: r.opt_f64("aal_gdp_pct")?,
                risk_level: level(r.opt_i64("risk_level")?),
                change_pct: r.opt_f64("aal_change_pct")?,
            });
        }
    }
    if let Some(f) = optional(&dir.join("scenario_measures.csv"))? {
        for r in f.rows() {
            t.measures.push(MeasureRow {
                rank: r.opt_i64("rank")?.unwrap_or(0),
                scenario: r.text("scenario")?.into(),
                measure: r.text("measure")?.into(),
                name: r.text("name")?.into(),
                kind: r.text("kind")?.into(),
                cost: r.opt_f64("cost_wan")?,
                averted_aal: r.opt_f64("averted_aal_wan_per_yr")?,
                averted_deaths: r.opt_f64("averted_deaths_per_yr")?,
                pv_benefit: r.opt_f64("pv_benefit_wan")?,
                pv_cost: r.opt_f64("pv_cost_wan")?,
                bcr: r.opt_f64("bcr")?,
                discount: (r.opt_f64("discount_rate")?, r.opt_i64("horizon_years")?),
                note: r.text("note")?.into(),
            });
        }
    }
    if let Some(f) = optional(&dir.join("scenario_uncertainty.csv"))? {
        for r in f.rows() {
            t.bands.push(Band {
                scenario: r.text("scenario")?.into(),
                unit_code: r.text("unit_code")?.into(),
                unit_name: r.text("unit_name")?.into(),
                unit_level: r.text("unit_level")?.into(),
                samples: r.opt_i64("samples")?.unwrap_or(0),
                nominal: r.opt_f64("aal_nominal_wan_per_yr")?,
                p5: r.opt_f64("aal_p5")?,
                p50: r.opt_f64("aal_p50")?,
                p95: r.opt_f64("aal_p95")?,
            });
        }
    }
    if let Some(f) = optional(&dir.join("scenario_sensitivity.csv"))? {
        for r in f.rows() {
            t.sensitivity.push(Sensitivity {
                scenario: r.text("scenario")?.into(),
                input: r.text("input")?.into(),
                distribution: r.text("distribution")?.into(),
                rho: r.opt_f64("spearman_rho")?,
            });
        }
    }
    if let Some(f) = optional(&dir.join("hindcast.csv"))? {
        for r in f.rows() {
            t.hindcast.push(HindcastRow {
                unit_code: r.text("unit_code")?.into(),
                unit_name: r.text("unit_name")?.into(),
                split_year: r.opt_i64("split_year")?.unwrap_or(0),
                predicted: r.opt_f64("predicted_aal_wan_per_yr")?,
                before: r.opt_f64("recorded_before_wan")?,
                after: r.opt_f64("recorded_after_wan")?,
                rank_predicted: r.opt_f64("rank_predicted")?,
                rank_after: r.opt_f64("rank_after")?,
                rho: r.opt_f64("spearman_rho")?,
                p: r.opt_f64("p_value")?,
                rho_naive: r.opt_f64("rho_naive")?,
                p_naive: r.opt_f64("p_naive")?,
            });
        }
    }
    Ok(any.then_some(t))
}
