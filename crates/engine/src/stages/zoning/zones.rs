//! Mappable zones of a level grid: the grid is cleaned — optionally one pass of the
//! 8-neighbour majority filter ([`ZoningOptions::majority_filter`]), then the sieve
//! to the minimum mapping unit **within townships**
//! ([`riskcensus_zoning::sieve::sieve_within`]: 4-connected regions of one level in
//! one township smaller than [`ZoningOptions::mmu_m2`] merge into their largest
//! neighbour of the same township, each cell's township being the one covering most
//! of it, [`riskcensus_zoning::units::cell_owner`]) — and polygonized with GDAL
//! (4-connected): one feature per region of one level in one township, with its
//! level, names, township code and area (m², planar area in the census CRS, to the
//! cm²). Every zone is at least the minimum mapping unit: a region left below it
//! (no region of its township touches it — an island of levels in nodata) is not a
//! zone; the layer counts them (`ZoneLayer::below_mmu`).
//!
//! (Until the reviewer's issue the sieve ran 8-connected over the whole grid before
//! the township cut, so diagonal chains and township slivers polygonized into
//! single cells: 14,095 of 14,462 flood-hazard zones of the 30 m demo were below
//! 10 ha.)

use geo::Area;
use ndarray::Array2;
use riskcensus_core::{GridSpec, LevelScheme};
use riskcensus_io::vector::FieldValue;
use riskcensus_zoning::sieve::sieve_within;
use riskcensus_zoning::units::{zone_codes, zone_of_code, Unit};

use crate::config::ZoningOptions;
use crate::error::EngineError;

/// A zone: its polygon and its fields (level, level_zh, level_en, township_code,
/// area_m2).
pub(super) type Zone = (geo_types::Geometry<f64>, Vec<FieldValue>);

/// The zones of one level grid, ready for a GeoPackage layer.
pub(super) struct ZoneLayer {
    /// The GeoPackage layer's name, `zones_<layer>`.
    pub name: String,
    /// The grid's level scheme (for the layer's style).
    pub scheme: LevelScheme,
    /// The zones, in the polygonizer's order.
    pub zones: Vec<Zone>,
    /// Regions below the minimum mapping unit left out (no region of their
    /// township touches them).
    pub below_mmu: usize,
}

/// The cleaning and cutting of level grids into zones.
pub(super) struct Zoner<'a> {
    /// The census grid.
    pub grid: &'a GridSpec,
    /// `[zoning]` of `census.toml`.
    pub opts: &'a ZoningOptions,
    /// The minimum mapping unit, cells.
    pub mmu_cells: usize,
    /// The townships, in code order.
    pub townships: &'a [Unit],
    /// Each cell's township (1 + its index; 0 = none).
    pub owner: &'a Array2<i32>,
}

impl Zoner<'_> {
    /// The zones of the level grid `layer` (`levels` in `scheme`).
    pub fn zones(
        &self,
        layer: &str,
        scheme: &LevelScheme,
        levels: &Array2<u8>,
    ) -> Result<ZoneLayer, EngineError> {
        let clean = if self.opts.majority_filter {
            riskcensus_kernels::majority::majority_filter(levels, 0)
        } else {
            levels.clone()
        };
        let (clean, _) = sieve_within(&clean, self.owner, self.mmu_cells);
        let codes = zone_codes(&clean, self.owner);
        let polys = riskcensus_io::zones::polygonize(&codes, self.grid)?;
        let mut zones = Vec::with_capacity(polys.len());
        // A region of n cells has the area of n cells (its holes are other
        // regions): below the unit by half a cell, it is a region left below it.
        let min_m2 = (self.mmu_cells as f64 - 0.5) * self.grid.cell_area();
        let mut below_mmu = 0;
        for (code, p) in polys {
            if p.unsigned_area() < min_m2 {
                below_mmu += 1;
                continue;
            }
            let (u, l) = zone_of_code(code);
            let class = scheme.class(l).expect("level of the scheme");
            zones.push((
                geo_types::Geometry::MultiPolygon(geo_types::MultiPolygon(vec![p.clone()])),
                vec![
                    FieldValue::Integer(l as i32),
                    FieldValue::String(class.name_zh.clone()),
                    FieldValue::String(class.name_en.clone()),
                    FieldValue::String(self.townships[u].code.clone()),
                    FieldValue::Real((p.unsigned_area() * 100.0).round() / 100.0),
                ],
            ));
        }
        Ok(ZoneLayer {
            name: format!("zones_{layer}"),
            scheme: scheme.clone(),
            zones,
            below_mmu,
        })
    }
}
