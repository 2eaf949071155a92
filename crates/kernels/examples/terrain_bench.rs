//! Time the kernels on a raw DEM, for `validate/terrain/compare_speed.py`.
//!
//! ```text
//! cargo run --release -p riskcensus-kernels --example terrain_bench -- \
//!     DEM.f32 ROWS COLS CELL_M [REPEATS]
//! ```
//!
//! `DEM.f32` is raw little-endian float32, row-major, row 0 north, NaN nodata. Prints
//! one JSON object with the best-of-REPEATS process CPU time (seconds, from
//! /proc/self/stat, 10 ms ticks; robust to other load on the machine) and wall time
//! (`*_wall_s`) of each stage, and the peak resident set size. Single-threaded: the
//! kernels do not spawn threads.

use std::time::Instant;

use ndarray::Array2;
use riskcensus_kernels::hydro;
use riskcensus_kernels::terrain::{self, Edges, GradientAlg, SlopeUnits};
use riskcensus_kernels::CellSize;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        eprintln!("usage: terrain_bench DEM.f32 ROWS COLS CELL_M [REPEATS]");
        std::process::exit(2);
    }
    let parse = |i: usize, what: &str| -> f64 {
        args[i].parse().unwrap_or_else(|_| {
            eprintln!("bad {what}: {}", args[i]);
            std::process::exit(2)
        })
    };
    let (rows, cols) = (parse(2, "rows") as usize, parse(3, "cols") as usize);
    let cell = CellSize::new(parse(4, "cell size")).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let repeats = if args.len() > 5 {
        parse(5, "repeats") as usize
    } else {
        3
    };
    let bytes = std::fs::read(&args[1]).unwrap_or_else(|e| {
        eprintln!("{}: {e}", args[1]);
        std::process::exit(1)
    });
    if bytes.len() != rows * cols * 4 {
        eprintln!(
            "{}: {} bytes, expected {}",
            args[1],
            bytes.len(),
            rows * cols * 4
        );
        std::process::exit(2);
    }
    let v: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
        .collect();
    drop(bytes);
    let dem = Array2::from_shape_vec((rows, cols), v).unwrap();

    // (cpu, wall) of one run of `f`.
    let time = |f: &mut dyn FnMut()| -> (f64, f64) {
        let (c, t) = (cpu_s(), Instant::now());
        f();
        (cpu_s() - c, t.elapsed().as_secs_f64())
    };
    let min2 = |a: (f64, f64), b: (f64, f64)| (a.0.min(b.0), a.1.min(b.1));
    let inf = (f64::INFINITY, f64::INFINITY);
    let (mut slope, mut aspect, mut fill, mut d8, mut acc) = (inf, inf, inf, inf, inf);
    for _ in 0..repeats {
        slope = min2(
            slope,
            time(&mut || {
                std::hint::black_box(terrain::slope(
                    dem.view(),
                    cell,
                    GradientAlg::Horn,
                    SlopeUnits::Degrees,
                    Edges::Nodata,
                ));
            }),
        );
        aspect = min2(
            aspect,
            time(&mut || {
                std::hint::black_box(terrain::aspect(
                    dem.view(),
                    GradientAlg::Horn,
                    Edges::Nodata,
                ));
            }),
        );
        let mut f = None;
        fill = min2(
            fill,
            time(&mut || f = Some(hydro::fill_depressions(dem.view()))),
        );
        let f = f.unwrap();
        let mut d = None;
        d8 = min2(d8, time(&mut || d = Some(hydro::d8(f.view()))));
        drop(f);
        let d = d.unwrap();
        acc = min2(
            acc,
            time(&mut || {
                std::hint::black_box(hydro::accumulation(d.view()).unwrap());
            }),
        );
    }
    let mut out = format!("{{\"cells\": {}", rows * cols);
    for (name, (c, w)) in [
        ("slope", slope),
        ("aspect", aspect),
        ("fill", fill),
        ("d8", d8),
        ("accumulation", acc),
    ] {
        out += &format!(", \"{name}_s\": {c:.4}, \"{name}_wall_s\": {w:.4}");
    }
    println!("{out}, \"peak_rss_kb\": {}}}", peak_rss_kb());
}

/// utime + stime of this process in seconds (Linux /proc; 0 elsewhere).
fn cpu_s() -> f64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are 14 and 15.
    let rest = &s[s.rfind(')').map_or(0, |i| i + 2)..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f[11].parse::<f64>().unwrap_or(0.0) + f[12].parse::<f64>().unwrap_or(0.0);
    ticks / 100.0 // USER_HZ is 100 on Linux
}

/// VmHWM from /proc/self/status (Linux); 0 elsewhere.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
