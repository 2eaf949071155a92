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

/// Parse `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD` or `YYYYMMDD` (a time part after a
/// blank or `T` is ignored); checks the day exists.
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let s = s.trim();
    let s = s.split(['T', ' ']).next()?;
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
    fn dates_parse_in_survey_formats() {
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
