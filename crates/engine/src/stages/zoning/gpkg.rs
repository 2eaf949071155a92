//! `zoning.gpkg`: the unit outlines (`townships`, `villages`), the zones of every
//! level grid (`zones_<layer>`), the unit tables, the tables of counts per township,
//! and the QGIS styles of the layers (`layer_styles`). Written with a fixed
//! timestamp, so the same inputs give the same bytes.

use std::path::Path;

use riskcensus_io::vector::{
    FieldDef, FieldType, FieldValue, GeometryType, VectorDriver, VectorLayerSpec, VectorWriter,
    WriteOptions,
};
use riskcensus_zoning::units::Unit;

use super::styles::{level_qml, township_qml, village_qml};
use super::tables::{CountTable, UnitTables};
use super::zones::ZoneLayer;
use crate::error::EngineError;
use crate::output::FIXED_TIMESTAMP;

/// What goes into `zoning.gpkg`.
pub(super) struct Contents<'a> {
    /// Townships, in code order.
    pub townships: &'a [Unit],
    /// Villages with a polygon, in code order (none: no `villages` layer).
    pub villages: &'a [Unit],
    /// The zones of every level grid.
    pub zones: Vec<ZoneLayer>,
    /// The unit tables: townships, then villages when there are some.
    pub tables: &'a [UnitTables<'a>],
    /// The tables of counts per township.
    pub counts: &'a [CountTable<'a>],
    /// The loss-route risk per township and county (`unit_risk`; none: no table).
    pub unit_risk: &'a [crate::loss::UnitRisk],
    /// The tables other stages delivered, with their QGIS styles.
    pub extra: &'a [(&'a crate::deliverable::Deliverable, Option<String>)],
}

/// Write `path` with the census CRS `crs`.
pub(super) fn write(path: &Path, crs: &str, c: Contents<'_>) -> Result<(), EngineError> {
    let mut w = Writer {
        w: VectorWriter::create(
            path,
            VectorDriver::GeoPackage,
            &WriteOptions {
                fixed_timestamp: Some(FIXED_TIMESTAMP.into()),
            },
        )?,
        crs,
        styles: Vec::new(),
    };
    w.outlines("townships", c.townships, false, township_qml())?;
    if !c.villages.is_empty() {
        w.outlines("villages", c.villages, true, village_qml())?;
    }
    for z in c.zones {
        w.zones(z)?;
    }
    for t in c.tables {
        w.unit_tables(t)?;
    }
    for t in c.counts {
        w.count_table(t)?;
    }
    if !c.unit_risk.is_empty() {
        w.unit_risk(c.unit_risk)?;
    }
    for (d, qml) in c.extra {
        w.deliverable(d, qml.clone())?;
    }
    w.styles()?;
    w.w.finish()?;
    Ok(())
}

struct Writer<'a> {
    w: VectorWriter,
    crs: &'a str,
    /// (layer, QML) of the layers written so far.
    styles: Vec<(String, String)>,
}

impl Writer<'_> {
    fn spec(&self, name: &str, geometry: GeometryType) -> VectorLayerSpec {
        VectorLayerSpec::new(VectorDriver::GeoPackage, name, self.crs, geometry)
    }

    /// Unit outlines: code, name, (township code,) area in km².
    fn outlines(
        &mut self,
        name: &str,
        units: &[Unit],
        with_parent: bool,
        qml: String,
    ) -> Result<(), EngineError> {
        let mut fields = vec![
            FieldDef::new("code", FieldType::String),
            FieldDef::new("name", FieldType::String),
        ];
        if with_parent {
            fields.push(FieldDef::new("township_code", FieldType::String));
        }
        fields.push(FieldDef::new("area_km2", FieldType::Real));
        let spec = self.spec(name, GeometryType::MultiPolygon).fields(fields);
        self.w.add_layer(
            &spec,
            units.iter().map(|u| {
                let mut v = vec![
                    FieldValue::String(u.code.clone()),
                    FieldValue::String(u.name.clone()),
                ];
                if with_parent {
                    v.push(FieldValue::String(u.parent.clone()));
                }
                v.push(FieldValue::Real(u.area_m2 / 1.0e6));
                (geo_types::Geometry::MultiPolygon(u.geometry.clone()), v)
            }),
        )?;
        self.styles.push((name.into(), qml));
        Ok(())
    }

    fn zones(&mut self, z: ZoneLayer) -> Result<(), EngineError> {
        let spec = self.spec(&z.name, GeometryType::MultiPolygon).fields([
            FieldDef::new("level", FieldType::Integer),
            FieldDef::new("level_zh", FieldType::String),
            FieldDef::new("level_en", FieldType::String),
            FieldDef::new("township_code", FieldType::String),
            FieldDef::new("area_m2", FieldType::Real),
        ]);
        self.w.add_layer(&spec, z.zones)?;
        self.styles.push((z.name, level_qml(&z.scheme)));
        Ok(())
    }

    fn unit_tables(&mut self, t: &UnitTables<'_>) -> Result<(), EngineError> {
        let spec = self
            .spec(&format!("{}_levels", t.prefix), GeometryType::None)
            .fields(t.level_fields());
        self.w.add_table(&spec, t.level_rows.clone())?;
        let spec = self
            .spec(&format!("{}_summary", t.prefix), GeometryType::None)
            .fields(t.summary_fields());
        self.w.add_table(&spec, t.summary_rows.clone())?;
        Ok(())
    }

    /// The columns of [`CountTable::fields`].
    fn count_table(&mut self, t: &CountTable<'_>) -> Result<(), EngineError> {
        let spec = self
            .spec(&t.counts.table, GeometryType::None)
            .fields(t.fields());
        self.w.add_table(&spec, t.values())?;
        Ok(())
    }

    /// `unit_risk`: the rows of the comprehensive stage's `risk_units.csv` (NaN
    /// written as null).
    fn unit_risk(&mut self, rows: &[crate::loss::UnitRisk]) -> Result<(), EngineError> {
        let text = [
            "unit_code",
            "unit_name",
            "unit_level",
            "hazard",
            "route",
            "population_source",
        ];
        let real = [
            "aal_wan_per_yr",
            "deaths_per_yr",
            "area_km2",
            "gdp_wan",
            "population",
            "aal_density_wan_per_km2_yr",
            "aal_gdp_pct",
            "death_rate_per_100k_yr",
        ];
        let int = [
            "level_aal_density",
            "level_aal_gdp",
            "level_death_rate",
            "risk_level",
        ];
        let fields = text
            .iter()
            .map(|n| FieldDef::new(*n, FieldType::String))
            .chain(real.iter().map(|n| FieldDef::new(*n, FieldType::Real)))
            .chain(int.iter().map(|n| FieldDef::new(*n, FieldType::Integer)))
            .collect::<Vec<_>>();
        let spec = self
            .spec(
                riskcensus_contracts::tables::zoning::UNIT_RISK,
                GeometryType::None,
            )
            .fields(fields);
        let r = |v: f64| {
            if v.is_finite() {
                FieldValue::Real(v)
            } else {
                FieldValue::Null
            }
        };
        let l = |v: u8| {
            if v == 0 {
                FieldValue::Null
            } else {
                FieldValue::Integer(i32::from(v))
            }
        };
        let s = |v: &str| FieldValue::String(v.to_string());
        self.w.add_table(
            &spec,
            rows.iter()
                .map(|u| {
                    vec![
                        s(&u.unit_code),
                        s(&u.unit_name),
                        s(&u.unit_level),
                        s(&u.hazard),
                        s(&u.route),
                        s(&u.population_source),
                        r(u.aal_wan),
                        r(u.deaths_per_year),
                        r(u.area_km2),
                        r(u.gdp_wan),
                        r(u.population),
                        r(u.aal_density),
                        r(u.aal_gdp_pct),
                        r(u.death_rate_per_100k),
                        l(u.level_aal_density),
                        l(u.level_aal_gdp),
                        l(u.level_death_rate),
                        l(u.risk_level),
                    ]
                })
                .collect::<Vec<_>>(),
        )?;
        Ok(())
    }

    /// A table another stage delivered: a layer with its geometry, or a plain table.
    fn deliverable(
        &mut self,
        d: &crate::deliverable::Deliverable,
        qml: Option<String>,
    ) -> Result<(), EngineError> {
        let spec = self.spec(&d.name, d.geometry).fields(d.fields.clone());
        if d.geometry == GeometryType::None {
            self.w
                .add_table(&spec, d.rows.iter().map(|(_, v)| v.clone()))?;
        } else {
            self.w.add_layer(
                &spec,
                d.rows
                    .iter()
                    .filter_map(|(g, v)| g.clone().map(|g| (g, v.clone()))),
            )?;
        }
        if let Some(q) = qml {
            self.styles.push((d.name.clone(), q));
        }
        Ok(())
    }

    /// QGIS reads the default style of a layer from the `layer_styles` table.
    fn styles(&mut self) -> Result<(), EngineError> {
        let spec = self.spec("layer_styles", GeometryType::None).fields([
            FieldDef::new("f_table_catalog", FieldType::String),
            FieldDef::new("f_table_schema", FieldType::String),
            FieldDef::new("f_table_name", FieldType::String),
            FieldDef::new("f_geometry_column", FieldType::String),
            FieldDef::new("styleName", FieldType::String),
            FieldDef::new("styleQML", FieldType::String),
            FieldDef::new("styleSLD", FieldType::String),
            FieldDef::new("useAsDefault", FieldType::Integer),
            FieldDef::new("description", FieldType::String),
            FieldDef::new("owner", FieldType::String),
            FieldDef::new("ui", FieldType::String),
            FieldDef::new("update_time", FieldType::String),
        ]);
        let rows = self.styles.iter().map(|(t, qml)| {
            vec![
                FieldValue::String(String::new()),
                FieldValue::String(String::new()),
                FieldValue::String(t.clone()),
                FieldValue::String("geom".into()),
                FieldValue::String(format!("{t} (RiskCensus)")),
                FieldValue::String(qml.clone()),
                FieldValue::String(String::new()),
                FieldValue::Integer(1),
                FieldValue::String("RiskCensus level colours".into()),
                FieldValue::String(String::new()),
                FieldValue::Null,
                FieldValue::String(FIXED_TIMESTAMP.into()),
            ]
        });
        self.w.add_table(&spec, rows)?;
        Ok(())
    }
}
