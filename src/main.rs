//! The browser app's entry point (built by trunk).
#[cfg(target_arch = "wasm32")]
fn main() {
    bridge_planner::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "bridge-planner is the browser app: build it with `trunk build`. The CLI is \
        `scaling-plan`."
    );
    std::process::exit(2);
}
