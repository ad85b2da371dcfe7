//! The exports worker's entry point (trunk builds it as a web worker; see `exports_worker`).
#[cfg(target_arch = "wasm32")]
fn main() {
    bridge_planner::exports_worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("exports-worker runs in the browser (built by trunk). The CLI is `scaling-plan`.");
    std::process::exit(2);
}
