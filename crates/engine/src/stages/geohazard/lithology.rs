//! The `lithology` source (engineering rock groups, field `code` I–IV) rasterized
//! onto the census grid as class codes 1–4, a factor of the susceptibility model.

use std::path::{Path, PathBuf};

use riskcensus_io::rasterize::{rasterize, RasterizeSpec};

use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::output::write_f32;
use crate::provenance::{self, tag};

/// Rasterize the `lithology` source's `code` field (Roman I–IV, or 1–4) onto the
/// grid as class codes 1–4 (cell-centre rule; 0 → NaN outside every polygon).
pub fn rasterize_lithology(census: &CensusConfig, out_dir: &Path) -> Result<PathBuf, EngineError> {
    let src = census
        .vectors
        .iter()
        .find(|v| v.id == "lithology")
        .ok_or_else(|| EngineError::MissingVectorSource {
            id: "lithology".into(),
            needed_by:
                "the geohazard factor `lithology` (engineering rock groups, field `code` I–IV)"
                    .into(),
        })?;
    let path = census.dir.join(&src.path);
    let mut out = vec![f32::NAN; census.grid.cell_count()];
    for (k, codes) in [
        ("1", ["I", "1"]),
        ("2", ["II", "2"]),
        ("3", ["III", "3"]),
        ("4", ["IV", "4"]),
    ] {
        let spec = RasterizeSpec {
            where_clause: Some(format!("code IN ('{}', '{}')", codes[0], codes[1])),
            ..RasterizeSpec::mask(src.layer.as_deref(), false)
        };
        let a = rasterize(&path, &census.grid, &spec)?;
        for (o, &v) in out.iter_mut().zip(a.iter()) {
            if v > 0.0 {
                *o = k.parse().expect("digit");
            }
        }
    }
    let mut tags = provenance::base();
    tags.insert(tag::SOURCE.into(), format!("{}:code", src.id));
    write_f32(
        out_dir,
        "lithology",
        &census.grid,
        &out,
        &tags,
        Some("class"),
    )
}
