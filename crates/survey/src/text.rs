//! Text encodings and calendar dates.

use encoding_rs::Encoding;

/// Resolve an encoding label (`GBK`, `CP936`, `936`, `GB2312`, `GB18030`, `UTF-8`,
/// `UTF8`) to an `encoding_rs` encoding.
pub fn encoding_for(label: &str) -> Option<&'static Encoding> {
    let l = label.trim();
    let l = match l.to_ascii_uppercase().as_str() {
        "CP936" | "936" | "MS936" | "ANSI 936" | "WINDOWS-936" => "gbk",
        "UTF8" => "utf-8",
        _ => l,
    };
    Encoding::for_label(l.as_bytes())
}

/// Decode bytes strictly: `None` if any sequence is malformed.
pub fn decode_strict(enc: &'static Encoding, bytes: &[u8]) -> Option<String> {
    enc.decode_without_bom_handling_and_without_replacement(bytes)
        .map(|c| c.into_owned())
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", `civil_from_days`).
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((y + i64::from(m <= 2)) as i32, m, d)
}

/// Today's date (UTC) from the system clock.
pub fn today() -> (i32, u32, u32) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    civil_from_days(secs.div_euclid(86_400))
}

/// Now as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_iso() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Survey text as ASCII where forms typed in Chinese write numbers in full width:
/// the full-width digits, sign, point, percent and slash (U+FF10–U+FF19, U+FF0B,
/// U+FF0D, U+2212, U+FF0E, U+FF05, U+FF0F) and the ideographic space (U+3000)
/// become their ASCII forms; the rest is kept.
pub fn halfwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from(b'0' + (c as u32 - 0xFF10) as u8),
            '\u{FF0B}' => '+',
            '\u{FF0D}' | '\u{2212}' => '-',
            '\u{FF0E}' => '.',
            '\u{FF05}' => '%',
            '\u{FF0F}' => '/',
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

/// How a unit of the census schema is written after a number in survey forms
/// (`"120平方米"` in an m² field). Only the field's own unit is understood: no
/// value is ever rescaled (元 in a 万元 field stays an error).
fn unit_spellings(unit: &str) -> &'static [&'static str] {
    match unit.split_whitespace().next().unwrap_or("") {
        "persons" => &["人", "persons", "person"],
        "storeys" => &["层", "storeys"],
        "year" => &["年"],
        "pieces" => &["个", "处", "座", "台", "套", "件", "艘", "辆", "pieces"],
        "m" => &["米", "m"],
        "m²" => &["平方米", "㎡", "m²", "m2"],
        "m³" => &["立方米", "m³", "m3"],
        "万m³" => &["万立方米", "万m³", "万m3"],
        "万元" => &["万元"],
        "km" => &["公里", "千米", "km"],
        "mm" => &["毫米", "mm"],
        "t" => &["吨", "t"],
        "ha" => &["公顷", "ha"],
        "%" => &["%"],
        "°C" => &["℃", "°C"],
        "km/h" => &["公里/小时", "千米/小时", "km/h"],
        "s" => &["秒", "s"],
        "MPa" => &["MPa"],
        "g" => &["g"],
        _ => &[],
    }
}

/// A number as survey forms write it, for a field in `unit` (the schema's unit,
/// if any): full-width digits ([`halfwidth`]), thousands separators in groups of
/// three (`1,234.5`), and the field's own unit after it (`120平方米`, `35万元`,
/// `５层` for storeys, `2005年` for a year) are understood. `None` when the text is not such a number.
pub fn number_text(text: &str, unit: Option<&str>) -> Option<String> {
    let t = halfwidth(text);
    let mut t = t.trim();
    for &u in unit.map(unit_spellings).unwrap_or(&[]) {
        if let Some(rest) = t.strip_suffix(u) {
            t = rest.trim_end();
            break;
        }
    }
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = int.trim_start_matches(['+', '-']);
    let grouped = digits.contains(',')
        && digits.split(',').enumerate().all(|(i, g)| {
            g.bytes().all(|b| b.is_ascii_digit())
                && if i == 0 {
                    (1..=3).contains(&g.len())
                } else {
                    g.len() == 3
                }
        });
    let out = if grouped {
        let sign = &int[..int.len() - digits.len()];
        let mut s = format!("{sign}{}", digits.replace(',', ""));
        if t.contains('.') {
            s.push('.');
            s.push_str(frac);
        }
        s
    } else {
        t.to_string()
    };
    (!out.is_empty()).then_some(out)
}

/// Parse `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYYMMDD` or `YYYY年M月D日`, in
/// ASCII or full-width digits (a time part after a blank or `T` is ignored); checks
/// the day exists.
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let s = halfwidth(s);
    let s = s.trim();
    let s = s.split(['T', ' ']).next()?;
    let chinese;
    let s = if let Some(rest) = s.strip_suffix('日') {
        chinese = rest.replace(['年', '月'], "-");
        chinese.as_str()
    } else {
        s
    };
    let parts: Vec<&str> = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        vec![&s[..4], &s[4..6], &s[6..]]
    } else {
        s.split(['-', '/', '.']).collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || !(1000..=9999).contains(&y) {
        return None;
    }
    Some((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        // 2000-03-01 is day 11 017; 2024-02-29 is day 19 782.
        assert_eq!(civil_from_days(11_017), (2000, 3, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn numbers_as_survey_forms_write_them() {
        let n = |t: &str, u: Option<&str>| number_text(t, u).and_then(|t| t.parse::<f64>().ok());
        assert_eq!(n("１２", None), Some(12.0));
        assert_eq!(n("－３．５", None), Some(-3.5));
        assert_eq!(n("1,234,567.25", None), Some(1_234_567.25));
        assert_eq!(n("-1,234", None), Some(-1234.0));
        // A full-width comma, or digits not in groups of three, are no separators.
        assert_eq!(n("１，２３４", None), None);
        assert_eq!(n("12,34", None), None);
        assert_eq!(n("120平方米", Some("m²")), Some(120.0));
        assert_eq!(n("120 ㎡", Some("m²")), Some(120.0));
        assert_eq!(n("35万元", Some("万元 (10⁴ CNY)")), Some(35.0));
        assert_eq!(n("2,500人", Some("persons")), Some(2500.0));
        // Another unit than the field's is never rescaled: refused.
        assert_eq!(n("350000元", Some("万元")), None);
        assert_eq!(n("120平方米", Some("m")), None);
        assert_eq!(n("12层", None), None);
        assert_eq!(n("５层", Some("storeys")), Some(5.0));
        assert_eq!(n("２００５年", Some("year")), Some(2005.0));
        assert_eq!(number_text("　", None), None);
    }

    #[test]
    fn dates_parse_in_survey_formats() {
        assert_eq!(parse_date("2024年4月5日"), Some((2024, 4, 5)));
        assert_eq!(parse_date("２０２４－０４－０５"), Some((2024, 4, 5)));
        assert_eq!(parse_date("2024年2月30日"), None);
        assert_eq!(parse_date("2024-04-05"), Some((2024, 4, 5)));
        assert_eq!(parse_date("2024/4/5"), Some((2024, 4, 5)));
        assert_eq!(parse_date("20240405"), Some((2024, 4, 5)));
        assert_eq!(parse_date("2024-04-05T10:00:00"), Some((2024, 4, 5)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn encodings() {
        assert_eq!(encoding_for("CP936"), Some(encoding_rs::GBK));
        assert_eq!(encoding_for("GB2312"), Some(encoding_rs::GBK));
        assert_eq!(encoding_for("UTF8"), Some(encoding_rs::UTF_8));
        let (gbk, _, _) = encoding_rs::GBK.encode("滑坡");
        assert_eq!(
            decode_strict(encoding_rs::GBK, &gbk).as_deref(),
            Some("滑坡")
        );
        assert_eq!(decode_strict(encoding_rs::UTF_8, &gbk), None);
    }
}
