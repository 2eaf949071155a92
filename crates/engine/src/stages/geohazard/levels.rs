//! The four levels (geohazard4: 1 极高 … 4 低, 0 nodata) of a normalised index,
//! drawn with the zoning crate's breaks, as `assess` and the zoning stage draw theirs.

use riskcensus_models::geohazard::LevelRule;

use crate::error::EngineError;

/// The four-level breaks of a normalised index, in the zoning crate's upper-bound
/// convention (`riskcensus_zoning::Breaks`: a value belongs to the first ascending
/// class whose bound it does not exceed; level code = 4 − class). Natural breaks are
/// the exact Fisher–Jenks optimum over the full population of valid cells quantised
/// to `riskcensus_zoning::breaks::DEFAULT_STEP` = 1e-4 (issue 9: full-population breaks), the
/// same solver `assess` uses for `natural_breaks` models; fixed breaks are the three
/// inner upper bounds of the parameter file. An index with fewer than four distinct
/// quantised values gets one level per value, counted from level 1 down.
/// `layer` names the index in errors.
pub fn level_breaks(
    values: &[f32],
    rule: &LevelRule,
    layer: &str,
) -> Result<(riskcensus_zoning::Breaks, &'static str), EngineError> {
    let zerr = |source| EngineError::GeohazardLevels {
        layer: layer.into(),
        source,
    };
    Ok(match rule {
        LevelRule::NaturalBreaks => {
            let mut h = riskcensus_zoning::Histogram::new(riskcensus_zoning::breaks::DEFAULT_STEP)
                .map_err(zerr)?;
            h.add(values).map_err(zerr)?;
            // Coarse factors can leave fewer than four distinct values: then one
            // class per value, the highest level 1 (as many levels as values).
            let k = h.bins().len().clamp(1, 4);
            (h.jenks(k).map_err(zerr)?, "natural_breaks")
        }
        LevelRule::FixedBreaks { breaks } => (
            riskcensus_zoning::Breaks::from_inner(breaks).map_err(zerr)?,
            "fixed_breaks",
        ),
    })
}
