//! `scaling-plan`: the planning engine on the command line, for engineers and CI.
//!
//!   scaling-plan scenario --tier small|medium|large
//!   scaling-plan plan (--tier T | --scenario FILE | --link URL) [--format json|text]
//!   scaling-plan export (--tier T | --scenario FILE | --link URL) --out DIR [--planner-url URL]
//!   scaling-plan optimize (--tier T | --scenario FILE) [--p95-ms N] [--headroom PCT]
//!
//! Exit codes: 0 success, 1 a file cannot be read or written, 2 bad input (the message names
//! the field by its JSON path).

//!
//! Everything printed goes through `terminal::escape_controls`: the text carries names and
//! strings from links and files, whose control characters a terminal would obey.

use bridge_planner::cli;
use bridge_planner::terminal::escape_controls;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Arguments as given, even when not UTF-8 (a path): lossy, never a panic.
    let args: Vec<String> =
        std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    match cli::run(&args) {
        Ok(out) => {
            print!("{}", escape_controls(&out));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("scaling-plan: {}", escape_controls(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
    }
}
