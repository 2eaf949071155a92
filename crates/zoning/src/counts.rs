//! Records counted per admin unit in named classes — e.g. buildings per earthquake
//! hidden-danger grade (重点 / 一般 / 轻微) per township. A stage that grades records
//! publishes a [`UnitCounts`]; the zoning stage turns each into a table of every
//! unit, so no record drops out. A table may also carry each class's share of the
//! unit's total beside the counts ([`UnitCounts::shares`]) and constant text
//! columns ([`UnitCounts::notes`], e.g. the basis of a provisional grade).

use std::collections::BTreeMap;

/// Counts of records per unit and class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitCounts {
    /// Name of the table (zoning GeoPackage table and CSV file stem).
    pub table: String,
    /// Column names of the classes, in class order.
    pub classes: Vec<String>,
    /// Name of the column of the unit's total.
    pub total: String,
    /// Unit code (the records' surveyed unit code) → count per class.
    pub by_unit: BTreeMap<String, Vec<u64>>,
    /// Add `<class>_share` columns after the total: each class's count over the
    /// unit's total (a fraction in \[0, 1\]; null where the total is 0).
    pub shares: bool,
    /// Text columns (name, value) after the counts, the same on every row.
    pub notes: Vec<(String, String)>,
}

/// One row of a [`UnitCounts`] table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitCountRow {
    /// Unit code.
    pub code: String,
    /// Unit name.
    pub name: String,
    /// Count per class.
    pub counts: Vec<u64>,
}

impl UnitCountRow {
    /// The unit's total over its classes.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Each class's share of the total (`None` where the total is 0).
    pub fn shares(&self) -> Vec<Option<f64>> {
        let t = self.total();
        self.counts
            .iter()
            .map(|&n| (t > 0).then(|| n as f64 / t as f64))
            .collect()
    }
}

impl UnitCounts {
    /// One row per unit of `units` ((code, name), in their order), zeros where the
    /// unit has no record; then one row per code of the counts that is no unit, named
    /// `unmapped`, so that every record is in the table.
    pub fn rows<'a>(
        &self,
        units: impl IntoIterator<Item = (&'a str, &'a str)> + Clone,
        unmapped: &str,
    ) -> Vec<UnitCountRow> {
        let zeros = vec![0; self.classes.len()];
        let mut rows: Vec<UnitCountRow> = units
            .clone()
            .into_iter()
            .map(|(code, name)| UnitCountRow {
                code: code.to_string(),
                name: name.to_string(),
                counts: self.by_unit.get(code).cloned().unwrap_or(zeros.clone()),
            })
            .collect();
        rows.extend(
            self.by_unit
                .iter()
                .filter(|(code, _)| !units.clone().into_iter().any(|(c, _)| c == code.as_str()))
                .map(|(code, counts)| UnitCountRow {
                    code: code.clone(),
                    name: unmapped.to_string(),
                    counts: counts.clone(),
                }),
        );
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_gets_a_row_and_no_record_is_lost() {
        let c = UnitCounts {
            table: "t".into(),
            classes: vec!["a".into(), "b".into()],
            total: "n".into(),
            by_unit: BTreeMap::from([("2".into(), vec![1, 2]), ("9".into(), vec![0, 4])]),
            shares: true,
            notes: Vec::new(),
        };
        let units = [("1", "one"), ("2", "two")];
        let rows = c.rows(units.iter().copied(), "?");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].counts, vec![0, 0]);
        assert_eq!((rows[1].total(), rows[2].name.as_str()), (3, "?"));
        // The counts of the table sum to the records counted.
        assert_eq!(rows.iter().map(UnitCountRow::total).sum::<u64>(), 7);
        // Shares by hand: 1/3 and 2/3; none for a unit without records.
        assert_eq!(rows[1].shares(), vec![Some(1.0 / 3.0), Some(2.0 / 3.0)]);
        assert_eq!(rows[0].shares(), vec![None, None]);
    }
}
