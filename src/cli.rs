//! The command-line face of the engine, as a function from arguments to output so that it is
//! tested natively without spawning processes.

use crate::model::{plan, Catalog, Scenario, Tier};

pub const USAGE: &str = "usage:
  scaling-plan scenario --tier small|medium|large
  scaling-plan plan (--tier T | --scenario FILE | --link URL) [--format json|text] [--profile P] [--horizon day|week]
      P: flat, business_hours (default), evening_peak, weekday_weekend, launch_spike
  scaling-plan export (--tier T | --scenario FILE | --link URL) --out DIR [--planner-url URL]
      URL of --link: a share link from the planner (the whole address, or its #s=v1.… part);
      --planner-url: where the files' 'Reopen in the planner' link points (default: the published planner)
  scaling-plan optimize (--tier T | --scenario FILE) [--p95-ms N] [--headroom PCT] [--budget USD] [--spot]
  scaling-plan calibrate --metrics FILE (--scenario FILE | --tier T) [--out FILE]
  scaling-plan calibrate --help [--scenario FILE | --tier T]   (prints the command that fetches FILE)
  scaling-plan catalog import FILE... [--out FILE]
      FILE: AWS Price List offer files (index.json) or `aws pricing get-products` output;
      writes the catalog with each region's prices (default --out data/catalog.json)
  plan, export and optimize take --catalog FILE (a catalog written by `catalog import`)
";

/// Why the CLI stopped: exit code 2 for input it cannot use, 1 for a file it cannot read or
/// write.
#[derive(Debug, Clone, PartialEq)]
pub enum CliError {
    BadInput(String),
    Io(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::BadInput(_) => 2,
            CliError::Io(_) => 1,
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::BadInput(m) | CliError::Io(m) => f.write_str(m),
        }
    }
}

/// A message about the arguments or the scenario is bad input.
impl From<String> for CliError {
    fn from(message: String) -> CliError {
        CliError::BadInput(message)
    }
}

struct Args<'a> {
    rest: &'a [String],
}

impl<'a> Args<'a> {
    fn value(&self, flag: &str) -> Result<Option<&'a str>, String> {
        match self.rest.iter().position(|a| a == flag) {
            None => Ok(None),
            Some(i) => self
                .rest
                .get(i + 1)
                .map(|s| Some(s.as_str()))
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}")),
        }
    }
    fn check_known(&self, known: &[&str]) -> Result<(), String> {
        let mut i = 0;
        while i < self.rest.len() {
            let a = &self.rest[i];
            if !known.contains(&a.as_str()) {
                return Err(format!("unknown argument `{a}`\n{USAGE}"));
            }
            i += 2;
        }
        Ok(())
    }
}

fn tier(arg: &str) -> Result<Tier, String> {
    Tier::parse(arg).ok_or_else(|| format!("--tier must be small, medium or large, not `{arg}`"))
}

/// Reads the scenario named by `--tier`, `--scenario` or `--link`.
fn load_scenario(args: &Args, catalog: &Catalog) -> Result<Scenario, CliError> {
    match (args.value("--tier")?, args.value("--scenario")?, args.value("--link")?) {
        (Some(t), None, None) => Ok(tier(t)?.scenario()),
        (None, Some(path), None) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::Io(format!("cannot read scenario file `{path}`: {e}")))?;
            Scenario::from_json(&text, catalog)
                .map_err(|e| CliError::BadInput(format!("{path}: {e}")))
        }
        (None, None, Some(link)) => Ok(scenario_from_link(link, catalog)?),
        (None, None, None) => Err(format!("missing --tier, --scenario or --link\n{USAGE}").into()),
        _ => Err("give one of --tier, --scenario and --link".to_string().into()),
    }
}

/// The scenario in a share link: the whole URL as copied from the planner, or its fragment.
/// The link is untrusted: `decode_link` validates everything it decodes.
fn scenario_from_link(link: &str, catalog: &Catalog) -> Result<Scenario, String> {
    let fragment = link.trim().rsplit_once('#').map_or(link.trim(), |(_, f)| f);
    crate::model::share::decode_link(fragment, catalog).map_err(|e| format!("--link: {e}"))
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("plan types serialize") + "\n"
}

/// The planner's address for the files' header links: an http(s) URL without a fragment
/// (the share link's fragment is appended), the published planner by default.
fn planner_url(arg: Option<&str>) -> Result<String, String> {
    let Some(url) = arg else { return Ok(crate::export::DEFAULT_PLANNER_URL.to_string()) };
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains('#')
        && url.chars().all(|c| c.is_ascii_graphic());
    if !ok {
        return Err(format!(
            "--planner-url must be an http(s) URL without spaces or a #fragment, not `{url}`"
        ));
    }
    Ok(url.to_string())
}

/// `scaling-plan plan --help`: any command but calibrate (whose --help prints its fetch
/// command) prints the usage.
fn asks_usage(command: &str, rest: &[String]) -> bool {
    command != "calibrate" && rest.iter().any(|a| a == "--help" || a == "-h")
}

pub fn run(argv: &[String]) -> Result<String, CliError> {
    let Some((command, rest)) = argv.split_first() else {
        return Err(USAGE.to_string().into());
    };
    if asks_usage(command, rest) {
        return Ok(USAGE.to_string());
    }
    let (catalog, rest) = catalog_flag(command, rest)?;
    let rest = &rest[..];
    let args = Args { rest };
    match command.as_str() {
        "scenario" => {
            args.check_known(&["--tier"])?;
            let t = args.value("--tier")?.ok_or_else(|| format!("missing --tier\n{USAGE}"))?;
            Ok(json(&tier(t)?.scenario()))
        }
        "plan" => {
            args.check_known(&[
                "--tier",
                "--scenario",
                "--link",
                "--profile",
                "--horizon",
                "--format",
            ])?;
            let scenario = load_scenario(&args, &catalog)?;
            let mut settings = scenario.simulation.clone();
            if let Some(p) = args.value("--profile")? {
                settings.profile = serde_json::from_value(serde_json::Value::String(p.to_string())).map_err(|_| {
                    format!("--profile must be flat, business_hours, evening_peak, weekday_weekend or launch_spike, not `{p}`")
                })?;
            }
            if let Some(h) = args.value("--horizon")? {
                settings.horizon = serde_json::from_value(serde_json::Value::String(h.to_string()))
                    .map_err(|_| format!("--horizon must be day or week, not `{h}`"))?;
            }
            let report = crate::report::PlanReport::with_simulation(&scenario, &catalog, &settings);
            match args.value("--format")?.unwrap_or("json") {
                "json" => Ok(json(&report)),
                "text" => Ok(report.to_text()),
                other => Err(format!("--format must be json or text, not `{other}`").into()),
            }
        }
        "export" => {
            args.check_known(&["--tier", "--scenario", "--link", "--out", "--planner-url"])?;
            let scenario = load_scenario(&args, &catalog)?;
            let dir = args.value("--out")?.ok_or_else(|| format!("missing --out DIR\n{USAGE}"))?;
            let planner_url = planner_url(args.value("--planner-url")?)?;
            let p = plan(&scenario, &catalog);
            let files = crate::export::render_all(&crate::export::Context::new(
                &scenario,
                &p,
                &planner_url,
            ));
            std::fs::create_dir_all(dir)
                .map_err(|e| CliError::Io(format!("cannot create `{dir}`: {e}")))?;
            let mut written = String::new();
            for f in &files {
                let path = std::path::Path::new(dir).join(f.name());
                std::fs::write(&path, &f.content)
                    .map_err(|e| CliError::Io(format!("cannot write `{}`: {e}", path.display())))?;
                #[cfg(unix)]
                if f.file.is_script() {
                    use std::os::unix::fs::PermissionsExt;
                    let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755));
                }
                written.push_str(&format!("{}\n", path.display()));
            }
            Ok(written)
        }
        "optimize" => {
            // --spot is a switch: take it out before the flag/value pairs are checked.
            let spot = rest.iter().any(|a| a == "--spot");
            let pairs: Vec<String> = rest.iter().filter(|a| *a != "--spot").cloned().collect();
            let args = Args { rest: &pairs };
            args.check_known(&["--tier", "--scenario", "--p95-ms", "--headroom", "--budget"])?;
            let scenario = load_scenario(&args, &catalog)?;
            let num = |flag: &str| -> Result<Option<f64>, String> {
                args.value(flag)?
                    .map(|v| {
                        v.parse::<f64>().ok().filter(|x| x.is_finite() && *x >= 0.0).ok_or_else(
                            || format!("{flag} must be a non-negative number, not `{v}`"),
                        )
                    })
                    .transpose()
            };
            let mut targets = crate::model::optimize::Targets::for_scenario(&scenario);
            if let Some(p95) = num("--p95-ms")? {
                targets.p95_ms = p95;
            }
            if let Some(h) = num("--headroom")? {
                targets.headroom_pct = h;
            }
            if let Some(b) = num("--budget")? {
                targets.budget_usd = Some(b);
            }
            targets.allow_spot = spot;
            Ok(json(&crate::model::optimize::optimize(&scenario, &catalog, &targets)))
        }
        "calibrate" => calibrate(rest, &catalog),
        "catalog" => catalog_import(rest),
        "help" | "--help" | "-h" => Ok(USAGE.to_string()),
        other => Err(format!("unknown command `{other}`\n{USAGE}").into()),
    }
}

/// `calibrate`: the scenario with its figures measured from CloudWatch (see model::calibrate).
/// With `--out` the scenario goes to the file and the report to stdout; without, the scenario
/// to stdout and the report to stderr. `--help` prints the command that fetches the metrics.
fn calibrate(rest: &[String], catalog: &Catalog) -> Result<String, CliError> {
    let help = rest.iter().any(|a| a == "--help" || a == "-h");
    let pairs: Vec<String> =
        rest.iter().filter(|a| *a != "--help" && *a != "-h").cloned().collect();
    let args = Args { rest: &pairs };
    args.check_known(&["--tier", "--scenario", "--metrics", "--out"])?;
    if help {
        let scenario = match (args.value("--tier")?, args.value("--scenario")?) {
            (None, None) => Tier::Medium.scenario(),
            _ => load_scenario(&args, catalog)?,
        };
        return Ok(format!(
            "usage: scaling-plan calibrate --metrics FILE (--scenario FILE | --tier T) [--out FILE]\n\n\
             Reads FILE, the output of `aws cloudwatch get-metric-data`, and writes the scenario with its traffic,\n\
             CPU per request, response size, connections, Redis and DB figures measured (a report says where each\n\
             came from). Fetch FILE with this script (names of the scenario `{}`; pass --scenario for yours):\n\n{}",
            scenario.name,
            crate::export::metrics_query::fetch_script_for(&scenario, catalog)
        ));
    }
    let scenario = load_scenario(&args, catalog)?;
    let path =
        args.value("--metrics")?.ok_or_else(|| format!("missing --metrics FILE\n{USAGE}"))?;
    let cannot_read =
        |e: std::io::Error| CliError::Io(format!("cannot read metrics file `{path}`: {e}"));
    // The size first: a huge file is refused before it is read into memory.
    let bytes = std::fs::metadata(path).map_err(cannot_read)?.len();
    if let Some(e) = crate::model::metric_data::too_large(bytes) {
        return Err(CliError::BadInput(format!("{path}: {e}")));
    }
    let text = std::fs::read_to_string(path).map_err(cannot_read)?;
    let cal = crate::model::calibrate::calibrate(&scenario, catalog, &text)
        .map_err(|e| format!("{path}: {e}"))?;
    match args.value("--out")? {
        Some(out) => {
            std::fs::write(out, json(&cal.scenario))
                .map_err(|e| CliError::Io(format!("cannot write `{out}`: {e}")))?;
            Ok(format!("{}\nWrote the calibrated scenario to {out}.\n", cal.summary()))
        }
        None => {
            // The report goes to stderr from here, so it is escaped here (bin/scaling-plan.rs
            // escapes what `run` returns).
            eprint!("{}", crate::terminal::escape_controls(&cal.summary()));
            Ok(json(&cal.scenario))
        }
    }
}

/// `--catalog FILE` (plan, export, optimize): the catalog to price with, instead of the one
/// built in. Returns the catalog and the arguments without the flag.
fn catalog_flag(command: &str, rest: &[String]) -> Result<(Catalog, Vec<String>), CliError> {
    let Some(i) = rest.iter().position(|a| a == "--catalog") else {
        return Ok((Catalog::embedded(), rest.to_vec()));
    };
    if !matches!(command, "plan" | "export" | "optimize") {
        return Err(format!("--catalog is for plan, export and optimize\n{USAGE}").into());
    }
    let path = rest.get(i + 1).ok_or_else(|| format!("--catalog needs a value\n{USAGE}"))?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Io(format!("cannot read catalog `{path}`: {e}")))?;
    let catalog =
        Catalog::from_json(&text).map_err(|e| CliError::BadInput(format!("{path}: {e}")))?;
    let mut others = rest.to_vec();
    others.drain(i..i + 2);
    Ok((catalog, others))
}

/// `catalog import FILE... [--out FILE]`: AWS Price List files into the catalog (the built-in
/// one as the base), written to `--out`; prints what it wrote.
fn catalog_import(rest: &[String]) -> Result<String, CliError> {
    let Some(("import", rest)) = rest.split_first().map(|(c, r)| (c.as_str(), r)) else {
        return Err(format!("catalog needs a subcommand: import\n{USAGE}").into());
    };
    let mut out = "data/catalog.json".to_string();
    let mut inputs = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        if rest[i] == "--out" {
            out =
                rest.get(i + 1).cloned().ok_or_else(|| format!("--out needs a value\n{USAGE}"))?;
            i += 2;
        } else if rest[i].starts_with("--") {
            return Err(format!("unknown argument `{}`\n{USAGE}", rest[i]).into());
        } else {
            inputs.push(rest[i].clone());
            i += 1;
        }
    }
    if inputs.is_empty() {
        return Err(format!("catalog import needs at least one Price List file\n{USAGE}").into());
    }
    let mut files = Vec::new();
    for path in &inputs {
        let file = std::fs::File::open(path)
            .map_err(|e| CliError::Io(format!("cannot read `{path}`: {e}")))?;
        let label = std::path::Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.clone());
        files.push((label, file));
    }
    let (catalog, report) =
        crate::pricelist::import(files, &Catalog::embedded()).map_err(CliError::BadInput)?;
    std::fs::write(&out, crate::pricelist::to_json(&catalog))
        .map_err(|e| CliError::Io(format!("cannot write `{out}`: {e}")))?;
    let mut summary = format!("{out}: {} products matched the planner's prices\n", report.matched);
    for (region, n) in &report.listed {
        summary.push_str(&format!("  {region}: {n} prices from the Price List\n"));
    }
    if report.global > 0 {
        summary.push_str(&format!("  CloudFront (global): {} prices\n", report.global));
    }
    for c in &report.conflicts {
        summary.push_str(&format!("  conflict: {c}\n"));
    }
    for c in &report.skipped {
        summary.push_str(&format!("  skipped: {c}\n"));
    }
    Ok(summary)
}
