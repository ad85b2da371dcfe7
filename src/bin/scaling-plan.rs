//! `scaling-plan`: the planning engine on the command line, for engineers and CI.
//!
//!   scaling-plan scenario --tier small|medium|large
//!   scaling-plan plan (--tier T | --scenario FILE | --link URL) [--format json|text]
//!   scaling-plan export (--tier T | --scenario FILE | --link URL) --out DIR [--planner-url URL]
//!   scaling-plan optimize (--tier T | --scenario FILE) [--p95-ms N] [--headroom PCT]
//!
//! Exit codes: 0 success, 1 a file cannot be read or written, 2 bad input (the message names
//! the field by its JSON path).

use bridge_planner::cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::run(&args) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("scaling-plan: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
