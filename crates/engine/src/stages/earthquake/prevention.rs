//! The earthquake's indicators for prevention zoning
//! (`models/earthquake/prevention.toml`; names and meanings in
//! [`riskcensus_zoning::prevention::HAZARD_INDICATORS`]): the share of a
//! township's graded buildings whose hidden-danger grade is 重点 (from the grade
//! counts the earthquake stage publishes, [`RESULT_COUNTS`]), and the schools,
//! hospitals and chemical plants on cells of PGA ≥ [`HIGH_PGA_G`].

use std::collections::BTreeMap;

use riskcensus_contracts::tables::census as T;
use riskcensus_zoning::prevention::{UnitValues, HIGH_PGA_G, PROTECTED_KINDS};

use crate::error::EngineError;
use crate::stages::zoning::indicators::{IndicatorSources, ValuesBuilder};

/// The table of the published grade counts (buildings per grade per township).
pub const RESULT_COUNTS: &str = riskcensus_contracts::tables::zoning::UNIT_SEISMIC_GRADES;

/// Each unit's earthquake indicators: `key_grade_share` for townships (NaN for
/// villages, and for every unit when the earthquake stage graded no building);
/// `key_facilities_high_pga` NaN without the PGA grid.
pub fn indicators(src: &IndicatorSources<'_>) -> Result<UnitValues, EngineError> {
    let mut b = ValuesBuilder::default();
    match src.counts.iter().find(|c| c.table == RESULT_COUNTS) {
        Some(grades) => {
            let share: BTreeMap<String, f64> = src
                .units
                .iter()
                .map(|u| {
                    let v = grades.by_unit.get(&u.code).and_then(|n| {
                        let total: u64 = n.iter().sum();
                        (total > 0).then(|| n[0] as f64 / total as f64)
                    });
                    (u.code.clone(), v.unwrap_or(f64::NAN))
                })
                .collect();
            b.put("key_grade_share", &share);
        }
        None => {
            b.missing("key_grade_share", &src.units);
        }
    }
    match src.layer("eq_pga")? {
        Some(pga) => {
            let facilities = src.records(T::KEY_FACILITIES)?;
            b.put(
                "key_facilities_high_pga",
                &src.per_unit(&facilities, |f, cell| {
                    let high = cell.is_some_and(|rc| f64::from(pga[rc]) >= HIGH_PGA_G - 1e-9);
                    f64::from(u8::from(
                        high && PROTECTED_KINDS.contains(&f.text("kind").as_str()),
                    ))
                }),
            );
        }
        None => {
            b.missing("key_facilities_high_pga", &src.units);
        }
    }
    Ok(b.build())
}
