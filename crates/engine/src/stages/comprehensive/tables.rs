//! The comprehensive stage's tables (`assess/`, CSV through [`CsvOut`], numbers
//! with fixed decimals, unknown values empty):
//!
//! | file | one row per | columns |
//! |---|---|---|
//! | `risk_units.csv` | unit × hazard (and `comprehensive`) | the fields of [`UnitRisk`] |
//! | `loss_exceedance.csv` | unit × loss-model hazard × event | unit, hazard, event, annual rate, return period, loss 万元, deaths |
//! | `aal_by_structure.csv` | loss-model hazard × structure type | buildings, value, AAL, AAL per mille of value, deaths/yr |
//! | `risk_record.csv` | hazard | route, the record's span, events, mean annual loss and deaths, the assessed AAL and deaths |
//!
//! Units: the county (every cell), the townships and, where the census has village
//! polygons, the villages (cells and buildings by the unit covering most of their
//! cell); the loss-exceedance curves stop at townships. Population and GDP come from
//! `admin_units`; a unit without a population takes its buildings' occupants (the
//! table says which); the county without its own row takes the sum of its
//! townships when every township has the value.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use riskcensus_models::loss::{LossLevels, RecordedRates};

use super::{Cells, Part};
use crate::admin::{Townships, UnitAttributes};
use crate::error::EngineError;
use crate::ingest::Census;
use crate::loss::{unit_risk, HazardLosses, UnitGroup as Group, UnitRisk, UnitRow};
use crate::output::CsvOut;
use crate::stage::Context;

pub use riskcensus_contracts::tables::risk::{
    EXCEEDANCE_CSV, RECORD_CSV, STRUCTURE_CSV, UNITS_CSV,
};

/// What [`write`] wrote.
pub struct Written {
    /// The files.
    pub paths: Vec<PathBuf>,
    /// The rows of `risk_units.csv`.
    pub units: Vec<UnitRisk>,
    /// The county, township and village units with their cells.
    pub groups: [Group; 3],
}

fn num(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        format!("{v:.decimals$}")
    } else {
        String::new()
    }
}

/// What the tables are made of.
pub(crate) struct Inputs<'a> {
    /// The run's townships and each cell's township.
    pub townships: &'a Townships,
    /// The census database (none for a census without one).
    pub db: Option<&'a Census>,
    /// The level thresholds.
    pub levels: &'a LossLevels,
    /// Per hazard (and the comprehensive sum) the per-cell AAL and deaths.
    pub cells: &'a [Cells],
    /// Occupants per cell, each building once.
    pub occupants: &'a [f64],
    /// The loss-model hazards' buildings and events.
    pub losses: &'a [HazardLosses],
    /// How each hazard entered the sum.
    pub parts: &'a [Part],
    /// The census's record of historical events.
    pub record: Option<&'a RecordedRates>,
}

/// The rows of `units` of one level: population and GDP from `admin_units`, a unit
/// without a population taking its buildings' occupants (`occupants`, per unit).
fn admin_rows(
    level: &'static str,
    units: &[crate::admin::Unit],
    attrs: &BTreeMap<String, UnitAttributes>,
    occupants: &[f64],
) -> Vec<UnitRow> {
    units
        .iter()
        .zip(occupants)
        .map(|(u, &occ)| {
            let a = attrs.get(&u.code);
            let (population, population_source) = match a.and_then(|a| a.population) {
                Some(p) => (p, "admin_units"),
                None => (occ, "buildings"),
            };
            UnitRow {
                code: u.code.clone(),
                name: u.name.clone(),
                level,
                area_km2: u.area_m2 / 1.0e6,
                population,
                population_source,
                gdp_wan: a.and_then(|a| a.gdp_wan).unwrap_or(f64::NAN),
            }
        })
        .collect()
}

/// The county, its townships and its villages (where the census has village
/// polygons), each with its cells.
fn groups(cx: &Context<'_>, inp: &Inputs<'_>) -> Result<[Group; 3], EngineError> {
    let grid = &cx.census.grid;
    let n = grid.cell_count();
    let attrs = match inp.db {
        Some(db) => crate::admin::attributes(db)?,
        None => BTreeMap::new(),
    };
    let towns = &inp.townships.units;
    let mut townships = Group {
        units: Vec::new(),
        owner: inp.townships.owner.clone(),
    };
    townships.units = admin_rows(
        "township",
        towns,
        &attrs,
        &occupants_per_unit(&townships.owner, towns.len(), inp.occupants),
    );
    // The county: every cell. Its population and GDP: its own row, else the sum of
    // its townships when every township has the value, else (population) the
    // buildings' occupants.
    let info = &cx.census.census;
    let county = attrs.get(&info.code);
    let all_towns = |f: &dyn Fn(&UnitAttributes) -> Option<f64>| -> Option<f64> {
        if towns.is_empty() {
            return None;
        }
        towns
            .iter()
            .map(|t| attrs.get(&t.code).and_then(f))
            .sum::<Option<f64>>()
    };
    let (population, population_source) = match county
        .and_then(|a| a.population)
        .or_else(|| all_towns(&|a| a.population))
    {
        Some(p) => (p, "admin_units"),
        None => (inp.occupants.iter().sum(), "buildings"),
    };
    let county = Group {
        units: vec![UnitRow {
            code: info.code.clone(),
            name: info.name.clone(),
            level: "county",
            area_km2: if towns.is_empty() {
                n as f64 * grid.cell_area() / 1.0e6
            } else {
                towns.iter().map(|t| t.area_m2).sum::<f64>() / 1.0e6
            },
            population,
            population_source,
            gdp_wan: county
                .and_then(|a| a.gdp_wan)
                .or_else(|| all_towns(&|a| a.gdp_wan))
                .unwrap_or(f64::NAN),
        }],
        owner: vec![1; n],
    };
    let villages = match inp.db {
        Some(db) => crate::admin::units(db, grid, crate::admin::AdminLevel::Village)?.units,
        None => Vec::new(),
    };
    let v_owner: Vec<usize> =
        riskcensus_zoning::units::cell_owner(&villages, (grid.rows, grid.cols))
            .iter()
            .map(|&o| o.max(0) as usize)
            .collect();
    let v_occupants = occupants_per_unit(&v_owner, villages.len(), inp.occupants);
    let villages = Group {
        units: admin_rows("village", &villages, &attrs, &v_occupants),
        owner: v_owner,
    };
    Ok([county, townships, villages])
}

/// Occupants per unit of a level (`k` units, `owner` per cell).
fn occupants_per_unit(owner: &[usize], k: usize, occupants: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; k];
    for (&o, &v) in owner.iter().zip(occupants) {
        if o > 0 {
            out[o - 1] += v;
        }
    }
    out
}

/// Write the four tables.
pub(crate) fn write(cx: &Context<'_>, inp: &Inputs<'_>) -> Result<Written, EngineError> {
    let levels = inp.levels;
    let groups = groups(cx, inp)?;
    // Per hazard (then the sum), the county, the townships, the villages.
    let mut rows = Vec::new();
    for c in inp.cells {
        let route = if c.hazard == super::ID {
            "sum"
        } else {
            super::route_name(c.route)
        };
        for g in &groups {
            let aal = g.sums(&c.aal, &c.aal);
            let deaths = g.sums(&c.deaths, &c.aal);
            for (k, u) in g.units.iter().enumerate() {
                rows.push(unit_risk(levels, u, &c.hazard, route, aal[k], deaths[k]));
            }
        }
    }
    let [county, townships, _] = &groups;
    let dir = cx.layout.assess();
    let paths = vec![
        units_csv(&dir, &rows)?,
        exceedance_csv(&dir, &[county, townships], inp.losses)?,
        structure_csv(&dir, inp.losses)?,
        record_csv(&dir, inp.parts, inp.record)?,
    ];
    Ok(Written {
        paths,
        units: rows,
        groups,
    })
}

/// `risk_units.csv`.
fn units_csv(dir: &Path, rows: &[UnitRisk]) -> Result<PathBuf, EngineError> {
    let mut t = CsvOut::new(dir.join(UNITS_CSV));
    t.record([
        "unit_code",
        "unit_name",
        "unit_level",
        "hazard",
        "route",
        "aal_wan_per_yr",
        "deaths_per_yr",
        "area_km2",
        "gdp_wan",
        "population",
        "population_source",
        "aal_density_wan_per_km2_yr",
        "aal_gdp_pct",
        "death_rate_per_100k_yr",
        "level_aal_density",
        "level_aal_gdp",
        "level_death_rate",
        "risk_level",
    ])?;
    for r in rows {
        let lv = |l: u8| if l == 0 { String::new() } else { l.to_string() };
        t.record([
            r.unit_code.clone(),
            r.unit_name.clone(),
            r.unit_level.clone(),
            r.hazard.clone(),
            r.route.clone(),
            num(r.aal_wan, 4),
            num(r.deaths_per_year, 8),
            num(r.area_km2, 4),
            num(r.gdp_wan, 2),
            num(r.population, 0),
            r.population_source.clone(),
            num(r.aal_density, 6),
            num(r.aal_gdp_pct, 6),
            num(r.death_rate_per_100k, 6),
            lv(r.level_aal_density),
            lv(r.level_aal_gdp),
            lv(r.level_death_rate),
            lv(r.risk_level),
        ])?;
    }
    let p = t.path().to_path_buf();
    t.finish()?;
    Ok(p)
}

/// `loss_exceedance.csv`: per unit of `groups` (the county, the townships), per
/// loss-model hazard and event, the loss and deaths of the buildings on its cells.
fn exceedance_csv(
    dir: &Path,
    groups: &[&Group],
    losses: &[HazardLosses],
) -> Result<PathBuf, EngineError> {
    let mut t = CsvOut::new(dir.join(EXCEEDANCE_CSV));
    t.record([
        "unit_code",
        "unit_name",
        "hazard",
        "event",
        "annual_rate",
        "return_period_years",
        "loss_wan",
        "deaths",
    ])?;
    for l in losses {
        for g in groups {
            let k = l.events.len();
            let mut loss = vec![vec![0.0; k]; g.units.len()];
            let mut dead = vec![vec![0.0; k]; g.units.len()];
            for b in &l.buildings {
                let o = g.owner[b.cell];
                if o == 0 {
                    continue;
                }
                for (e, (&v, &d)) in b.event_loss_wan.iter().zip(&b.event_deaths).enumerate() {
                    if v.is_finite() {
                        loss[o - 1][e] += v;
                        dead[o - 1][e] += d;
                    }
                }
            }
            for (u, unit) in g.units.iter().enumerate() {
                for (e, ev) in l.events.iter().enumerate() {
                    t.record([
                        unit.code.clone(),
                        unit.name.clone(),
                        l.hazard.clone(),
                        ev.name.clone(),
                        format!("{:.8}", ev.rate),
                        format!("{:.1}", 1.0 / ev.rate),
                        num(loss[u][e], 4),
                        num(dead[u][e], 8),
                    ])?;
                }
            }
        }
    }
    let p = t.path().to_path_buf();
    t.finish()?;
    Ok(p)
}

/// `aal_by_structure.csv`: per loss-model hazard and structure type.
fn structure_csv(dir: &Path, losses: &[HazardLosses]) -> Result<PathBuf, EngineError> {
    let mut t = CsvOut::new(dir.join(STRUCTURE_CSV));
    t.record([
        "hazard",
        "structure",
        "buildings",
        "value_wan",
        "aal_wan_per_yr",
        "aal_permille_of_value",
        "deaths_per_yr",
    ])?;
    for l in losses {
        let mut by: BTreeMap<&str, (usize, f64, f64, f64)> = BTreeMap::new();
        for b in &l.buildings {
            let e = by.entry(b.structure.as_str()).or_default();
            e.0 += 1;
            e.1 += b.value_wan;
            if b.aal_wan.is_finite() {
                e.2 += b.aal_wan;
                e.3 += b.deaths_per_year;
            }
        }
        for (s, (count, value, aal, deaths)) in by {
            t.record([
                l.hazard.clone(),
                s.to_string(),
                count.to_string(),
                num(value, 2),
                num(aal, 4),
                num(
                    if value > 0.0 {
                        aal / value * 1000.0
                    } else {
                        f64::NAN
                    },
                    6,
                ),
                num(deaths, 8),
            ])?;
        }
    }
    let p = t.path().to_path_buf();
    t.finish()?;
    Ok(p)
}

/// `risk_record.csv`: per hazard, the record beside the assessment.
fn record_csv(
    dir: &Path,
    parts: &[Part],
    record: Option<&RecordedRates>,
) -> Result<PathBuf, EngineError> {
    let mut t = CsvOut::new(dir.join(RECORD_CSV));
    t.record([
        "hazard",
        "route",
        "included",
        "record_first_year",
        "record_last_year",
        "recorded_events",
        "recorded_loss_wan_per_yr",
        "recorded_deaths_per_yr",
        "assessed_aal_wan_per_yr",
        "assessed_deaths_per_yr",
        "note",
    ])?;
    for p in parts {
        // No events in the census: the record is unknown, not zero.
        let rec = p.recorded;
        t.record([
            p.hazard.clone(),
            p.route.clone(),
            p.included.to_string(),
            record.map(|r| r.first_year.to_string()).unwrap_or_default(),
            record.map(|r| r.last_year.to_string()).unwrap_or_default(),
            rec.map(|r| r.events.to_string()).unwrap_or_default(),
            rec.map_or(String::new(), |r| num(r.loss_per_year, 4)),
            rec.map_or(String::new(), |r| num(r.deaths_per_year, 6)),
            if p.included {
                num(p.aal_wan, 4)
            } else {
                String::new()
            },
            if p.included {
                num(p.deaths_per_year, 8)
            } else {
                String::new()
            },
            p.note.clone(),
        ])?;
    }
    let p = t.path().to_path_buf();
    t.finish()?;
    Ok(p)
}
