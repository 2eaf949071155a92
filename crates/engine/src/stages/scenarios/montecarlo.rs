//! Monte Carlo over the uncertain inputs (docs/scenarios.md §4): the loss models'
//! (`[[uncertain]]` of `models/scenario/scenarios.toml`: damage ratios, design
//! stages, fragility medians, loss ratios, the record's mean loss) and each
//! scenario's (warming, rainfall scaling, growth rates). Every sample draws all of
//! them from its own seeded stream ([`stats::draw`]) and evaluates the baseline and
//! every scenario with the same draws (common random numbers, so the bands of a
//! change are not blurred by independent noise), per township and county.
//!
//! The evaluation is the loss route of [`super::portfolio`] regrouped for speed,
//! exactly linear where the models are: the flood's event losses per township then
//! the trapezoid (the trapezoid is linear in the losses), the earthquake's annual
//! damage once per (HAZUS type, design level, basic PGA) group per sample times
//! the group's value and occupants per township, the record per township. At the
//! inputs' nominal values it gives the deterministic run's figures (a test checks
//! 1e-9). Samples run in parallel and are collected in sample order: the same seed
//! gives the same bands for any thread count.

use std::collections::BTreeMap;

use rayon::prelude::*;
use riskcensus_models::earthquake::fragility::{self, Building, CodeLevel};
use riskcensus_models::flood::depth_damage::expected_annual_damage;
use riskcensus_models::flood::inundation::depth as flood_depth;
use riskcensus_models::scenario::stats::{self, Distribution};
use riskcensus_models::scenario::Scenario;

use super::portfolio::{code, protection_years, Portfolio};
use super::Case;
use crate::EngineError;

/// Per unit slot (then the county): comprehensive AAL (万元/yr) and deaths.
pub type Totals = (Vec<f64>, Vec<f64>);

/// One uncertain input of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// Its name (`flood.damage_ratio`, `warming_c`, …).
    pub name: String,
    /// Its distribution.
    pub distribution: Distribution,
    /// Its basis.
    pub basis: String,
    /// The scenario it belongs to (None: the loss models, every case).
    pub scenario: Option<String>,
}

/// The results of a run.
#[derive(Debug, Clone)]
pub struct McResult {
    /// The inputs, in draw order.
    pub inputs: Vec<Input>,
    /// Per sample, the draws.
    pub draws: Vec<Vec<f64>>,
    /// Per case, per sample, per unit (townships 1…T, then the county at T + 1;
    /// slot 0 = outside every township): comprehensive AAL, 万元/yr.
    pub aal: Vec<Vec<Vec<f64>>>,
    /// … and expected annual deaths.
    pub deaths: Vec<Vec<Vec<f64>>>,
}

/// Draws of one sample, by meaning (1 or the scenario's nominal value where not
/// uncertain).
#[derive(Debug, Clone, Copy)]
pub struct Factors {
    damage_ratio: f64,
    stage: f64,
    fragility_median: f64,
    loss_ratio: f64,
    record: f64,
}

impl Factors {
    /// The nominal factors (every one 1).
    pub fn nominal() -> Self {
        Self {
            damage_ratio: 1.0,
            stage: 1.0,
            fragility_median: 1.0,
            loss_ratio: 1.0,
            record: 1.0,
        }
    }
}

/// The scenario inputs of one sample: warming, rainfall %/°C, shifts of the value
/// and population growth rates (percentage points).
#[derive(Debug, Clone, Copy)]
pub struct ScenarioDraw {
    /// Warming, °C.
    pub warming_c: f64,
    /// Extreme rainfall increase per °C, %.
    pub rainfall_pct_per_c: f64,
    /// Shift of the value growth rates, percentage points.
    pub value_shift: f64,
    /// Shift of the population growth rates, percentage points.
    pub population_shift: f64,
}

impl ScenarioDraw {
    /// The scenario's own values (no shift).
    pub fn nominal(s: Option<&Scenario>) -> Self {
        Self {
            warming_c: s.map_or(0.0, |s| s.hazard.warming_c),
            rainfall_pct_per_c: s.map_or(0.0, |s| s.hazard.rainfall_pct_per_c),
            value_shift: 0.0,
            population_shift: 0.0,
        }
    }
}

/// An earthquake group: buildings of one HAZUS type and design level on one
/// basic PGA, represented by one building of unit value and occupants.
struct Group {
    rep: Building,
    pga: f64,
}

/// A flood building of the fast path.
struct FloodItem {
    hand: f32,
    structure: String,
    value: Option<f64>,
    occupants: f64,
    township: usize,
    /// Grows with its township (false for a new building).
    grows: bool,
}

/// One case's fixed part.
struct Prepared {
    flood: Vec<FloodItem>,
    /// Protection years per township slot.
    protection: Vec<u32>,
    /// Per (group, slot): (value, occupants) growing with the township, and not.
    eq_grown: Vec<Vec<(f64, f64)>>,
    eq_fixed: Vec<Vec<(f64, f64)>>,
    /// Record-route AAL and deaths per slot (relocations applied, not grown).
    record: Vec<(f64, f64)>,
}

/// The run: the portfolio, the cases, and the groups of the earthquake buildings.
pub struct Fast<'a> {
    portfolio: &'a Portfolio<'a>,
    cases: &'a [Case],
    groups: Vec<Group>,
    prepared: Vec<Prepared>,
    slots: usize,
}

impl<'a> Fast<'a> {
    /// Gather the fixed parts of every case.
    pub fn new(portfolio: &'a Portfolio<'a>, cases: &'a [Case]) -> Result<Self, EngineError> {
        let slots = portfolio.frame.groups[1].units.len() + 1;
        let codes = portfolio.township_codes();
        let mut keys: BTreeMap<(String, CodeLevel, u64), usize> = BTreeMap::new();
        let mut groups: Vec<Group> = Vec::new();
        let mut group_of = |b: &Building, pga: f64, fp: &fragility::FragilityParams| {
            let key = (
                b.structure.hazus_type(b.storeys),
                fragility::code_level(b, fp),
                pga.to_bits(),
            );
            *keys.entry(key).or_insert_with(|| {
                let mut rep = b.clone();
                rep.value = 1.0;
                rep.occupants = 1.0;
                groups.push(Group { rep, pga });
                groups.len() - 1
            })
        };
        // The comprehensive sum's rule: a cell whose loss is unknown for one hazard
        // (a NaN record cell, a building on nodata HAND) has no total, and the units
        // leave it out — so does this path. The cells and the record's sums per
        // township are the same for every case but for the new buildings: once.
        let record_hazards: Vec<&crate::loss::HazardCells> = portfolio
            .frame
            .hazards
            .iter()
            .filter(|h| h.route != "loss")
            .collect();
        let mut valid: Vec<bool> = (0..portfolio.n)
            .map(|c| {
                let t = portfolio.township_of(c);
                (portfolio.frame.mask.is_none() || t > 0)
                    && record_hazards
                        .iter()
                        .all(|h| h.aal[c].is_finite() && h.deaths[c].is_finite())
            })
            .collect();
        if let Some((f, hand)) = &portfolio.flood {
            for b in &f.buildings {
                if hand[b.cell].is_nan() {
                    valid[b.cell] = false;
                }
            }
        }
        let mut record_sums = vec![vec![(0.0, 0.0); slots]; record_hazards.len()];
        for (h, sums) in record_hazards.iter().zip(record_sums.iter_mut()) {
            for c in (0..portfolio.n).filter(|&c| valid[c]) {
                let t = portfolio.township_of(c);
                sums[t].0 += h.aal[c];
                sums[t].1 += h.deaths[c];
            }
        }
        let mut prepared = Vec::new();
        for case in cases {
            let change = case.change(portfolio, ScenarioDraw::nominal(case.scenario.as_ref()));
            let mut p = Prepared {
                flood: Vec::new(),
                protection: vec![0; slots],
                eq_grown: Vec::new(),
                eq_fixed: Vec::new(),
                record: vec![(0.0, 0.0); slots],
            };
            // New buildings on nodata HAND take their cells out, in this case only.
            let mut out: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
            if let Some((_, hand)) = &portfolio.flood {
                out.extend(
                    change
                        .new_buildings
                        .iter()
                        .map(|b| b.cell)
                        .filter(|&c| valid[c] && hand[c].is_nan()),
                );
            }
            let valid = |c: usize| valid[c] && !out.contains(&c);
            for ((h, sums), kept) in record_hazards.iter().zip(&record_sums).zip(
                record_hazards
                    .iter()
                    .map(|h| portfolio.record_kept(h, &change, &codes)),
            ) {
                let mut sums = sums.clone();
                for &c in &out {
                    let t = portfolio.township_of(c);
                    sums[t].0 -= h.aal[c];
                    sums[t].1 -= h.deaths[c];
                }
                for t in 0..slots {
                    p.record[t].0 += sums[t].0 * kept[t].0;
                    p.record[t].1 += sums[t].1 * kept[t].1;
                }
            }
            if let Some((f, hand)) = &portfolio.flood {
                for (t, prot) in p.protection.iter_mut().enumerate() {
                    *prot = protection_years(&change.measures, code(&codes, t), f.protection_years);
                }
                for b in f.buildings.iter().filter(|b| valid(b.cell)) {
                    p.flood.push(FloodItem {
                        hand: hand[b.cell],
                        structure: b.structure.clone(),
                        value: b.value_wan,
                        occupants: b.occupants.unwrap_or(0.0),
                        township: portfolio.township_of(b.cell),
                        grows: true,
                    });
                }
                for nb in change.new_buildings.iter().filter(|b| valid(b.cell)) {
                    p.flood.push(FloodItem {
                        hand: hand[nb.cell],
                        structure: nb.building.structure.code().to_string(),
                        value: Some(nb.building.value),
                        occupants: nb.building.occupants,
                        township: portfolio.township_of(nb.cell),
                        grows: false,
                    });
                }
            }
            if let Some(q) = portfolio.quake {
                let fp = &q.params.fragility.params;
                let mut add = |b: &Building, cell: usize, grows: bool, p: &mut Prepared| {
                    let pga = f64::from(q.basic[cell]);
                    if pga.is_nan() || pga <= 0.0 || !valid(cell) {
                        return;
                    }
                    let t = portfolio.township_of(cell);
                    // The retrofit mixture of super::portfolio.
                    let (remaining, mut parts) = super::portfolio::retrofitted(
                        b,
                        pga,
                        code(&codes, t),
                        &change.measures,
                        fp,
                    );
                    parts.push((remaining, b.clone()));
                    for (w, r) in parts {
                        let g = group_of(&r, pga, fp);
                        let table = if grows {
                            &mut p.eq_grown
                        } else {
                            &mut p.eq_fixed
                        };
                        if table.len() <= g {
                            table.resize(g + 1, vec![(0.0, 0.0); slots]);
                        }
                        table[g][t].0 += w * b.value;
                        table[g][t].1 += w * b.occupants;
                    }
                };
                for (b, cell) in &q.buildings {
                    add(b, *cell, true, &mut p);
                }
                for nb in change.new_buildings {
                    add(&nb.building, nb.cell, false, &mut p);
                }
            }
            prepared.push(p);
        }
        Ok(Self {
            portfolio,
            cases,
            groups,
            prepared,
            slots,
        })
    }

    /// Per case, per unit slot (then the county): comprehensive AAL and deaths at
    /// the given factors and scenario draws.
    pub fn evaluate(&self, f: &Factors, draws: &[ScenarioDraw]) -> Vec<Totals> {
        let slots = self.slots;
        // Earthquake: annual damage per unit value and occupant, per group.
        let eq: Vec<(f64, f64)> = match self.portfolio.quake {
            Some(q) => {
                let table = q.table.scaled(f.fragility_median);
                let mut fp = q.params.fragility.params.clone();
                for lr in &mut fp.loss_ratios {
                    *lr = (*lr * f.loss_ratio).min(1.0);
                }
                self.groups
                    .iter()
                    .map(|g| {
                        let curve = q.params.hazard_curve.curve(g.pga);
                        fragility::assess_annual(&table, &fp, &g.rep, &curve)
                            .map_or((0.0, 0.0), |a| (a.aal, a.deaths_per_year))
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        let codes = self.portfolio.township_codes();
        self.cases
            .iter()
            .zip(&self.prepared)
            .zip(draws)
            .map(|((case, p), d)| {
                let growth: Vec<_> = (0..slots)
                    .map(|t| case.growth(t, &codes, d.value_shift, d.population_shift))
                    .collect();
                let mut aal = vec![0.0; slots];
                let mut deaths = vec![0.0; slots];
                if let Some((fx, _)) = &self.portfolio.flood {
                    let rain = (1.0 + d.rainfall_pct_per_c / 100.0).powf(d.warming_c);
                    let k = f.stage * rain.powf(self.portfolio.stage_exponent);
                    let periods: Vec<u32> = fx.stages.iter().map(|s| s.0).collect();
                    let stages: Vec<f32> = fx.stages.iter().map(|s| (s.1 * k) as f32).collect();
                    let e = periods.len();
                    let mut loss = vec![vec![0.0; e]; slots];
                    let mut dead = vec![vec![0.0; e]; slots];
                    for b in &p.flood {
                        let (gv, gp) = if b.grows {
                            (growth[b.township].value, growth[b.township].population)
                        } else {
                            (1.0, 1.0)
                        };
                        for i in 0..e {
                            let mut h = flood_depth(stages[i], b.hand);
                            if h.is_nan() {
                                continue;
                            }
                            if periods[i] <= p.protection[b.township] {
                                h = 0.0;
                            }
                            let one = fx.curves.damage(&b.structure, b.value, f64::from(h));
                            let r = (one.ratio * f.damage_ratio).min(1.0);
                            loss[b.township][i] += b.value.map_or(0.0, |v| v * gv * r);
                            dead[b.township][i] +=
                                fx.mortality.deaths(b.occupants * gp, f64::from(h));
                        }
                    }
                    for t in 0..slots {
                        let ev = |v: &[f64]| -> Vec<(u32, f64)> {
                            periods.iter().copied().zip(v.iter().copied()).collect()
                        };
                        aal[t] += expected_annual_damage(&ev(&loss[t]));
                        deaths[t] += expected_annual_damage(&ev(&dead[t]));
                    }
                }
                for (g, (lr, dr)) in eq.iter().enumerate() {
                    for t in 0..slots {
                        let (gv, gp) = (growth[t].value, growth[t].population);
                        if let Some(row) = p.eq_grown.get(g) {
                            aal[t] += lr * row[t].0 * gv;
                            deaths[t] += dr * row[t].1 * gp;
                        }
                        if let Some(row) = p.eq_fixed.get(g) {
                            aal[t] += lr * row[t].0;
                            deaths[t] += dr * row[t].1;
                        }
                    }
                }
                for t in 0..slots {
                    aal[t] += p.record[t].0 * growth[t].value * f.record;
                    deaths[t] += p.record[t].1 * growth[t].population * f.record;
                }
                // The county: every township, or everything without townships.
                let county = if slots > 1 {
                    (aal[1..].iter().sum(), deaths[1..].iter().sum())
                } else {
                    (aal[0], deaths[0])
                };
                aal.push(county.0);
                deaths.push(county.1);
                (aal, deaths)
            })
            .collect()
    }

    /// The inputs of a run: the loss models', then each scenario's.
    pub fn inputs(&self, model: &[riskcensus_models::scenario::Uncertain]) -> Vec<Input> {
        let mut out: Vec<Input> = model
            .iter()
            .map(|u| Input {
                name: u.input.clone(),
                distribution: u.distribution,
                basis: u.basis.clone(),
                scenario: None,
            })
            .collect();
        for c in self.cases {
            if let Some(s) = &c.scenario {
                out.extend(s.uncertain.iter().map(|u| Input {
                    name: u.input.clone(),
                    distribution: u.distribution,
                    basis: u.basis.clone(),
                    scenario: Some(s.id.clone()),
                }));
            }
        }
        out
    }

    /// `samples` samples with `seed`.
    pub fn run(
        &self,
        inputs: Vec<Input>,
        samples: usize,
        seed: u64,
        exec: &crate::executor::ExecOptions,
    ) -> Result<McResult, EngineError> {
        let dists: Vec<Distribution> = inputs.iter().map(|i| i.distribution).collect();
        let rows: Vec<(Vec<f64>, Vec<Totals>)> = exec.install(|| {
            (0..samples as u64)
                .into_par_iter()
                .map(|i| {
                    let d = stats::draw(seed, i, &dists);
                    let mut f = Factors::nominal();
                    let mut sd: Vec<ScenarioDraw> = self
                        .cases
                        .iter()
                        .map(|c| ScenarioDraw::nominal(c.scenario.as_ref()))
                        .collect();
                    for (inp, &v) in inputs.iter().zip(&d) {
                        match (&inp.scenario, inp.name.as_str()) {
                            (None, "flood.damage_ratio") => f.damage_ratio = v,
                            (None, "flood.stage") => f.stage = v,
                            (None, "earthquake.fragility_median") => f.fragility_median = v,
                            (None, "earthquake.loss_ratio") => f.loss_ratio = v,
                            (None, "record.loss") => f.record = v,
                            (Some(id), name) => {
                                for (c, s) in self.cases.iter().zip(sd.iter_mut()) {
                                    let Some(sc) = &c.scenario else { continue };
                                    if &sc.id != id {
                                        continue;
                                    }
                                    match name {
                                        "warming_c" => s.warming_c = v,
                                        "rainfall_pct_per_c" => s.rainfall_pct_per_c = v,
                                        "value_growth_pct" => {
                                            s.value_shift = v - sc.value_growth_pct
                                        }
                                        "population_growth_pct" => {
                                            s.population_shift = v - sc.population_growth_pct
                                        }
                                        _ => {}
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                    (d, self.evaluate(&f, &sd))
                })
                .collect()
        })?;
        let cases = self.cases.len();
        let mut out = McResult {
            inputs,
            draws: Vec::with_capacity(samples),
            aal: vec![Vec::with_capacity(samples); cases],
            deaths: vec![Vec::with_capacity(samples); cases],
        };
        for (d, per_case) in rows {
            out.draws.push(d);
            for (c, (a, dd)) in per_case.into_iter().enumerate() {
                out.aal[c].push(a);
                out.deaths[c].push(dd);
            }
        }
        Ok(out)
    }
}
