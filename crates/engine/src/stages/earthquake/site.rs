//! Vs30 per cell for the scenario's site term: from slope (Wald & Allen 2007), or
//! from a map of NEHRP site classes A–E whose polygons cover their cells by the
//! cell-centre rule, the slope proxy filling the cells no polygon covers
//! (`riskcensus_models::earthquake::site`).

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::path::Path;

use riskcensus_core::GridSpec;
use riskcensus_io::rasterize::{rasterize, Burn, RasterizeSpec};
use riskcensus_io::vector_read::{RawValue, VectorSource};
use riskcensus_models::earthquake::params::{SiteSection, Vs30Source};
use riskcensus_models::earthquake::site::{vs30_from_site_class, vs30_from_slope_deg};
use riskcensus_models::earthquake::EarthquakeParams;

use crate::config::CensusConfig;
use crate::stack::LayerStack;
use crate::EngineError;

/// Vs30 per cell (m/s, NaN where unknown) for `vs30 = "slope"` or `"site_class"`;
/// `None` for a constant. A class outside A–E, or a polygon without a class, is an
/// error naming the source, feature and value.
pub fn site_vs30(
    census: &CensusConfig,
    stack: &LayerStack,
    p: &EarthquakeParams,
) -> Result<Option<Vec<f64>>, EngineError> {
    match &p.site.vs30 {
        Vs30Source::Constant(_) => Ok(None),
        Vs30Source::Layer(l) if l == "slope" => Ok(Some(from_slope(stack, &census.grid)?)),
        Vs30Source::Layer(_) => Ok(Some(from_site_classes(census, stack, &p.site)?)),
    }
}

/// Vs30 from the stack's `slope_deg` (Wald & Allen 2007).
fn from_slope(stack: &LayerStack, grid: &GridSpec) -> Result<Vec<f64>, EngineError> {
    let slope = stack.read_grid(
        "slope_deg",
        Some("deg"),
        grid,
        "Vs30 from slope (the earthquake scenario)",
    )?;
    Ok(slope
        .iter()
        .map(|&s| vs30_from_slope_deg(s as f64))
        .collect())
}

/// Vs30 of the site-class map `site.site_class_source`, the slope proxy where no
/// polygon covers a cell.
fn from_site_classes(
    census: &CensusConfig,
    stack: &LayerStack,
    site: &SiteSection,
) -> Result<Vec<f64>, EngineError> {
    let grid = &census.grid;
    let v = census
        .vectors
        .iter()
        .find(|v| v.id == site.site_class_source)
        .ok_or_else(|| EngineError::MissingVectorSource {
            id: site.site_class_source.clone(),
            needed_by: "site.vs30 = \"site_class\" (site-class polygons)".into(),
        })?;
    let path = census.source_path(&v.path);
    let classes = site_classes(&path, v.layer.as_deref(), site)?;
    // Burn each class's index (exact in f32) and map it to its f64 Vs30.
    let mut vs30 = from_slope(stack, grid)?;
    for (k, (class, value)) in classes.iter().enumerate() {
        let spec = RasterizeSpec {
            burn: Burn::Value(k as f64),
            init: f32::NAN,
            where_clause: Some(format!(
                "\"{}\" = '{}'",
                site.site_class_field.replace('"', "\"\""),
                class.replace('\'', "''")
            )),
            ..RasterizeSpec::mask(v.layer.as_deref(), false)
        };
        let a = rasterize(&path, grid, &spec)?;
        for (o, &b) in vs30.iter_mut().zip(a.iter()) {
            if !b.is_nan() {
                *o = *value;
            }
        }
    }
    Ok(vs30)
}

/// The distinct class texts of the map as stored, each checked and mapped to its
/// Vs30 (m/s).
fn site_classes(
    path: &Path,
    layer: Option<&str>,
    site: &SiteSection,
) -> Result<BTreeMap<String, f64>, EngineError> {
    let src = VectorSource::open(path)?;
    let info = src.info(layer)?;
    let field = info
        .fields
        .iter()
        .position(|(n, _)| *n == site.site_class_field)
        .ok_or_else(|| EngineError::MissingVectorField {
            path: path.to_path_buf(),
            layer: site.site_class_source.clone(),
            field: site.site_class_field.clone(),
            fields: info.fields.iter().map(|f| f.0.clone()).collect(),
        })?;
    let mut classes: BTreeMap<String, f64> = BTreeMap::new();
    src.read(layer, |f| -> Result<(), EngineError> {
        let text = match &f.values[field] {
            RawValue::Text(b) => String::from_utf8_lossy(b).into_owned(),
            _ => String::new(),
        };
        if let Entry::Vacant(class) = classes.entry(text) {
            let vs30 =
                vs30_from_site_class(class.key()).map_err(|source| EngineError::SiteClass {
                    path: path.to_path_buf(),
                    feature: f.index + 1,
                    field: site.site_class_field.clone(),
                    value: class.key().clone(),
                    source,
                })?;
            class.insert(vs30);
        }
        Ok(())
    })?;
    Ok(classes)
}
