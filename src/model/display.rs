//! How engine figures and inputs are presented: numbers without float noise, slider stops that
//! make one arrow press useful, the sections of the inputs panel, and the Fargate sizes offered
//! as a vCPU choice and a memory choice. The engine keeps exact values; only text is rounded.

use super::catalog::Catalog;
use super::scenario::{FieldSpec, LaunchType};

/// Significant digits kept when a figure is written as text (screen, CSV). Enough for any
/// price or quantity the catalog holds; float noise such as `0.025300000000000003` or
/// `2499.9999999999995` sits beyond the 15th digit.
const SIGNIFICANT_DIGITS: i32 = 12;

/// Dollars as the page, the CLI report and the tests write them: `$1,234.56`, `-$3.10`;
/// not finite: an em dash.
pub fn usd(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let cents = (v * 100.0).round() as i64;
    let (whole, frac) = (cents.abs() / 100, cents.abs() % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}${grouped}.{frac:02}", if cents < 0 { "-" } else { "" })
}

/// `+$1,234.56` / `-$3.10`: a difference.
pub fn signed_usd(v: f64) -> String {
    if v >= 0.0 {
        format!("+{}", usd(v))
    } else {
        usd(v)
    }
}

/// "N prices" / "1 price".
fn prices(n: usize) -> String {
    format!("{n} price{}", if n == 1 { "" } else { "s" })
}

/// What the plan costs at published prices when the scenario overrides prices, for every
/// total the planner shows or writes (headline, CLI report, export headers, stack
/// description): `at published prices $174,880.61 a month (+$174,345.09; 23 prices
/// overridden)`. `None` without overrides.
pub fn published_note(p: &super::Plan) -> Option<String> {
    p.at_published_prices.as_ref().map(|a| {
        format!(
            "at published prices {} a month ({}; {} overridden)",
            usd(a.monthly_total_usd),
            signed_usd(a.difference_usd),
            prices(a.overridden_prices)
        )
    })
}

/// The first thing the app says when a link or file it opens overrides prices:
/// `This link changes 23 prices; at published prices this plan costs $174,880.61 a month
/// (it shows $535.52).` `what` is "link" or "file".
pub fn override_warning(what: &str, p: &super::Plan) -> Option<String> {
    p.at_published_prices.as_ref().map(|a| {
        format!(
            "This {what} changes {}; at published prices this plan costs {} a month (it shows \
             {} with the {what}'s prices). AWS bills published prices unless you have agreed \
             others.",
            prices(a.overridden_prices),
            usd(a.monthly_total_usd),
            usd(p.monthly_total_usd)
        )
    })
}

/// The plan's cost per million API requests, or "-" when there are no API requests to
/// divide by (a zero would read as free).
pub fn per_million(p: &super::Plan) -> String {
    if p.capacity.monthly_api_requests > 0.0 {
        usd(p.cost_per_million_requests_usd)
    } else {
        "-".into()
    }
}

/// A count as a reader says it: `2,443`, `4.7 M`, `1.2 B`; not finite: an em dash.
pub fn count(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let v = v.round();
    if v.abs() >= 1e9 {
        return format!("{:.1} B", v / 1e9);
    }
    if v.abs() >= 1e6 {
        return format!("{:.1} M", v / 1e6);
    }
    // Whole dollars group their thousands as counts do.
    usd(v).trim_start_matches('-').trim_start_matches('$').trim_end_matches(".00").to_string()
}

/// A figure as short decimal text: rounded to 12 significant digits, trailing zeros dropped
/// (`0.0253`, `2500`, `0.0000004`). Not finite: an em dash.
pub fn tidy(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let magnitude = v.abs().log10().floor() as i32;
    // Beyond 15 digits the digits are float noise: 1e308 is "1e308", not 309 digits.
    if magnitude >= 15 {
        let text = format!("{v:.11e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    let decimals = (SIGNIFICANT_DIGITS - 1 - magnitude).clamp(0, 17) as usize;
    let text = format!("{v:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" {
        "0".into()
    } else {
        text
    }
}

/// Mantissas of the slider stops within a decade: about +20% per arrow press.
const MANTISSAS: [f64; 10] = [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0];
/// Above this many steps a linear slider is too fine to use by keyboard.
const MAX_LINEAR_STEPS: f64 = 200.0;

/// The values a slider steps through, when the field's range is too wide for its step: every
/// step up to ten steps, then 1-1.2-1.5-2-2.5-3-4-5-6-8 per decade, then the maximum. `None`
/// when a plain linear slider is fine (one arrow press = one step). The number field beside
/// the slider still takes any value in range.
pub fn slider_stops(spec: &FieldSpec) -> Option<Vec<f64>> {
    if spec.step <= 0.0 || (spec.max - spec.min) / spec.step <= MAX_LINEAR_STEPS {
        return None;
    }
    let snap = |v: f64| ((v / spec.step).round() * spec.step * 1e9).round() / 1e9;
    let mut stops = vec![spec.min];
    let fine_end = spec.min + 10.0 * spec.step;
    let mut v = spec.min + spec.step;
    while v <= fine_end + spec.step * 1e-9 {
        stops.push(snap(v));
        v += spec.step;
    }
    let mut decade = 10f64.powf(fine_end.log10().floor());
    while decade <= spec.max {
        for m in MANTISSAS {
            let stop = snap(m * decade);
            if stop > *stops.last().unwrap_or(&spec.min) && stop < spec.max {
                stops.push(stop);
            }
        }
        decade *= 10.0;
    }
    stops.push(spec.max);
    Some(stops)
}

/// Index of the stop nearest to a value (the slider's position for a typed value).
pub fn nearest_stop(stops: &[f64], v: f64) -> usize {
    let mut best = 0;
    for (i, s) in stops.iter().enumerate() {
        if (s - v).abs() < (stops[best] - v).abs() {
            best = i;
        }
    }
    best
}

/// The collapsible sections of the inputs panel. The first three are open at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Traffic,
    Backend,
    Database,
    Cache,
    Network,
    Advanced,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Section::Traffic,
        Section::Backend,
        Section::Database,
        Section::Cache,
        Section::Network,
        Section::Advanced,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Section::Traffic => "Traffic",
            Section::Backend => "Backend (ALB + ECS)",
            Section::Database => "Database (RDS PostgreSQL)",
            Section::Cache => "Cache (ElastiCache Redis or Valkey)",
            Section::Network => "Network and delivery",
            Section::Advanced => "Advanced assumptions",
        }
    }
    pub fn open_at_start(self) -> bool {
        matches!(self, Section::Traffic | Section::Backend | Section::Database)
    }
}

/// The section of each numeric input (by `FieldSpec::id`); the common few sit in the open
/// sections, the assumptions most users keep in Advanced.
pub fn section_of(id: &str) -> Section {
    match id {
        "peak_rps" | "peak_to_avg" | "page_views" => Section::Traffic,
        "tasks_min" | "tasks_average" | "tasks_max" | "cpu_ms" | "ec2_count" => Section::Backend,
        "replicas" | "db_storage" => Section::Database,
        "shards" | "cache_replicas" | "working_set" => Section::Cache,
        "azs" | "outbound_gb" => Section::Network,
        _ => Section::Advanced,
    }
}

/// Inputs that apply to the scenario as it stands: EC2 fields are hidden under Fargate and
/// Fargate fields under the fixed EC2 fleet; shards only with cluster mode.
pub fn applies_to(id: &str, s: &super::Scenario) -> bool {
    let launch = s.backend.launch_type;
    match id {
        "ec2_count" | "ec2_instance" => launch == LaunchType::Ec2,
        "tasks_min" | "tasks_average" | "tasks_max" | "spot_share" | "spot_discount"
        | "task_cpu" | "task_memory" | "arch" | "policy" => launch == LaunchType::Fargate,
        "shards" => s.cache.cluster_mode,
        _ => true,
    }
}

/// The Fargate vCPU choices: (cpu units, vCPU).
pub fn fargate_cpu_choices(catalog: &Catalog) -> Vec<(u32, f64)> {
    catalog.fargate_sizes.iter().map(|r| (r.cpu, r.vcpu)).collect()
}

/// The memory sizes (MiB) Fargate accepts with a cpu value.
pub fn fargate_memory_choices(catalog: &Catalog, cpu: u32) -> Vec<u32> {
    catalog.fargate_row(cpu).map(|r| r.memory_options()).unwrap_or_default()
}

/// The memory to keep when the vCPU choice changes: the same size if AWS accepts it with the
/// new cpu, else the nearest size it accepts (ties go to the larger).
pub fn fargate_memory_for(catalog: &Catalog, cpu: u32, wanted_mib: u32) -> Option<u32> {
    let options = fargate_memory_choices(catalog, cpu);
    options
        .iter()
        .copied()
        .min_by_key(|&m| ((m as i64 - wanted_mib as i64).abs(), std::cmp::Reverse(m)))
}

/// Which fleet the monthly total bills, in words, so the headline says what it stands for:
/// the simulated auto scaling average (with the fixed count as the alternative), the count
/// entered when there is no auto scaling, or the EC2 fleet.
pub fn billed_fleet(s: &super::Scenario, p: &super::Plan) -> String {
    let b = &s.backend;
    let money = |v: f64| format!("${v:.2}");
    let size = format!(
        "{} vCPU / {} GB {}",
        tidy(s.task_vcpu()),
        tidy(s.task_memory_gb()),
        b.arch.label()
    );
    match (&p.fargate_billing, b.launch_type) {
        (Some(f), LaunchType::Fargate) if f.from_simulation => format!(
            "The total bills {} Fargate tasks ({size}) on average: auto scaling between {} and {} \
                tasks over the simulated {} \
             (see Auto scaling over time), {} of compute a month. A fixed {} tasks all month would be {}.",
            tidy((f.billed_tasks * 100.0).round() / 100.0),
            b.tasks_min,
            b.tasks_max,
            if s.simulation.horizon == super::simulate::Horizon::Day { "day" } else { "week" },
            money(f.billed_compute_usd),
            f.fixed_tasks,
            money(f.fixed_compute_usd),
        ),
        (Some(f), LaunchType::Fargate) => format!(
            "The total bills {} Fargate task{} ({size}) all month: the minimum equals the maximum, \
                so there is no auto scaling; {} of compute a month.",
            f.fixed_tasks,
            if f.fixed_tasks == 1 { "" } else { "s" },
            money(f.billed_compute_usd),
        ),
        _ => format!(
            "The total bills a fixed fleet of {} x EC2 {} running all month: {} of compute a \
                month.",
            b.ec2_count,
            b.ec2_instance,
            money(p.component_total(super::Component::Compute)),
        ),
    }
}

/// Labels of the numeric inputs that differ between two scenarios ("other settings" when only
/// a choice differs), for "computed before you changed …".
pub fn changed_inputs(before: &super::Scenario, now: &super::Scenario) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = super::FIELDS
        .iter()
        .filter(|f| before.get(f.field) != now.get(f.field))
        .map(|f| f.label)
        .collect();
    if out.is_empty() && before != now {
        out.push("other settings");
    }
    out
}

/// Under the headline: which pricing the total uses and how much of it rests on estimated
/// prices ("2 of 19 lines (6.1% of the total) are estimated for sa-east-1 from the us-east-1
/// price").
pub fn pricing_note(s: &super::Scenario, p: &super::Plan) -> String {
    let chosen = if s.pricing.is_on_demand() {
        ""
    } else {
        " Your commitments are counted below the cost lines (Commitments)."
    };
    format!("Total at list prices (on-demand); {}.{chosen}", p.estimates.sentence(&p.region))
}

/// The name a scenario set aside as the baseline gets when the user gives none: its own name,
/// and when it is a tier with changes, how many ("Medium tier, modified: 3 inputs"), so a
/// modified tier is never compared as if it were the tier.
pub fn default_baseline_name(s: &super::Scenario) -> String {
    let name = s.name.trim();
    let tier = super::Tier::ALL.into_iter().find(|t| name == format!("{} tier", t.label()));
    match tier {
        Some(t) => {
            let n = super::changes::changes(&t.scenario_like(s), s).len();
            if n == 0 {
                name.to_string()
            } else {
                format!("{name}, modified: {n} input{}", if n == 1 { "" } else { "s" })
            }
        }
        None if name.is_empty() => "My baseline".into(),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod baseline_name_tests {
    use super::*;

    #[test]
    fn a_modified_tier_says_so() {
        let mut s = crate::model::Tier::Medium.scenario();
        assert_eq!(default_baseline_name(&s), "Medium tier");
        s.traffic.peak_rps = 400.0;
        s.database.read_replicas = 0;
        assert_eq!(default_baseline_name(&s), "Medium tier, modified: 2 inputs");
        s.name = "Launch week".into();
        assert_eq!(default_baseline_name(&s), "Launch week");
        s.name = " ".into();
        assert_eq!(default_baseline_name(&s), "My baseline");
    }
}
