//! Collect-all validation of survey records against the census schema: every
//! problem of every record is reported, each naming source, record, field, value
//! and rule.

use std::collections::BTreeMap;

use riskcensus_io::vector::FieldValue;
use serde::Serialize;

use crate::error::SurveyError;
use crate::mapping::Mapping;
use crate::schema::{Field, Kind, Layer};
use crate::source::{RecordRef, SrcRecord, SrcVal};
use crate::text::number_text;

/// The rule a record broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A required field is empty.
    Required,
    /// The value does not parse as the field's type.
    Type,
    /// The value is not in the field's domain.
    Domain,
    /// A number outside the field's range.
    Range,
    /// A date or year after today.
    FutureDate,
    /// The record key repeats an earlier record of the same source.
    DuplicateId,
    /// Missing geometry where one is required.
    NoGeometry,
    /// The geometry is invalid and no safe repair exists, or of the wrong type.
    InvalidGeometry,
    /// Longitude and latitude (or easting and northing) are swapped.
    LonlatSwapped,
    /// The location lies outside the study area (the census grid).
    OutsideStudyArea,
    /// A CSV row with more or fewer fields than the header.
    FieldCount,
    /// An admin unit, or a record keyed by a unit's admin code
    /// (`community_capacity`), whose code lies outside the census's area (its code
    /// does not start with the census code's prefix; `--allow-foreign` loads it).
    ForeignCode,
}

impl Rule {
    /// The rule's stable snake_case name (`required`, `lonlat_swapped`, …), as
    /// stored in the `rule` column of `_rejects` and in JSON reports.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Required => "required",
            Rule::Type => "type",
            Rule::Domain => "domain",
            Rule::Range => "range",
            Rule::FutureDate => "future_date",
            Rule::DuplicateId => "duplicate_id",
            Rule::NoGeometry => "no_geometry",
            Rule::InvalidGeometry => "invalid_geometry",
            Rule::LonlatSwapped => "lonlat_swapped",
            Rule::OutsideStudyArea => "outside_study_area",
            Rule::FieldCount => "field_count",
            Rule::ForeignCode => "foreign_code",
        }
    }
}

/// One problem of one record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// The source file, as given.
    pub source: String,
    /// `row 1235 (line 1236)` or `fid 53`.
    pub record: String,
    /// 1-based data row (CSV) or feature index + 1 (vector sources).
    pub row: u64,
    /// Feature id of a vector feature, when the source has one.
    pub fid: Option<u64>,
    /// The record key, when it could be read.
    pub key: Option<String>,
    /// The schema field (or source coordinate column) at fault: `geometry` for
    /// location problems, `*` for a CSV row of the wrong length, the key fields
    /// joined by `+` for a duplicate.
    pub field: String,
    /// The offending value as read (empty when there is none).
    pub value: String,
    /// The rule broken.
    pub rule: Rule,
    /// A sentence for people saying what is wrong and what was expected.
    pub message: String,
}

/// How schema fields are read from a source's columns.
#[derive(Debug, Clone)]
pub struct FieldPlan {
    /// The census layer the source is read into.
    pub layer: &'static Layer,
    /// For each schema field, the source column index.
    pub columns: Vec<Option<usize>>,
    /// Source columns not used by any schema field.
    pub ignored: Vec<String>,
    /// `schema field ← source column` lines for the report.
    pub resolved: Vec<(String, String)>,
    values: Vec<BTreeMap<String, String>>,
}

impl FieldPlan {
    /// Resolve schema fields against source columns: the mapping file first, then
    /// the schema name, then the field's aliases (ASCII case-insensitive). A
    /// required field with no column is an error listing every missing field.
    pub fn resolve(
        layer: &'static Layer,
        source_columns: &[String],
        mapping: Option<&Mapping>,
        path: &std::path::Path,
        skip: &[usize],
    ) -> Result<Self, SurveyError> {
        let find = |n: &str| {
            source_columns
                .iter()
                .enumerate()
                .find(|(i, c)| c.eq_ignore_ascii_case(n) && !skip.contains(i))
                .map(|(i, _)| i)
        };
        let mut columns = Vec::new();
        let mut missing = Vec::new();
        let mut resolved = Vec::new();
        let mut used = vec![false; source_columns.len()];
        for f in layer.fields {
            let mut col = None;
            if let Some(m) = mapping {
                for (src, dst) in &m.fields {
                    if dst == f.name {
                        match find(src) {
                            Some(i) => col = Some(i),
                            None => {
                                return Err(SurveyError::Mapping {
                                    path: m.path.clone().unwrap_or_else(|| path.to_path_buf()),
                                    msg: format!(
                                        "[fields] {src} = {dst:?}: the source has no field {src:?} (fields: {})",
                                        source_columns.join(", ")
                                    ),
                                })
                            }
                        }
                    }
                }
            }
            let mapped_away = |i: usize| {
                mapping.is_some_and(|m| {
                    m.fields
                        .keys()
                        .any(|k| k.eq_ignore_ascii_case(&source_columns[i]))
                })
            };
            if col.is_none() {
                col = find(f.name).filter(|&i| !mapped_away(i));
            }
            if col.is_none() {
                // The aliases, then the field's Chinese name (the 中文 column of
                // docs/census-schema.md, the name messages give it).
                col = f
                    .aliases
                    .iter()
                    .chain(std::iter::once(&f.zh))
                    .find_map(|a| find(a))
                    .filter(|&i| !mapped_away(i) && !used[i]);
            }
            if let Some(i) = col {
                used[i] = true;
                resolved.push((f.name.to_string(), source_columns[i].clone()));
            } else if f.required {
                missing.push(format!("{} ({})", f.name, f.zh));
            }
            columns.push(col);
        }
        if !missing.is_empty() {
            return Err(SurveyError::MissingFields {
                path: path.to_path_buf(),
                layer: layer.name.into(),
                missing,
                available: source_columns.to_vec(),
            });
        }
        let ignored = source_columns
            .iter()
            .enumerate()
            .filter(|(i, _)| !used[*i] && !skip.contains(i))
            .map(|(_, c)| c.clone())
            .collect();
        let values = layer
            .fields
            .iter()
            .map(|f| {
                mapping
                    .and_then(|m| m.values.get(f.name).cloned())
                    .unwrap_or_default()
            })
            .collect();
        Ok(Self {
            layer,
            columns,
            ignored,
            resolved,
            values,
        })
    }

    /// Type and check the attributes of one record: values in schema field order,
    /// and every problem found.
    pub fn check(
        &self,
        rec: &SrcRecord,
        source: &str,
        today: (i32, u32, u32),
        problems: &mut Vec<Problem>,
    ) -> Vec<FieldValue> {
        let mut out = Vec::with_capacity(self.layer.fields.len());
        let mut push = |f: &Field, value: String, rule: Rule, message: String| {
            problems.push(problem(source, rec.at, f.name, value, rule, message));
        };
        for ((f, col), vmap) in self
            .layer
            .fields
            .iter()
            .zip(&self.columns)
            .zip(&self.values)
        {
            let raw = col.and_then(|i| rec.values.get(i)).unwrap_or(&SrcVal::Null);
            if raw.is_blank() {
                if f.required {
                    push(
                        f,
                        String::new(),
                        Rule::Required,
                        format!("{} ({}) is required", f.name, f.zh),
                    );
                }
                out.push(FieldValue::Null);
                continue;
            }
            let shown = raw.display();
            let mapped = vmap.get(shown.trim()).cloned();
            let text = mapped.clone().unwrap_or_else(|| shown.clone());
            let v = match f.kind {
                // SQLite text ends at a NUL: storing it would cut the value.
                Kind::Text if text.contains('\0') => {
                    push(
                        f,
                        text.replace('\0', "\\0"),
                        Rule::Type,
                        format!(
                            "{} holds a NUL byte (shown \\0): text cannot store one",
                            f.name
                        ),
                    );
                    None
                }
                Kind::Text => Some(FieldValue::String(text)),
                Kind::Integer => {
                    let n = match raw {
                        SrcVal::Int(i) if mapped.is_none() => Some(*i),
                        SrcVal::Real(r) if mapped.is_none() && r.fract() == 0.0 => Some(*r as i64),
                        _ => number_text(&text, f.written_unit()).and_then(|t| {
                            t.parse::<i64>().ok().or_else(|| {
                                t.parse::<f64>()
                                    .ok()
                                    .filter(|r| r.fract() == 0.0 && r.abs() < 9e15)
                                    .map(|r| r as i64)
                            })
                        }),
                    };
                    match n {
                        None => {
                            push(
                                f,
                                shown.clone(),
                                Rule::Type,
                                format!("{} must be an integer", f.name),
                            );
                            None
                        }
                        Some(n) => check_range(f, n as f64, today, &shown, &mut push)
                            .then_some(FieldValue::Integer64(n)),
                    }
                }
                Kind::Real => {
                    let n = match raw {
                        SrcVal::Int(i) if mapped.is_none() => Some(*i as f64),
                        SrcVal::Real(r) if mapped.is_none() => Some(*r),
                        _ => number_text(&text, f.written_unit())
                            .and_then(|t| t.parse::<f64>().ok())
                            .filter(|r| r.is_finite()),
                    };
                    match n {
                        None => {
                            push(
                                f,
                                shown.clone(),
                                Rule::Type,
                                format!("{} must be a number", f.name),
                            );
                            None
                        }
                        Some(n) => check_range(f, n, today, &shown, &mut push)
                            .then_some(FieldValue::Real(n)),
                    }
                }
                Kind::Date => match crate::text::parse_date(&text) {
                    None => {
                        push(
                            f,
                            shown.clone(),
                            Rule::Type,
                            format!("{} must be a date YYYY-MM-DD", f.name),
                        );
                        None
                    }
                    Some(d) if d > today => {
                        push(
                            f,
                            shown.clone(),
                            Rule::FutureDate,
                            format!(
                                "{} {:04}-{:02}-{:02} is after today ({:04}-{:02}-{:02})",
                                f.name, d.0, d.1, d.2, today.0, today.1, today.2
                            ),
                        );
                        None
                    }
                    Some((year, month, day)) => Some(FieldValue::Date { year, month, day }),
                },
                Kind::Code(domain) => match domain.lookup(&text) {
                    Some(code) => Some(FieldValue::String(code.to_string())),
                    None => {
                        push(
                            f,
                            shown.clone(),
                            Rule::Domain,
                            format!(
                                "{:?} is not a {} value; allowed: {}",
                                shown,
                                domain.name,
                                domain.describe()
                            ),
                        );
                        None
                    }
                },
            };
            out.push(v.unwrap_or(FieldValue::Null));
        }
        out
    }
}

fn check_range(
    f: &Field,
    n: f64,
    today: (i32, u32, u32),
    shown: &str,
    push: &mut impl FnMut(&Field, String, Rule, String),
) -> bool {
    if f.year && n > today.0 as f64 {
        push(
            f,
            shown.to_string(),
            Rule::FutureDate,
            format!("{} {} is after the current year {}", f.name, n, today.0),
        );
        return false;
    }
    if let Some((lo, hi)) = f.range {
        if n < lo || n > hi {
            let unit = f.unit.map(|u| format!(" {u}")).unwrap_or_default();
            let hi_s = if f.year {
                "this year".to_string()
            } else {
                format!("{hi}")
            };
            push(
                f,
                shown.to_string(),
                Rule::Range,
                format!("{} = {n}{unit} is outside [{lo}, {hi_s}]", f.name),
            );
            return false;
        }
    }
    true
}

pub(crate) fn problem(
    source: &str,
    at: RecordRef,
    field: &str,
    value: String,
    rule: Rule,
    message: String,
) -> Problem {
    Problem {
        source: source.to_string(),
        record: at.to_string(),
        row: at.row,
        fid: at.fid,
        key: None,
        field: field.to_string(),
        value,
        rule,
        message,
    }
}
