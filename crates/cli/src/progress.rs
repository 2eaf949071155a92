//! Progress bars (indicatif) for the engine's [`Progress`] trait: one bar per stage
//! with tiles or layers done and the ETA, on stderr, hidden when stderr is not a
//! terminal or with `--quiet`.

use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};
use riskcensus::progress::{NoProgress, Progress};

pub struct Bars {
    bar: Mutex<Option<ProgressBar>>,
}

impl Progress for Bars {
    fn start(&self, stage: &str, total: u64) {
        let pb = ProgressBar::new(total);
        pb.set_style(
            ProgressStyle::with_template(
                "{msg:38} [{bar:30}] {pos}/{len} {elapsed_precise} ETA {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        pb.set_message(stage.to_string());
        *self.bar.lock().expect("progress lock") = Some(pb);
    }

    fn advance(&self, n: u64) {
        if let Some(pb) = self.bar.lock().expect("progress lock").as_ref() {
            pb.inc(n);
        }
    }

    fn finish(&self, _stage: &str) {
        if let Some(pb) = self.bar.lock().expect("progress lock").take() {
            pb.finish();
        }
    }

    /// The plan, printed before the stages compute.
    fn plan(&self, plan: &riskcensus::plan::Plan) {
        println!("plan:");
        for l in plan.lines() {
            println!("  {l}");
        }
    }
}

/// The progress sink for the given global options.
pub fn for_cli(quiet: bool) -> Box<dyn Progress> {
    if quiet {
        Box::new(NoProgress)
    } else {
        Box::new(Bars {
            bar: Mutex::new(None),
        })
    }
}
