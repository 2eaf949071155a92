//! The earthquake hidden-danger grades of a run (the earthquake stage's tables,
//! docs/earthquake.md): buildings graded 重点 / 一般 / 轻微 per structure type
//! (`assess/eq_grades_by_structure.csv`, ending with the row `all`) and per
//! township (`assess/unit_seismic_grades.csv`, written by the zoning stage), with
//! the basis of the grade — a provisional rule of the engine, which the report
//! says wherever it shows the grade.

use riskcensus_contracts::tables::zoning;

use crate::loss::CsvFile;
use crate::run::Run;
use crate::ReportError;

/// One row of a grade table: the unit or structure, its counts of 重点, 一般 and
/// 轻微 and their total.
#[derive(Debug, Clone, PartialEq)]
pub struct GradeRow {
    /// Unit code, structure code or `all`.
    pub code: String,
    /// Unit name or the structure's Chinese name.
    pub name: String,
    /// Buildings graded 重点, 一般, 轻微.
    pub counts: [u64; 3],
}

impl GradeRow {
    /// Buildings graded.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The share of grade `k` (0 = 重点) of the total; `None` for no building.
    pub fn share(&self, k: usize) -> Option<f64> {
        let t = self.total();
        (t > 0).then(|| self.counts[k] as f64 / t as f64)
    }
}

/// The grade tables of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct GradeTables {
    /// Per structure type, then the row `all`.
    pub structures: Vec<GradeRow>,
    /// Per township (empty when the run has no zoning table).
    pub townships: Vec<GradeRow>,
    /// The grade's basis as the tables carry it (`grade_basis`).
    pub basis: String,
}

impl GradeTables {
    /// The county row (`all`).
    pub fn county(&self) -> Option<&GradeRow> {
        self.structures.iter().find(|r| r.code == "all")
    }
}

fn rows(f: &CsvFile, code: &str, name: &str) -> Result<(Vec<GradeRow>, String), ReportError> {
    let mut basis = String::new();
    let mut out = Vec::new();
    for r in f.rows() {
        let n = |c: &str| -> Result<u64, ReportError> {
            r.opt_i64(c)?
                .filter(|v| *v >= 0)
                .map(|v| v as u64)
                .ok_or_else(|| r.bad(c, "not a count"))
        };
        out.push(GradeRow {
            code: r.text(code)?.to_string(),
            name: r.text(name)?.to_string(),
            counts: [n("grade1_key")?, n("grade2_general")?, n("grade3_minor")?],
        });
        basis = r.text("grade_basis")?.to_string();
    }
    Ok((out, basis))
}

/// Read the grade tables of `run`; `None` when the run has no table per structure
/// (no earthquake stage, or a run made before issue 18).
pub fn read(run: &Run) -> Result<Option<GradeTables>, ReportError> {
    let assess = run.layout.assess();
    let path = assess.join(format!("{}.csv", zoning::EQ_GRADES_BY_STRUCTURE));
    if !path.exists() {
        return Ok(None);
    }
    let (structures, basis) = rows(&CsvFile::read(&path)?, "structure", "structure_name")?;
    let towns = assess.join(format!("{}.csv", zoning::UNIT_SEISMIC_GRADES));
    let townships = if towns.exists() {
        rows(&CsvFile::read(&towns)?, "unit_code", "unit_name")?.0
    } else {
        Vec::new()
    };
    Ok(Some(GradeTables {
        structures,
        townships,
        basis,
    }))
}
