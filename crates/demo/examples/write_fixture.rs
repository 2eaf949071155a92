//! Regenerate the committed fixture `fixtures/demo-small` (150 m cells, default seed):
//! `cargo run -p riskcensus-demo --example write_fixture`.

use std::path::Path;

use riskcensus_demo::{generate, DemoOptions, FIXTURE_RESOLUTION_M};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo-small");
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let opts = DemoOptions {
        resolution_m: FIXTURE_RESOLUTION_M,
        ..DemoOptions::default()
    };
    let s = generate(&dir, &opts)?;
    println!("wrote {} layers into {}", s.files.len(), dir.display());
    Ok(())
}
