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
use std::path::PathBuf;

use riskcensus_models::loss::{LossLevels, Measure, RecordedRates};

use super::{Cells, Part};
use crate::error::EngineError;
use crate::ingest::Census;
use crate::loss::{HazardLosses, UnitRisk};
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
}

/// A unit of the tables: code, name, level (`county`, `township`, `village`), area
/// (km²), population (value, source), GDP.
struct UnitRow {
    code: String,
    name: String,
    level: &'static str,
    area_km2: f64,
    population: f64,
    population_source: &'static str,
    gdp_wan: f64,
}

fn num(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        format!("{v:.decimals$}")
    } else {
        String::new()
    }
}

/// Write the four tables.
pub(crate) fn write(
    cx: &Context<'_>,
    db: Option<&Census>,
    levels: &LossLevels,
    cells: &[Cells],
    losses: &[HazardLosses],
    parts: &[Part],
    record: Option<&RecordedRates>,
) -> Result<Written, EngineError> {
    let grid = &cx.census.grid;
    let n = grid.cell_count();
    let towns = match db {
        Some(db) => crate::admin::townships(db, grid)?,
        None => Vec::new(),
    };
    let attrs = match db {
        Some(db) => crate::admin::attributes(db)?,
        None => BTreeMap::new(),
    };
    let owner: Vec<usize> = riskcensus_zoning::units::cell_owner(&towns, (grid.rows, grid.cols))
        .iter()
        .map(|&o| o.max(0) as usize)
        .collect();
    // Occupants per unit (index 0 = county, k = township k − 1), each building once.
    let mut occupants = vec![0.0; towns.len() + 1];
    let mut seen = std::collections::BTreeSet::new();
    for l in losses {
        for b in &l.buildings {
            if seen.insert(b.id.as_str()) {
                occupants[0] += b.occupants;
                if owner[b.cell] > 0 {
                    occupants[owner[b.cell]] += b.occupants;
                }
            }
        }
    }
    let mut units: Vec<UnitRow> = Vec::new();
    let info = &cx.census.census;
    let county = attrs.get(&info.code);
    let all_towns = |f: &dyn Fn(&crate::admin::UnitAttributes) -> Option<f64>| -> Option<f64> {
        if towns.is_empty() {
            return None;
        }
        towns
            .iter()
            .map(|t| attrs.get(&t.code).and_then(f))
            .sum::<Option<f64>>()
    };
    let town_area: f64 = towns.iter().map(|t| t.area_m2).sum::<f64>() / 1.0e6;
    let (pop, pop_src) = match county
        .and_then(|a| a.population)
        .or_else(|| all_towns(&|a| a.population))
    {
        Some(p) => (p, "admin_units"),
        None => (occupants[0], "buildings"),
    };
    units.push(UnitRow {
        code: info.code.clone(),
        name: info.name.clone(),
        level: "county",
        area_km2: if towns.is_empty() {
            n as f64 * grid.cell_area() / 1.0e6
        } else {
            town_area
        },
        population: pop,
        population_source: pop_src,
        gdp_wan: county
            .and_then(|a| a.gdp_wan)
            .or_else(|| all_towns(&|a| a.gdp_wan))
            .unwrap_or(f64::NAN),
    });
    for (k, t) in towns.iter().enumerate() {
        let a = attrs.get(&t.code);
        let (pop, src) = match a.and_then(|a| a.population) {
            Some(p) => (p, "admin_units"),
            None => (occupants[k + 1], "buildings"),
        };
        units.push(UnitRow {
            code: t.code.clone(),
            name: t.name.clone(),
            level: "township",
            area_km2: t.area_m2 / 1.0e6,
            population: pop,
            population_source: src,
            gdp_wan: a.and_then(|a| a.gdp_wan).unwrap_or(f64::NAN),
        });
    }
    // Villages with a polygon (村界): their own rows, by the village covering most
    // of each cell.
    let villages = match db {
        Some(db) => crate::admin::units(db, grid, crate::admin::AdminLevel::Village)?.units,
        None => Vec::new(),
    };
    let v_owner: Vec<usize> =
        riskcensus_zoning::units::cell_owner(&villages, (grid.rows, grid.cols))
            .iter()
            .map(|&o| o.max(0) as usize)
            .collect();
    let mut v_occupants = vec![0.0; villages.len() + 1];
    let mut v_seen = std::collections::BTreeSet::new();
    for l in losses {
        for b in &l.buildings {
            if v_seen.insert(b.id.as_str()) && v_owner[b.cell] > 0 {
                v_occupants[v_owner[b.cell]] += b.occupants;
            }
        }
    }
    let v_units: Vec<UnitRow> = villages
        .iter()
        .enumerate()
        .map(|(k, v)| {
            let a = attrs.get(&v.code);
            let (pop, src) = match a.and_then(|a| a.population) {
                Some(p) => (p, "admin_units"),
                None => (v_occupants[k + 1], "buildings"),
            };
            UnitRow {
                code: v.code.clone(),
                name: v.name.clone(),
                level: "village",
                area_km2: v.area_m2 / 1.0e6,
                population: pop,
                population_source: src,
                gdp_wan: a.and_then(|a| a.gdp_wan).unwrap_or(f64::NAN),
            }
        })
        .collect();

    // Sums per unit of each hazard's cells.
    let mut rows = Vec::new();
    for c in cells {
        let mut aal = vec![0.0; units.len()];
        let mut deaths = vec![0.0; units.len()];
        for i in 0..n {
            let (a, d) = (c.aal[i], c.deaths[i]);
            if !a.is_finite() {
                continue;
            }
            aal[0] += a;
            deaths[0] += d;
            if owner[i] > 0 {
                aal[owner[i]] += a;
                deaths[owner[i]] += d;
            }
        }
        let route = if c.hazard == super::ID {
            "sum"
        } else {
            super::route_name(c.route)
        };
        for (k, u) in units.iter().enumerate() {
            rows.push(unit_risk(levels, u, &c.hazard, route, aal[k], deaths[k]));
        }
        let mut v_aal = vec![0.0; v_units.len() + 1];
        let mut v_deaths = vec![0.0; v_units.len() + 1];
        for i in 0..n {
            if c.aal[i].is_finite() && v_owner[i] > 0 {
                v_aal[v_owner[i]] += c.aal[i];
                v_deaths[v_owner[i]] += c.deaths[i];
            }
        }
        for (k, u) in v_units.iter().enumerate() {
            rows.push(unit_risk(
                levels,
                u,
                &c.hazard,
                route,
                v_aal[k + 1],
                v_deaths[k + 1],
            ));
        }
    }
    let dir = cx.layout.assess();
    let mut paths = Vec::new();

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
    for r in &rows {
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
    paths.push(t.path().to_path_buf());
    t.finish()?;

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
        let k = l.events.len();
        let mut loss = vec![vec![0.0; k]; units.len()];
        let mut dead = vec![vec![0.0; k]; units.len()];
        for b in &l.buildings {
            for (e, (&v, &d)) in b.event_loss_wan.iter().zip(&b.event_deaths).enumerate() {
                if !v.is_finite() {
                    continue;
                }
                loss[0][e] += v;
                dead[0][e] += d;
                if owner[b.cell] > 0 {
                    loss[owner[b.cell]][e] += v;
                    dead[owner[b.cell]][e] += d;
                }
            }
        }
        for (u, unit) in units.iter().enumerate() {
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
    paths.push(t.path().to_path_buf());
    t.finish()?;

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
    paths.push(t.path().to_path_buf());
    t.finish()?;

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
    paths.push(t.path().to_path_buf());
    t.finish()?;

    Ok(Written { paths, units: rows })
}

/// One unit's risk row from its AAL and deaths.
fn unit_risk(
    levels: &LossLevels,
    u: &UnitRow,
    hazard: &str,
    route: &str,
    aal: f64,
    deaths: f64,
) -> UnitRisk {
    let density = if u.area_km2 > 0.0 {
        aal / u.area_km2
    } else {
        f64::NAN
    };
    let gdp_pct = if u.gdp_wan > 0.0 {
        aal / u.gdp_wan * 100.0
    } else {
        f64::NAN
    };
    let rate = if u.population > 0.0 {
        deaths / u.population * 1.0e5
    } else {
        f64::NAN
    };
    UnitRisk {
        unit_code: u.code.clone(),
        unit_name: u.name.clone(),
        unit_level: u.level.into(),
        hazard: hazard.into(),
        route: route.into(),
        aal_wan: aal,
        deaths_per_year: deaths,
        area_km2: u.area_km2,
        gdp_wan: u.gdp_wan,
        population: u.population,
        population_source: u.population_source.into(),
        aal_density: density,
        aal_gdp_pct: gdp_pct,
        death_rate_per_100k: rate,
        level_aal_density: levels.level(Measure::AalDensity, density),
        level_aal_gdp: levels.level(Measure::AalGdpShare, gdp_pct),
        level_death_rate: levels.level(Measure::DeathRate, rate),
        risk_level: levels.combined(&[
            (Measure::AalDensity, density),
            (Measure::AalGdpShare, gdp_pct),
            (Measure::DeathRate, rate),
        ]),
    }
}
