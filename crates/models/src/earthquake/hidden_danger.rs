//! Hidden-danger grade (地震灾害隐患等级) of a building: 1 重点, 2 一般, 3 轻微 —
//! **a provisional rule of this project**, not the census's own index.
//!
//! # Why provisional
//!
//! The census grades every building from a single-building hidden-danger index
//! (单体隐患指数) defined in its technical specification for the grading of
//! earthquake hidden dangers. That text is not in hand (the model library was
//! searched for it again for issue 18 and it was not found), so its formula and
//! clauses cannot be followed. What is in hand are two applications of it:
//!
//! - Lv Weichao, Yang Yongqiang, Dai Junwu (2024) 基于普查数据的地震灾害隐患评估及其
//!   影响因素分析, 震灾防御技术 19(2):207–215, doi:10.11899/zzfy20240201 — the
//!   index's factors: the seismic fortification level against the local
//!   requirement, deformation and damage (变形损伤), construction era, the intensity
//!   zone and the PGA adjustment zone; among 重点 buildings the weight of
//!   deformation falls as the fortification intensity rises;
//! - Wang Xiaotian et al. (2025) 基于单体建(构)筑物震害指数的地震灾害重点隐患评估,
//!   中国地震 41(1):101–113 — of 10,475 buildings in a Shenzhen study area none was
//!   graded 重点 and most were 轻微; of the 507 graded 一般, 82.84 % had a
//!   fortification that was unknown or below the local requirement.
//!
//! This module builds the grade from those factors; the thresholds that are
//! choices live in `[hidden_danger]` of `models/earthquake/earthquake.toml`
//! ([`HiddenDangerParams`]). Every output that carries the grade carries
//! [`GRADE_BASIS`] with it. When the specification is in hand, its index replaces
//! this rule.
//!
//! # The requirement
//!
//! The zone level Z of the building's site: the basic intensity of the zoning PGA
//! with its sub-zone (0.10/0.15 g in VII, 0.20/0.30 g in VIII;
//! [`super::intensity::ZoneLevel`]). The requirement R adjusts Z by the building's
//! seismic fortification category (抗震设防类别, GB 50223-2008 §3.0.3): 甲类 and 乙类
//! one degree higher, 丁类 one degree lower but not below VI, 丙类 (and a category
//! not recorded) as Z. GB 50223 raises the seismic *measures* (抗震措施) of 乙类 by
//! one degree; the grade compares the recorded fortification with that raised
//! level (this project's reading). Conventions of this project: the sub-zone
//! moves with the degree (VII 0.15 g raised is VIII 0.30 g, VIII 0.30 g lowered is
//! VII 0.15 g; VI and IX have none); the raise stops at `raised_max_degree` (IX:
//! the census records no fortification above IX). A zone below VI asks for no
//! fortification; without a zoning map there is no requirement either.
//!
//! # The building's status against R
//!
//! - *meets*: its fortification F reaches R on the scale VI < VII < VII (0.15 g) <
//!   VIII < VIII (0.30 g) < IX;
//! - *retrofitted*: the survey records 抗震加固 — **assumed** to have brought the
//!   building to the current requirement (a stated assumption: the census does
//!   not record the level a retrofit reached);
//! - *unknown*: no fortification recorded (and not retrofitted), its own status as
//!   in Wang et al. (2025);
//! - *below by d degrees*: F short of R, d = R − F in whole degrees (未设防 counts
//!   as 0; d = 0 when only the sub-zone is short, e.g. VII in a 0.15 g zone).
//!
//! # The rule (first match)
//!
//! 1. 重点: deformation recorded and R not met (below or unknown);
//! 2. 重点: below by d ≥ `far_below_degrees` where R ≥ `key_min_required_degree`
//!    (unfortified or far below in zones of VIII and above) — so deformation
//!    decides 重点 in low zones and the fortification gap in high ones, as Lv et
//!    al. (2024) report;
//! 3. 一般: R not met (below, or fortification unknown);
//! 4. 一般: deformation recorded (R met);
//! 5. 一般: a structure of `pre_code_structures` (the masonry family) built before
//!    `[fragility].pre_code_year` (1990, GBJ 11-89) or in an unknown year, not
//!    retrofitted;
//! 6. 轻微: otherwise.
//!
//! Deformation not recorded counts as none observed. The fragility and damage
//! probabilities do not enter the grade: the census grades what the survey
//! recorded, not a loss estimate.

use super::error::EarthquakeError;
use super::fragility::{pre_code_era, Building, FragilityParams, Structure};
use super::intensity::ZoneLevel;

/// The label every output of the grade carries (`grade_basis` columns, the
/// report). Free of commas, so CSV cells hold it unquoted.
pub const GRADE_BASIS: &str = "provisional: RiskCensus project rule (fortification vs the requirement of zone + PGA sub-zone + category; deformation; era) — not the census specification's hidden-danger index";

/// Grade names of codes 1, 2, 3.
pub const GRADE_NAMES: [&str; 3] = ["重点", "一般", "轻微"];

/// Seismic fortification category (抗震设防类别) of GB 50223-2008 §3.0.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SeismicCategory {
    /// 甲类, special fortification (特殊设防类).
    A,
    /// 乙类, key fortification (重点设防类): schools, hospitals ….
    B,
    /// 丙类, standard fortification (标准设防类).
    C,
    /// 丁类, appropriately reduced fortification (适度设防类).
    D,
}

impl SeismicCategory {
    /// From the census code (`a`…`d`) or the Chinese name (甲, 甲类 …).
    pub fn parse(s: &str) -> Option<SeismicCategory> {
        Some(match s.trim() {
            "a" | "A" | "甲" | "甲类" | "特殊设防类" => SeismicCategory::A,
            "b" | "B" | "乙" | "乙类" | "重点设防类" => SeismicCategory::B,
            "c" | "C" | "丙" | "丙类" | "标准设防类" => SeismicCategory::C,
            "d" | "D" | "丁" | "丁类" | "适度设防类" => SeismicCategory::D,
            _ => return None,
        })
    }

    /// Census code (`a`, `b`, `c`, `d`).
    pub fn code(&self) -> &'static str {
        match self {
            SeismicCategory::A => "a",
            SeismicCategory::B => "b",
            SeismicCategory::C => "c",
            SeismicCategory::D => "d",
        }
    }
}

/// `[hidden_danger]` of `models/earthquake/earthquake.toml`: the choices of the
/// provisional rule (module doc). A parameter file without the table takes
/// [`HiddenDangerParams::default`], the shipped values.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct HiddenDangerParams {
    /// Short of the requirement by at least this many whole degrees is "far
    /// below" (未设防 counts as degree 0); ≥ 1.
    pub far_below_degrees: u8,
    /// Far below is 重点 where the requirement is at least this degree (6–10).
    pub key_min_required_degree: u8,
    /// Census structure codes of the pre-code-era rule (the masonry family).
    pub pre_code_structures: Vec<String>,
    /// The 甲/乙 raise stops at this degree (6–10).
    pub raised_max_degree: u8,
}

impl Default for HiddenDangerParams {
    fn default() -> Self {
        HiddenDangerParams {
            far_below_degrees: 2,
            key_min_required_degree: 8,
            pre_code_structures: vec![
                "brick_concrete".into(),
                "brick_wood".into(),
                "earth_stone".into(),
            ],
            raised_max_degree: 9,
        }
    }
}

impl HiddenDangerParams {
    /// Check ranges and codes; `file` names the parameter file in errors.
    pub fn check(&self, file: &str) -> Result<(), EarthquakeError> {
        let bad = |msg: String| {
            Err(EarthquakeError::Params {
                file: file.to_string(),
                msg,
            })
        };
        if self.far_below_degrees < 1 {
            return bad("hidden_danger.far_below_degrees must be ≥ 1".into());
        }
        for (key, v) in [
            ("key_min_required_degree", self.key_min_required_degree),
            ("raised_max_degree", self.raised_max_degree),
        ] {
            if !(6..=10).contains(&v) {
                return bad(format!("hidden_danger.{key} = {v} outside 6–10"));
            }
        }
        if let Some(s) = self
            .pre_code_structures
            .iter()
            .find(|s| Structure::parse(s).is_none())
        {
            return bad(format!(
                "hidden_danger.pre_code_structures: unknown structure `{s}`"
            ));
        }
        Ok(())
    }

    /// Whether `s` falls under the pre-code-era rule.
    pub fn pre_code_structure(&self, s: Structure) -> bool {
        self.pre_code_structures
            .iter()
            .any(|c| Structure::parse(c) == Some(s))
    }
}

/// The requirement of a building of category `category` in zone level `zone`
/// (module doc): 甲/乙 one degree up to `raised_max_degree`, 丁 one degree down
/// but not below VI; the sub-zone moves with the degree.
pub fn required_level(
    zone: ZoneLevel,
    category: Option<SeismicCategory>,
    p: &HiddenDangerParams,
) -> ZoneLevel {
    if zone.degree < 6 {
        return zone;
    }
    match category {
        Some(SeismicCategory::A | SeismicCategory::B) if zone.degree < p.raised_max_degree => {
            ZoneLevel::new(zone.degree + 1, zone.upper)
        }
        Some(SeismicCategory::D) if zone.degree > 6 => ZoneLevel::new(zone.degree - 1, zone.upper),
        _ => zone,
    }
}

/// A building's fortification against its requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// No requirement: the zone is below VI, or there is no zoning map.
    NoRequirement,
    /// The recorded fortification reaches the requirement.
    Meets,
    /// Retrofitted: assumed to meet the current requirement.
    Retrofitted,
    /// No fortification recorded.
    Unknown,
    /// Short of the requirement by `degrees` whole degrees (0: the sub-zone only).
    Below {
        /// R − F in degrees (未设防 = 0).
        degrees: u8,
    },
}

impl Status {
    /// Code of the `fortification_status` column.
    pub fn code(&self) -> &'static str {
        match self {
            Status::NoRequirement => "no_requirement",
            Status::Meets => "meets",
            Status::Retrofitted => "retrofitted",
            Status::Unknown => "unknown",
            Status::Below { .. } => "below",
        }
    }

    /// Below the requirement or unknown.
    pub fn not_met(&self) -> bool {
        matches!(self, Status::Unknown | Status::Below { .. })
    }
}

/// The rule of the module doc that decided a grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Rule 1: deformation and the requirement not met.
    DeformedNotMet,
    /// Rule 2: far below a requirement of a high zone.
    FarBelow,
    /// Rule 3: below the requirement.
    Below,
    /// Rule 3: fortification unknown.
    Unknown,
    /// Rule 4: deformation.
    Deformed,
    /// Rule 5: masonry of the pre-code era, not retrofitted.
    PreCodeMasonry,
    /// Rule 6: none of the above.
    None,
}

impl Reason {
    /// Code of the `grade_reason` column.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::DeformedNotMet => "deformation_and_requirement_not_met",
            Reason::FarBelow => "far_below_requirement_in_high_zone",
            Reason::Below => "below_requirement",
            Reason::Unknown => "fortification_unknown",
            Reason::Deformed => "deformation",
            Reason::PreCodeMasonry => "pre_code_masonry",
            Reason::None => "none",
        }
    }
}

/// A building's grade with what decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Graded {
    /// 1 重点, 2 一般, 3 轻微.
    pub grade: u8,
    /// The requirement (`None`: no zoning map, or a zone below VI).
    pub required: Option<ZoneLevel>,
    /// The fortification against it.
    pub status: Status,
    /// The rule that decided.
    pub reason: Reason,
}

impl Graded {
    /// The grade's Chinese name (重点, 一般, 轻微).
    pub fn name(&self) -> &'static str {
        GRADE_NAMES[usize::from(self.grade - 1)]
    }
}

/// The grade of building `b` in zone level `zone` (`None`: no zoning map) by the
/// rule of the module doc; `fp` gives `pre_code_year`.
pub fn grade(
    b: &Building,
    zone: Option<ZoneLevel>,
    p: &HiddenDangerParams,
    fp: &FragilityParams,
) -> Graded {
    let required = zone
        .filter(|z| z.degree >= 6)
        .map(|z| required_level(z, b.category, p));
    let retrofitted = b.retrofitted == Some(true);
    let status = match required {
        None => Status::NoRequirement,
        Some(_) if retrofitted => Status::Retrofitted,
        Some(r) => match b.fortification {
            None => Status::Unknown,
            Some(f) if f.rank() >= r.rank() => Status::Meets,
            Some(f) => Status::Below {
                degrees: r.degree.saturating_sub(f.degree()),
            },
        },
    };
    let deformed = b.deformation == Some(true);
    let far_below = match (status, required) {
        (Status::Below { degrees }, Some(r)) => {
            degrees >= p.far_below_degrees && r.degree >= p.key_min_required_degree
        }
        _ => false,
    };
    let pre_code_masonry = !retrofitted && p.pre_code_structure(b.structure) && pre_code_era(b, fp);
    let (grade, reason) = if deformed && status.not_met() {
        (1, Reason::DeformedNotMet)
    } else if far_below {
        (1, Reason::FarBelow)
    } else if matches!(status, Status::Below { .. }) {
        (2, Reason::Below)
    } else if status == Status::Unknown {
        (2, Reason::Unknown)
    } else if deformed {
        (2, Reason::Deformed)
    } else if pre_code_masonry {
        (2, Reason::PreCodeMasonry)
    } else {
        (3, Reason::None)
    };
    Graded {
        grade,
        required,
        status,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::earthquake::fragility::Fortification as F;

    fn fp() -> FragilityParams {
        crate::earthquake::EarthquakeParams::parse(
            crate::earthquake::params::builtin(),
            "earthquake.toml",
        )
        .unwrap()
        .fragility
        .params
    }

    fn house(s: Structure, year: i32, f: Option<F>) -> Building {
        Building {
            id: "b".into(),
            structure: s,
            storeys: 2,
            year_built: Some(year),
            fortification: f,
            occupants: 4.0,
            value: 50.0,
            deformation: Some(false),
            category: Some(SeismicCategory::C),
            retrofitted: Some(false),
        }
    }

    const VII: ZoneLevel = ZoneLevel {
        degree: 7,
        upper: false,
    };
    const VII15: ZoneLevel = ZoneLevel {
        degree: 7,
        upper: true,
    };
    const VIII: ZoneLevel = ZoneLevel {
        degree: 8,
        upper: false,
    };

    fn g(b: &Building, zone: ZoneLevel) -> (u8, Reason) {
        let r = grade(b, Some(zone), &HiddenDangerParams::default(), &fp());
        (r.grade, r.reason)
    }

    #[test]
    fn the_basis_says_provisional_and_needs_no_csv_quotes() {
        assert!(GRADE_BASIS.starts_with("provisional"));
        assert!(!GRADE_BASIS.contains([',', '"', '\n']));
    }

    #[test]
    fn the_category_moves_the_requirement_with_its_sub_zone() {
        let p = HiddenDangerParams::default();
        let c = |z, cat| required_level(z, Some(cat), &p);
        use SeismicCategory::*;
        assert_eq!(c(VII, B), VIII);
        assert_eq!(c(VII15, B), ZoneLevel::new(8, true));
        assert_eq!(c(VII15, A), ZoneLevel::new(8, true));
        assert_eq!(c(ZoneLevel::new(8, true), B), ZoneLevel::new(9, false));
        // IX raised stays IX (raised_max_degree = 9); X stays X.
        assert_eq!(c(ZoneLevel::new(9, false), B), ZoneLevel::new(9, false));
        assert_eq!(c(ZoneLevel::new(10, false), B), ZoneLevel::new(10, false));
        assert_eq!(c(VII15, C), VII15);
        assert_eq!(c(ZoneLevel::new(8, true), D), VII15);
        assert_eq!(c(VII15, D), ZoneLevel::new(6, false));
        // 丁类 is not lowered below VI.
        assert_eq!(c(ZoneLevel::new(6, false), D), ZoneLevel::new(6, false));
        assert_eq!(required_level(VIII, None, &p), VIII);
    }

    #[test]
    fn each_rule_of_the_grade() {
        use Structure::*;
        // Rule 1: deformation and below the requirement → 重点, even in VII.
        let mut b = house(RcFrame, 2005, Some(F::VI));
        b.deformation = Some(true);
        assert_eq!(g(&b, VII), (1, Reason::DeformedNotMet));
        // … and with the fortification unknown.
        b.fortification = None;
        assert_eq!(g(&b, VII), (1, Reason::DeformedNotMet));
        // Rule 4: deformation but the requirement met → 一般.
        b.fortification = Some(F::VII);
        assert_eq!(g(&b, VII), (2, Reason::Deformed));
        // Rule 2: unfortified in VIII (8 − 0 ≥ 2, R ≥ VIII) → 重点; VI in VIII
        // (2 ≥ 2) too; VII in VIII (1 < 2) → 一般 by rule 3.
        let b = house(RcFrame, 2005, Some(F::None));
        assert_eq!(g(&b, VIII), (1, Reason::FarBelow));
        assert_eq!(
            g(&house(RcFrame, 2005, Some(F::VI)), VIII),
            (1, Reason::FarBelow)
        );
        assert_eq!(
            g(&house(RcFrame, 2005, Some(F::VII)), VIII),
            (2, Reason::Below)
        );
        // Unfortified in VII (R < VIII) → 一般, not 重点.
        assert_eq!(g(&b, VII), (2, Reason::Below));
        // Rule 3: the sub-zone alone: VII (0.10 g) where 0.15 g is required.
        assert_eq!(
            g(&house(RcFrame, 2005, Some(F::VII)), VII15),
            (2, Reason::Below)
        );
        assert_eq!(
            g(&house(RcFrame, 2005, Some(F::VII15)), VII15),
            (3, Reason::None)
        );
        // Rule 3: unknown fortification → 一般.
        assert_eq!(g(&house(RcFrame, 2005, None), VII), (2, Reason::Unknown));
        // Rule 5: brick-concrete of 1985 meeting VII → 一般; of 1995 → 轻微;
        // retrofitted → 轻微; a 1985 RC frame is not in the masonry family.
        let old = house(BrickConcrete, 1985, Some(F::VII));
        assert_eq!(g(&old, VII), (2, Reason::PreCodeMasonry));
        assert_eq!(
            g(&house(BrickConcrete, 1995, Some(F::VII)), VII),
            (3, Reason::None)
        );
        let mut r = old.clone();
        r.retrofitted = Some(true);
        assert_eq!(g(&r, VII), (3, Reason::None));
        assert_eq!(
            g(&house(RcFrame, 1985, Some(F::VII)), VII),
            (3, Reason::None)
        );
        // An unknown year counts as pre-code.
        let mut y = old.clone();
        y.year_built = Some(2000);
        assert_eq!(g(&y, VII).0, 3);
        y.year_built = None;
        assert_eq!(g(&y, VII), (2, Reason::PreCodeMasonry));
    }

    #[test]
    fn retrofits_categories_and_zones_move_the_grade() {
        use Structure::*;
        // Retrofitted: assumed to meet the requirement whatever the record says.
        let mut b = house(BrickWood, 1980, Some(F::None));
        assert_eq!(g(&b, VIII).0, 1);
        b.retrofitted = Some(true);
        let r = grade(&b, Some(VIII), &HiddenDangerParams::default(), &fp());
        assert_eq!((r.grade, r.status), (3, Status::Retrofitted));
        // … a deformed retrofitted building is still 一般.
        b.deformation = Some(true);
        assert_eq!(g(&b, VIII), (2, Reason::Deformed));
        // 乙类 raises the requirement: a VII frame in a VII zone is 轻微 as 丙类,
        // 一般 as 乙类 (R = VIII, one degree short).
        let mut s = house(RcFrame, 2010, Some(F::VII));
        assert_eq!(g(&s, VII).0, 3);
        s.category = Some(SeismicCategory::B);
        assert_eq!(g(&s, VII), (2, Reason::Below));
        // Unfortified 乙类 in VII: R = VIII, far below → 重点.
        s.fortification = Some(F::None);
        assert_eq!(g(&s, VII), (1, Reason::FarBelow));
        // 丁类 lowers it: VI in a VII zone meets VI.
        let mut d = house(Steel, 2010, Some(F::VI));
        assert_eq!(g(&d, VII).0, 2);
        d.category = Some(SeismicCategory::D);
        assert_eq!(g(&d, VII).0, 3);
        // No zoning map, or a zone below VI: no requirement; only deformation and
        // era grade.
        let u = house(RcFrame, 2005, Some(F::None));
        let p = HiddenDangerParams::default();
        let r = grade(&u, None, &p, &fp());
        assert_eq!(
            (r.grade, r.status, r.required),
            (3, Status::NoRequirement, None)
        );
        let r = grade(&u, Some(ZoneLevel::new(5, false)), &p, &fp());
        assert_eq!((r.grade, r.status), (3, Status::NoRequirement));
    }

    #[test]
    fn the_thresholds_are_read_from_the_parameters() {
        let b = house(Structure::RcFrame, 2005, Some(F::VII));
        let strict = HiddenDangerParams {
            far_below_degrees: 1,
            ..HiddenDangerParams::default()
        };
        // VII in VIII is one degree short: 一般 by default, 重点 with 1.
        assert_eq!(g(&b, VIII).0, 2);
        assert_eq!(grade(&b, Some(VIII), &strict, &fp()).grade, 1);
        let low = HiddenDangerParams {
            key_min_required_degree: 7,
            ..HiddenDangerParams::default()
        };
        let u = house(Structure::RcFrame, 2005, Some(F::None));
        assert_eq!(grade(&u, Some(VII), &low, &fp()).grade, 1);
        let bad = HiddenDangerParams {
            pre_code_structures: vec!["wood".into()],
            ..HiddenDangerParams::default()
        };
        assert!(bad.check("t.toml").is_err());
        assert!(HiddenDangerParams::default().check("t.toml").is_ok());
    }
}
