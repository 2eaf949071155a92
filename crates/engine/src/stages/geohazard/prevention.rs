//! The geological hazards' indicators for prevention zoning
//! (`models/geohazard/prevention.toml`; names and meanings in
//! [`riskcensus_zoning::prevention::HAZARD_INDICATORS`]): the registered
//! hidden-danger points per km², the people and property they threaten, and the
//! share of them without monitoring.

use riskcensus_contracts::tables::census as T;
use riskcensus_zoning::prevention::UnitValues;

use crate::error::EngineError;
use crate::stages::zoning::indicators::{ratio, IndicatorSources, ValuesBuilder};

/// Each unit's geological-hazard indicators. `unmonitored_share` counts the points
/// whose `monitoring` is recorded (NaN for a unit with none).
pub fn indicators(src: &IndicatorSources<'_>) -> Result<UnitValues, EngineError> {
    let points = src.records(T::HIDDEN_DANGERS)?;
    let count = src.per_unit(&points, |_, _| 1.0);
    let recorded = src.per_unit(&points, |f, _| {
        f64::from(u8::from(!f.text("monitoring").is_empty()))
    });
    let unmonitored = src.per_unit(&points, |f, _| {
        f64::from(u8::from(f.text("monitoring") == "none"))
    });
    let density: std::collections::BTreeMap<String, f64> = ratio(&count, &src.area_km2())
        .into_iter()
        .map(|(k, v)| (k, if v.is_nan() { 0.0 } else { v }))
        .collect();
    let mut b = ValuesBuilder::default();
    b.put("hidden_danger_density", &density)
        .put(
            "threatened_people",
            &src.per_unit(&points, |f, _| f.number("threat_pop").unwrap_or(0.0)),
        )
        .put(
            "threatened_value_wan",
            &src.per_unit(&points, |f, _| f.number("threat_value_wan").unwrap_or(0.0)),
        )
        .put("unmonitored_share", &ratio(&unmonitored, &recorded));
    Ok(b.build())
}
