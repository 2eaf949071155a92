//! The wildfire's indicators for prevention zoning
//! (`models/wildfire/prevention.toml`; names and meanings in
//! [`riskcensus_zoning::prevention::HAZARD_INDICATORS`]): the share of a unit that
//! is wildland (forest and shrub, the classes of [`WuiParams::default`]), recorded
//! fires per 100 km² and year, and the wildland inside protected sites (the census
//! layer `protected_sites`: heritage sites, scenic areas, nature reserves, forest
//! parks).

use std::collections::BTreeMap;

use ndarray::Array2;
use riskcensus_contracts::tables::census as T;
use riskcensus_models::wildfire::hazard::WuiParams;
use riskcensus_zoning::prevention::UnitValues;
use riskcensus_zoning::units::Unit;

use crate::error::EngineError;
use crate::stages::zoning::indicators::{ratio, IndicatorSources, ValuesBuilder};

/// Each unit's wildfire indicators. Without a land-cover grid `wildland_share` and
/// `protected_wildland_km2` are NaN; without dated fire records
/// `fires_per_100km2_yr` is NaN (the record's years are those from the first to the
/// last fire of the census, at least one).
pub fn indicators(src: &IndicatorSources<'_>) -> Result<UnitValues, EngineError> {
    let mut b = ValuesBuilder::default();
    let area = src.area_km2();
    let cell_km2 = src.grid.cell_area() / 1.0e6;
    match src.layer("landcover")? {
        Some(lc) => {
            let classes = WuiParams::default().wildland;
            let wild = |r: usize, c: usize| {
                let v = lc[(r, c)];
                !v.is_nan() && classes.iter().any(|&w| v.round() as i64 == i64::from(w))
            };
            let wild_km2 = src.sum(|r, c| if wild(r, c) { cell_km2 } else { 0.0 });
            let protected = protected_fraction(src)?;
            b.put("wildland_share", &ratio(&wild_km2, &area)).put(
                "protected_wildland_km2",
                &src.sum(|r, c| {
                    if wild(r, c) {
                        f64::from(protected[(r, c)]) * cell_km2
                    } else {
                        0.0
                    }
                }),
            );
        }
        None => {
            b.missing("wildland_share", &src.units)
                .missing("protected_wildland_km2", &src.units);
        }
    }
    let fires = src.records(T::FIRE_POINTS)?;
    let years: Vec<i32> = fires
        .iter()
        .filter_map(|f| f.text("date").get(..4).and_then(|y| y.parse().ok()))
        .collect();
    match (years.iter().min(), years.iter().max()) {
        (Some(first), Some(last)) => {
            let span = f64::from(last - first + 1);
            let count = src.per_unit(&fires, |_, _| 1.0);
            let rate: BTreeMap<String, f64> = ratio(&count, &area)
                .into_iter()
                .map(|(k, v)| (k, if v.is_nan() { 0.0 } else { v * 100.0 / span }))
                .collect();
            b.put("fires_per_100km2_yr", &rate);
        }
        _ => {
            b.missing("fires_per_100km2_yr", &src.units);
        }
    }
    Ok(b.build())
}

/// The share of each cell inside a protected site (0–1; overlapping sites count
/// once, capped at 1), from the exact coverage of the sites' polygons.
fn protected_fraction(src: &IndicatorSources<'_>) -> Result<Array2<f32>, EngineError> {
    let mut frac = Array2::<f32>::zeros((src.grid.rows, src.grid.cols));
    for (i, f) in src.records(T::PROTECTED_SITES)?.iter().enumerate() {
        let mp = match &f.geometry {
            Some(geo_types::Geometry::Polygon(p)) => geo_types::MultiPolygon(vec![p.clone()]),
            Some(geo_types::Geometry::MultiPolygon(m)) => m.clone(),
            _ => continue,
        };
        let site = Unit::new(f.text("id"), f.text("name"), String::new(), mp, src.grid).map_err(
            |source| EngineError::UnitCoverage {
                code: format!("protected_sites record {} ({})", i + 1, f.text("id")),
                source,
            },
        )?;
        for (r, c, w) in site.cells {
            let x = &mut frac[(r, c)];
            *x = (*x + w as f32).min(1.0);
        }
    }
    Ok(frac)
}
