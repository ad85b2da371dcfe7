//! Auto scaling over a day or a week at one-minute resolution, as Application Auto Scaling
//! runs it: CloudWatch CPU arrives once a minute, alarms need consecutive breaching minutes,
//! cooldowns hold further changes, and new tasks serve only after their start-up delay.

use crate::model::catalog::Catalog;
use crate::model::plan::{fargate_task_rps, fargate_tasks_for, workers_needed};
use crate::model::price_key::PriceKey;
use crate::model::scenario::{LaunchType, ScalingPolicyKind, Scenario};
use serde::{Deserialize, Serialize};

mod policy;
pub use policy::*;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    Flat,
    BusinessHours,
    EveningPeak,
    WeekdayWeekend,
    LaunchSpike,
    /// The user's own day: share of the way from trough to peak at each hour (0-1), the same
    /// every day, linear between hours.
    Custom([f64; 24]),
    /// A measured week (calibration from CloudWatch): one day for Monday to Friday and one for
    /// Saturday and Sunday, each as `Custom`.
    CustomWeek {
        weekday: [f64; 24],
        weekend: [f64; 24],
    },
}

impl Profile {
    pub const ALL: [Profile; 5] = [
        Profile::Flat,
        Profile::BusinessHours,
        Profile::EveningPeak,
        Profile::WeekdayWeekend,
        Profile::LaunchSpike,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Profile::Flat => "Flat",
            Profile::BusinessHours => "Business hours",
            Profile::EveningPeak => "Evening peak",
            Profile::WeekdayWeekend => "Weekdays busy, weekends quiet",
            Profile::LaunchSpike => "Launch-day spike",
            Profile::Custom(_) => "Your own day (hourly)",
            Profile::CustomWeek { .. } => "Measured week (weekdays, weekend)",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Profile::Flat => "flat",
            Profile::BusinessHours => "business_hours",
            Profile::EveningPeak => "evening_peak",
            Profile::WeekdayWeekend => "weekday_weekend",
            Profile::LaunchSpike => "launch_spike",
            Profile::Custom(_) => "custom",
            Profile::CustomWeek { .. } => "custom_week",
        }
    }

    /// This profile's first day sampled at each hour: the starting point of a custom day.
    pub fn hourly(self) -> [f64; 24] {
        std::array::from_fn(|h| self.shape(h * 60))
    }

    /// Share of the way from trough to peak, 0-1, at minute `m` (minute 0 = Monday 00:00).
    pub fn shape(self, m: usize) -> f64 {
        let day = (m / 1440) % 7;
        let hour = (m % 1440) as f64 / 60.0;
        // A smooth bump centred on `centre` hours, `width` wide (cosine window).
        let bump = |centre: f64, width: f64| {
            let d = (hour - centre).abs();
            if d >= width {
                0.0
            } else {
                0.5 * (1.0 + (std::f64::consts::PI * d / width).cos())
            }
        };
        match self {
            Profile::Flat => 1.0,
            Profile::BusinessHours => bump(13.0, 7.0),
            Profile::EveningPeak => bump(20.5, 5.0).max(0.3 * bump(12.5, 3.0)),
            Profile::WeekdayWeekend => {
                if day >= 5 {
                    0.25 * bump(14.0, 6.0)
                } else {
                    bump(13.0, 7.0)
                }
            }
            Profile::Custom(hours) => {
                let h = hour.floor() as usize % 24;
                let frac = hour - hour.floor();
                let v = hours[h] * (1.0 - frac) + hours[(h + 1) % 24] * frac;
                v.clamp(0.0, 1.0)
            }
            Profile::CustomWeek { weekday, weekend } => {
                // Linear between hours; 23:00 leads to the next day's 00:00 (Friday to Saturday).
                let day_of = |d: usize| if d >= 5 { &weekend } else { &weekday };
                let h = hour.floor() as usize % 24;
                let frac = hour - hour.floor();
                let next = if h == 23 { day_of((day + 1) % 7)[0] } else { day_of(day)[h + 1] };
                (day_of(day)[h] * (1.0 - frac) + next * frac).clamp(0.0, 1.0)
            }
            Profile::LaunchSpike => {
                // Normal business day, and at 10:00 on day one a launch: ten minutes to the
                // peak, then a slow decay over the afternoon.
                let base = 0.3 * bump(13.0, 7.0);
                let t = m as f64 - 600.0;
                let spike = if t < 0.0 {
                    0.0
                } else if t < 10.0 {
                    t / 10.0
                } else {
                    (-(t - 10.0) / 240.0).exp()
                };
                base.max(spike)
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Horizon {
    Day,
    Week,
}

impl Horizon {
    pub fn minutes(self) -> usize {
        match self {
            Horizon::Day => 1440,
            Horizon::Week => 7 * 1440,
        }
    }
}

/// A scheduled action raising the minimum during business hours (Mon-Fri).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    pub from_hour: u32,
    pub to_hour: u32,
    pub min_tasks: u32,
}

impl Schedule {
    /// The schedule a user turns on: 08-18 UTC on weekdays, holding the average task count
    /// (at least the minimum) as the floor.
    pub fn business_hours(s: &Scenario) -> Schedule {
        Schedule {
            from_hour: 8,
            to_hour: 18,
            min_tasks: s.backend.tasks_average.max(s.backend.tasks_min),
        }
    }
}

/// The document's step scaling, in the form Application Auto Scaling takes: the exported policy is
/// built from this same struct.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StepRule {
    pub scale_out_cpu: f64,
    pub scale_in_cpu: f64,
    /// Consecutive one-minute datapoints the alarm needs.
    pub out_evaluation_minutes: u32,
    pub in_evaluation_minutes: u32,
    pub out_cooldown_s: u32,
    pub in_cooldown_s: u32,
    /// Percent added when CPU is up to `big_step_above` over the threshold, and beyond it.
    pub out_small_pct: i32,
    pub out_big_pct: i32,
    pub big_step_above: f64,
    /// Tasks removed per scale-in step.
    pub in_tasks: i32,
}

impl StepRule {
    pub fn from_scenario(s: &Scenario) -> StepRule {
        StepRule {
            scale_out_cpu: s.backend.scale_out_cpu,
            scale_in_cpu: s.backend.scale_in_cpu,
            out_evaluation_minutes: 2,
            in_evaluation_minutes: 10,
            out_cooldown_s: 60,
            in_cooldown_s: 300,
            out_small_pct: 50,
            out_big_pct: 100,
            big_step_above: 0.15,
            in_tasks: 1,
        }
    }
}

/// Target tracking as AWS runs it for ECS: out after 3 breaching minutes, in after 15 minutes
/// below 90% of the target, 300 s cooldowns by default.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TargetRule {
    pub target_cpu: f64,
    pub out_evaluation_minutes: u32,
    pub in_evaluation_minutes: u32,
    pub out_cooldown_s: u32,
    pub in_cooldown_s: u32,
}

impl TargetRule {
    pub fn from_scenario(s: &Scenario) -> TargetRule {
        TargetRule {
            target_cpu: s.backend.target_cpu_utilisation,
            out_evaluation_minutes: 3,
            in_evaluation_minutes: 15,
            out_cooldown_s: 300,
            in_cooldown_s: 300,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimulationSettings {
    pub profile: Profile,
    pub horizon: Horizon,
    /// Quietest traffic as a share of the peak, 0-1.
    pub trough_share: f64,
    pub startup_seconds: u32,
    pub schedule: Option<Schedule>,
}

impl SimulationSettings {
    /// The longest task start-up the simulation takes, in seconds.
    pub const STARTUP_SECONDS_MAX: u32 = 600;
    /// Quietest traffic, as a share of the peak.
    pub const TROUGH_SHARE: std::ops::RangeInclusive<f64> = 0.0..=1.0;
}

impl Default for SimulationSettings {
    fn default() -> Self {
        SimulationSettings {
            profile: Profile::BusinessHours,
            horizon: Horizon::Week,
            trough_share: 0.1,
            startup_seconds: 45,
            schedule: None,
        }
    }
}

/// One minute of the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Minute {
    pub demand_rps: f64,
    pub desired: u32,
    pub running: u32,
    /// Tasks launched and not yet serving the whole minute (billed: Fargate bills from the
    /// image pull).
    pub starting: u32,
    pub needed: u32,
    /// `CPUUtilization` as ECS reports it: CPU used / CPU reserved (what the alarms watch).
    pub cpu: f64,
    /// Share of the time the Node.js processes are busy (1 = saturated).
    pub busy: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimulationSummary {
    pub profile: Profile,
    pub horizon: Horizon,
    pub policy: ScalingPolicyKind,
    pub task_hours: f64,
    pub average_tasks: f64,
    pub peak_tasks: u32,
    pub overload_minutes: u32,
    pub requests_over_capacity: f64,
    pub first_overload_minute: Option<usize>,
    pub at_peak: Option<AtPeak>,
    pub max_cpu: f64,
    /// Monthly Fargate compute cost: a quiet month (peaks at 60%), the typical month, and a
    /// month of peaks (150%).
    pub monthly_cost_quiet_usd: f64,
    pub monthly_cost_typical_usd: f64,
    pub monthly_cost_peaks_usd: f64,
    /// The same traffic on a fixed count of Fargate tasks sized for the peak.
    pub fixed_fargate_tasks: u32,
    pub fixed_fargate_monthly_usd: f64,
    /// The same traffic on the document's fixed EC2 fleet (option 2) sized for the peak.
    pub fixed_ec2_instances: u32,
    pub fixed_ec2_instance_type: String,
    pub fixed_ec2_monthly_usd: f64,
    pub task_hour_usd: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Simulation {
    pub minutes: Vec<Minute>,
    pub summary: SimulationSummary,
}

/// Hourly price of one task of the scenario's size, blended over its Spot share.
pub fn task_hour_usd(s: &Scenario, catalog: &Catalog) -> f64 {
    let vcpu = catalog
        .price(&s.region, &PriceKey::FargateVcpuHour(s.backend.arch), &s.price_overrides)
        .usd;
    let gb =
        catalog.price(&s.region, &PriceKey::FargateGbHour(s.backend.arch), &s.price_overrides).usd;
    let on_demand = s.task_vcpu() * vcpu + s.task_memory_gb() * gb;
    on_demand * s.backend.blended_price_factor()
}

/// Demand (requests per second) for each minute of the period; `peak_scale` stretches the peak
/// (quiet and peak months).
pub fn demand_series(s: &Scenario, settings: &SimulationSettings, peak_scale: f64) -> Vec<f64> {
    scaled_demand(s, settings, &shape_series(settings), peak_scale)
}

fn scaled_demand(
    s: &Scenario,
    settings: &SimulationSettings,
    shape: &[f64],
    peak_scale: f64,
) -> Vec<f64> {
    let peak = s.traffic.peak_rps.max(0.0) * peak_scale;
    let trough = peak * settings.trough_share.clamp(0.0, 1.0);
    shape.iter().map(|x| trough + (peak - trough) * x).collect()
}

/// The outcome of running the scaling policy over a demand series.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub minutes: Vec<Minute>,
    pub task_hours: f64,
    pub overload_minutes: u32,
    pub peak_tasks: u32,
    pub requests_over_capacity: f64,
    /// Highest `CPUUtilization` (ECS's measure) of the period.
    pub max_cpu: f64,
    /// The first minute with more demand than the tasks serving can carry.
    pub first_overload_minute: Option<usize>,
    /// The fleet at the busiest minute of the period (none for an empty period).
    pub at_peak: Option<AtPeak>,
}

/// The tasks serving at the period's busiest minute: what carries the peak the plan shows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AtPeak {
    /// Minute of the period (0 = Monday 00:00).
    pub minute: usize,
    /// Tasks serving the whole minute.
    pub running: u32,
}

/// The shape of the period (0-1 per minute), computed once and scaled for each month. The
/// last shape is kept: every plan simulates its period to bill auto scaling, and a week of
/// shape (10,080 cosines) costs more than the policy run; slider moves rarely change it.
fn shape_series(settings: &SimulationSettings) -> std::rc::Rc<Vec<f64>> {
    type Memo = Option<(Profile, Horizon, std::rc::Rc<Vec<f64>>)>;
    thread_local! {
        static LAST: std::cell::RefCell<Memo> = const { std::cell::RefCell::new(None) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((profile, horizon, shape)) = last.as_ref() {
            if *profile == settings.profile && *horizon == settings.horizon {
                return shape.clone();
            }
        }
        let shape = std::rc::Rc::new(
            (0..settings.horizon.minutes())
                .map(|m| settings.profile.shape(m))
                .collect::<Vec<f64>>(),
        );
        *last = Some((settings.profile, settings.horizon, shape.clone()));
        shape
    })
}

fn run(
    s: &Scenario,
    settings: &SimulationSettings,
    shape: &[f64],
    peak_scale: f64,
    keep_minutes: bool,
) -> Run {
    run_periodic(
        s,
        &scaled_demand(s, settings, shape, peak_scale),
        settings.startup_seconds,
        settings.schedule,
        keep_minutes,
    )
}

/// The `CPUUtilization` above which the scenario's policy scales out: the step rule's alarm
/// threshold, or the target-tracking target.
pub fn scale_out_threshold(s: &Scenario) -> f64 {
    match s.backend.scaling_policy {
        ScalingPolicyKind::Step => s.backend.scale_out_cpu,
        ScalingPolicyKind::TargetTracking => s.backend.target_cpu_utilisation,
    }
}

/// Whether the scale-out rule can ever fire: ECS's `CPUUtilization` must be able to pass the
/// threshold (`Backend::max_cpu_metric`: one Node.js process on 2 vCPU never passes 50%).
pub fn scale_out_can_fire(s: &Scenario) -> bool {
    scale_out_threshold(s) < s.backend.max_cpu_metric()
}

/// The scenario's own simulated period (its traffic shape at the peak entered), without its
/// minutes: the Fargate bill and the fleet at peak when auto scaling is on.
pub fn period_run(s: &Scenario) -> Run {
    let settings = &s.simulation;
    run(s, settings, &shape_series(settings), 1.0, false)
}

/// Average billed tasks (serving or starting) over a run of `minutes` minutes.
pub fn average_tasks(r: &Run, minutes: usize) -> f64 {
    if minutes == 0 {
        0.0
    } else {
        r.task_hours * 60.0 / minutes as f64
    }
}

/// Average billed tasks over the scenario's own simulated period: the Fargate bill when auto
/// scaling is on.
pub fn simulated_average_tasks(s: &Scenario) -> f64 {
    average_tasks(&period_run(s), s.simulation.horizon.minutes())
}

/// Minute `m` of a simulated period as a day and time: "Mon 13:02".
pub fn minute_label(m: usize) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    format!("{} {:02}:{:02}", DAYS[(m / 1440) % 7], (m % 1440) / 60, m % 60)
}

/// Tasks running in each hour of the scenario's simulated period (the average of its minutes),
/// the fleet the bill's average comes from; without auto scaling, the entered count every
/// hour of a day. A Savings Plan is sized on it (`commit::fargate_savings_plan`).
pub fn hourly_tasks(s: &Scenario) -> Vec<f64> {
    if !crate::model::plan::auto_scaling(s) {
        return vec![s.backend.tasks_average as f64; 24];
    }
    let settings = &s.simulation;
    let r = run(s, settings, &shape_series(settings), 1.0, true);
    r.minutes
        .chunks(60)
        // Billed as the period's average is: serving or starting (Fargate bills from the pull).
        .map(|hour| {
            let billed = hour.iter().fold(0.0, |sum, m| sum + (m.running + m.starting) as f64);
            billed / hour.len() as f64
        })
        .collect()
}

/// The minimum in force at minute `m`: the service's, raised Mon-Fri in the scheduled hours.
fn scheduled_floor(m: usize, min_tasks: u32, max_tasks: u32, schedule: Option<Schedule>) -> u32 {
    let Some(sch) = schedule else {
        return min_tasks;
    };
    let hour = ((m % 1440) / 60) as u32;
    let day = (m / 1440) % 7;
    if day < 5 && hour >= sch.from_hour && hour < sch.to_hour {
        min_tasks.max(sch.min_tasks.min(max_tasks))
    } else {
        min_tasks
    }
}

pub fn simulate(s: &Scenario, catalog: &Catalog, settings: &SimulationSettings) -> Simulation {
    let h = catalog.hours_per_month;
    let shape = shape_series(settings);
    let Run {
        minutes,
        task_hours,
        overload_minutes,
        peak_tasks,
        requests_over_capacity,
        max_cpu,
        first_overload_minute,
        at_peak,
    } = run(s, settings, &shape, 1.0, true);
    let n = settings.horizon.minutes() as f64;
    let average_tasks = task_hours * 60.0 / n;
    let per_task_hour = task_hour_usd(s, catalog);
    let month = |task_hours: f64| task_hours * 60.0 / n * h * per_task_hour;
    let quiet = run(s, settings, &shape, 0.6, false).task_hours;
    let peaks = run(s, settings, &shape, 1.5, false).task_hours;

    let fixed_fargate_tasks = fargate_tasks_for(s.traffic.peak_rps.max(0.0), s).max(1);
    // The document's option 2: t3.small instances, one Node.js process per vCPU.
    let ec2_type = if s.backend.launch_type == LaunchType::Ec2 {
        s.backend.ec2_instance.clone()
    } else {
        "t3.small".to_string()
    };
    let ec2_tasks = catalog.ec2_instances.get(&ec2_type).map(|c| c.awsvpc_tasks()).unwrap_or(2);
    let fixed_ec2_instances = workers_needed(s.traffic.peak_rps, ec2_tasks as f64, s).max(2);
    let ec2_hour =
        catalog.price(&s.region, &PriceKey::Ec2Hour(ec2_type.clone()), &s.price_overrides).usd;
    let ebs = catalog.price(&s.region, &PriceKey::EbsGp3GbMonth, &s.price_overrides).usd;
    let fixed_ec2_monthly_usd =
        fixed_ec2_instances as f64 * (ec2_hour * h + ebs * s.backend.ec2_ebs_gb);

    Simulation {
        minutes,
        summary: SimulationSummary {
            profile: settings.profile,
            horizon: settings.horizon,
            policy: s.backend.scaling_policy,
            task_hours,
            average_tasks,
            peak_tasks,
            overload_minutes,
            requests_over_capacity,
            first_overload_minute,
            at_peak,
            max_cpu,
            monthly_cost_quiet_usd: month(quiet),
            monthly_cost_typical_usd: month(task_hours),
            monthly_cost_peaks_usd: month(peaks),
            fixed_fargate_tasks,
            fixed_fargate_monthly_usd: fixed_fargate_tasks as f64 * per_task_hour * h,
            fixed_ec2_instances,
            fixed_ec2_instance_type: ec2_type,
            fixed_ec2_monthly_usd,
            task_hour_usd: per_task_hour,
        },
    }
}

/// The simulation of the scenario's own settings (a business-hours week by default).
pub fn simulate_default(s: &Scenario, catalog: &Catalog) -> Simulation {
    simulate(s, catalog, &s.simulation)
}
