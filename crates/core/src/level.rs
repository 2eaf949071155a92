//! Hazards and level schemes, with the codes, names and colours of the census.
//!
//! Level rasters are u8 with 0 = nodata/outside. Risk levels use five classes
//! (1 = I 高 … 5 = V 低); geological hazards use four (1 = 极高 … 4 = 低); prevention
//! zoning three (1 = 重点, 2 = 次重点, 3 = 一般).

use serde::{Deserialize, Serialize};

/// The hazards the census assesses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hazard {
    /// Flood and waterlogging (洪涝).
    Flood,
    /// Earthquake (地震).
    Earthquake,
    /// Geological hazards: landslide, collapse, debris flow, subsidence (地质灾害).
    Geohazard,
    /// Forest fire (森林火灾).
    Wildfire,
    /// Comprehensive risk (综合风险), combining the single hazards.
    Comprehensive,
}

impl Hazard {
    /// Every hazard, single hazards first and [`Hazard::Comprehensive`] last.
    pub const ALL: [Hazard; 5] = [
        Hazard::Flood,
        Hazard::Earthquake,
        Hazard::Geohazard,
        Hazard::Wildfire,
        Hazard::Comprehensive,
    ];

    /// Stable snake_case identifier, as in serde, file names and manifests (`"flood"`).
    pub fn id(self) -> &'static str {
        match self {
            Hazard::Flood => "flood",
            Hazard::Earthquake => "earthquake",
            Hazard::Geohazard => "geohazard",
            Hazard::Wildfire => "wildfire",
            Hazard::Comprehensive => "comprehensive",
        }
    }

    /// Chinese name of the hazard for maps and reports (`"洪涝"`).
    pub fn name_zh(self) -> &'static str {
        match self {
            Hazard::Flood => "洪涝",
            Hazard::Earthquake => "地震",
            Hazard::Geohazard => "地质灾害",
            Hazard::Wildfire => "森林火灾",
            Hazard::Comprehensive => "综合",
        }
    }

    /// The level scheme used for this hazard's zoning.
    pub fn scheme(self) -> LevelScheme {
        match self {
            Hazard::Geohazard => LevelScheme::Geohazard,
            _ => LevelScheme::Risk,
        }
    }
}

/// One class of a level scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelClass {
    /// u8 code in level rasters (1-based; 0 is nodata).
    pub code: u8,
    /// Chinese name shown on maps and in tables (`"高风险"`).
    pub name_zh: &'static str,
    /// English name shown beside the Chinese one (`"I high"`).
    pub name_en: &'static str,
    /// RGB colour for maps and GeoTIFF colour tables.
    pub rgb: [u8; 3],
}

/// The level schemes of the census.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelScheme {
    /// Five risk levels I–V.
    Risk,
    /// Four geological-hazard levels.
    Geohazard,
    /// Three prevention tiers.
    Prevention,
}

const RISK: [LevelClass; 5] = [
    LevelClass {
        code: 1,
        name_zh: "高风险",
        name_en: "I high",
        rgb: [0xD7, 0x19, 0x1C],
    },
    LevelClass {
        code: 2,
        name_zh: "较高风险",
        name_en: "II fairly high",
        rgb: [0xFD, 0xAE, 0x61],
    },
    LevelClass {
        code: 3,
        name_zh: "中风险",
        name_en: "III medium",
        rgb: [0xFF, 0xFF, 0xBF],
    },
    LevelClass {
        code: 4,
        name_zh: "较低风险",
        name_en: "IV fairly low",
        rgb: [0xA6, 0xD9, 0x6A],
    },
    LevelClass {
        code: 5,
        name_zh: "低风险",
        name_en: "V low",
        rgb: [0x1A, 0x96, 0x41],
    },
];

const GEOHAZARD: [LevelClass; 4] = [
    LevelClass {
        code: 1,
        name_zh: "极高",
        name_en: "very high",
        rgb: [0xD7, 0x19, 0x1C],
    },
    LevelClass {
        code: 2,
        name_zh: "高",
        name_en: "high",
        rgb: [0xFD, 0xAE, 0x61],
    },
    LevelClass {
        code: 3,
        name_zh: "中",
        name_en: "medium",
        rgb: [0xFF, 0xFF, 0xBF],
    },
    LevelClass {
        code: 4,
        name_zh: "低",
        name_en: "low",
        rgb: [0x1A, 0x96, 0x41],
    },
];

const PREVENTION: [LevelClass; 3] = [
    LevelClass {
        code: 1,
        name_zh: "重点防治区",
        name_en: "key prevention",
        rgb: [0xD7, 0x19, 0x1C],
    },
    LevelClass {
        code: 2,
        name_zh: "次重点防治区",
        name_en: "secondary prevention",
        rgb: [0xFD, 0xAE, 0x61],
    },
    LevelClass {
        code: 3,
        name_zh: "一般防治区",
        name_en: "general prevention",
        rgb: [0xA6, 0xD9, 0x6A],
    },
];

impl LevelScheme {
    /// The classes of the scheme in code order, 1 first.
    pub fn classes(self) -> &'static [LevelClass] {
        match self {
            LevelScheme::Risk => &RISK,
            LevelScheme::Geohazard => &GEOHAZARD,
            LevelScheme::Prevention => &PREVENTION,
        }
    }

    /// Identifier used in metadata and manifests.
    pub fn id(self) -> &'static str {
        match self {
            LevelScheme::Risk => "risk5",
            LevelScheme::Geohazard => "geohazard4",
            LevelScheme::Prevention => "prevention3",
        }
    }

    /// Number of classes (5, 4 or 3), excluding the nodata code 0.
    pub fn count(self) -> usize {
        self.classes().len()
    }

    /// The class of a code, `None` for 0 (nodata) or out of range.
    pub fn class(self, code: u8) -> Option<&'static LevelClass> {
        self.classes().iter().find(|c| c.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_match_design_codes_and_colours() {
        assert_eq!(LevelScheme::Risk.count(), 5);
        assert_eq!(LevelScheme::Geohazard.count(), 4);
        assert_eq!(LevelScheme::Prevention.count(), 3);
        assert_eq!(LevelScheme::Risk.class(1).unwrap().rgb, [0xD7, 0x19, 0x1C]);
        assert_eq!(LevelScheme::Risk.class(5).unwrap().rgb, [0x1A, 0x96, 0x41]);
        assert!(LevelScheme::Risk.class(0).is_none());
        assert_eq!(Hazard::Geohazard.scheme(), LevelScheme::Geohazard);
        for s in [
            LevelScheme::Risk,
            LevelScheme::Geohazard,
            LevelScheme::Prevention,
        ] {
            for (i, c) in s.classes().iter().enumerate() {
                assert_eq!(c.code as usize, i + 1);
            }
        }
    }
}
