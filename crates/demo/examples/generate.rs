//! Generate the demo census: `cargo run --release -p riskcensus-demo --example generate -- <dir> [resolution_m] [seed]`.

use std::path::PathBuf;
use std::time::Instant;

use riskcensus_demo::{generate, DemoOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: generate <dir> [resolution_m] [seed]")?,
    );
    let mut opts = DemoOptions::default();
    if let Some(r) = args.next() {
        opts.resolution_m = r.parse()?;
    }
    if let Some(s) = args.next() {
        opts.seed = s.parse()?;
    }
    let t = Instant::now();
    let summary = generate(&dir, &opts)?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "grid {} × {} cells of {} m",
        summary.grid.rows, summary.grid.cols, summary.grid.cell_size
    );
    for (id, path, n) in &summary.files {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        println!("{id:<18} {n:>10}  {:>10} B  {}", size, path.display());
    }
    println!("generated in {secs:.2} s");
    Ok(())
}
