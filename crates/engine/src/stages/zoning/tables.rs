//! The zoning stage's unit tables: their columns and rows (shared by the GeoPackage
//! and the CSV files), and the CSV and JSON files.
//!
//! - `<prefix>_levels` (prefix `unit` for townships, `village` for villages): one
//!   row per unit, layer and level — area, share, population, buildings, value and
//!   hidden dangers;
//! - `<prefix>_summary`: one row per unit and layer — area, score mean and max, the
//!   unit level and its rule, the prevention placement and its trace;
//! - village tables carry the village's township (`township_code`,
//!   `township_name`; [`NO_TOWNSHIP`] for a township code that is no mapped
//!   township);
//! - tables of counts per township that earlier stages published
//!   ([`UnitCounts`]): code, name, one column per class, the total.
//!
//! CSV files are written with the `csv` crate (fields quoted only where they hold a
//! comma, quote or line break); nulls are empty, reals in Rust's shortest
//! round-trip form. The summary CSV leaves out the rule text, which every row
//! repeats; the GeoPackage and the JSON keep it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use riskcensus_core::LevelScheme;
use riskcensus_io::vector::{FieldDef, FieldType, FieldValue};
use riskcensus_zoning::prevention::UnitSummary;
use riskcensus_zoning::units::Unit;
use riskcensus_zoning::{UnitCountRow, UnitCounts};
use serde::Serialize;

use crate::error::EngineError;
use crate::output::write_bytes;

/// `township_name` of a village whose township code is no mapped township.
pub const NO_TOWNSHIP: &str = "(不在乡镇图内 not a mapped township)";

/// Village code → (township code, township name).
pub(super) type Parents = BTreeMap<String, (String, String)>;

/// A village row of `village_summary.json`: the unit summary with its township.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VillageSummary {
    /// The village's township code.
    pub township_code: String,
    /// The township's name ([`NO_TOWNSHIP`] when it is no mapped township).
    pub township_name: String,
    /// The village's summary.
    #[serde(flatten)]
    pub summary: UnitSummary,
}

/// Each village's township: code and name (sorted `townships` by code).
pub(super) fn parents(villages: &[Unit], townships: &[Unit]) -> Parents {
    villages
        .iter()
        .map(|v| {
            let name = townships
                .binary_search_by(|t| t.code.cmp(&v.parent))
                .map(|i| townships[i].name.clone())
                .unwrap_or_else(|_| NO_TOWNSHIP.to_string());
            (v.code.clone(), (v.parent.clone(), name))
        })
        .collect()
}

/// One level of units' tables (`unit_*` or `village_*`) with their rows.
pub(super) struct UnitTables<'a> {
    /// `unit` (townships) or `village`.
    pub prefix: &'static str,
    /// The units' summaries, layer by layer.
    pub summaries: &'a [UnitSummary],
    /// The villages' townships (village tables only).
    pub parents: Option<&'a Parents>,
    /// Rows of `<prefix>_levels`.
    pub level_rows: Vec<Vec<FieldValue>>,
    /// Rows of `<prefix>_summary`.
    pub summary_rows: Vec<Vec<FieldValue>>,
}

impl<'a> UnitTables<'a> {
    /// The tables of `summaries`; `parents` for villages.
    pub fn new(
        prefix: &'static str,
        summaries: &'a [UnitSummary],
        parents: Option<&'a Parents>,
        schemes: &BTreeMap<String, LevelScheme>,
    ) -> Self {
        Self {
            prefix,
            summaries,
            parents,
            level_rows: level_rows(summaries, parents, schemes),
            summary_rows: summary_rows(summaries, parents),
        }
    }

    /// Columns of `<prefix>_levels`.
    pub fn level_fields(&self) -> Vec<FieldDef> {
        level_fields(self.parents.is_some())
    }

    /// Columns of `<prefix>_summary`.
    pub fn summary_fields(&self) -> Vec<FieldDef> {
        summary_fields(self.parents.is_some())
    }

    /// Write `<prefix>_summary.json`, `<prefix>_summary.csv` and
    /// `<prefix>_levels.csv` into `out`; returns their paths in that order.
    pub fn write_files(&self, out: &Path) -> Result<[PathBuf; 3], EngineError> {
        let json = out.join(format!("{}_summary.json", self.prefix));
        let body = match self.parents {
            Some(parents) => {
                let rows: Vec<VillageSummary> = self
                    .summaries
                    .iter()
                    .map(|s| {
                        let (tc, tn) = parents[&s.stats.unit_code].clone();
                        VillageSummary {
                            township_code: tc,
                            township_name: tn,
                            summary: s.clone(),
                        }
                    })
                    .collect();
                serde_json::to_string_pretty(&rows)
            }
            None => serde_json::to_string_pretty(self.summaries),
        }
        .expect("serialisable");
        write_bytes(&json, body.as_bytes())?;
        let summary = out.join(format!("{}_summary.csv", self.prefix));
        write_csv(
            &summary,
            &self.summary_fields(),
            &self.summary_rows,
            &["unit_level_rule"],
        )?;
        let levels = out.join(format!("{}_levels.csv", self.prefix));
        write_csv(&levels, &self.level_fields(), &self.level_rows, &[])?;
        Ok([json, summary, levels])
    }
}

/// The unit code and name columns, then the township columns of village tables.
fn key_fields(with_parent: bool) -> Vec<FieldDef> {
    let mut v = vec![
        FieldDef::new("unit_code", FieldType::String),
        FieldDef::new("unit_name", FieldType::String),
    ];
    if with_parent {
        v.push(FieldDef::new("township_code", FieldType::String));
        v.push(FieldDef::new("township_name", FieldType::String));
    }
    v
}

fn key_values(s: &UnitSummary, parents: Option<&Parents>) -> Vec<FieldValue> {
    let mut v = vec![
        FieldValue::String(s.stats.unit_code.clone()),
        FieldValue::String(s.stats.unit_name.clone()),
    ];
    if let Some(p) = parents {
        let (tc, tn) = p
            .get(&s.stats.unit_code)
            .cloned()
            .unwrap_or_else(|| (String::new(), NO_TOWNSHIP.into()));
        v.push(FieldValue::String(tc));
        v.push(FieldValue::String(tn));
    }
    v
}

/// Columns of `unit_levels` / `village_levels`: one row per unit, layer and level.
fn level_fields(with_parent: bool) -> Vec<FieldDef> {
    let mut v = key_fields(with_parent);
    v.push(FieldDef::new("layer", FieldType::String));
    v.push(FieldDef::new("level", FieldType::Integer));
    v.push(FieldDef::new("level_zh", FieldType::String));
    for f in [
        "area_km2",
        "share",
        "population",
        "buildings",
        "value_wan",
        "hidden_dangers",
    ] {
        v.push(FieldDef::new(f, FieldType::Real));
    }
    v
}

/// One row per unit, layer and level; `schemes` (by id) name the levels.
fn level_rows(
    summaries: &[UnitSummary],
    parents: Option<&Parents>,
    schemes: &BTreeMap<String, LevelScheme>,
) -> Vec<Vec<FieldValue>> {
    let mut rows = Vec::new();
    for s in summaries {
        let scheme = schemes.get(&s.stats.scheme);
        for l in 0..s.stats.area_km2_by_level.len() {
            let mut row = key_values(s, parents);
            row.extend([
                FieldValue::String(s.stats.layer.clone()),
                FieldValue::Integer(l as i32 + 1),
                FieldValue::String(
                    scheme
                        .and_then(|sc| sc.class(l as u8 + 1))
                        .map(|c| c.name_zh.clone())
                        .unwrap_or_default(),
                ),
                FieldValue::Real(s.stats.area_km2_by_level[l]),
                FieldValue::Real(s.stats.share_by_level[l]),
                FieldValue::Real(s.stats.population_by_level[l]),
                FieldValue::Real(s.stats.buildings_by_level[l]),
                FieldValue::Real(s.stats.value_wan_by_level[l]),
                FieldValue::Real(s.stats.hidden_dangers_by_level[l]),
            ]);
            rows.push(row);
        }
    }
    rows
}

/// Columns of `unit_summary` / `village_summary`: one row per unit and layer.
fn summary_fields(with_parent: bool) -> Vec<FieldDef> {
    let mut v = key_fields(with_parent);
    v.extend([
        FieldDef::new("layer", FieldType::String),
        FieldDef::new("area_km2", FieldType::Real),
        FieldDef::new("score_mean", FieldType::Real),
        FieldDef::new("score_max", FieldType::Real),
        FieldDef::new("unit_level", FieldType::Integer),
        FieldDef::new("unit_level_rule", FieldType::String),
        FieldDef::new("prevention_tier", FieldType::Integer),
        FieldDef::new("prevention_name", FieldType::String),
        FieldDef::new("prevention_rule", FieldType::String),
        FieldDef::new("prevention_trace", FieldType::String),
    ]);
    v
}

fn summary_rows(summaries: &[UnitSummary], parents: Option<&Parents>) -> Vec<Vec<FieldValue>> {
    let opt_r = |v: Option<f64>| v.map(FieldValue::Real).unwrap_or(FieldValue::Null);
    let opt_s = |v: &Option<String>| {
        v.clone()
            .map(FieldValue::String)
            .unwrap_or(FieldValue::Null)
    };
    summaries
        .iter()
        .map(|s| {
            let mut row = key_values(s, parents);
            row.extend([
                FieldValue::String(s.stats.layer.clone()),
                FieldValue::Real(s.stats.area_km2),
                opt_r(s.stats.score_mean),
                opt_r(s.stats.score_max),
                FieldValue::Integer(s.stats.unit_level as i32),
                FieldValue::String(s.stats.unit_level_rule.clone()),
                s.prevention_tier
                    .map(|t| FieldValue::Integer(t as i32))
                    .unwrap_or(FieldValue::Null),
                opt_s(&s.prevention_name),
                opt_s(&s.prevention_rule),
                opt_s(&s.prevention_trace),
            ]);
            row
        })
        .collect()
}

/// A table of counts per township with its rows: one per township, then the codes
/// that are no township ([`UnitCounts::rows`]).
pub(super) struct CountTable<'a> {
    /// The published counts.
    pub counts: &'a UnitCounts,
    /// Its rows.
    pub rows: Vec<UnitCountRow>,
}

impl<'a> CountTable<'a> {
    /// The table of `counts` over `townships`.
    pub fn new(counts: &'a UnitCounts, townships: &[Unit]) -> Self {
        Self {
            counts,
            rows: counts.rows(
                townships.iter().map(|u| (u.code.as_str(), u.name.as_str())),
                NO_TOWNSHIP,
            ),
        }
    }

    /// Columns: code and name (strings), the classes and the total (64-bit
    /// integers), with [`UnitCounts::shares`] each class's share (`<class>_share`,
    /// real), then the [`UnitCounts::notes`] (strings).
    pub fn fields(&self) -> Vec<FieldDef> {
        let c = self.counts;
        let mut v = vec![
            FieldDef::new("unit_code", FieldType::String),
            FieldDef::new("unit_name", FieldType::String),
        ];
        v.extend(
            c.classes
                .iter()
                .chain(std::iter::once(&c.total))
                .map(|n| FieldDef::new(n.clone(), FieldType::Integer64)),
        );
        if c.shares {
            v.extend(
                c.classes
                    .iter()
                    .map(|n| FieldDef::new(format!("{n}_share"), FieldType::Real)),
            );
        }
        v.extend(
            c.notes
                .iter()
                .map(|(n, _)| FieldDef::new(n.clone(), FieldType::String)),
        );
        v
    }

    /// The rows as field values in the order of [`CountTable::fields`]; shares
    /// rounded to 4 decimals, null where the unit has no record.
    pub fn values(&self) -> impl Iterator<Item = Vec<FieldValue>> + '_ {
        self.rows.iter().map(|r| {
            let mut v = vec![
                FieldValue::String(r.code.clone()),
                FieldValue::String(r.name.clone()),
            ];
            v.extend(r.counts.iter().map(|&n| FieldValue::Integer64(n as i64)));
            v.push(FieldValue::Integer64(r.total() as i64));
            if self.counts.shares {
                v.extend(r.shares().into_iter().map(|s| match s {
                    Some(s) => crate::deliverable::round(s, 4),
                    None => FieldValue::Null,
                }));
            }
            v.extend(
                self.counts
                    .notes
                    .iter()
                    .map(|(_, t)| FieldValue::String(t.clone())),
            );
            v
        })
    }

    /// Write `<out>/<table>.csv`; returns its path.
    pub fn write_csv(&self, out: &Path) -> Result<PathBuf, EngineError> {
        let p = out.join(format!("{}.csv", self.counts.table));
        let rows: Vec<Vec<FieldValue>> = self.values().collect();
        write_csv(&p, &self.fields(), &rows, &[])?;
        Ok(p)
    }
}

/// Write table rows as the CSV file `path` (header from the fields), leaving out
/// the `skip` columns.
fn write_csv(
    path: &Path,
    fields: &[FieldDef],
    rows: &[Vec<FieldValue>],
    skip: &[&str],
) -> Result<(), EngineError> {
    let bytes = csv_bytes(fields, rows, skip).map_err(|source| EngineError::CsvWrite {
        path: path.to_path_buf(),
        source,
    })?;
    write_bytes(path, &bytes)
}

/// CSV of table rows (header from the fields), leaving out the `skip` columns; null
/// → empty, reals in Rust's shortest round-trip form.
fn csv_bytes(
    fields: &[FieldDef],
    rows: &[Vec<FieldValue>],
    skip: &[&str],
) -> Result<Vec<u8>, csv::Error> {
    let keep: Vec<usize> = (0..fields.len())
        .filter(|&i| !skip.contains(&fields[i].name.as_str()))
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(keep.iter().map(|&i| fields[i].name.as_str()))?;
    for r in rows {
        w.write_record(keep.iter().map(|&i| match &r[i] {
            FieldValue::String(s) => s.clone(),
            FieldValue::Integer(i) => i.to_string(),
            FieldValue::Integer64(i) => i.to_string(),
            FieldValue::Real(x) => format!("{x}"),
            _ => String::new(),
        }))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_what_needs_it_and_reads_back() {
        let fields = [
            FieldDef::new("unit_name", FieldType::String),
            FieldDef::new("rule", FieldType::String),
            FieldDef::new("n", FieldType::Integer),
            FieldDef::new("x", FieldType::Real),
        ];
        let odd = "甲镇, \"东\"\n片";
        let rows = vec![
            vec![
                FieldValue::String(odd.into()),
                FieldValue::String("U1".into()),
                FieldValue::Integer(3),
                FieldValue::Real(0.1),
            ],
            vec![
                FieldValue::String("乙镇".into()),
                FieldValue::Null,
                FieldValue::Integer(-1),
                FieldValue::Real(2.0),
            ],
        ];
        let bytes = csv_bytes(&fields, &rows, &["rule"]).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("unit_name,n,x\n"), "{text}");
        assert!(text.ends_with("\n乙镇,-1,2\n"), "{text}");
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let back: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(back.len(), 2);
        assert_eq!((&back[0][0], &back[0][1], &back[0][2]), (odd, "3", "0.1"));
    }
}
