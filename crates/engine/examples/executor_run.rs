//! One executor run for memory measurement:
//! `cargo run --release -p riskcensus-engine --example executor_run -- 4096 2`
//! (grid edge, threads). Prints the stats and the process's peak RSS.

use riskcensus_core::GridSpec;
use riskcensus_engine::executor::{run_tiled, ExecOptions, PerCell};
use riskcensus_engine::progress::NoProgress;
use riskcensus_io::cog::{CogOptions, CogWriter};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(4096);
    let threads: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2);
    let dir = tempfile::tempdir().unwrap();
    let grid = GridSpec::new("EPSG:4548", 484_000.0, 4_020_000.0, 10.0, n, n).unwrap();
    let input = dir.path().join("in.tif");
    drop(riskcensus_testkit::write_synthetic_layer(
        &input, &grid, 42, 0.01,
    ));
    let rss_before = peak_rss_kib();
    // Reset the peak-RSS watermark so it measures the executor run alone.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let t = std::time::Instant::now();
    let out = dir.path().join("out.tif");
    let w = CogWriter::<f32>::create(&out, &grid, Some(f64::NAN), CogOptions::default()).unwrap();
    let opts = ExecOptions {
        threads: Some(threads),
        tile_size: 512,
    };
    let stats = run_tiled(
        &grid,
        &[input],
        &PerCell(|v: &[f32]| v[0] * 0.5 + 1.0),
        vec![w],
        &opts,
        &NoProgress,
        "run",
    )
    .unwrap();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{n}x{n} cells, {threads} threads: {secs:.2} s, {:.1} M cells/s; tile buffers ≤ {:.1} MiB; read+score {:.2} s, write {:.2} s, COG finish {:.2} s; peak RSS during the run {} MiB (while generating the input: {} MiB)",
        (n * n) as f64 / secs / 1e6,
        stats.buffer_bytes as f64 / (1 << 20) as f64,
        stats.seconds_read_score,
        stats.seconds_write,
        stats.seconds_finish,
        peak_rss_kib() / 1024,
        rss_before / 1024
    );
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
