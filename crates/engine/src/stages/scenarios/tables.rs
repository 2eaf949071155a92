//! The stage's tables ([`Deliverable`]s: `assess/<name>.csv` and a table of
//! `zoning.gpkg`). Money in 万元, deaths in persons per year; full precision
//! (rounding is for the report).

use riskcensus_io::vector::{FieldType, GeometryType};
use riskcensus_models::scenario::stats::{percentile, spearman};

use super::hindcast::Hindcast;
use super::montecarlo::McResult;
use super::portfolio::Outcome;
use super::{Case, MeasureResult};
use crate::deliverable::{int, level, real, text, Deliverable};
use crate::loss::LossFrame;

/// What the tables are made of.
pub(super) struct Inputs<'a> {
    /// The baseline and the scenarios.
    pub cases: &'a [Case],
    /// Their outcomes.
    pub outcomes: &'a [Outcome],
    /// The measures' appraisals.
    pub measures: &'a [MeasureResult],
    /// The Monte Carlo run.
    pub mc: Option<&'a McResult>,
    /// The units.
    pub frame: &'a LossFrame,
    /// The hindcast.
    pub hindcast: Option<&'a Hindcast>,
}

/// Every table of the stage.
pub(super) fn build(inp: &Inputs<'_>) -> Vec<Deliverable> {
    let mut out = vec![units(inp), measures(inp.measures)];
    if let Some(mc) = inp.mc {
        out.push(uncertainty(inp, mc));
        out.push(sensitivity(inp, mc));
        out.push(convergence(inp, mc));
    }
    if let Some(h) = inp.hindcast {
        out.push(hindcast(h));
    }
    out
}

/// The case's target year (null for the baseline: the census's survey).
fn target_year(c: &Case) -> riskcensus_io::vector::FieldValue {
    c.scenario
        .as_ref()
        .map_or(riskcensus_io::vector::FieldValue::Null, |s| {
            int(i64::from(s.target_year))
        })
}

/// `scenario_units`: per case, unit and hazard.
fn units(inp: &Inputs<'_>) -> Deliverable {
    let mut t = Deliverable::new(
        "scenario_units",
        GeometryType::None,
        &[
            ("scenario", FieldType::String),
            ("target_year", FieldType::Integer64),
            ("unit_code", FieldType::String),
            ("unit_name", FieldType::String),
            ("unit_level", FieldType::String),
            ("hazard", FieldType::String),
            ("aal_wan_per_yr", FieldType::Real),
            ("deaths_per_yr", FieldType::Real),
            ("population", FieldType::Real),
            ("gdp_wan", FieldType::Real),
            ("aal_density_wan_per_km2_yr", FieldType::Real),
            ("aal_gdp_pct", FieldType::Real),
            ("death_rate_per_100k_yr", FieldType::Real),
            ("risk_level", FieldType::Integer),
            ("baseline_aal_wan_per_yr", FieldType::Real),
            ("aal_change_pct", FieldType::Real),
            ("baseline_risk_level", FieldType::Integer),
        ],
    );
    let base = &inp.outcomes[0];
    for (c, o) in inp.cases.iter().zip(inp.outcomes) {
        for r in &o.units {
            let b = base.row(&r.unit_code, &r.hazard);
            let b_aal = b.map_or(f64::NAN, |b| b.aal_wan);
            t.push(
                None,
                vec![
                    text(&c.id),
                    target_year(c),
                    text(&r.unit_code),
                    text(&r.unit_name),
                    text(&r.unit_level),
                    text(&r.hazard),
                    real(r.aal_wan),
                    real(r.deaths_per_year),
                    real(r.population),
                    real(r.gdp_wan),
                    real(r.aal_density),
                    real(r.aal_gdp_pct),
                    real(r.death_rate_per_100k),
                    level(r.risk_level),
                    real(b_aal),
                    real(if b_aal > 0.0 {
                        (r.aal_wan / b_aal - 1.0) * 100.0
                    } else {
                        f64::NAN
                    }),
                    level(b.map_or(0, |b| b.risk_level)),
                ],
            );
        }
    }
    t
}

/// `scenario_measures`: the appraisals, best benefit–cost ratio first.
fn measures(list: &[MeasureResult]) -> Deliverable {
    let mut t = Deliverable::new(
        "scenario_measures",
        GeometryType::None,
        &[
            ("rank", FieldType::Integer64),
            ("scenario", FieldType::String),
            ("measure", FieldType::String),
            ("name", FieldType::String),
            ("kind", FieldType::String),
            ("townships", FieldType::String),
            ("cost_wan", FieldType::Real),
            ("annual_cost_wan", FieldType::Real),
            ("averted_aal_wan_per_yr", FieldType::Real),
            ("averted_deaths_per_yr", FieldType::Real),
            ("discount_rate", FieldType::Real),
            ("horizon_years", FieldType::Integer64),
            ("pv_benefit_wan", FieldType::Real),
            ("pv_cost_wan", FieldType::Real),
            ("bcr", FieldType::Real),
            ("note", FieldType::String),
        ],
    );
    for (i, m) in list.iter().enumerate() {
        let a = &m.appraisal;
        t.push(
            None,
            vec![
                int(i as i64 + 1),
                text(&m.scenario),
                text(&m.measure),
                text(&m.name),
                text(&m.kind),
                text(m.townships.join(" ")),
                real(m.cost_wan),
                real(m.annual_cost_wan),
                real(a.averted_aal_wan),
                real(a.averted_deaths),
                real(m.discounting.rate),
                int(i64::from(m.discounting.years)),
                real(a.pv_benefit_wan),
                real(a.pv_cost_wan),
                real(a.bcr),
                text(&m.note),
            ],
        );
    }
    t
}

/// The county and the townships with their slot in the Monte Carlo results.
fn mc_units(frame: &LossFrame) -> Vec<(String, String, String, usize)> {
    let towns = &frame.groups[1].units;
    let mut out: Vec<(String, String, String, usize)> = frame.groups[0]
        .units
        .iter()
        .map(|u| {
            (
                u.code.clone(),
                u.name.clone(),
                "county".to_string(),
                towns.len() + 1,
            )
        })
        .collect();
    for (k, u) in towns.iter().enumerate() {
        out.push((u.code.clone(), u.name.clone(), "township".into(), k + 1));
    }
    out
}

/// `scenario_uncertainty`: 5/50/95 % of the comprehensive AAL and deaths per case
/// and unit, beside the nominal run.
fn uncertainty(inp: &Inputs<'_>, mc: &McResult) -> Deliverable {
    let mut t = Deliverable::new(
        "scenario_uncertainty",
        GeometryType::None,
        &[
            ("scenario", FieldType::String),
            ("unit_code", FieldType::String),
            ("unit_name", FieldType::String),
            ("unit_level", FieldType::String),
            ("samples", FieldType::Integer64),
            ("aal_nominal_wan_per_yr", FieldType::Real),
            ("aal_p5", FieldType::Real),
            ("aal_p50", FieldType::Real),
            ("aal_p95", FieldType::Real),
            ("deaths_p5", FieldType::Real),
            ("deaths_p50", FieldType::Real),
            ("deaths_p95", FieldType::Real),
        ],
    );
    for (ci, c) in inp.cases.iter().enumerate() {
        for (code, name, lvl, slot) in mc_units(inp.frame) {
            let a: Vec<f64> = mc.aal[ci].iter().map(|s| s[slot]).collect();
            let d: Vec<f64> = mc.deaths[ci].iter().map(|s| s[slot]).collect();
            let nominal = inp.outcomes[ci]
                .row(&code, "comprehensive")
                .map_or(f64::NAN, |r| r.aal_wan);
            t.push(
                None,
                vec![
                    text(&c.id),
                    text(&code),
                    text(&name),
                    text(lvl),
                    int(a.len() as i64),
                    real(nominal),
                    real(percentile(&a, 0.05)),
                    real(percentile(&a, 0.5)),
                    real(percentile(&a, 0.95)),
                    real(percentile(&d, 0.05)),
                    real(percentile(&d, 0.5)),
                    real(percentile(&d, 0.95)),
                ],
            );
        }
    }
    t
}

/// `scenario_sensitivity`: Spearman's ρ of every input with the county's
/// comprehensive AAL, per case, the strongest first.
fn sensitivity(inp: &Inputs<'_>, mc: &McResult) -> Deliverable {
    let mut t = Deliverable::new(
        "scenario_sensitivity",
        GeometryType::None,
        &[
            ("scenario", FieldType::String),
            ("rank", FieldType::Integer64),
            ("input", FieldType::String),
            ("of_scenario", FieldType::String),
            ("distribution", FieldType::String),
            ("spearman_rho", FieldType::Real),
            ("basis", FieldType::String),
        ],
    );
    for (ci, c) in inp.cases.iter().enumerate() {
        let county: Vec<f64> = mc.aal[ci]
            .iter()
            .map(|s| *s.last().unwrap_or(&0.0))
            .collect();
        let mut rows: Vec<(f64, usize)> = mc
            .inputs
            .iter()
            .enumerate()
            .filter(|(_, i)| i.scenario.is_none() || i.scenario.as_deref() == Some(&c.id))
            .map(|(k, _)| {
                let x: Vec<f64> = mc.draws.iter().map(|d| d[k]).collect();
                (spearman(&x, &county), k)
            })
            .collect();
        rows.sort_by(|a, b| {
            let m = |v: f64| if v.is_nan() { -1.0 } else { v.abs() };
            m(b.0).total_cmp(&m(a.0)).then(a.1.cmp(&b.1))
        });
        for (rank, (rho, k)) in rows.into_iter().enumerate() {
            let i = &mc.inputs[k];
            t.push(
                None,
                vec![
                    text(&c.id),
                    int(rank as i64 + 1),
                    text(&i.name),
                    text(i.scenario.clone().unwrap_or_default()),
                    text(i.distribution.to_string()),
                    real(rho),
                    text(&i.basis),
                ],
            );
        }
    }
    t
}

/// `scenario_convergence`: the county's bands from the first n samples, n = N/8,
/// N/4, N/2, N.
fn convergence(inp: &Inputs<'_>, mc: &McResult) -> Deliverable {
    let mut t = Deliverable::new(
        "scenario_convergence",
        GeometryType::None,
        &[
            ("scenario", FieldType::String),
            ("samples", FieldType::Integer64),
            ("aal_p5", FieldType::Real),
            ("aal_p50", FieldType::Real),
            ("aal_p95", FieldType::Real),
        ],
    );
    let n = mc.draws.len();
    for (ci, c) in inp.cases.iter().enumerate() {
        let county: Vec<f64> = mc.aal[ci]
            .iter()
            .map(|s| *s.last().unwrap_or(&0.0))
            .collect();
        let mut sizes: Vec<usize> = [n / 8, n / 4, n / 2, n]
            .into_iter()
            .filter(|&k| k >= 2)
            .collect();
        sizes.dedup();
        for k in sizes {
            let v = &county[..k];
            t.push(
                None,
                vec![
                    text(&c.id),
                    int(k as i64),
                    real(percentile(v, 0.05)),
                    real(percentile(v, 0.5)),
                    real(percentile(v, 0.95)),
                ],
            );
        }
    }
    t
}

/// `hindcast`: per township the prediction as of the split year and the record
/// before and after it; the summary in the last row (unit `ρ`).
fn hindcast(h: &Hindcast) -> Deliverable {
    let mut t = Deliverable::new(
        "hindcast",
        GeometryType::None,
        &[
            ("unit_code", FieldType::String),
            ("unit_name", FieldType::String),
            ("split_year", FieldType::Integer64),
            ("predicted_aal_wan_per_yr", FieldType::Real),
            ("recorded_before_wan", FieldType::Real),
            ("recorded_after_wan", FieldType::Real),
            ("rank_predicted", FieldType::Real),
            ("rank_after", FieldType::Real),
            ("spearman_rho", FieldType::Real),
            ("p_value", FieldType::Real),
            ("rho_naive", FieldType::Real),
            ("p_naive", FieldType::Real),
        ],
    );
    let rank_desc = |v: Vec<f64>| {
        let neg: Vec<f64> = v.iter().map(|x| -x).collect();
        riskcensus_models::scenario::stats::ranks(&neg)
    };
    let rp = rank_desc(h.rows.iter().map(|r| r.predicted).collect());
    let ra = rank_desc(h.rows.iter().map(|r| r.after).collect());
    for (k, r) in h.rows.iter().enumerate() {
        t.push(
            None,
            vec![
                text(&r.code),
                text(&r.name),
                int(i64::from(h.split_year)),
                real(r.predicted),
                real(r.before),
                real(r.after),
                real(rp[k]),
                real(ra[k]),
                real(h.rho),
                real(h.p),
                real(h.rho_naive),
                real(h.p_naive),
            ],
        );
    }
    t
}
