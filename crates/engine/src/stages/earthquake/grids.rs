//! The stage's grids: each written as `<id>.tif` (f32, NaN nodata) with the stage's
//! provenance tags and its unit, inserted into the layer stack under its id, and
//! listed for the report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ndarray::ArrayView2;
use riskcensus_core::GridSpec;
use riskcensus_io::CogOptions;

use super::fault::ScenarioUsed;
use super::model::EarthquakeModel;
use crate::provenance::{self, tag};
use crate::stack::LayerStack;
use crate::EngineError;

/// Writes the stage's grids (see the module doc).
pub struct GridOut<'a> {
    dir: &'a Path,
    grid: &'a GridSpec,
    tags: riskcensus_io::Provenance,
    /// Layer id → file, for every grid written.
    pub written: BTreeMap<String, PathBuf>,
}

impl<'a> GridOut<'a> {
    /// Grids of `model` by `method` (and `scenario`) into `dir`.
    pub fn new(
        dir: &'a Path,
        grid: &'a GridSpec,
        model: &EarthquakeModel,
        method: &str,
        scenario: Option<&ScenarioUsed>,
    ) -> Self {
        let p = &model.params;
        let mut tags = provenance::base();
        tags.insert(tag::MODEL_ID.into(), format!("{}@{}", p.id, p.version));
        tags.insert(tag::PARAM_HASH.into(), model.param_hash.clone());
        tags.insert("RISKCENSUS_EQ_METHOD".into(), method.into());
        if let Some(s) = scenario {
            tags.insert(
                "RISKCENSUS_EQ_SCENARIO".into(),
                format!(
                    "fault={} gmm={} M={} dip={} ztor={} zbot={} rake={}",
                    s.fault,
                    s.gmm,
                    s.magnitude,
                    s.dip_deg,
                    p.scenario.ztor_km,
                    p.scenario.zbot_km,
                    p.scenario.rake
                ),
            );
        }
        GridOut {
            dir,
            grid,
            tags,
            written: BTreeMap::new(),
        }
    }

    /// Write `data` (row-major) as layer `id` in `unit` and insert it into `stack`.
    pub fn put(
        &mut self,
        id: &str,
        data: &[f32],
        unit: &str,
        stack: &mut LayerStack,
    ) -> Result<(), EngineError> {
        let mut t = self.tags.clone();
        t.insert(tag::UNITS.into(), unit.into());
        let (rows, cols) = (self.grid.rows, self.grid.cols);
        let a = ArrayView2::from_shape((rows, cols), data).expect("grid-sized");
        let path = crate::output::write_array(
            self.dir,
            id,
            self.grid,
            a,
            Some(f64::NAN),
            &t,
            &CogOptions::default(),
        )?;
        stack.insert(id, &path, unit);
        self.written.insert(id.to_string(), path);
        Ok(())
    }
}
