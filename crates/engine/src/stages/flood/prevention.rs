//! The flood's indicators for prevention zoning (`models/flood/prevention.toml`;
//! names and meanings in [`riskcensus_zoning::prevention::HAZARD_INDICATORS`]): the
//! people and surveyed buildings in the 100-year flood extent (cells of
//! `flood_depth_100y` deeper than 0), the schools, hospitals and chemical plants
//! there, and the dikes and reservoirs surveyed as below their flood-control
//! standard.

use riskcensus_contracts::tables::census as T;
use riskcensus_io::gpkg::DbFeature;
use riskcensus_models::flood::inundation::DepthScreen;
use riskcensus_zoning::prevention::{UnitValues, PROTECTED_KINDS};

use crate::error::EngineError;
use crate::stages::zoning::indicators::{ratio, IndicatorSources, ValuesBuilder};

/// The return period (years) of the flood extent the indicators count in.
pub const RETURN_PERIOD_YEARS: u32 = 100;

/// The field of `key_facilities` and `reservoirs` that records whether a work meets
/// its flood-control standard (`yes` / `no`, the `yes_no` domain).
pub const MEETS_STANDARD: &str = "meets_standard";

/// Kinds of `key_facilities` that are flood-control works.
const WORK_KINDS: [&str; 2] = ["dike", "reservoir"];

/// Each unit's flood indicators. Without the 100-year depth grid every indicator
/// of the extent is NaN ("not surveyed"); `works_below_standard` is NaN when no
/// work of the census records `meets_standard`. Works are the dikes and reservoirs
/// of `key_facilities` and the `reservoirs` not listed there too.
pub fn indicators(src: &IndicatorSources<'_>) -> Result<UnitValues, EngineError> {
    let mut b = ValuesBuilder::default();
    let facilities = src.records(T::KEY_FACILITIES)?;
    match src.layer(&DepthScreen::layer_id(RETURN_PERIOD_YEARS))? {
        Some(depth) => {
            let flooded = |cell: Option<(usize, usize)>| cell.is_some_and(|rc| depth[rc] > 0.0);
            let pop =
                |r: usize, c: usize| src.population.map_or(f64::NAN, |p| f64::from(p[(r, c)]));
            let in_extent = src.sum(|r, c| if depth[(r, c)] > 0.0 { pop(r, c) } else { 0.0 });
            let total = src.sum(pop);
            b.put("population_100yr", &in_extent)
                .put("population_100yr_share", &ratio(&in_extent, &total))
                .put(
                    "buildings_100yr",
                    &src.buildings
                        .per_unit(src.units.iter().map(|u| u.code.clone()), |cell| {
                            f64::from(u8::from(flooded(cell)))
                        }),
                )
                .put(
                    "protected_objects_100yr",
                    &src.per_unit(&facilities, |f, cell| {
                        f64::from(u8::from(
                            PROTECTED_KINDS.contains(&f.text("kind").as_str()) && flooded(cell),
                        ))
                    }),
                );
            if src.population.is_none() {
                b.missing("population_100yr", &src.units)
                    .missing("population_100yr_share", &src.units);
            }
        }
        None => {
            for name in [
                "population_100yr",
                "population_100yr_share",
                "buildings_100yr",
                "protected_objects_100yr",
            ] {
                b.missing(name, &src.units);
            }
        }
    }
    let reservoirs = src.records(T::RESERVOIRS)?;
    let is_work = |f: &DbFeature| WORK_KINDS.contains(&f.text("kind").as_str());
    let surveyed = facilities
        .iter()
        .filter(|f| is_work(f))
        .chain(&reservoirs)
        .any(|f| !f.text(MEETS_STANDARD).is_empty());
    if surveyed {
        let below = |f: &DbFeature| f64::from(u8::from(f.text(MEETS_STANDARD) == "no"));
        let mut n = src.per_unit(&facilities, |f, _| if is_work(f) { below(f) } else { 0.0 });
        // A reservoir listed both as a key facility and in `reservoirs` (same name
        // and township) counts once.
        let listed: std::collections::BTreeSet<(String, String)> = facilities
            .iter()
            .filter(|f| f.text("kind") == "reservoir")
            .map(|f| (f.text("name"), f.text("township_code")))
            .collect();
        let own = |f: &DbFeature| !listed.contains(&(f.text("name"), f.text("township_code")));
        for (k, v) in src.per_unit(&reservoirs, |f, _| if own(f) { below(f) } else { 0.0 }) {
            *n.entry(k).or_default() += v;
        }
        b.put("works_below_standard", &n);
    } else {
        b.missing("works_below_standard", &src.units);
    }
    Ok(b.build())
}
