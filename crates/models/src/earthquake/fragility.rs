//! Building fragility, losses and casualties (the census hidden-danger grade is
//! [`super::hidden_danger`]).
//!
//! # Fragility
//!
//! Lognormal fragility curves on PGA (HAZUS "equivalent-PGA" structural curves,
//! FEMA 2003, *HAZUS-MH MR4 Technical Manual*, ch. 5; the table ships as
//! `models/seismic_fragility.csv`). Provenance of the numbers: the 40 rows were
//! transcribed from a secondary copy of the HAZUS tables, not from the manual's
//! own pages, and the section and table numbers cited for them (§5.4.4, Tables
//! 5.16a–d, Table 5.20 below) have not been checked against the manual either.
//! All 40 rows (medians and β) were compared number by number with the HAZUS
//! tables reproduced in the USGS ShakeCast V3 documentation (Appendix E) and agree
//! exactly; the manual's own table numbers remain to be checked (docs/earthquake.md).
//!
//! ```text
//! P[DS ≥ ds | PGA] = Φ( ln(PGA / PGA_ds) / β ),   ds = slight, moderate, extensive, complete
//! P[none] = 1 − P[≥ slight],  P[ds_i] = P[≥ ds_i] − P[≥ ds_{i+1}],  P[complete] = P[≥ complete]
//! ```
//!
//! Φ is the standard normal CDF, evaluated with the complementary error function
//! of Press et al. (1992) *Numerical Recipes in C*, 2nd ed., §6.2 (`erfcc`,
//! Chebyshev fit, fractional error < 1.2e-7 everywhere).
//!
//! # Adaptation to the census vocabulary
//!
//! The mapping from Chinese structure types, storeys, fortification intensity and
//! build year to a HAZUS building type and design level is a stated engineering
//! judgement of this engine, parameterised in `models/earthquake.toml`
//! ([`FragilityParams`]):
//!
//! - structure → HAZUS family by storey band (HAZUS height classes L 1–3, M 4–7,
//!   H 8+; URM L 1–2, M 3+): 钢筋混凝土框架 → C1, 砖混 (confined brick masonry with
//!   RC slabs) → RM2, 砖木 → URM, 钢结构 → S1, 其他 → URM (conservative),
//!   土木石 (adobe, rubble stone: not in HAZUS) → URM always at Pre-Code;
//! - fortification → design level by the design PGA of GB 50011-2010 Table 3.2.2
//!   against the UBC zones behind HAZUS's levels (HAZUS Table 5.20: High-Code ≈
//!   Zone 4, 0.4 g; Moderate ≈ Zone 2B, 0.2 g; Low ≈ Zone 1, 0.075 g): IX (0.40 g)
//!   → High, VIII (0.20 g) and VIII (0.30 g) → Moderate, VII (0.10 g),
//!   VII (0.15 g) and VI (0.05 g) → Low, 未设防 → Pre-Code. The sub-zones 0.15 g
//!   and 0.30 g stay with their degree: each lies below the zone PGA of the next
//!   HAZUS level up (0.2 g, 0.4 g), the same rounding down that puts 0.10 g at Low;
//! - fortification not recorded (unknown) → Pre-Code, like 未设防: this engine's
//!   conservative convention, as for an unknown year below;
//! - era: built before `pre_code_year` (1990, when GBJ 11-89 came into force) →
//!   one level lower; an unknown year counts as before (conservative);
//! - URM has no High/Moderate rows in HAZUS: those fall back to Low-Code.
//!
//! # Losses and casualties
//!
//! Expected loss ratio = Σ P\[ds\]·LR\[ds\] with the loss ratios of
//! [`FragilityParams::loss_ratios`]; expected deaths = occupants × occupancy
//! factor of the time of day × Σ P\[ds\]·fatality rate, where the complete state
//! splits into collapse (fraction `collapse` of the HAZUS family) and
//! non-collapse (HAZUS Technical Manual ch. 13 structure).
//!
//! A surveyed retrofit (`retrofitted`) and the other fields of the grade
//! (`deformation`, `category`) do not change the fragility: the loss model takes
//! the recorded fortification and year as they are (the scenarios' `retrofit`
//! measure is the way to credit a retrofit in the losses).

use std::collections::BTreeMap;

use super::error::EarthquakeError;
use super::hidden_danger::SeismicCategory;
use super::intensity::ZoneLevel;

/// Number of damage states including "none".
pub const N_STATES: usize = 5;
/// Damage-state names (none, slight, moderate, extensive, complete).
pub const STATE_NAMES: [&str; N_STATES] = ["none", "slight", "moderate", "extensive", "complete"];

/// Standard normal CDF Φ(x) via Press et al. (1992) `erfcc`.
pub fn norm_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// Complementary error function, Numerical Recipes `erfcc` (fractional error < 1.2e-7).
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let ans = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 {
        ans
    } else {
        2.0 - ans
    }
}

/// Chinese structure types of the census (docs/census-schema.md `structure`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Structure {
    /// 钢筋混凝土框架, reinforced-concrete frame (HAZUS C1).
    RcFrame,
    /// 砖混, confined brick masonry with RC slabs (HAZUS RM2).
    BrickConcrete,
    /// 砖木, brick and timber (HAZUS URM).
    BrickWood,
    /// 土木石, adobe and rubble stone (HAZUS URM, always Pre-Code).
    EarthStone,
    /// 钢结构, steel frame (HAZUS S1).
    Steel,
    /// 其他, any other type (HAZUS URM, conservative).
    Other,
}

impl Structure {
    /// From the census code (`rc_frame`…) or the Chinese name (钢筋混凝土框架…).
    pub fn parse(s: &str) -> Option<Structure> {
        Some(match s.trim() {
            "rc_frame" | "钢筋混凝土框架" => Structure::RcFrame,
            "brick_concrete" | "砖混" => Structure::BrickConcrete,
            "brick_wood" | "砖木" => Structure::BrickWood,
            "earth_stone" | "土木石" => Structure::EarthStone,
            "steel" | "钢结构" => Structure::Steel,
            "other" | "其他" => Structure::Other,
            _ => return None,
        })
    }

    /// Chinese name of the census (钢筋混凝土框架…).
    pub fn name_zh(&self) -> &'static str {
        match self {
            Structure::RcFrame => "钢筋混凝土框架",
            Structure::BrickConcrete => "砖混",
            Structure::BrickWood => "砖木",
            Structure::EarthStone => "土木石",
            Structure::Steel => "钢结构",
            Structure::Other => "其他",
        }
    }

    /// Census code.
    pub fn code(&self) -> &'static str {
        match self {
            Structure::RcFrame => "rc_frame",
            Structure::BrickConcrete => "brick_concrete",
            Structure::BrickWood => "brick_wood",
            Structure::EarthStone => "earth_stone",
            Structure::Steel => "steel",
            Structure::Other => "other",
        }
    }

    /// HAZUS family and its storey bands: (family, max storeys of L, max of M).
    fn family(&self) -> (&'static str, u32, u32) {
        match self {
            Structure::RcFrame => ("C1", 3, 7),
            Structure::BrickConcrete => ("RM2", 3, 7),
            Structure::Steel => ("S1", 3, 7),
            Structure::BrickWood | Structure::EarthStone | Structure::Other => ("URM", 2, u32::MAX),
        }
    }

    /// HAZUS model building type for a storey count (e.g. `C1M`).
    pub fn hazus_type(&self, storeys: u32) -> String {
        let (fam, l, m) = self.family();
        let h = if storeys <= l {
            "L"
        } else if storeys <= m {
            "M"
        } else {
            "H"
        };
        format!("{fam}{h}")
    }
}

/// Seismic fortification intensity (抗震设防烈度), with the design basic
/// acceleration where a degree has two (GB 50011-2010 Table 3.2.2: 7度 0.10 g or
/// 0.15 g, 8度 0.20 g or 0.30 g). Ordered from weakest to strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fortification {
    /// 未设防: not designed for earthquakes (degree 0).
    None,
    /// 6度, design PGA 0.05 g (GB 50011-2010 Table 3.2.2).
    VI,
    /// 7度, design PGA 0.10 g.
    VII,
    /// 7度 (0.15 g), design PGA 0.15 g.
    #[serde(rename = "vii_015g")]
    VII15,
    /// 8度, design PGA 0.20 g.
    VIII,
    /// 8度 (0.30 g), design PGA 0.30 g.
    #[serde(rename = "viii_030g")]
    VIII30,
    /// 9度, design PGA 0.40 g.
    IX,
}

impl Fortification {
    /// From the census code (`vi`, `vii`, `vii_015g`, `viii`, `viii_030g`, `ix`,
    /// `none`) or its Chinese/numeric aliases (`7度(0.15g)`, full-width brackets
    /// too).
    pub fn parse(s: &str) -> Option<Fortification> {
        let t: String = s
            .trim()
            .chars()
            .map(|c| match c {
                '（' => '(',
                '）' => ')',
                c => c,
            })
            .filter(|c| !c.is_whitespace())
            .collect();
        Some(match t.as_str() {
            "vi" | "VI" | "6" | "6度" | "六度" => Fortification::VI,
            "vii" | "VII" | "7" | "7度" | "七度" => Fortification::VII,
            "vii_015g" | "VII_015G" | "7度(0.15g)" | "7(0.15g)" | "VII(0.15g)" | "七度(0.15g)" => {
                Fortification::VII15
            }
            "viii" | "VIII" | "8" | "8度" | "八度" => Fortification::VIII,
            "viii_030g" | "VIII_030G" | "8度(0.30g)" | "8(0.30g)" | "VIII(0.30g)"
            | "八度(0.30g)" | "8度(0.3g)" => Fortification::VIII30,
            "ix" | "IX" | "9" | "9度" | "九度" => Fortification::IX,
            "none" | "未设防" | "0" | "无" | "不设防" => Fortification::None,
            _ => return None,
        })
    }

    /// The fortification a zone level asks for (degree and sub-zone; below VI:
    /// none, above IX: IX).
    pub fn of_level(level: ZoneLevel) -> Fortification {
        match (level.degree, level.upper) {
            (7, true) => Fortification::VII15,
            (8, true) => Fortification::VIII30,
            (d, _) => Fortification::of_degree(d),
        }
    }

    /// The fortification of an intensity degree: 6…9 → VI…IX (below 6: none, above
    /// 9: IX).
    pub fn of_degree(degree: u8) -> Fortification {
        match degree {
            0..=5 => Fortification::None,
            6 => Fortification::VI,
            7 => Fortification::VII,
            8 => Fortification::VIII,
            _ => Fortification::IX,
        }
    }

    /// Census code (`none`, `vi`, `vii`, `vii_015g`, `viii`, `viii_030g`, `ix`).
    pub fn code(&self) -> &'static str {
        match self {
            Fortification::None => "none",
            Fortification::VI => "vi",
            Fortification::VII => "vii",
            Fortification::VII15 => "vii_015g",
            Fortification::VIII => "viii",
            Fortification::VIII30 => "viii_030g",
            Fortification::IX => "ix",
        }
    }

    /// Degree as a number (0 for 未设防; 7 for 7度 (0.15 g), 8 for 8度 (0.30 g)).
    pub fn degree(&self) -> u8 {
        match self {
            Fortification::None => 0,
            Fortification::VI => 6,
            Fortification::VII | Fortification::VII15 => 7,
            Fortification::VIII | Fortification::VIII30 => 8,
            Fortification::IX => 9,
        }
    }

    /// Position on the scale of [`ZoneLevel::rank`] (`2·degree + upper`; 0 for
    /// 未设防): a building meets a requirement when its rank is at least the
    /// requirement's.
    pub fn rank(&self) -> u8 {
        2 * self.degree() + u8::from(matches!(self, Fortification::VII15 | Fortification::VIII30))
    }
}

/// HAZUS seismic design level, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CodeLevel {
    /// HAZUS High-Code (≈ UBC Zone 4, 0.4 g).
    High,
    /// HAZUS Moderate-Code (≈ UBC Zone 2B, 0.2 g).
    Moderate,
    /// HAZUS Low-Code (≈ UBC Zone 1, 0.075 g).
    Low,
    /// HAZUS Pre-Code: built without seismic design.
    Pre,
}

impl CodeLevel {
    /// `high`, `moderate`, `low` or `pre` (the fragility table's `code` column).
    pub fn parse(s: &str) -> Option<CodeLevel> {
        Some(match s {
            "high" => CodeLevel::High,
            "moderate" => CodeLevel::Moderate,
            "low" => CodeLevel::Low,
            "pre" => CodeLevel::Pre,
            _ => return None,
        })
    }

    /// One level lower (Pre stays Pre).
    fn lower(self) -> CodeLevel {
        match self {
            CodeLevel::High => CodeLevel::Moderate,
            CodeLevel::Moderate => CodeLevel::Low,
            _ => CodeLevel::Pre,
        }
    }

    /// Name as in the fragility table's code-level column (`high`, `moderate`, `low`,
    /// `pre`).
    pub fn name(&self) -> &'static str {
        match self {
            CodeLevel::High => "high",
            CodeLevel::Moderate => "moderate",
            CodeLevel::Low => "low",
            CodeLevel::Pre => "pre",
        }
    }
}

/// One lognormal fragility curve set: medians (g) of slight…complete and β.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Curve {
    /// Median PGA (g) of slight, moderate, extensive and complete damage.
    pub medians_g: [f64; 4],
    /// Lognormal standard deviation β, shared by the four states.
    pub beta: f64,
}

impl Curve {
    /// P[DS ≥ ds] for ds = slight…complete at `pga_g`. PGA ≤ 0 → all 0.
    pub fn exceedance(&self, pga_g: f64) -> [f64; 4] {
        let mut p = [0.0; 4];
        if pga_g > 0.0 {
            for (k, m) in self.medians_g.iter().enumerate() {
                p[k] = norm_cdf((pga_g / m).ln() / self.beta);
            }
        }
        p
    }

    /// Probabilities of the five damage states none…complete (sum to 1).
    pub fn state_probabilities(&self, pga_g: f64) -> [f64; N_STATES] {
        let e = self.exceedance(pga_g);
        [1.0 - e[0], e[0] - e[1], e[1] - e[2], e[2] - e[3], e[3]]
    }
}

/// Path of the shipped fragility table in the model library.
pub const TABLE_PATH: &str = "earthquake/seismic_fragility.csv";

/// The shipped table text (`models/earthquake/seismic_fragility.csv`).
pub fn builtin_table() -> &'static str {
    crate::library::shipped_text(TABLE_PATH)
}

/// The fragility table: (HAZUS type, level) → curve.
#[derive(Debug, Clone, PartialEq)]
pub struct FragilityTable {
    file: String,
    curves: BTreeMap<(String, CodeLevel), Curve>,
}

impl FragilityTable {
    /// The table shipped with the engine (`models/seismic_fragility.csv`).
    pub fn builtin() -> FragilityTable {
        Self::parse(builtin_table(), "models/earthquake/seismic_fragility.csv")
            .expect("the shipped fragility table parses")
    }

    /// Parse CSV text (`#` comments; header `hazus_type,code,slight_g,moderate_g,
    /// extensive_g,complete_g,beta`). Medians must be positive and ascending, β > 0.
    pub fn parse(text: &str, file: &str) -> Result<FragilityTable, EarthquakeError> {
        let err = |line: usize, msg: String| EarthquakeError::Table {
            file: file.to_string(),
            line,
            msg,
        };
        let mut curves = BTreeMap::new();
        let mut header_seen = false;
        // `#` comment lines and blank lines are skipped; fields are trimmed.
        let lines = crate::csv_table::LineMap::new(text.as_bytes(), Some(b'#'));
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                let source = crate::CsvCause::from(e);
                EarthquakeError::Csv {
                    file: file.to_string(),
                    line: source.line().unwrap_or(0),
                    source,
                }
            })?;
            if rec.iter().all(str::is_empty) {
                continue;
            }
            let line = rec.position().map_or(0, |p| lines.line(p) as usize);
            let f: Vec<&str> = rec.iter().collect();
            if !header_seen {
                let want = [
                    "hazus_type",
                    "code",
                    "slight_g",
                    "moderate_g",
                    "extensive_g",
                    "complete_g",
                    "beta",
                ];
                if f != want {
                    return Err(err(line, format!("header must be `{}`", want.join(","))));
                }
                header_seen = true;
                continue;
            }
            let (level, curve) = curve_row(&f).map_err(|msg| err(line, msg))?;
            if curves.insert((f[0].to_string(), level), curve).is_some() {
                return Err(err(line, format!("duplicate curve {} {}", f[0], f[1])));
            }
        }
        if curves.is_empty() {
            return Err(err(0, "no curves".into()));
        }
        Ok(FragilityTable {
            file: file.to_string(),
            curves,
        })
    }

    /// The table with every median multiplied by `factor` (> 0; β unchanged): the
    /// scenarios' Monte Carlo draw of the medians' epistemic uncertainty.
    pub fn scaled(&self, factor: f64) -> FragilityTable {
        let mut t = self.clone();
        for c in t.curves.values_mut() {
            for m in &mut c.medians_g {
                *m *= factor;
            }
        }
        t
    }

    /// The curve for a HAZUS type and level, falling back to lower levels when the
    /// table has none (URM at High/Moderate → Low).
    pub fn curve(
        &self,
        hazus_type: &str,
        level: CodeLevel,
    ) -> Result<(Curve, CodeLevel), EarthquakeError> {
        let mut l = level;
        loop {
            if let Some(c) = self.curves.get(&(hazus_type.to_string(), l)) {
                return Ok((*c, l));
            }
            if l == CodeLevel::Pre {
                return Err(EarthquakeError::NoCurve {
                    file: self.file.clone(),
                    key: format!("{hazus_type} at {} or lower", level.name()),
                });
            }
            l = l.lower();
        }
    }
}

/// One row of the fragility table (fields after the header): its code level and
/// curve, or what is wrong with it.
fn curve_row(f: &[&str]) -> Result<(CodeLevel, Curve), String> {
    if f.len() != 7 {
        return Err(format!("expected 7 fields, found {}", f.len()));
    }
    let level = CodeLevel::parse(f[1])
        .ok_or_else(|| format!("code `{}` is not high|moderate|low|pre", f[1]))?;
    let mut v = [0.0; 5];
    for k in 0..5 {
        v[k] = f[2 + k]
            .parse::<f64>()
            .map_err(|_| format!("field {} `{}` is not a number", 3 + k, f[2 + k]))?;
    }
    let medians = [v[0], v[1], v[2], v[3]];
    if !(medians[0] > 0.0 && medians.windows(2).all(|w| w[1] > w[0])) {
        return Err("medians must be positive and strictly ascending".into());
    }
    if !(v[4] > 0.0 && v[4].is_finite()) {
        return Err("beta must be positive".into());
    }
    Ok((
        level,
        Curve {
            medians_g: medians,
            beta: v[4],
        },
    ))
}

/// Parameters of the building assessment (the `[fragility]` table of
/// `models/earthquake.toml`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FragilityParams {
    /// Buildings completed before this year are one design level lower.
    pub pre_code_year: i32,
    /// Loss ratio (fraction of replacement value) of none…complete.
    pub loss_ratios: [f64; N_STATES],
    /// Death rate of indoor occupants in slight, moderate, extensive and
    /// complete-without-collapse damage, per HAZUS family (`URM`) with the entry
    /// `default` for the others.
    pub fatality_rates: BTreeMap<String, [f64; 4]>,
    /// Death rate of occupants in a collapsed building.
    pub collapse_fatality_rate: f64,
    /// Fraction of complete-damage buildings that collapse, per HAZUS family
    /// (`C1`, `RM2`, `S1`, `URM`).
    pub collapse_fraction: BTreeMap<String, f64>,
    /// Fraction of occupants indoors, per time-of-day scenario name.
    pub occupancy: BTreeMap<String, f64>,
    /// The scenario used (a key of `occupancy`).
    pub time_of_day: String,
    /// The occupancy of the annual loss (a key of `occupancy`): an earthquake
    /// strikes at any hour, so the hours-weighted mean.
    pub annual_time_of_day: String,
    /// Share of a building's dwellings left uninhabitable per damage state (the
    /// displaced people of the shelter demand); `None` when the file has no
    /// `[fragility.uninhabitable]` table (nobody counted as displaced).
    #[serde(default)]
    pub uninhabitable: Option<Uninhabitable>,
}

/// The weights of the Hazus displaced-household model: the share of dwelling units
/// made uninhabitable by each damage state none…complete, for single-family and
/// multi-family buildings (FEMA, Hazus Earthquake Model Technical Manual, chapter
/// "Shelter needs": single family 0, 0, 0, 0, 1; multi family 0, 0, 0, 0.9, 1).
/// A building of at least `multi_family_min_storeys` storeys counts as multi-family
/// (the census records no dwelling count: this model's convention).
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Uninhabitable {
    /// Weights of none…complete for single-family buildings, in [0, 1].
    pub single_family: [f64; N_STATES],
    /// Weights of none…complete for multi-family buildings, in [0, 1].
    pub multi_family: [f64; N_STATES],
    /// Storeys from which a building counts as multi-family.
    pub multi_family_min_storeys: u32,
}

impl Uninhabitable {
    /// The expected uninhabitable share of a building of `storeys` storeys with
    /// damage-state probabilities `probs` (P(DS = ds), none…complete).
    pub fn share(&self, storeys: u32, probs: &[f64; N_STATES]) -> f64 {
        let w = if storeys >= self.multi_family_min_storeys {
            &self.multi_family
        } else {
            &self.single_family
        };
        w.iter().zip(probs).map(|(w, p)| w * p).sum()
    }
}

impl FragilityParams {
    /// Check ranges; `file` names the parameter file in errors.
    pub fn check(&self, file: &str) -> Result<(), EarthquakeError> {
        let bad = |msg: String| {
            Err(EarthquakeError::Params {
                file: file.to_string(),
                msg,
            })
        };
        let unit = |x: f64| (0.0..=1.0).contains(&x);
        if !self.loss_ratios.iter().all(|&x| unit(x))
            || self.loss_ratios.windows(2).any(|w| w[1] < w[0])
        {
            return bad("fragility.loss_ratios must be in [0, 1] and non-decreasing".into());
        }
        if !self.fatality_rates.contains_key("default") {
            return bad("fragility.fatality_rates needs a `default` entry".into());
        }
        if !self.fatality_rates.values().flatten().all(|&x| unit(x))
            || !unit(self.collapse_fatality_rate)
        {
            return bad(
                "fragility.fatality_rates and collapse_fatality_rate must be in [0, 1]".into(),
            );
        }
        for fam in ["C1", "RM2", "S1", "URM"] {
            match self.collapse_fraction.get(fam) {
                Some(&x) if unit(x) => {}
                _ => {
                    return bad(format!(
                        "fragility.collapse_fraction.{fam} missing or outside [0, 1]"
                    ))
                }
            }
        }
        if let Some((k, v)) = self.collapse_fraction.iter().find(|(_, &v)| !unit(v)) {
            return bad(format!(
                "fragility.collapse_fraction.{k} = {v} outside [0, 1]"
            ));
        }
        if !self.occupancy.values().all(|&x| unit(x)) {
            return bad("fragility.occupancy values must be in [0, 1]".into());
        }
        if let Some(u) = &self.uninhabitable {
            if !u
                .single_family
                .iter()
                .chain(&u.multi_family)
                .all(|&x| unit(x))
            {
                return bad("fragility.uninhabitable weights must be in [0, 1]".into());
            }
        }
        for (key, v) in [
            ("time_of_day", &self.time_of_day),
            ("annual_time_of_day", &self.annual_time_of_day),
        ] {
            if !self.occupancy.contains_key(v) {
                return bad(format!(
                    "fragility.{key} `{v}` is not a key of fragility.occupancy"
                ));
            }
        }
        Ok(())
    }

    /// Occupancy factor of the chosen time of day.
    pub fn occupancy_factor(&self) -> f64 {
        self.occupancy[&self.time_of_day]
    }

    /// Occupancy factor of the annual loss.
    pub fn annual_occupancy_factor(&self) -> f64 {
        self.occupancy[&self.annual_time_of_day]
    }

    /// The death rates of a HAZUS family (its entry, else `default`).
    pub fn fatality_rates_of(&self, family: &str) -> [f64; 4] {
        self.fatality_rates
            .get(family)
            .or_else(|| self.fatality_rates.get("default"))
            .copied()
            .unwrap_or([0.0; 4])
    }
}

/// One building as the fragility model and the hidden-danger grade need it.
#[derive(Debug, Clone, PartialEq)]
pub struct Building {
    /// Building id, named in errors.
    pub id: String,
    /// Structure type.
    pub structure: Structure,
    /// Storeys (clamped to 1..=200 on input); they set the HAZUS height class L, M or H.
    pub storeys: u32,
    /// Year of construction; `None` counts as before `pre_code_year` (conservative).
    pub year_built: Option<i32>,
    /// Seismic fortification intensity; `None` when the survey has none (unknown:
    /// Pre-Code in the fragility, its own status in the grade).
    pub fortification: Option<Fortification>,
    /// Resident occupants (persons), scaled by the time-of-day occupancy for casualties.
    pub occupants: f64,
    /// Replacement value (any currency unit; losses come out in the same unit).
    pub value: f64,
    /// 变形损伤: the survey saw deformation or damage (`None`: not recorded).
    pub deformation: Option<bool>,
    /// 抗震设防类别 甲/乙/丙/丁 (GB 50223-2008); `None`: not recorded.
    pub category: Option<SeismicCategory>,
    /// 是否抗震加固: retrofitted for earthquakes (`None`: not recorded).
    pub retrofitted: Option<bool>,
}

impl Building {
    /// From census field text; unknown codes are named errors, a missing structure
    /// or storey count as well. A missing fortification is unknown (`None`). The
    /// grade's survey fields start unrecorded ([`Building::with_grade_fields`]).
    pub fn from_fields(
        id: &str,
        structure: Option<&str>,
        storeys: Option<i64>,
        year_built: Option<i64>,
        fortification: Option<&str>,
        occupants: Option<f64>,
        value: Option<f64>,
    ) -> Result<Building, EarthquakeError> {
        let record = id.to_string();
        let s = structure.ok_or_else(|| EarthquakeError::MissingField {
            record: record.clone(),
            field: "structure",
        })?;
        let structure = Structure::parse(s).ok_or_else(|| EarthquakeError::UnknownStructure {
            record: record.clone(),
            value: s.to_string(),
        })?;
        let fortification = fortification
            .map(|f| {
                Fortification::parse(f).ok_or_else(|| EarthquakeError::UnknownFortification {
                    record: record.clone(),
                    value: f.to_string(),
                })
            })
            .transpose()?;
        let storeys = storeys.ok_or_else(|| EarthquakeError::MissingField {
            record: record.clone(),
            field: "storeys",
        })?;
        Ok(Building {
            id: record,
            structure,
            storeys: storeys.clamp(1, 200) as u32,
            year_built: year_built.map(|y| y as i32),
            fortification,
            occupants: occupants.unwrap_or(0.0).max(0.0),
            value: value.unwrap_or(0.0).max(0.0),
            deformation: None,
            category: None,
            retrofitted: None,
        })
    }

    /// The building with the survey fields of the hidden-danger grade, as census
    /// text: `deformation` and `retrofitted` yes/no (`yes`/`no`, 是/否, 有/无),
    /// `category` 甲/乙/丙/丁 (`a`…`d`, 甲类…); `None` = not recorded. Unknown
    /// values are named errors.
    pub fn with_grade_fields(
        mut self,
        deformation: Option<&str>,
        category: Option<&str>,
        retrofitted: Option<&str>,
    ) -> Result<Building, EarthquakeError> {
        let flag = |field: &'static str, v: Option<&str>| {
            v.map(|t| {
                parse_yes_no(t).ok_or_else(|| EarthquakeError::UnknownCode {
                    record: self.id.clone(),
                    field,
                    value: t.to_string(),
                    known: "yes/是/有, no/否/无",
                })
            })
            .transpose()
        };
        let deformation = flag("deformation", deformation)?;
        let retrofitted = flag("retrofitted", retrofitted)?;
        let category = category
            .map(|t| {
                SeismicCategory::parse(t).ok_or_else(|| EarthquakeError::UnknownCode {
                    record: self.id.clone(),
                    field: "seismic_category",
                    value: t.to_string(),
                    known: "a/甲类, b/乙类, c/丙类, d/丁类",
                })
            })
            .transpose()?;
        self.deformation = deformation;
        self.retrofitted = retrofitted;
        self.category = category;
        Ok(self)
    }
}

/// A yes/no value of the census (`yes`/`no` codes, 是/否, 有/无, 1/0, true/false).
fn parse_yes_no(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "是" | "有" | "1" | "true" | "y" | "t" => Some(true),
        "no" | "否" | "无" | "0" | "false" | "n" | "f" => Some(false),
        _ => None,
    }
}

/// Design level of a building (see the module doc).
pub fn code_level(b: &Building, p: &FragilityParams) -> CodeLevel {
    if b.structure == Structure::EarthStone {
        return CodeLevel::Pre;
    }
    let base = match b.fortification {
        Some(Fortification::IX) => CodeLevel::High,
        Some(Fortification::VIII | Fortification::VIII30) => CodeLevel::Moderate,
        Some(Fortification::VII | Fortification::VII15 | Fortification::VI) => CodeLevel::Low,
        Some(Fortification::None) | None => CodeLevel::Pre,
    };
    if pre_code_era(b, p) {
        base.lower()
    } else {
        base
    }
}

/// Built before `pre_code_year`, or in an unknown year (conservative).
pub fn pre_code_era(b: &Building, p: &FragilityParams) -> bool {
    b.year_built.is_none_or(|y| y < p.pre_code_year)
}

/// The result for one building.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BuildingDamage {
    /// P\[none\], P\[slight\], P\[moderate\], P\[extensive\], P\[complete\].
    pub probabilities: [f64; N_STATES],
    /// Expected loss ratio (fraction of replacement value).
    pub loss_ratio: f64,
    /// Expected loss (unit of [`Building::value`]).
    pub expected_loss: f64,
    /// Expected deaths.
    pub deaths: f64,
    /// The design level used.
    pub level: CodeLevel,
}

/// Assess one building at `pga_g`.
pub fn assess(
    table: &FragilityTable,
    p: &FragilityParams,
    b: &Building,
    pga_g: f64,
) -> Result<BuildingDamage, EarthquakeError> {
    let ht = b.structure.hazus_type(b.storeys);
    let (curve, level) = table.curve(&ht, code_level(b, p))?;
    let probs = curve.state_probabilities(pga_g);
    let (loss_ratio, death_rate) = consequences(p, &ht, &probs);
    Ok(BuildingDamage {
        probabilities: probs,
        loss_ratio,
        expected_loss: loss_ratio * b.value,
        deaths: b.occupants * p.occupancy_factor() * death_rate,
        level,
    })
}

/// The collapse fraction of completely damaged buildings of a HAZUS type: the
/// type's own entry (`C1L`), else its family's (`C1`), else 0.
pub fn collapse_fraction(p: &FragilityParams, hazus_type: &str) -> f64 {
    let family = family_of(hazus_type);
    p.collapse_fraction
        .get(hazus_type)
        .or_else(|| p.collapse_fraction.get(family))
        .copied()
        .unwrap_or(0.0)
}

/// The HAZUS family of a model building type: the type without its height
/// letter (`URML` → `URM`, `C1M` → `C1`).
pub fn family_of(hazus_type: &str) -> &str {
    hazus_type
        .strip_suffix(['L', 'M', 'H'])
        .unwrap_or(hazus_type)
}

/// Loss ratio `Σ w[ds]·LR[ds]` and death rate per indoor occupant
/// `Σ w[ds]·DR[ds]` (the complete state split into collapse and non-collapse) of
/// weights `w` over the five damage states: state probabilities give the expected
/// values of one event, annual state rates their annual rates.
pub fn consequences(p: &FragilityParams, hazus_type: &str, w: &[f64; N_STATES]) -> (f64, f64) {
    let loss_ratio: f64 = w.iter().zip(p.loss_ratios.iter()).map(|(a, c)| a * c).sum();
    let cf = collapse_fraction(p, hazus_type);
    let fr = p.fatality_rates_of(family_of(hazus_type));
    let rate = w[1] * fr[0]
        + w[2] * fr[1]
        + w[3] * fr[2]
        + w[4] * ((1.0 - cf) * fr[3] + cf * p.collapse_fatality_rate);
    (loss_ratio, rate)
}

/// One building's annual damage over a hazard curve.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualDamage {
    /// Annual rates of exceeding slight, moderate, extensive, complete (body + tail).
    pub exceedance_rates: [f64; 4],
    /// Average annual loss (unit of [`Building::value`] per year).
    pub aal: f64,
    /// Expected annual deaths.
    pub deaths_per_year: f64,
    /// At each point of the curve (its probability levels, in order): the expected
    /// loss and deaths of an event of that PGA — the building's loss-exceedance
    /// curve. Deaths at the annual (hours-weighted) occupancy, like the annual deaths.
    pub events: Vec<(f64, f64)>,
    /// At each point of the curve: the residents displaced from uninhabitable
    /// dwellings (all resident occupants × the uninhabitable share,
    /// [`Uninhabitable`]); empty without `[fragility.uninhabitable]`.
    pub event_displaced: Vec<f64>,
}

/// The part of a building's [`AnnualDamage`] that does not depend on its value and
/// occupants: loss ratios and death rates (per annual occupant), the same for every
/// building of one HAZUS type, design level and storey count on one hazard curve
/// (what [`AnnualRatios::apply`] scales).
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualRatios {
    /// Annual rates of exceeding slight, moderate, extensive, complete.
    pub exceedance_rates: [f64; 4],
    /// Expected annual loss ratio (of the value).
    pub loss_ratio: f64,
    /// Expected annual death rate (of the annual-occupancy occupants).
    pub death_rate: f64,
    /// At each point of the curve: (loss ratio, death rate) of an event.
    pub events: Vec<(f64, f64)>,
    /// At each point of the curve: the uninhabitable share (empty without
    /// `[fragility.uninhabitable]`).
    pub uninhabitable: Vec<f64>,
}

impl AnnualRatios {
    /// The annual damage of `b` (its value and occupants on these ratios).
    pub fn apply(&self, b: &Building, p: &FragilityParams) -> AnnualDamage {
        let occupants = b.occupants * p.annual_occupancy_factor();
        AnnualDamage {
            exceedance_rates: self.exceedance_rates,
            aal: self.loss_ratio * b.value,
            deaths_per_year: self.death_rate * occupants,
            events: self
                .events
                .iter()
                .map(|&(elr, edr)| (elr * b.value, edr * occupants))
                .collect(),
            event_displaced: self.uninhabitable.iter().map(|s| b.occupants * s).collect(),
        }
    }
}

/// The ratios of [`AnnualDamage`] for a building like `b` over `curve`: the
/// damage-state exceedance rates of its fragility curve, then loss and death
/// ratios by [`consequences`] on the state rates; and at each point of the curve.
pub fn annual_ratios(
    table: &FragilityTable,
    p: &FragilityParams,
    b: &Building,
    curve: &super::hazard_curve::HazardCurve,
) -> Result<AnnualRatios, EarthquakeError> {
    let ht = b.structure.hazus_type(b.storeys);
    let (frag, _) = table.curve(&ht, code_level(b, p))?;
    let total = curve.damage_state_rates(&frag).map(|r| r.total());
    let (lr, dr) = consequences(p, &ht, &super::hazard_curve::state_rates(&total));
    let events = curve
        .points()
        .iter()
        .map(|&(pga, _)| consequences(p, &ht, &frag.state_probabilities(pga)))
        .collect();
    let uninhabitable = match &p.uninhabitable {
        Some(u) => curve
            .points()
            .iter()
            .map(|&(pga, _)| u.share(b.storeys, &frag.state_probabilities(pga)))
            .collect(),
        None => Vec::new(),
    };
    Ok(AnnualRatios {
        exceedance_rates: total,
        loss_ratio: lr,
        death_rate: dr,
        events,
        uninhabitable,
    })
}

/// The annual damage of a building over the hazard curve `curve` (see
/// [`super::hazard_curve`]): [`annual_ratios`] applied to its value and
/// occupants.
pub fn assess_annual(
    table: &FragilityTable,
    p: &FragilityParams,
    b: &Building,
    curve: &super::hazard_curve::HazardCurve,
) -> Result<AnnualDamage, EarthquakeError> {
    Ok(annual_ratios(table, p, b, curve)?.apply(b, p))
}
