//! 三高一低 (high loss, high hidden danger, high risk, low capacity): the census's
//! screening of townships, by the rule of `[screening]` in
//! `models/capacity/capacity_gaps.toml`:
//!
//! - **high loss** — the RECORDED mean annual direct loss of the township's
//!   `disaster_events` (Σ loss over the county record's years, first to last year
//!   of any event) over its GDP, at level ≤ `loss_level_max` of the AAL/GDP scale of
//!   `models/common/loss_levels.toml`;
//! - **high hidden danger** — geological hidden-danger points per 100 km² of the
//!   township at or above `hidden_dangers_per_100km2`, or the people they threaten
//!   per 1,000 residents at or above `threatened_per_1k`;
//! - **high risk** — the comprehensive risk level of the township (the
//!   comprehensive stage's `unit_risk`) ≤ `risk_level_max`;
//! - **low capacity** — the grassroots capacity grade ≤ `capacity_grade_max`.
//!
//! `level` 1 = all four (三高一低), 2 = three, 3 = two or fewer (scheme
//! `screening3`); a criterion that cannot be judged (no record, no risk) counts
//! as not met, and its cell is empty.

use riskcensus_contracts::tables::capacity as names;
use riskcensus_contracts::tables::census as T;
use riskcensus_io::vector::{FieldType, GeometryType};
use riskcensus_models::capacity::gaps::{CapacityGaps, Screening};
use riskcensus_models::loss::{Measure, RecordedRates};

use super::grassroots::Units;
use super::{CapacityReport, Inputs};
use crate::deliverable::{flag, int, level, round, text, Deliverable, Style};
use crate::error::EngineError;
use crate::ingest::{Census, Query};
use crate::loss::UnitRisk;
use crate::stage::Context;

/// What a township is judged on (level and grade codes 0 = none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judged {
    /// Level of the recorded annual loss over GDP (risk5 code).
    pub loss_level: u8,
    /// Hidden-danger points per 100 km².
    pub hidden_dangers_per_100km2: f64,
    /// People threatened by them per 1,000 residents.
    pub threatened_per_1k: f64,
    /// Comprehensive risk level (risk5 code).
    pub risk_level: u8,
    /// Grassroots capacity grade (capacity5 code).
    pub capacity_grade: u8,
}

/// The four criteria — high loss, high hidden danger, high risk, low capacity —
/// by the rule of the module doc (a code 0 or a NaN is not met).
pub fn criteria(sc: &Screening, j: &Judged) -> [bool; 4] {
    let severe = |code: u8, max: u8| code > 0 && code <= max;
    [
        severe(j.loss_level, sc.loss_level_max),
        j.hidden_dangers_per_100km2 >= sc.hidden_dangers_per_100km2
            || j.threatened_per_1k >= sc.threatened_per_1k,
        severe(j.risk_level, sc.risk_level_max),
        severe(j.capacity_grade, sc.capacity_grade_max),
    ]
}

/// Build the `three_high_one_low` layer.
pub fn assess(
    cx: &Context<'_>,
    db: &Census,
    inp: &Inputs<'_>,
    gaps: &CapacityGaps,
    units: &Units,
    report: &mut CapacityReport,
) -> Result<Deliverable, EngineError> {
    let sc = &gaps.screening;
    let n = inp.townships.units.len();
    let levels = crate::loss::load_levels(cx.library)?;
    // The record per township.
    let events = if cx.table_rows(T::DISASTER_EVENTS)? > 0 {
        crate::loss::read_events(db)?
    } else {
        Vec::new()
    };
    let any_event = !events.is_empty();
    let records: Vec<_> = events.iter().map(|e| e.record.clone()).collect();
    let span = RecordedRates::from_events(&records).map_or(0, |r| r.years());
    let mut loss = vec![0.0; n];
    for e in &events {
        if let Some(k) = inp
            .townships
            .units
            .iter()
            .position(|u| u.code == e.township)
        {
            loss[k] += e.record.loss_wan.unwrap_or(0.0);
        }
    }
    // Hidden dangers per township.
    let mut points = vec![0i64; n];
    let mut threatened = vec![0.0; n];
    if cx.table_rows(T::HIDDEN_DANGERS)? > 0 {
        for f in db.query(T::HIDDEN_DANGERS, &Query::default())? {
            let Some(geo_types::Geometry::Point(p)) = &f.geometry else {
                continue;
            };
            if let Some(k) = inp.township_of(inp.cell_of(p.x(), p.y())) {
                points[k] += 1;
                threatened[k] += f.number("threat_pop").unwrap_or(0.0);
            }
        }
    }
    let risk: Vec<&UnitRisk> = cx
        .published::<Vec<UnitRisk>>()
        .flatten()
        .filter(|u| u.hazard == "comprehensive" && u.unit_level == "township")
        .collect();
    let tpop = &inp.township_pop;
    let mut t = Deliverable::new(
        names::SCREENING,
        GeometryType::MultiPolygon,
        &[
            ("unit_code", FieldType::String),
            ("unit_name", FieldType::String),
            ("recorded_loss_wan_per_yr", FieldType::Real),
            ("recorded_loss_gdp_pct", FieldType::Real),
            ("recorded_loss_level", FieldType::Integer),
            ("high_loss", FieldType::Integer),
            ("hidden_dangers", FieldType::Integer64),
            ("hidden_dangers_per_100km2", FieldType::Real),
            ("threatened", FieldType::Real),
            ("threatened_per_1k", FieldType::Real),
            ("high_hidden_danger", FieldType::Integer),
            ("risk_level", FieldType::Integer),
            ("high_risk", FieldType::Integer),
            ("capacity_grade", FieldType::Integer),
            ("low_capacity", FieldType::Integer),
            ("criteria_met", FieldType::Integer),
            ("level", FieldType::Integer),
        ],
    );
    t.style = Some(Style::LevelScheme("screening3".into()));
    if !any_event {
        report
            .notes
            .push("no dated disaster_events: the high-loss criterion is not met anywhere".into());
    }
    for (k, u) in inp.townships.units.iter().enumerate() {
        let gdp = inp.attrs.get(&u.code).and_then(|a| a.gdp_wan);
        let per_year = if span > 0 {
            loss[k] / f64::from(span)
        } else {
            f64::NAN
        };
        let pct = match gdp {
            Some(g) if g > 0.0 => 100.0 * per_year / g,
            _ => f64::NAN,
        };
        let loss_level = levels.level(Measure::AalGdpShare, pct);
        let area_100km2 = u.area_m2 / 1.0e8;
        let density = if area_100km2 > 0.0 {
            points[k] as f64 / area_100km2
        } else {
            f64::NAN
        };
        let people = inp.population(&u.code, tpop[k]);
        let per_1k = if people > 0.0 {
            threatened[k] / people * 1000.0
        } else {
            f64::NAN
        };
        let rl = risk
            .iter()
            .find(|r| r.unit_code == u.code)
            .map_or(0, |r| r.risk_level);
        let grade = units.township_grade[k];
        let [high_loss, high_hd, high_risk, low_cap] = criteria(
            sc,
            &Judged {
                loss_level,
                hidden_dangers_per_100km2: density,
                threatened_per_1k: per_1k,
                risk_level: rl,
                capacity_grade: grade,
            },
        );
        let met = [high_loss, high_hd, high_risk, low_cap]
            .iter()
            .filter(|&&b| b)
            .count();
        let lvl = match met {
            4 => 1,
            3 => 2,
            _ => 3,
        };
        if met == 4 {
            report.three_high_one_low.push(u.code.clone());
        }
        t.push(
            Some(geo_types::Geometry::MultiPolygon(u.geometry.clone())),
            vec![
                text(&u.code),
                text(&u.name),
                round(per_year, 2),
                round(pct, 4),
                level(loss_level),
                flag(high_loss),
                int(points[k]),
                round(density, 3),
                round(threatened[k], 0),
                round(per_1k, 3),
                flag(high_hd),
                level(rl),
                flag(high_risk),
                level(grade),
                flag(low_cap),
                crate::deliverable::FieldValue::Integer(met as i32),
                level(lvl),
            ],
        );
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_high_one_low_by_hand() {
        let sc = CapacityGaps::builtin().screening;
        // Recorded loss level II, 12 points per 100 km², risk level I, capacity 较弱:
        // all four.
        let all = Judged {
            loss_level: 2,
            hidden_dangers_per_100km2: 12.0,
            threatened_per_1k: 1.0,
            risk_level: 1,
            capacity_grade: 2,
        };
        assert_eq!(criteria(&sc, &all), [true; 4]);
        // Few points but many people threatened still counts as high hidden danger.
        let people = Judged {
            hidden_dangers_per_100km2: 2.0,
            threatened_per_1k: 15.0,
            ..all
        };
        assert!(criteria(&sc, &people)[1]);
        // Loss level III, capacity 中等, no risk level: only the hidden danger holds.
        let one = Judged {
            loss_level: 3,
            risk_level: 0,
            capacity_grade: 3,
            ..all
        };
        assert_eq!(criteria(&sc, &one), [false, true, false, false]);
        // An ungraded township (0) is not low capacity; NaN densities are not high.
        let none = Judged {
            loss_level: 0,
            hidden_dangers_per_100km2: f64::NAN,
            threatened_per_1k: f64::NAN,
            risk_level: 0,
            capacity_grade: 0,
        };
        assert_eq!(criteria(&sc, &none), [false; 4]);
    }
}
