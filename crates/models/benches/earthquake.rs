//! Earthquake throughput: per-cell ground motion (rupture distances + Vs30 from
//! slope + GMM median and sigma) swept to 10 M cells, and per-building damage
//! (fragility, loss, casualties, grade) for 1 M buildings. Fixed seeds.
//!
//!   CARGO_TARGET_DIR=… cargo bench -p riskcensus-models --bench earthquake

// `criterion_group!` expands to an undocumented `pub fn`; nothing else here is public.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use riskcensus_models::earthquake::fragility::{
    assess, Building, Fortification, FragilityTable, Structure,
};
use riskcensus_models::earthquake::hidden_danger;
use riskcensus_models::earthquake::intensity::ZoneLevel;
use riskcensus_models::earthquake::params::builtin;
use riskcensus_models::earthquake::site::vs30_from_slope_deg;
use riskcensus_models::earthquake::{EarthquakeParams, GmInput, Gmm, Imt, PlanarRupture};

/// Ground motion for `n` cells of a square grid of 100 m cells around a 40 km
/// reverse fault; slope varies smoothly. Returns the sum of medians (kept alive).
fn cells(gmm: &Gmm, rup: &PlanarRupture, slope: &[f32], n: usize) -> f64 {
    let side = (n as f64).sqrt().ceil() as usize;
    let mut acc = 0.0;
    for i in 0..n {
        let (r, c) = (i / side, i % side);
        let (x, y) = (c as f64 * 100.0, r as f64 * 100.0);
        let d = rup.distances(x, y);
        let x = GmInput {
            mag: 6.8,
            rake: 90.0,
            rjb_km: d.rjb_km,
            vs30: vs30_from_slope_deg(f64::from(slope[i % slope.len()])),
            repi_km: d.repi_km,
            azimuth_deg: d.azimuth_deg,
            ..GmInput::nan()
        };
        let g = gmm.ground_motion(Imt::Pga, &x).unwrap();
        acc += g.median + g.sigma_ln;
    }
    acc
}

fn ground_motion(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(20260101);
    let slope: Vec<f32> = (0..65_536).map(|_| rng.random_range(0.0..35.0)).collect();
    let rup = PlanarRupture::new(
        [(50_000.0, 20_000.0), (90_000.0, 180_000.0)],
        60.0,
        1.0,
        18.0,
    )
    .unwrap();
    let mut g = c.benchmark_group("earthquake_ground_motion");
    g.sample_size(10);
    for (name, sizes) in [
        (
            "BooreEtAl2014HighQ",
            &[100_000usize, 1_000_000, 10_000_000][..],
        ),
        ("YuEtAl2013Ms", &[100_000usize, 1_000_000][..]),
    ] {
        let gmm = Gmm::from_name(name).unwrap();
        for &n in sizes {
            g.throughput(Throughput::Elements(n as u64));
            g.bench_with_input(BenchmarkId::new(name, n), &n, |b, &n| {
                b.iter(|| black_box(cells(&gmm, &rup, &slope, n)))
            });
        }
    }
    g.finish();
}

fn buildings(c: &mut Criterion) {
    let p = EarthquakeParams::parse(builtin(), "models/earthquake/earthquake.toml").unwrap();
    let table = FragilityTable::builtin();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let structures = [
        Structure::RcFrame,
        Structure::BrickConcrete,
        Structure::BrickWood,
        Structure::EarthStone,
        Structure::Steel,
        Structure::Other,
    ];
    let forts = [
        Fortification::None,
        Fortification::VI,
        Fortification::VII,
        Fortification::VIII,
        Fortification::IX,
    ];
    let n = 1_000_000usize;
    let bs: Vec<(Building, f64)> = (0..n)
        .map(|i| {
            (
                Building {
                    id: i.to_string(),
                    structure: structures[rng.random_range(0..6)],
                    storeys: rng.random_range(1..30),
                    year_built: Some(rng.random_range(1950..2024)),
                    fortification: Some(forts[rng.random_range(0..5)]),
                    occupants: rng.random_range(0.0..200.0),
                    value: rng.random_range(10.0..5000.0),
                    deformation: Some(rng.random_bool(0.03)),
                    category: None,
                    retrofitted: None,
                },
                rng.random_range(0.02..0.8),
            )
        })
        .collect();
    let zone = Some(ZoneLevel::new(8, false));
    let mut g = c.benchmark_group("earthquake_buildings");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(BenchmarkId::new("damage_loss_casualties_grade", n), |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for (bd, pga) in &bs {
                let d = assess(&table, &p.fragility.params, bd, *pga).unwrap();
                let g = hidden_danger::grade(bd, zone, &p.hidden_danger, &p.fragility.params);
                acc += d.expected_loss + d.deaths + f64::from(g.grade);
            }
            black_box(acc)
        })
    });
    g.finish();
}

criterion_group!(benches, ground_motion, buildings);
criterion_main!(benches);
