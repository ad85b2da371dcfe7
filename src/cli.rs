//! The command-line face of the engine, as a function from arguments to output so that it is
//! tested natively without spawning processes.

use crate::model::{plan, Catalog, Scenario, Tier};

/// The usage text, kept as a text file: its lines are as wide as a terminal allows.
pub const USAGE: &str = include_str!("usage.txt");

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
    if command == "catalog" {
        // Before the built-in catalog is read: the import is what produces it.
        return catalog_import(rest);
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
        "plan" => plan_command(&args, &catalog),
        "export" => export_command(&args, &catalog),
        "optimize" => optimize_command(rest, &catalog),
        "roadmap" => roadmap(rest, &catalog),
        "calibrate" => calibrate(rest, &catalog),
        "help" | "--help" | "-h" => Ok(USAGE.to_string()),
        other => Err(format!("unknown command `{other}`\n{USAGE}").into()),
    }
}

/// `scaling-plan export`: every file of the exports, written into --out.
fn export_command(args: &Args, catalog: &Catalog) -> Result<String, CliError> {
    args.check_known(&["--tier", "--scenario", "--link", "--out", "--planner-url"])?;
    let scenario = load_scenario(args, catalog)?;
    let dir = args.value("--out")?.ok_or_else(|| format!("missing --out DIR\n{USAGE}"))?;
    let planner_url = planner_url(args.value("--planner-url")?)?;
    let p = plan(&scenario, catalog);
    let files =
        crate::export::render_all(&crate::export::Context::new(&scenario, &p, &planner_url));
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

/// `scaling-plan optimize`: the right-size search with the targets given.
fn optimize_command(rest: &[String], catalog: &Catalog) -> Result<String, CliError> {
    // --spot is a switch: take it out before the flag/value pairs are checked.
    let spot = rest.iter().any(|a| a == "--spot");
    let pairs: Vec<String> = rest.iter().filter(|a| *a != "--spot").cloned().collect();
    let args = Args { rest: &pairs };
    args.check_known(&["--tier", "--scenario", "--p95-ms", "--headroom", "--budget"])?;
    let scenario = load_scenario(&args, catalog)?;
    let num = |flag: &str| -> Result<Option<f64>, String> {
        args.value(flag)?
            .map(|v| {
                v.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .ok_or_else(|| format!("{flag} must be a non-negative number, not `{v}`"))
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
    Ok(json(&crate::model::optimize::optimize(&scenario, catalog, &targets)))
}

/// A number after `flag`, or why not.
fn number(flag: &str, v: &str) -> Result<f64, String> {
    v.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("{flag} must be a number, not `{v}`"))
}

/// The growth inputs: the scenario's, with each flag given put over them (repeated
/// `--step MONTH:FACTOR` replace the scenario's steps), then validated as the page does.
fn growth_flags(
    rest: &[String],
    base: &crate::model::growth::Growth,
) -> Result<crate::model::growth::Growth, String> {
    use crate::model::growth::{GrowthTarget, TrafficStep};
    let mut g = base.clone();
    let mut steps = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        let (flag, v) = (rest[i].as_str(), rest.get(i + 1).map(String::as_str));
        let v = v.ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag {
            "--growth" => {
                g.monthly_rate = number(flag, v)?;
                g.target = None;
            }
            "--months" => g.horizon_months = number(flag, v)?.clamp(0.0, 1000.0) as u32,
            "--target-peak" => {
                let month = g.target.map_or(g.horizon_months, |t| t.month);
                g.target = Some(GrowthTarget { peak_rps: number(flag, v)?, month });
            }
            "--target-month" => {
                let peak = g.target.map_or(0.0, |t| t.peak_rps);
                let month = number(flag, v)?.clamp(0.0, 1000.0) as u32;
                g.target = Some(GrowthTarget { peak_rps: peak, month });
            }
            "--step" => {
                let (m, f) = v.split_once(':').ok_or_else(|| {
                    format!(
                        "--step must be MONTH:FACTOR (a launch doubling traffic at month 6: \
                        6:2), not `{v}`"
                    )
                })?;
                let month = number(flag, m)?.clamp(0.0, 1000.0) as u32;
                steps.push(TrafficStep { month, factor: number(flag, f)? });
            }
            "--p95-ms" => g.p95_ms = number(flag, v)?,
            "--headroom" => g.headroom_pct = number(flag, v)?,
            "--budget" => g.budget_usd = number(flag, v)?,
            _ => {}
        }
        i += 2;
    }
    if !steps.is_empty() {
        g.steps = steps;
    }
    match g.validate().into_iter().next() {
        Some(e) => Err(format!("{}: {}", e.field, e.message)),
        None => Ok(g),
    }
}

/// `roadmap`: the growth path (model::growth) as JSON, text or CSV.
fn roadmap(rest: &[String], catalog: &Catalog) -> Result<String, CliError> {
    let args = Args { rest };
    args.check_known(&[
        "--tier",
        "--scenario",
        "--link",
        "--growth",
        "--months",
        "--target-peak",
        "--target-month",
        "--step",
        "--p95-ms",
        "--headroom",
        "--budget",
        "--format",
    ])?;
    let scenario = load_scenario(&args, catalog)?;
    let growth = growth_flags(rest, &scenario.growth)?;
    let r = crate::model::growth::roadmap(&scenario, &growth, catalog);
    match args.value("--format")?.unwrap_or("json") {
        "json" => Ok(json(&crate::roadmap::report(&r))),
        "text" => Ok(crate::roadmap::to_text(&r, &scenario)),
        "csv" => Ok(crate::roadmap::to_csv(&r)),
        other => Err(format!("--format must be json, text or csv, not `{other}`").into()),
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
        let script = crate::export::metrics_query::fetch_script_for(&scenario, catalog);
        let values = [("NAME", scenario.name.as_str()), ("SCRIPT", script.as_str())];
        return Ok(crate::export::slots::fill_slots(include_str!("calibrate-help.txt"), &values));
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

/// `plan`: the report at the scenario's simulation (or `--profile`, `--horizon`), priced
/// on-demand or with commitments (`--pricing`), as JSON, text or CSV.
fn plan_command(args: &Args, catalog: &Catalog) -> Result<String, CliError> {
    args.check_known(&[
        "--tier",
        "--scenario",
        "--link",
        "--profile",
        "--horizon",
        "--format",
        "--pricing",
    ])?;
    let scenario = load_scenario(args, catalog)?;
    let mut settings = scenario.simulation.clone();
    if let Some(p) = args.value("--profile")? {
        settings.profile = serde_json::from_value(serde_json::Value::String(p.to_string()))
            .map_err(|_| {
                format!(
                    "--profile must be flat, business_hours, evening_peak, weekday_weekend or \
                launch_spike, not `{p}`"
                )
            })?;
    }
    if let Some(h) = args.value("--horizon")? {
        settings.horizon = serde_json::from_value(serde_json::Value::String(h.to_string()))
            .map_err(|_| format!("--horizon must be day or week, not `{h}`"))?;
    }
    let pricing = pricing_flag(args)?;
    let report = crate::report::PlanReport::priced(&scenario, catalog, &settings, pricing);
    match args.value("--format")?.unwrap_or("json") {
        "json" => Ok(json(&report)),
        "text" => {
            // The commitments the report priced (every one that pays back when `--pricing
            // committed` found none chosen), so the summary and the headline agree.
            let mut priced = scenario.clone();
            priced.pricing = report.commitments.choice;
            let summary = crate::model::report_summary::report_summary(&priced, catalog);
            Ok(report.to_text_with(Some(&summary)))
        }
        "csv" => Ok(crate::model::share::cost_lines_csv(&report.plan)
            + &crate::model::commit::commitments_csv(&report.commitments, &report.bill)),
        other => Err(format!("--format must be json, text or csv, not `{other}`").into()),
    }
}

/// `--pricing on-demand|committed` (plan): which total `monthly_total_usd` follows.
fn pricing_flag(args: &Args) -> Result<crate::model::commit::Pricing, CliError> {
    use crate::model::commit::Pricing;
    match args.value("--pricing")? {
        None => Ok(Pricing::OnDemand),
        Some(p) => Pricing::parse(p)
            .ok_or_else(|| format!("--pricing must be on-demand or committed, not `{p}`").into()),
    }
}

/// `--catalog FILE` (plan, export, optimize): the catalog to price with, instead of the one
/// built in. Returns the catalog and the arguments without the flag.
fn catalog_flag(command: &str, rest: &[String]) -> Result<(Catalog, Vec<String>), CliError> {
    let Some(i) = rest.iter().position(|a| a == "--catalog") else {
        return Ok((Catalog::embedded(), rest.to_vec()));
    };
    if !matches!(command, "plan" | "export" | "optimize" | "roadmap") {
        return Err(format!("--catalog is for plan, export, optimize and roadmap\n{USAGE}").into());
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
    let mut base_path: Option<String> = None;
    let mut inputs = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        if rest[i] == "--out" {
            out =
                rest.get(i + 1).cloned().ok_or_else(|| format!("--out needs a value\n{USAGE}"))?;
            i += 2;
        } else if rest[i] == "--base" {
            let path = rest.get(i + 1).ok_or_else(|| format!("--base needs a value\n{USAGE}"))?;
            base_path = Some(path.clone());
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
    let base = match &base_path {
        None => Catalog::embedded(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::Io(format!("cannot read `{path}`: {e}")))?;
            crate::pricelist::parse_base(&text)
                .map_err(|e| CliError::BadInput(format!("{path}: {e}")))?
        }
    };
    let (catalog, report) = crate::pricelist::import(files, &base).map_err(CliError::BadInput)?;
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
