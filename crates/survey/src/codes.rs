//! Official admin codes (行政区划代码 / 统计用区划代码): the national prefix `156` of
//! web-map exports, which codes lie inside a census's area, the level a code's length
//! gives, and name suffixes that contradict it.
//!
//! Codes follow GB/T 2260 for counties (6 digits: province 2, city 2, county 2) and
//! the National Bureau of Statistics' division codes for townships (9 digits: the
//! county's 6 + 3) and villages (12 digits: the township's 9 + 3). Some web-map
//! exports (Tianditu's `gb` field, for one) prefix the ISO 3166 numeric country code
//! of China, `156`: `156370902` is the county `370902`. No statistical code starts
//! with `156` (province `15`, Inner Mongolia, has no city `56`), so the prefix is
//! recognised without ambiguity when the rest is a 6, 9 or 12-digit code.

/// The code without the national prefix `156`, when `code` is `156` followed by a
/// 6, 9 or 12-digit code; `None` otherwise.
pub fn strip_national_prefix(code: &str) -> Option<&str> {
    let rest = code.strip_prefix("156")?;
    (matches!(rest.len(), 6 | 9 | 12) && rest.bytes().all(|b| b.is_ascii_digit())).then_some(rest)
}

/// The prefix every code inside the area of `census_code` starts with: a county
/// `370902` owns `370902…`; a city `370900` (ends in `00`) owns `3709…`; a province
/// `370000` owns `37…`.
pub fn area_prefix(census_code: &str) -> &str {
    let c = census_code.trim();
    if c.len() == 6 && c.ends_with("0000") {
        &c[..2]
    } else if c.len() == 6 && c.ends_with("00") {
        &c[..4]
    } else {
        c
    }
}

/// True when `code` lies inside the area of `census_code` (see [`area_prefix`]);
/// the census's own code belongs to it.
pub fn belongs(code: &str, census_code: &str) -> bool {
    code == census_code.trim() || code.starts_with(area_prefix(census_code))
}

/// The admin level a code's length gives: `county` (6 digits), `township` (9),
/// `village` (12).
pub fn level_of(code: &str) -> Option<&'static str> {
    match code.len() {
        6 => Some("county"),
        9 => Some("township"),
        12 => Some("village"),
        _ => None,
    }
}

/// A name suffix that contradicts a level: `(suffix, the level it belongs to, the
/// suffixes expected at this level)`. Township-level development and park areas
/// (`…开发区`, `…园区`, `…管理区`) are not flagged; village names ending in `区`
/// (`社区`, `小区`) neither.
pub fn suffix_conflict(
    name: &str,
    level: &str,
) -> Option<(&'static str, &'static str, &'static str)> {
    const VILLAGE: &[&str] = &["社区", "居委会", "村委会", "村"];
    const TOWNSHIP: &[&str] = &["街道", "乡", "镇"];
    const COUNTY: &[&str] = &["自治县", "市", "县", "区", "旗"];
    let n = name.trim();
    let hit = |set: &[&'static str]| set.iter().copied().find(|s| n.ends_with(s));
    match level {
        "county" => hit(VILLAGE)
            .map(|s| (s, "village", "市/县/区/旗"))
            .or_else(|| hit(TOWNSHIP).map(|s| (s, "township", "市/县/区/旗"))),
        "township" => {
            if ["开发区", "园区", "管理区"].iter().any(|s| n.ends_with(s)) {
                return None;
            }
            hit(VILLAGE)
                .map(|s| (s, "village", "乡/镇/街道"))
                .or_else(|| hit(COUNTY).map(|s| (s, "county", "乡/镇/街道")))
        }
        "village" => hit(TOWNSHIP)
            .map(|s| (s, "township", "村/社区/居委会/村委会"))
            .or_else(|| {
                hit(&["自治县", "市", "县", "旗"]).map(|s| (s, "county", "村/社区/居委会/村委会"))
            }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_prefix_is_stripped_only_before_a_whole_code() {
        assert_eq!(strip_national_prefix("156370902"), Some("370902"));
        assert_eq!(strip_national_prefix("156370902001"), Some("370902001"));
        assert_eq!(
            strip_national_prefix("156370902001201"),
            Some("370902001201")
        );
        // A 9-digit township code is not a prefixed county code unless it starts 156.
        assert_eq!(strip_national_prefix("370902001"), None);
        assert_eq!(strip_national_prefix("1563709"), None);
    }

    #[test]
    fn county_city_and_province_own_their_prefixes() {
        assert!(belongs("370902001", "370902"));
        assert!(!belongs("370911001", "370902"));
        assert!(belongs("370911", "370900"));
        assert!(belongs("370900", "370900"));
        assert!(!belongs("370102", "370900"));
        assert!(belongs("371002", "370000"));
        assert!(!belongs("410102", "370000"));
    }

    #[test]
    fn suffixes_that_contradict_the_level_are_found() {
        assert_eq!(
            suffix_conflict("泰山区", "township"),
            Some(("区", "county", "乡/镇/街道"))
        );
        assert_eq!(
            suffix_conflict("岱庙社区", "township"),
            Some(("社区", "village", "乡/镇/街道"))
        );
        assert_eq!(suffix_conflict("岱庙街道", "township"), None);
        assert_eq!(suffix_conflict("泰安高新技术产业开发区", "township"), None);
        assert_eq!(
            suffix_conflict("省庄镇", "county"),
            Some(("镇", "township", "市/县/区/旗"))
        );
        assert_eq!(suffix_conflict("泰山区", "county"), None);
        assert_eq!(suffix_conflict("东岳社区", "village"), None);
        assert_eq!(
            suffix_conflict("邱家店镇", "village"),
            Some(("镇", "township", "村/社区/居委会/村委会"))
        );
    }
}
