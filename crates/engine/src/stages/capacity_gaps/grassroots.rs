//! The grassroots capacity index of every township and village
//! ([`GrassrootsCapacity`], `models/capacity/grassroots_capacity.toml`) from the
//! census: the unit's `community_capacity` record (information officers,
//! volunteers per 1,000 residents; plan, broadcast, demonstration community, risk
//! map as 1/0; drills per year; warning coverage %), the places of the SAFE
//! shelters standing in the unit per resident, the rescue personnel stationed in
//! its township per 10,000 residents, and the population-weighted mean rescue
//! travel time. An item the unit's record leaves blank, or a unit without a record,
//! is not surveyed (NaN): the index is taken over what was surveyed and a unit
//! below the file's `min_covered` gets no grade.
//!
//! Residents: `admin_units.population` when recorded, else the population grid
//! over the unit's cells.

use std::collections::BTreeMap;

use riskcensus_contracts::tables::capacity as names;
use riskcensus_io::vector::{FieldType, GeometryType};
use riskcensus_models::capacity::grassroots::{GrassrootsCapacity, Indicator};

use super::rescue::Rescue;
use super::shelters::Shelters;
use super::{CapacityReport, Inputs};
use crate::deliverable::{level, real, round, text, Deliverable, Style};
use crate::error::EngineError;
use crate::ingest::{Census, Query};
use crate::stage::Context;

/// The census layer of the grassroots capacity survey.
pub const LAYER: &str = riskcensus_contracts::tables::census::COMMUNITY_CAPACITY;

/// What the index hands on.
pub struct Units {
    /// `capacity_units`.
    pub table: Deliverable,
    /// Grade per township (0 = not graded), in `townships.units` order.
    pub township_grade: Vec<u8>,
}

/// The raw survey items of one unit.
fn survey_items(f: &crate::ingest::DbFeature, people: f64) -> BTreeMap<Indicator, f64> {
    let yes = |name: &str| -> Option<f64> {
        match f.text(name).as_str() {
            "" => None,
            "yes" => Some(1.0),
            _ => Some(0.0),
        }
    };
    let per = |name: &str, per: f64| -> Option<f64> {
        f.number(name).map(|v| {
            if people > 0.0 {
                v / people * per
            } else {
                f64::NAN
            }
        })
    };
    let mut m = BTreeMap::new();
    let mut put = |i: Indicator, v: Option<f64>| {
        if let Some(v) = v {
            m.insert(i, v);
        }
    };
    put(Indicator::InfoOfficers, per("info_officers", 1000.0));
    put(Indicator::EmergencyPlan, yes("emergency_plan"));
    put(Indicator::Drills, f.number("drills_per_year"));
    put(Indicator::WarningCoverage, f.number("warning_coverage_pct"));
    put(Indicator::WarningBroadcast, yes("warning_broadcast"));
    put(Indicator::Volunteers, per("volunteers", 1000.0));
    put(Indicator::DemoCommunity, yes("demo_community"));
    put(Indicator::RiskMap, yes("risk_map"));
    m
}

/// Score every township and village.
pub fn assess(
    cx: &Context<'_>,
    db: &Census,
    inp: &Inputs<'_>,
    index: &GrassrootsCapacity,
    shelters: &Shelters,
    rescue: &Rescue,
    report: &mut CapacityReport,
) -> Result<Units, EngineError> {
    let records: BTreeMap<String, crate::ingest::DbFeature> = if cx.table_rows(LAYER)? > 0 {
        db.query(LAYER, &Query::default())?
            .into_iter()
            .map(|f| (f.text("code"), f))
            .collect()
    } else {
        report.notes.push(format!(
            "no {LAYER} records: the capacity index rests on shelters and rescue access alone"
        ));
        BTreeMap::new()
    };
    let (tpop, vpop) = (&inp.township_pop, &inp.village_pop);
    let nt = inp.townships.units.len();
    // Safe shelter places per township and village.
    let mut places_t = vec![0.0; nt];
    let mut places_v = vec![0.0; inp.villages.len()];
    for s in shelters
        .shelters
        .iter()
        .filter(|s| s.unsafe_reasons.is_empty())
    {
        if let Some(k) = inp.township_of(s.cell) {
            places_t[k] += s.capacity;
        }
        if let Some(k) = inp.village_of(s.cell) {
            places_v[k] += s.capacity;
        }
    }
    let mut personnel_t = vec![0.0; nt];
    for t in &rescue.teams {
        if let Some(k) = inp.township_of(inp.cell_of(t.x, t.y)) {
            personnel_t[k] += t.personnel;
        }
    }
    let (min_t, min_v) = match &rescue.minutes {
        Some(m) => super::rescue::unit_minutes(inp, m),
        None => (vec![f64::NAN; nt], vec![f64::NAN; inp.villages.len()]),
    };
    let mut columns: Vec<(String, FieldType)> = vec![
        ("unit_code".into(), FieldType::String),
        ("unit_name".into(), FieldType::String),
        ("unit_level".into(), FieldType::String),
        ("township_code".into(), FieldType::String),
        ("population".into(), FieldType::Real),
        ("surveyed".into(), FieldType::Integer),
    ];
    for i in index.indicators() {
        columns.push((i.id.id().to_string(), FieldType::Real));
        columns.push((format!("{}_score", i.id.id()), FieldType::Real));
    }
    columns.push(("capacity_index".into(), FieldType::Real));
    columns.push(("weight_covered".into(), FieldType::Real));
    columns.push(("level".into(), FieldType::Integer));
    columns.push(("grade_zh".into(), FieldType::String));
    columns.push(("status".into(), FieldType::String));
    let cols: Vec<(&str, FieldType)> = columns.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    let mut table = Deliverable::new(names::UNITS, GeometryType::MultiPolygon, &cols);
    table.style = Some(Style::LevelScheme(index.scheme().to_string()));
    let scheme = cx.vocabulary.scheme(index.scheme());
    let grade_zh = |g: u8| -> String {
        scheme
            .and_then(|s| s.classes().iter().find(|c| c.code == g))
            .map(|c| c.name_zh.clone())
            .unwrap_or_default()
    };
    let mut township_grade = vec![0u8; nt];
    let units = inp
        .townships
        .units
        .iter()
        .enumerate()
        .map(|(k, u)| (u, true, tpop[k], places_t[k], min_t[k], Some(k)))
        .chain(inp.villages.iter().enumerate().map(|(k, u)| {
            let t = inp.townships.units.iter().position(|t| t.code == u.parent);
            (u, false, vpop[k], places_v[k], min_v[k], t)
        }))
        .collect::<Vec<_>>();
    // Rescue personnel per 10,000 residents of a township; a village takes its
    // township's rate.
    let personnel_rate: Vec<f64> = inp
        .townships
        .units
        .iter()
        .enumerate()
        .map(|(t, u)| {
            let tp = inp.population(&u.code, tpop[t]);
            if tp > 0.0 {
                personnel_t[t] / tp * 10_000.0
            } else {
                f64::NAN
            }
        })
        .collect();
    for (u, is_township, grid_pop, places, minutes, town) in units {
        let lvl = if is_township { "township" } else { "village" };
        let people = inp.population(&u.code, grid_pop);
        let record = records.get(&u.code);
        let mut raw = record.map(|f| survey_items(f, people)).unwrap_or_default();
        let ratio = |v: f64, per: f64| {
            if people > 0.0 {
                v / people * per
            } else {
                f64::NAN
            }
        };
        raw.insert(Indicator::ShelterPlaces, ratio(places, 1.0));
        raw.insert(
            Indicator::RescuePersonnel,
            town.map_or(f64::NAN, |t| personnel_rate[t]),
        );
        raw.insert(Indicator::RescueMinutes, minutes);
        let s = index.score(&raw);
        if let (true, Some(k)) = (is_township, town) {
            township_grade[k] = s.grade;
            report.township_grades[usize::from(s.grade)] += 1;
        }
        let mut row = vec![
            text(&u.code),
            text(&u.name),
            text(lvl),
            text(if is_township { "" } else { u.parent.as_str() }),
            round(people, 0),
            crate::deliverable::flag(record.is_some()),
        ];
        for (i, (id, score)) in index.indicators().iter().zip(&s.scores) {
            debug_assert_eq!(i.id, *id);
            row.push(real(raw.get(id).copied().unwrap_or(f64::NAN)));
            row.push(round(*score, 4));
        }
        row.push(round(s.index, 4));
        row.push(round(s.covered, 4));
        row.push(level(s.grade));
        row.push(text(grade_zh(s.grade)));
        row.push(text("provisional (GB/T 43981-2024 tables not in hand)"));
        table.push(
            Some(geo_types::Geometry::MultiPolygon(u.geometry.clone())),
            row,
        );
    }
    Ok(Units {
        table,
        township_grade,
    })
}
