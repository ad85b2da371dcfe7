//! Scale gradually: a month-by-month path from today's traffic along a growth curve, with the
//! configuration each month runs, what it costs, the changes between months and where the path
//! crosses the planning document's tiers.
//!
//! The inputs (`Growth`) live in the scenario (`Scenario::growth`) and its share links; a
//! scenario without them reads the defaults, which leave traffic flat and month 0 exactly
//! today's plan. The path is `path::roadmap`; the changes between months are `events`.

pub mod events;
pub mod holdings;
pub mod path;
mod stable;

use super::scenario::{FieldError, Scenario};
use serde::{Deserialize, Serialize};

pub use events::{Change, Event, Limit};
pub use path::{roadmap, Month, Roadmap, TierCrossing, STABILITY_RULE};

/// Months the path may cover, and the default.
pub const HORIZON_MIN: u32 = 6;
pub const HORIZON_MAX: u32 = 36;
pub const HORIZON_DEFAULT: u32 = 24;
/// At most this many one-off traffic steps (a launch, a campaign, a lost customer).
pub const MAX_STEPS: usize = 6;

/// A peak to reach at a month: the monthly rate follows from it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrowthTarget {
    pub peak_rps: f64,
    pub month: u32,
}

/// A one-off change of traffic: from `month` on, traffic is `factor` times what the curve
/// alone gives (a launch at month 6 that doubles traffic: month 6, factor 2).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrafficStep {
    pub month: u32,
    pub factor: f64,
}

/// How traffic grows and what each month's configuration must meet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Growth {
    /// Compound growth of traffic per month: 0.15 is 15% a month. Ignored when `target` is set.
    pub monthly_rate: f64,
    /// Instead of a rate: reach this peak at this month (compound growth in between).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<GrowthTarget>,
    pub horizon_months: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<TrafficStep>,
    /// The targets each month's configuration must meet (the right-size search's).
    pub p95_ms: f64,
    /// Minimum share of capacity left at peak, percent.
    pub headroom_pct: f64,
    /// Monthly budget in USD; 0 is none.
    pub budget_usd: f64,
}

impl Default for Growth {
    /// Flat traffic over 24 months with the optimiser's default targets
    /// (`optimize::Targets::for_scenario`): month 0 and every month after are today's plan.
    fn default() -> Self {
        Growth {
            monthly_rate: 0.0,
            target: None,
            horizon_months: HORIZON_DEFAULT,
            steps: Vec::new(),
            p95_ms: 250.0,
            headroom_pct: 30.0,
            budget_usd: 0.0,
        }
    }
}

/// Field paths, as `ScenarioError` names them.
pub mod fields {
    pub const RATE: &str = "growth.monthly_rate";
    pub const TARGET_PEAK: &str = "growth.target.peak_rps";
    pub const TARGET_MONTH: &str = "growth.target.month";
    pub const HORIZON: &str = "growth.horizon_months";
    pub const STEPS: &str = "growth.steps";
    pub const P95: &str = "growth.p95_ms";
    pub const HEADROOM: &str = "growth.headroom_pct";
    pub const BUDGET: &str = "growth.budget_usd";
}

/// One edit of the growth inputs, as the page makes them (percentages as shown).
#[derive(Debug, Clone, PartialEq)]
pub enum GrowthEdit {
    /// Monthly growth in percent (15 = 15% a month); clears a target peak.
    RatePct(f64),
    /// Reach this peak at this month instead of a rate; `None` returns to the rate.
    Target(Option<GrowthTarget>),
    Horizon(u32),
    /// Adds a step (a launch doubling traffic at the middle of the horizon).
    AddStep,
    RemoveStep(usize),
    StepMonth(usize, u32),
    StepFactor(usize, f64),
    P95Ms(f64),
    HeadroomPct(f64),
    BudgetUsd(f64),
}

impl Growth {
    pub fn is_default(&self) -> bool {
        *self == Growth::default()
    }

    /// The monthly compound rate the path uses: the one entered, or the one that reaches the
    /// target peak from today's peak at the target month.
    pub fn rate(&self, today_peak_rps: f64) -> f64 {
        match self.target {
            Some(t) if today_peak_rps > 0.0 && t.peak_rps > 0.0 && t.month > 0 => {
                (t.peak_rps / today_peak_rps).powf(1.0 / t.month as f64) - 1.0
            }
            _ => self.monthly_rate,
        }
    }

    /// Traffic at `month` as a multiple of today's: compound growth times every step taken.
    pub fn factor(&self, today_peak_rps: f64, month: u32) -> f64 {
        let curve = (1.0 + self.rate(today_peak_rps)).powi(month as i32);
        let steps: f64 = self.steps.iter().filter(|s| s.month <= month).map(|s| s.factor).product();
        curve * steps
    }

    /// Every rule the inputs break, each naming its field (empty: valid).
    pub fn validate(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        let mut push =
            |field: &str, message: String| out.push(FieldError { field: field.into(), message });
        let within = |v: f64, lo: f64, hi: f64| v.is_finite() && v >= lo && v <= hi;
        if !within(self.monthly_rate, -0.5, 1.0) {
            push(fields::RATE, "Monthly growth must be between -50% and 100% a month".into());
        }
        if !(HORIZON_MIN..=HORIZON_MAX).contains(&self.horizon_months) {
            push(
                fields::HORIZON,
                format!("The horizon must be {HORIZON_MIN} to {HORIZON_MAX} months"),
            );
        }
        if let Some(t) = self.target {
            if !within(t.peak_rps, 1.0, 100_000.0) {
                push(fields::TARGET_PEAK, "The target peak must be 1 to 100,000 req/s".into());
            }
            if t.month == 0 || t.month > self.horizon_months {
                push(
                    fields::TARGET_MONTH,
                    format!("The target month must be 1 to the horizon ({})", self.horizon_months),
                );
            }
        }
        if self.steps.len() > MAX_STEPS {
            push(fields::STEPS, format!("At most {MAX_STEPS} traffic steps"));
        }
        for (i, s) in self.steps.iter().enumerate() {
            if s.month == 0 || s.month > self.horizon_months {
                push(
                    &format!("{}[{i}].month", fields::STEPS),
                    format!("A step's month must be 1 to the horizon ({})", self.horizon_months),
                );
            }
            if !within(s.factor, 0.1, 10.0) {
                push(
                    &format!("{}[{i}].factor", fields::STEPS),
                    "A step multiplies traffic by 0.1 to 10".into(),
                );
            }
        }
        if !within(self.p95_ms, 1.0, 60_000.0) {
            push(fields::P95, "The p95 ceiling must be 1 to 60,000 ms".into());
        }
        if !within(self.headroom_pct, 0.0, 95.0) {
            push(fields::HEADROOM, "Headroom must be 0 to 95% of capacity".into());
        }
        if !within(self.budget_usd, 0.0, 10_000_000.0) {
            push(fields::BUDGET, "The budget must be 0 (none) to $10,000,000 a month".into());
        }
        out
    }

    /// The inputs with `edit` made, or the first rule it breaks (the inputs stay as they were).
    pub fn edited(&self, edit: GrowthEdit) -> Result<Growth, FieldError> {
        let mut next = self.clone();
        match edit {
            GrowthEdit::RatePct(pct) => {
                next.monthly_rate = pct / 100.0;
                next.target = None;
            }
            GrowthEdit::Target(t) => next.target = t,
            GrowthEdit::Horizon(months) => next.horizon_months = months,
            GrowthEdit::AddStep => next
                .steps
                .push(TrafficStep { month: (self.horizon_months / 2).max(1), factor: 2.0 }),
            GrowthEdit::RemoveStep(i) if i < next.steps.len() => {
                next.steps.remove(i);
            }
            GrowthEdit::StepMonth(i, month) if i < next.steps.len() => next.steps[i].month = month,
            GrowthEdit::StepFactor(i, f) if i < next.steps.len() => next.steps[i].factor = f,
            GrowthEdit::RemoveStep(_) | GrowthEdit::StepMonth(..) | GrowthEdit::StepFactor(..) => {
                return Err(FieldError {
                    field: fields::STEPS.into(),
                    message: "There is no such traffic step".into(),
                })
            }
            GrowthEdit::P95Ms(v) => next.p95_ms = v,
            GrowthEdit::HeadroomPct(v) => next.headroom_pct = v,
            GrowthEdit::BudgetUsd(v) => next.budget_usd = v,
        }
        // Only what this edit breaks: a field already invalid does not block the others.
        let before: Vec<String> = self.validate().into_iter().map(|e| e.field).collect();
        match next.validate().into_iter().find(|e| !before.contains(&e.field)) {
            Some(e) => Err(e),
            None => Ok(next),
        }
    }

    /// The optimiser's targets for a path from `s`: these numbers, availability as the
    /// scenario's production flag asks, every compute option allowed but Spot.
    pub fn targets(&self, s: &Scenario) -> super::optimize::Targets {
        super::optimize::Targets {
            p95_ms: self.p95_ms,
            headroom_pct: self.headroom_pct,
            budget_usd: (self.budget_usd > 0.0).then_some(self.budget_usd),
            ..super::optimize::Targets::for_scenario(s)
        }
    }
}
