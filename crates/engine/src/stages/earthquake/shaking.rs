//! Ground motion per cell: the PGA of the zoning map (GB 18306-2015, the
//! `pga_g` field of a `[[vector]]` source burnt by the cell-centre rule), or of a
//! scenario rupture on a surveyed fault (`riskcensus_models::earthquake::scenario`,
//! rows in parallel); then the intensity and the hazard index of every cell.

use rayon::prelude::*;
use riskcensus_core::GridSpec;
use riskcensus_io::rasterize::{rasterize, Burn, RasterizeSpec};
use riskcensus_models::earthquake::intensity::cell_intensity;
use riskcensus_models::earthquake::params::Method;
use riskcensus_models::earthquake::scenario::pga_row;
use riskcensus_models::earthquake::{EarthquakeParams, PlanarRupture};

use super::fault::{scenario_rupture, ScenarioUsed};
use super::site::site_vs30;
use crate::config::CensusConfig;
use crate::executor::ExecOptions;
use crate::ingest::Census;
use crate::stack::LayerStack;
use crate::EngineError;

/// The zoning PGA (g) per cell from the `source` vector's `pga_g` field (cell-centre
/// rule, NaN outside every polygon); `None` when census.toml lists no such source.
pub fn zoning_pga(census: &CensusConfig, source: &str) -> Result<Option<Vec<f32>>, EngineError> {
    let Some(v) = census.vectors.iter().find(|v| v.id == source) else {
        return Ok(None);
    };
    let spec = RasterizeSpec {
        burn: Burn::Field("pga_g".into()),
        init: f32::NAN,
        ..RasterizeSpec::mask(v.layer.as_deref(), false)
    };
    let a = rasterize(&census.source_path(&v.path), &census.grid, &spec)?;
    Ok(Some(a.iter().copied().collect()))
}

/// The PGA per cell (g, NaN nodata) by the parameters' method: the zoning PGA, or
/// the scenario's median PGA (with the rupture used).
pub fn ground_motion(
    census: &CensusConfig,
    db: &Census,
    stack: &LayerStack,
    p: &EarthquakeParams,
    zoning: Option<&[f32]>,
    exec: &ExecOptions,
) -> Result<(Vec<f32>, Option<ScenarioUsed>), EngineError> {
    match p.ground_motion.method {
        Method::Zoning => {
            let z = zoning.ok_or_else(|| EngineError::MissingVectorSource {
                id: p.ground_motion.zoning_source.clone(),
                needed_by: "method = \"zoning\" (field pga_g)".into(),
            })?;
            Ok((z.to_vec(), None))
        }
        Method::Scenario => {
            let (rupture, used) = scenario_rupture(census, db, p)?;
            let vs30 = site_vs30(census, stack, p)?;
            let pga =
                exec.install(|| scenario_pga(&census.grid, &rupture, p, vs30.as_deref()))??;
            Ok((pga, Some(used)))
        }
    }
}

/// Median PGA (g) per cell of the scenario, rows in parallel, each cell
/// independent: identical for any thread count. NaN where Vs30 is.
fn scenario_pga(
    grid: &GridSpec,
    rupture: &PlanarRupture,
    p: &EarthquakeParams,
    vs30: Option<&[f64]>,
) -> Result<Vec<f32>, EngineError> {
    let mut out = vec![f32::NAN; grid.cell_count()];
    let errs: Vec<Option<(usize, usize, _)>> = out
        .par_chunks_mut(grid.cols)
        .enumerate()
        .map(|(r, row)| {
            pga_row(grid, r, rupture, p, vs30, row)
                .err()
                .map(|(c, e)| (r, c, e))
        })
        .collect();
    match errs.into_iter().flatten().next() {
        Some((row, col, source)) => Err(EngineError::GroundMotionCell {
            gmm: p.gmm_tree().label(),
            row,
            col,
            source,
        }),
        None => Ok(out),
    }
}

/// The intensity (basic intensity for the zoning method, instrumental for a
/// scenario; degree, NaN nodata) and the hazard index (`[hazard_index]`) per cell.
pub fn intensity_and_hazard(p: &EarthquakeParams, pga: &[f32]) -> (Vec<f32>, Vec<f32>) {
    let method = p.ground_motion.method;
    let intensity = pga.iter().map(|&g| cell_intensity(method, g)).collect();
    let hazard = pga
        .iter()
        .map(|&g| p.hazard_index.index(g as f64) as f32)
        .collect();
    (intensity, hazard)
}

/// The method's name in tags and the report: `zoning` or `scenario`.
pub fn method_name(m: Method) -> &'static str {
    match m {
        Method::Zoning => "zoning",
        Method::Scenario => "scenario",
    }
}
