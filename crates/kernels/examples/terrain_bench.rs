//! Time the kernels on a raw DEM, for `validate/terrain/compare_speed.py`.
//!
//! ```text
//! cargo run --release -p riskcensus-kernels --example terrain_bench -- \
//!     DEM.f32 ROWS COLS CELL_M [REPEATS]
//! ```
//!
//! `DEM.f32` is raw little-endian float32, row-major, row 0 north, NaN nodata. Prints
//! one JSON object with the best-of-REPEATS wall time (seconds) of each stage and the
//! peak resident set size, single-threaded (the kernels do not spawn threads).

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

    let best = |f: &mut dyn FnMut()| -> f64 {
        (0..repeats)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let slope = best(&mut || {
        std::hint::black_box(terrain::slope(
            dem.view(),
            cell,
            GradientAlg::Horn,
            SlopeUnits::Degrees,
            Edges::Nodata,
        ));
    });
    let aspect = best(&mut || {
        std::hint::black_box(terrain::aspect(
            dem.view(),
            GradientAlg::Horn,
            Edges::Nodata,
        ));
    });
    let (mut fill, mut d8, mut acc) = (f64::INFINITY, f64::INFINITY, f64::INFINITY);
    for _ in 0..repeats {
        let t = Instant::now();
        let f = hydro::fill_depressions(dem.view());
        fill = fill.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let d = hydro::d8(f.view());
        d8 = d8.min(t.elapsed().as_secs_f64());
        drop(f);
        let t = Instant::now();
        let a = hydro::accumulation(d.view()).unwrap();
        acc = acc.min(t.elapsed().as_secs_f64());
        std::hint::black_box(a);
    }
    println!(
        "{{\"cells\": {}, \"slope_s\": {slope:.6}, \"aspect_s\": {aspect:.6}, \"fill_s\": {fill:.6}, \"d8_s\": {d8:.6}, \"accumulation_s\": {acc:.6}, \"peak_rss_kb\": {}}}",
        rows * cols,
        peak_rss_kb()
    );
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
