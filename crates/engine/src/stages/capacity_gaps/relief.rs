//! Reserves that last (物资保障天数): the days the consumable stocks of the census
//! `material_reserves` cover, and the share of the displaced the durable stocks
//! serve, per scenario and for the plan's own target (`[relief] target_people` for
//! `target_days`), by [`reserve_days`] and [`cover_share`].
//!
//! Service areas (this project's rule, docs/capacity.md): a warehouse whose `level`
//! names the county (县级/县/市级/county) serves the whole county; any other serves
//! the township it stands in. Rows: per warehouse (its stock against the displaced
//! of its service area), per township (the stocks of the warehouses standing in it
//! against its displaced) and the county (every stock against every displaced
//! person). `meets_target` = every consumable lasts at least `target_days`.

use std::collections::BTreeMap;

use riskcensus_contracts::tables::capacity as names;
use riskcensus_contracts::tables::census as T;
use riskcensus_io::vector::{FieldType, GeometryType};
use riskcensus_models::capacity::gaps::{cover_share, reserve_days, CapacityGaps};

use super::shelters::{county_of, Demand};
use super::{CapacityReport, Inputs};
use crate::deliverable::{flag, round, text, Deliverable};
use crate::error::EngineError;
use crate::ingest::{Census, Query};
use crate::stage::Context;

/// A warehouse of the census.
struct Warehouse {
    id: String,
    name: String,
    county_level: bool,
    township: Option<usize>,
    stock: BTreeMap<String, f64>,
}

/// True for a `level` naming the county (or a higher) level.
fn is_county_level(level: &str) -> bool {
    let l = level.to_ascii_lowercase();
    ["县", "市", "区级", "county", "city"]
        .iter()
        .any(|k| l.contains(k))
        && !l.contains("乡")
        && !l.contains("镇")
}

/// Build the `reserve_days` table.
pub fn assess(
    cx: &Context<'_>,
    db: &Census,
    inp: &Inputs<'_>,
    gaps: &CapacityGaps,
    demands: &[Demand],
    report: &mut CapacityReport,
) -> Result<Deliverable, EngineError> {
    let r = &gaps.relief;
    let items: Vec<&str> = r
        .consumables
        .iter()
        .map(|c| c.item.as_str())
        .chain(r.durables.iter().map(|d| d.item.as_str()))
        .collect();
    let mut houses = Vec::new();
    if cx.table_rows(T::MATERIAL_RESERVES)? > 0 {
        for f in db.query(T::MATERIAL_RESERVES, &Query::default())? {
            let cell = match &f.geometry {
                Some(geo_types::Geometry::Point(p)) => inp.cell_of(p.x(), p.y()),
                _ => None,
            };
            houses.push(Warehouse {
                id: f.text("id"),
                name: f.text("name"),
                county_level: is_county_level(&f.text("level")),
                township: inp.township_of(cell),
                stock: items
                    .iter()
                    .map(|&i| (i.to_string(), f.number(i).unwrap_or(0.0)))
                    .collect(),
            });
        }
    } else {
        report
            .notes
            .push("no material reserves in the census: every reserve lasts 0 days".into());
    }
    let mut columns: Vec<(String, FieldType)> = vec![
        ("scenario".into(), FieldType::String),
        ("scope".into(), FieldType::String),
        ("code".into(), FieldType::String),
        ("name".into(), FieldType::String),
        ("displaced".into(), FieldType::Real),
    ];
    for c in &r.consumables {
        columns.push((format!("{}_stock", c.item), FieldType::Real));
        columns.push((format!("{}_days", c.item), FieldType::Real));
    }
    for d in &r.durables {
        columns.push((format!("{}_stock", d.item), FieldType::Real));
        columns.push((format!("{}_cover_pct", d.item), FieldType::Real));
    }
    columns.push(("min_days".into(), FieldType::Real));
    columns.push(("target_days".into(), FieldType::Real));
    columns.push(("meets_target".into(), FieldType::Integer));
    let cols: Vec<(&str, FieldType)> = columns.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    let mut t = Deliverable::new(names::RESERVE_DAYS, GeometryType::None, &cols);

    let n = inp.townships.units.len();
    let county = county_of(inp);
    // Displaced per township (index n = county) for each scenario, and the plan's.
    let mut scen: Vec<(String, Vec<f64>)> = demands
        .iter()
        .filter(|d| d.assessed)
        .map(|d| {
            let mut v = vec![0.0; n + 1];
            for &(c, p) in &d.cells {
                if let Some(k) = inp.township_of(Some(c)) {
                    v[k] += p;
                }
                v[n] += p;
            }
            (d.scenario.id.clone(), v)
        })
        .collect();
    let mut plan = vec![f64::NAN; n + 1];
    plan[n] = r.target_people;
    scen.push(("plan_target".into(), plan));

    let row = |t: &mut Deliverable,
               scenario: &str,
               scope: &str,
               code: &str,
               name: &str,
               people: f64,
               stock: &BTreeMap<String, f64>|
     -> f64 {
        let mut v = vec![
            text(scenario),
            text(scope),
            text(code),
            text(name),
            round(people, 1),
        ];
        let mut min_days = f64::INFINITY;
        for c in &r.consumables {
            let s = stock.get(&c.item).copied().unwrap_or(0.0);
            let days = reserve_days(s, people, c.per_person_day);
            min_days = min_days.min(days);
            v.push(round(s, 3));
            v.push(round(days, 2));
        }
        for d in &r.durables {
            let s = stock.get(&d.item).copied().unwrap_or(0.0);
            v.push(round(s, 0));
            v.push(round(100.0 * cover_share(s, people, d.persons_per_item), 2));
        }
        let min_days = if min_days.is_finite() {
            min_days
        } else {
            f64::NAN
        };
        v.push(round(min_days, 2));
        v.push(round(r.target_days, 1));
        // Nobody displaced (NaN days) needs nothing: the target holds.
        v.push(flag(min_days.is_nan() || min_days >= r.target_days));
        t.push(None, v);
        min_days
    };
    let sum = |hs: &mut dyn Iterator<Item = &Warehouse>| -> BTreeMap<String, f64> {
        let mut m: BTreeMap<String, f64> = BTreeMap::new();
        for h in hs {
            for (k, v) in &h.stock {
                *m.entry(k.clone()).or_insert(0.0) += v;
            }
        }
        m
    };
    for (id, people) in &scen {
        for h in &houses {
            let p = match (h.county_level, h.township) {
                (true, _) => people[n],
                (false, Some(k)) => people[k],
                (false, None) => f64::NAN,
            };
            if p.is_nan() {
                continue;
            }
            row(&mut t, id, "warehouse", &h.id, &h.name, p, &h.stock);
        }
        for (k, u) in inp.townships.units.iter().enumerate() {
            if people[k].is_nan() {
                continue;
            }
            let stock = sum(&mut houses
                .iter()
                .filter(|h| !h.county_level && h.township == Some(k)));
            row(&mut t, id, "township", &u.code, &u.name, people[k], &stock);
        }
        let stock = sum(&mut houses.iter());
        row(
            &mut t, id, "county", &county.0, &county.1, people[n], &stock,
        );
        if id == "plan_target" {
            report.plan_days = r
                .consumables
                .iter()
                .map(|c| {
                    let s = stock.get(&c.item).copied().unwrap_or(0.0);
                    (c.item.clone(), reserve_days(s, people[n], c.per_person_day))
                })
                .collect();
        }
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn county_level_warehouses() {
        assert!(is_county_level("县级"));
        assert!(is_county_level("County"));
        assert!(!is_county_level("乡镇级"));
        assert!(!is_county_level(""));
    }
}
