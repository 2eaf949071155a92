//! A surveyed fault as the scenario rupture needs it: the dip angle and dip
//! direction read from the fault's `dip` text (e.g. `南倾 70°`, `北西倾 65°`), and the
//! trace oriented so that the dip lies to the right of the trace direction (the Aki
//! & Richards 1980 convention of [`super::rupture`]).
//!
//! Coordinates are projected metres, axis order (x = easting, y = northing).

/// Dip angle (the number before `°`/`度`, or the last number; kept only within
/// (0, 90]) and the horizontal dip direction (unit (x, y)) from Chinese compass
/// words before `倾` (东 E, 南 S, 西 W, 北 N, e.g. `北西倾 65°` → north-west) in a
/// fault's `dip` text.
pub fn parse_dip(s: &str) -> (Option<f64>, Option<(f64, f64)>) {
    let mut num = String::new();
    let mut angle = None;
    for ch in s.chars() {
        if ch.is_ascii_digit() || ch == '.' {
            num.push(ch);
        } else if !num.is_empty() {
            angle = num.parse::<f64>().ok().or(angle);
            num.clear();
        }
    }
    if !num.is_empty() {
        angle = num.parse::<f64>().ok().or(angle);
    }
    let angle = angle.filter(|a| *a > 0.0 && *a <= 90.0);
    let head: String = s.chars().take_while(|c| *c != '倾').collect();
    let (mut x, mut y) = (0.0f64, 0.0f64);
    for ch in head.chars() {
        match ch {
            '东' => x += 1.0,
            '西' => x -= 1.0,
            '南' => y -= 1.0,
            '北' => y += 1.0,
            _ => {}
        }
    }
    let dir = if s.contains('倾') && (x != 0.0 || y != 0.0) {
        let n = x.hypot(y);
        Some((x / n, y / n))
    } else {
        None
    };
    (angle, dir)
}

/// The trace with its end points swapped when needed so that the horizontal dip
/// direction `dir` (unit (x, y)) lies to the right of the trace direction: the
/// right of a direction (tx, ty) is (ty, −tx), so the trace is kept when
/// ty·dx − tx·dy ≥ 0. Without a direction the trace is kept as given.
pub fn orient_trace(trace: [(f64, f64); 2], dir: Option<(f64, f64)>) -> [(f64, f64); 2] {
    let mut trace = trace;
    if let Some((dx, dy)) = dir {
        let (tx, ty) = (trace[1].0 - trace[0].0, trace[1].1 - trace[0].1);
        if ty * dx - tx * dy < 0.0 {
            trace.swap(0, 1);
        }
    }
    trace
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dip_text_gives_angle_and_direction() {
        assert_eq!(parse_dip("南倾 70°"), (Some(70.0), Some((0.0, -1.0))));
        let (a, d) = parse_dip("北西倾 65度");
        assert_eq!(a, Some(65.0));
        let (dx, dy) = d.unwrap();
        assert!((dx + 0.5f64.sqrt()).abs() < 1e-12 && (dy - 0.5f64.sqrt()).abs() < 1e-12);
        // No 倾: no direction; an angle outside (0, 90] is dropped.
        assert_eq!(parse_dip("走向 NE, 95"), (None, None));
    }

    /// A west→east trace has its right side to the south: a south dip keeps it, a
    /// north dip reverses it.
    #[test]
    fn trace_turns_so_the_dip_is_on_the_right() {
        let t = [(0.0, 0.0), (1000.0, 0.0)];
        assert_eq!(orient_trace(t, Some((0.0, -1.0))), t);
        assert_eq!(orient_trace(t, Some((0.0, 1.0))), [t[1], t[0]]);
        assert_eq!(orient_trace(t, None), t);
    }
}
