//! The Canadian Forest Fire Weather Index (FWI) System: the three fuel-moisture codes
//! (FFMC, DMC, DC), the two intermediate indices (ISI, BUI), the FWI and the daily
//! severity rating (DSR), from daily noon weather.
//!
//! Equations are those of Van Wagner, C.E. & Pickett, T.L. (1985) *Equations and
//! FORTRAN program for the Canadian Forest Fire Weather Index System*, Canadian
//! Forestry Service, Forestry Technical Report 33 (numbered as there; the same numbers
//! are used in Van Wagner, C.E. (1987) *Development and structure of the Canadian
//! Forest Fire Weather Index System*, Forestry Technical Report 35), with the DSR of
//! Van Wagner, C.E. (1970) *Conversion of William's severity rating for use with the
//! Fire Weather Index*, Canadian Forestry Service, Information Report PS-X-21.
//!
//! Conventions (stated because implementations differ on them):
//!
//! - **Units.** Temperature °C, relative humidity %, wind km/h (10 m, open), rain mm
//!   over the previous 24 h. The system is defined for noon local standard time
//!   observations.
//! - **No rounding carried.** Codes are carried between days in full `f64`
//!   precision; only outputs written for people are rounded (by the caller).
//! - **Start-up.** A season starts from FFMC 85, DMC 6, DC 15 ([`Codes::STARTUP`],
//!   Van Wagner & Pickett 1985 p. 3; Lawson & Armitage 2008, *Weather Guide for the
//!   Canadian Forest Fire Danger Rating System*, ch. 4) unless other values are given.
//!   The DC is not overwintered (Lawson & Armitage 2008 describe the overwintering
//!   adjustment; RiskCensus starts every season at DC 15, which suits the wet
//!   summer monsoon before the spring fire season of northern China; documented in
//!   `docs/wildfire.md`).
//! - **Day length.** The standard monthly effective day-length factors of Van Wagner
//!   (1987, Tables 1 and 2), `Le` for the DMC and `Lf` for the DC, derived for 46°N and
//!   used by the standard system for the northern mid-latitudes ([`DMC_DAY_LENGTH`],
//!   [`DC_DAY_LENGTH`]). No latitude adjustment is applied.
//! - **Bounds.** FFMC is held in [0, 101] (the FORTRAN program's limits), DMC, DC and
//!   BUI are held ≥ 0; temperatures below −1.1 °C (DMC) and −2.8 °C (DC) are raised to
//!   those limits (Eqs. 16 and 22, as in the program).

/// Effective day length `Le` (hours) for the DMC, January..December
/// (Van Wagner 1987, Table 1; Van Wagner & Pickett 1985, program line `EL`).
pub const DMC_DAY_LENGTH: [f64; 12] = [
    6.5, 7.5, 9.0, 12.8, 13.9, 13.9, 12.4, 10.9, 9.4, 8.0, 7.0, 6.0,
];

/// Day-length adjustment `Lf` for the DC, January..December
/// (Van Wagner 1987, Table 2; Van Wagner & Pickett 1985, program line `FL`).
pub const DC_DAY_LENGTH: [f64; 12] = [
    -1.6, -1.6, -1.6, 0.9, 3.8, 5.8, 6.4, 5.0, 2.4, 0.4, -1.6, -1.6,
];

/// The three moisture codes carried from day to day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Codes {
    /// Fine Fuel Moisture Code, 0..=101.
    pub ffmc: f64,
    /// Duff Moisture Code, ≥ 0.
    pub dmc: f64,
    /// Drought Code, ≥ 0.
    pub dc: f64,
}

impl Codes {
    /// The standard start-up values FFMC 85, DMC 6, DC 15 (Van Wagner & Pickett 1985).
    pub const STARTUP: Codes = Codes {
        ffmc: 85.0,
        dmc: 6.0,
        dc: 15.0,
    };
}

impl Default for Codes {
    fn default() -> Self {
        Codes::STARTUP
    }
}

/// One day of noon weather, already validated (see [`super::weather`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayWeather {
    /// Calendar month 1..=12 (selects the day-length factors).
    pub month: u8,
    /// Air temperature, °C.
    pub temp_c: f64,
    /// Relative humidity, % (0..=100).
    pub rh_pct: f64,
    /// 10 m wind speed, km/h (≥ 0).
    pub wind_kmh: f64,
    /// Rain of the previous 24 h, mm (≥ 0).
    pub rain_mm: f64,
}

/// The seven outputs of one day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FwiDay {
    /// Fine Fuel Moisture Code.
    pub ffmc: f64,
    /// Duff Moisture Code.
    pub dmc: f64,
    /// Drought Code.
    pub dc: f64,
    /// Initial Spread Index.
    pub isi: f64,
    /// Buildup Index.
    pub bui: f64,
    /// Fire Weather Index.
    pub fwi: f64,
    /// Daily Severity Rating.
    pub dsr: f64,
}

/// FFMC moisture content (%) from the code, Eq. 1: m = 147.2·(101 − F)/(59.5 + F).
fn ffmc_moisture(ffmc: f64) -> f64 {
    147.2 * (101.0 - ffmc) / (59.5 + ffmc)
}

/// Fine Fuel Moisture Code of today from yesterday's `ffmc0` (Eqs. 1–10).
pub fn ffmc(ffmc0: f64, temp_c: f64, rh_pct: f64, wind_kmh: f64, rain_mm: f64) -> f64 {
    let (t, h, w) = (temp_c, rh_pct, wind_kmh);
    let mut mo = ffmc_moisture(ffmc0);
    if rain_mm > 0.5 {
        // Eq. 2: effective rain; Eq. 3a (and 3b above 150 %): moisture after rain.
        let rf = rain_mm - 0.5;
        let mut mr = mo + 42.5 * rf * (-100.0 / (251.0 - mo)).exp() * (1.0 - (-6.93 / rf).exp());
        if mo > 150.0 {
            mr += 0.0015 * (mo - 150.0).powi(2) * rf.sqrt();
        }
        mo = mr.min(250.0);
    }
    // Eq. 4: equilibrium moisture content for drying.
    let tail = 0.18 * (21.1 - t) * (1.0 - (-0.115 * h).exp());
    let ed = 0.942 * h.powf(0.679) + 11.0 * ((h - 100.0) / 10.0).exp() + tail;
    let m = if mo > ed {
        // Eqs. 6a, 6b: log drying rate; Eq. 8: drying towards Ed.
        let ko =
            0.424 * (1.0 - (h / 100.0).powf(1.7)) + 0.0694 * w.sqrt() * (1.0 - (h / 100.0).powi(8));
        let kd = ko * 0.581 * (0.0365 * t).exp();
        ed + (mo - ed) * 10f64.powf(-kd)
    } else {
        // Eq. 5: equilibrium moisture content for wetting.
        let ew = 0.618 * h.powf(0.753) + 10.0 * ((h - 100.0) / 10.0).exp() + tail;
        if mo < ew {
            // Eqs. 7a, 7b: log wetting rate; Eq. 9: wetting towards Ew.
            let hh = (100.0 - h) / 100.0;
            let k1 = 0.424 * (1.0 - hh.powf(1.7)) + 0.0694 * w.sqrt() * (1.0 - hh.powi(8));
            let kw = k1 * 0.581 * (0.0365 * t).exp();
            ew - (ew - mo) * 10f64.powf(-kw)
        } else {
            mo
        }
    };
    // Eq. 10, held in [0, 101].
    (59.5 * (250.0 - m) / (147.2 + m)).clamp(0.0, 101.0)
}

/// Duff Moisture Code of today from yesterday's `dmc0` (Eqs. 11–17), with the
/// standard day-length factor `Le` of `month` (1..=12).
pub fn dmc(dmc0: f64, temp_c: f64, rh_pct: f64, rain_mm: f64, month: u8) -> f64 {
    let t = temp_c.max(-1.1);
    let le = DMC_DAY_LENGTH[month_index(month)];
    // Eq. 16: log drying rate K; Eq. 17 adds 100·K.
    let k = 1.894 * (t + 1.1) * (100.0 - rh_pct) * le * 1e-6;
    let p0 = if rain_mm > 1.5 {
        // Eq. 11: effective rain; Eq. 12: moisture content, as coded in the 1985
        // FORTRAN program that printed the test table (`20 + 280/exp(0.023·P0)`;
        // the printed equation `20 + exp(5.6348 − P0/43.43)` differs by ≈ 0.01 DMC
        // after rain); Eqs. 13a–c: slope b.
        let re = 0.92 * rain_mm - 1.27;
        let mo = 20.0 + 280.0 / (0.023 * dmc0).exp();
        let b = if dmc0 <= 33.0 {
            100.0 / (0.5 + 0.3 * dmc0)
        } else if dmc0 <= 65.0 {
            14.0 - 1.3 * dmc0.ln()
        } else {
            6.2 * dmc0.ln() - 17.2
        };
        // Eq. 14: moisture after rain; Eq. 15: code after rain.
        let mr = mo + 1000.0 * re / (48.77 + b * re);
        (43.43 * (5.6348 - (mr - 20.0).ln())).max(0.0)
    } else {
        dmc0
    };
    (p0 + 100.0 * k).max(0.0)
}

/// Drought Code of today from yesterday's `dc0` (Eqs. 18–23), with the standard
/// day-length adjustment `Lf` of `month` (1..=12).
pub fn dc(dc0: f64, temp_c: f64, rain_mm: f64, month: u8) -> f64 {
    let t = temp_c.max(-2.8);
    let lf = DC_DAY_LENGTH[month_index(month)];
    // Eq. 22: potential evapotranspiration V, of which half is added (Eq. 23); V < 0
    // is taken as 0 (Van Wagner & Pickett 1985 program).
    let v = (0.36 * (t + 2.8) + lf).max(0.0);
    let d0 = if rain_mm > 2.8 {
        // Eq. 18: effective rain; Eq. 19: moisture equivalent Q; Eqs. 20, 21.
        let rd = 0.83 * rain_mm - 1.27;
        // Dr = 400·ln(800/(Qo + 3.937·Rd)), written as in the program:
        // D0 − 400·ln(1 + 3.937·Rd/Qo).
        let qo = 800.0 * (-dc0 / 400.0).exp();
        (dc0 - 400.0 * (1.0 + 3.937 * rd / qo).ln()).max(0.0)
    } else {
        dc0
    };
    (d0 + 0.5 * v).max(0.0)
}

/// Initial Spread Index from the FFMC and the wind (Eqs. 24–26).
pub fn isi(ffmc: f64, wind_kmh: f64) -> f64 {
    let m = ffmc_moisture(ffmc);
    let f_w = (0.05039 * wind_kmh).exp();
    let f_f = 91.9 * (-0.1386 * m).exp() * (1.0 + m.powf(5.31) / 4.93e7);
    0.208 * f_w * f_f
}

/// Buildup Index from the DMC `p` and the DC `d` (Eqs. 27a, 27b), ≥ 0.
pub fn bui(p: f64, d: f64) -> f64 {
    if p == 0.0 && d == 0.0 {
        return 0.0;
    }
    let u = if p <= 0.4 * d {
        0.8 * p * d / (p + 0.4 * d)
    } else {
        p - (1.0 - 0.8 * d / (p + 0.4 * d)) * (0.92 + (0.0114 * p).powf(1.7))
    };
    u.max(0.0)
}

/// Fire Weather Index from the ISI `r` and the BUI `u` (Eqs. 28a, 28b, 29, 30a, 30b).
pub fn fwi(r: f64, u: f64) -> f64 {
    let f_d = if u <= 80.0 {
        0.626 * u.powf(0.809) + 2.0
    } else {
        1000.0 / (25.0 + 108.64 * (-0.023 * u).exp())
    };
    let b = 0.1 * r * f_d;
    if b > 1.0 {
        (2.72 * (0.434 * b.ln()).powf(0.647)).exp()
    } else {
        b
    }
}

/// Daily Severity Rating, DSR = 0.0272·FWI^1.77 (Van Wagner 1970; Van Wagner 1987 Eq. 31).
pub fn dsr(fwi: f64) -> f64 {
    0.0272 * fwi.powf(1.77)
}

fn month_index(month: u8) -> usize {
    // Validated upstream (weather::DailyRecord); a bad month is a programming error
    // here, so clamp rather than panic in a kernel.
    (month.clamp(1, 12) - 1) as usize
}

/// Advances the codes by one day and returns the day's seven outputs.
pub fn step(codes: &mut Codes, day: &DayWeather) -> FwiDay {
    let f = ffmc(
        codes.ffmc,
        day.temp_c,
        day.rh_pct,
        day.wind_kmh,
        day.rain_mm,
    );
    let p = dmc(codes.dmc, day.temp_c, day.rh_pct, day.rain_mm, day.month);
    let d = dc(codes.dc, day.temp_c, day.rain_mm, day.month);
    *codes = Codes {
        ffmc: f,
        dmc: p,
        dc: d,
    };
    let r = isi(f, day.wind_kmh);
    let u = bui(p, d);
    let s = fwi(r, u);
    FwiDay {
        ffmc: f,
        dmc: p,
        dc: d,
        isi: r,
        bui: u,
        fwi: s,
        dsr: dsr(s),
    }
}

/// Runs a continuous daily series (one season of one station) from `start`.
pub fn run_season(start: Codes, days: &[DayWeather]) -> Vec<FwiDay> {
    let mut codes = start;
    days.iter().map(|d| step(&mut codes, d)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand calculation of day 1 of the Van Wagner & Pickett (1985) test data
    /// (13 April: 17 °C, 42 %, 25 km/h, 0 mm from start-up 85/6/15), worked through
    /// the equations above on a calculator: DMC = 6 + 100·1.894·18.1·58·12.8·1e-6
    /// = 8.545051136; DC = 15 + 0.5·(0.36·19.8 + 0.9) = 19.014.
    #[test]
    fn day_one_hand_calculation() {
        let mut c = Codes::STARTUP;
        let d = step(
            &mut c,
            &DayWeather {
                month: 4,
                temp_c: 17.0,
                rh_pct: 42.0,
                wind_kmh: 25.0,
                rain_mm: 0.0,
            },
        );
        assert!((d.dmc - 8.545_051_136).abs() < 1e-9, "{}", d.dmc);
        assert!((d.dc - 19.014).abs() < 1e-9, "{}", d.dc);
        // Published, rounded: FFMC 87.7, ISI 10.9, BUI 8.5, FWI 10.1.
        assert!((d.ffmc - 87.7).abs() < 0.05, "{}", d.ffmc);
        assert!((d.isi - 10.9).abs() < 0.05, "{}", d.isi);
        assert!((d.bui - 8.5).abs() < 0.05, "{}", d.bui);
        assert!((d.fwi - 10.1).abs() < 0.05, "{}", d.fwi);
    }

    #[test]
    fn bui_zero_inputs_and_fwi_branches() {
        assert_eq!(bui(0.0, 0.0), 0.0);
        // Eq. 30b: B ≤ 1 passes through.
        assert!((fwi(0.0, 50.0)).abs() < 1e-12);
        // DSR of FWI 10: 0.0272·10^1.77 = 1.6017...
        assert!((dsr(10.0) - 0.0272 * 10f64.powf(1.77)).abs() < 1e-12);
        assert!((dsr(10.0) - 1.601_6).abs() < 1e-3);
    }
}
