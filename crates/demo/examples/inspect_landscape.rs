//! Print landscape diagnostics (river sinuosity and beds, reservoir, county area):
//! `cargo run --release -p riskcensus-demo --example inspect_landscape -- [seed]`.

use rand::SeedableRng;
use riskcensus_demo::admin;
use riskcensus_demo::landscape::Landscape;

fn main() {
    let seed = std::env::args()
        .nth(1)
        .map_or(20260101, |s| s.parse().expect("seed"));
    let t = std::time::Instant::now();
    let land = Landscape::new(seed);
    println!("landscape built in {:.2} s", t.elapsed().as_secs_f64());
    for r in &land.rivers {
        println!(
            "{} {} {:>5} vertices, {:5.1} km, sinuosity {:.2}, bed {:.1} → {:.1} m",
            r.code,
            r.name,
            r.pts.len(),
            r.length() / 1e3,
            r.sinuosity(),
            r.bed[0],
            r.bed[r.bed.len() - 1]
        );
    }
    let res = &land.reservoir;
    println!(
        "reservoir: level {:.1} m, dam height {:.1} m, {} shore vertices, area {:.2} km², volume {:.0} 万m³",
        res.level,
        res.dam_height,
        res.ring.len(),
        geo::Area::unsigned_area(&geo::Polygon::new(res.ring.clone().into(), vec![])) / 1e6,
        res.volume_m3 / 1e4
    );
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(1);
    let a = admin::build(&land, &mut rng);
    println!(
        "county {:.2} km², {} townships, {} villages",
        geo::Area::unsigned_area(&a.county) / 1e6,
        a.townships.len(),
        a.villages.len()
    );
}
