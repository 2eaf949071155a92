//! One file per subcommand.

pub mod assess;
pub mod breaks;
pub mod demo;
pub mod fragility;
pub mod fwi;
pub mod ground_motion;
pub mod ingest;
pub mod init;
pub mod inspect;
pub mod prepare;
pub mod report;
pub mod run;
pub mod scenario;
pub mod status;
pub mod susceptibility;
pub mod terrain;
pub mod validate;
pub mod zonal;

use riskcensus::executor::ExecOptions;

use crate::Global;

/// Executor options from the global flags.
pub fn exec_options(g: &Global) -> ExecOptions {
    ExecOptions {
        threads: g.threads,
        ..ExecOptions::default()
    }
}

/// Print a value as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(v: &T) {
    println!("{}", serde_json::to_string_pretty(v).expect("serialisable"));
}
