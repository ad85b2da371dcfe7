//! Auto scaling over a day or a week at one-minute resolution, as Application Auto Scaling
//! runs it: CloudWatch CPU arrives once a minute, alarms need consecutive breaching minutes,
//! cooldowns hold further changes, and new tasks serve only after their start-up delay.

use super::catalog::Catalog;
use super::plan::{fargate_tasks_needed, worker_rps, workers_needed};
use super::price_key::PriceKey;
use super::scenario::{LaunchType, ScalingPolicyKind, Scenario};
use serde::{Deserialize, Serialize};

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
    pub const ALL: [Profile; 5] =
        [Profile::Flat, Profile::BusinessHours, Profile::EveningPeak, Profile::WeekdayWeekend, Profile::LaunchSpike];
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
        Schedule { from_hour: 8, to_hour: 18, min_tasks: s.backend.tasks_desired.max(s.backend.tasks_min) }
    }
}

/// The seed's step scaling, in the form Application Auto Scaling takes: the exported policy is
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
    pub needed: u32,
    pub cpu: f64,
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
    pub max_cpu: f64,
    /// Monthly Fargate compute cost: a quiet month (peaks at 60%), the typical month, and a
    /// month of peaks (150%).
    pub monthly_cost_quiet_usd: f64,
    pub monthly_cost_typical_usd: f64,
    pub monthly_cost_peaks_usd: f64,
    /// The same traffic on a fixed count of Fargate tasks sized for the peak.
    pub fixed_fargate_tasks: u32,
    pub fixed_fargate_monthly_usd: f64,
    /// The same traffic on the seed's fixed EC2 fleet (option 2) sized for the peak.
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
    let vcpu = catalog.price(&s.region, &PriceKey::FargateVcpuHour(s.backend.arch), &s.price_overrides).usd;
    let gb = catalog.price(&s.region, &PriceKey::FargateGbHour(s.backend.arch), &s.price_overrides).usd;
    let on_demand = s.task_vcpu() * vcpu + s.task_memory_gb() * gb;
    let spot = s.backend.spot_share.clamp(0.0, 1.0) * s.backend.spot_discount.clamp(0.0, 1.0);
    on_demand * (1.0 - spot)
}

/// Requests per second one task serves at 100% CPU (one Node.js process: at most one core).
fn task_rps(s: &Scenario) -> f64 {
    worker_rps(s.task_vcpu().min(1.0), s)
}

/// Demand (requests per second) for each minute of the period; `peak_scale` stretches the peak
/// (quiet and peak months).
pub fn demand_series(s: &Scenario, settings: &SimulationSettings, peak_scale: f64) -> Vec<f64> {
    scaled_demand(s, settings, &shape_series(settings), peak_scale)
}

fn scaled_demand(s: &Scenario, settings: &SimulationSettings, shape: &[f64], peak_scale: f64) -> Vec<f64> {
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
    pub max_cpu: f64,
}

/// The shape of the period (0-1 per minute), computed once and scaled for each month.
fn shape_series(settings: &SimulationSettings) -> Vec<f64> {
    (0..settings.horizon.minutes()).map(|m| settings.profile.shape(m)).collect()
}

fn run(s: &Scenario, settings: &SimulationSettings, shape: &[f64], peak_scale: f64, keep_minutes: bool) -> Run {
    run_policy(s, &scaled_demand(s, settings, shape, peak_scale), settings.startup_seconds, settings.schedule, keep_minutes)
}

/// Runs the scenario's scaling policy minute by minute over `demand`.
pub fn run_policy(s: &Scenario, demand: &[f64], startup_seconds: u32, schedule: Option<Schedule>, keep_minutes: bool) -> Run {
    let n = demand.len();
    let mu = task_rps(s);
    let b = &s.backend;
    let min_tasks = b.tasks_min.min(b.tasks_max);
    let max_tasks = b.tasks_max.max(min_tasks);
    let startup = (startup_seconds as usize).div_ceil(60).max(1);
    let step = StepRule::from_scenario(s);
    let target = TargetRule::from_scenario(s);

    let mut minutes = Vec::with_capacity(if keep_minutes { n } else { 0 });
    // Tasks starting: ready_at[minute] counts tasks that start serving then.
    let mut pending: Vec<(usize, u32)> = Vec::new();
    let mut running = b.tasks_desired.clamp(min_tasks, max_tasks);
    let mut desired = running;
    let (mut above, mut below) = (0u32, 0u32);
    let mut cooldown_until = 0usize;
    let mut last_cpu = 0.0;
    let (mut task_minutes, mut overload, mut peak_tasks, mut over_requests, mut max_cpu) = (0.0f64, 0u32, 0u32, 0.0f64, 0.0f64);

    for m in 0..n {
        // Scheduled minimum (Mon-Fri business hours).
        let mut floor = min_tasks;
        if let Some(sch) = schedule {
            let hour = ((m % 1440) / 60) as u32;
            let day = (m / 1440) % 7;
            if day < 5 && hour >= sch.from_hour && hour < sch.to_hour {
                floor = floor.max(sch.min_tasks.min(max_tasks));
            }
        }
        // Policy decision on last minute's metric (CloudWatch publishes once a minute).
        let mut new_desired = desired;
        if m > 0 {
            match b.scaling_policy {
                ScalingPolicyKind::Step => {
                    above = if last_cpu > step.scale_out_cpu { above + 1 } else { 0 };
                    below = if last_cpu < step.scale_in_cpu { below + 1 } else { 0 };
                    let cooling = m < cooldown_until;
                    if above >= step.out_evaluation_minutes && !cooling {
                        let pct = if last_cpu > step.scale_out_cpu + step.big_step_above { step.out_big_pct } else { step.out_small_pct };
                        let add = ((desired as f64 * pct as f64 / 100.0).ceil() as u32).max(1);
                        new_desired = desired + add;
                        cooldown_until = m + (step.out_cooldown_s as usize).div_ceil(60);
                    } else if below >= step.in_evaluation_minutes && !cooling {
                        new_desired = desired.saturating_sub(step.in_tasks as u32);
                        cooldown_until = m + (step.in_cooldown_s as usize).div_ceil(60);
                        below = 0;
                    }
                }
                ScalingPolicyKind::TargetTracking => {
                    let t = target.target_cpu.max(0.01);
                    above = if last_cpu > t { above + 1 } else { 0 };
                    below = if last_cpu < t * 0.9 { below + 1 } else { 0 };
                    let wanted = ((running.max(1) as f64) * last_cpu / t).ceil() as u32;
                    if above >= target.out_evaluation_minutes && m >= cooldown_until && wanted > desired {
                        new_desired = wanted;
                        cooldown_until = m + (target.out_cooldown_s as usize).div_ceil(60);
                    } else if below >= target.in_evaluation_minutes && m >= cooldown_until && wanted < desired {
                        // Scale in gradually: at most 10% (at least one task) at a time.
                        let step_down = ((desired as f64 * 0.1).ceil() as u32).max(1);
                        new_desired = wanted.max(desired.saturating_sub(step_down));
                        cooldown_until = m + (target.in_cooldown_s as usize).div_ceil(60);
                        below = 0;
                    }
                }
            }
        }
        new_desired = new_desired.clamp(floor, max_tasks);
        let in_flight: u32 = pending.iter().map(|p| p.1).sum();
        if new_desired > running + in_flight {
            pending.push((m + startup, new_desired - running - in_flight));
        } else if new_desired < running + in_flight {
            // Stop pending starts first, then running tasks (they stop at once).
            let mut excess = running + in_flight - new_desired;
            while excess > 0 {
                if let Some(last) = pending.last_mut() {
                    let cut = last.1.min(excess);
                    last.1 -= cut;
                    excess -= cut;
                    if last.1 == 0 {
                        pending.pop();
                    }
                } else {
                    running = running.saturating_sub(excess);
                    excess = 0;
                }
            }
        }
        desired = new_desired;
        pending.retain(|&(at, k)| {
            if at <= m {
                running += k;
                false
            } else {
                true
            }
        });

        let demand = demand[m];
        let capacity = running as f64 * mu;
        let cpu = if capacity > 0.0 {
            (demand / capacity).min(1.0)
        } else if demand > 0.0 {
            1.0
        } else {
            0.0
        };
        if demand > capacity + 1e-9 {
            overload += 1;
            over_requests += (demand - capacity) * 60.0;
        }
        let needed = workers_needed(demand, s.task_vcpu().min(1.0), s);
        task_minutes += running as f64;
        peak_tasks = peak_tasks.max(running);
        max_cpu = max_cpu.max(cpu);
        last_cpu = cpu;
        if keep_minutes {
            minutes.push(Minute { demand_rps: demand, desired, running, needed, cpu });
        }
    }
    Run { minutes, task_hours: task_minutes / 60.0, overload_minutes: overload, peak_tasks, requests_over_capacity: over_requests, max_cpu }
}

pub fn simulate(s: &Scenario, catalog: &Catalog, settings: &SimulationSettings) -> Simulation {
    let h = catalog.hours_per_month;
    let shape = shape_series(settings);
    let Run { minutes, task_hours, overload_minutes, peak_tasks, requests_over_capacity, max_cpu } = run(s, settings, &shape, 1.0, true);
    let n = settings.horizon.minutes() as f64;
    let average_tasks = task_hours * 60.0 / n;
    let per_task_hour = task_hour_usd(s, catalog);
    let month = |task_hours: f64| task_hours * 60.0 / n * h * per_task_hour;
    let quiet = run(s, settings, &shape, 0.6, false).task_hours;
    let peaks = run(s, settings, &shape, 1.5, false).task_hours;

    let fixed_fargate_tasks = fargate_tasks_needed(s).max(1);
    // The seed's option 2: t3.small instances, one Node.js process per vCPU.
    let ec2_type = if s.backend.launch_type == LaunchType::Ec2 { s.backend.ec2_instance.clone() } else { "t3.small".to_string() };
    let ec2_vcpu = catalog.ec2_instances.get(&ec2_type).map(|c| c.vcpu).unwrap_or(2.0);
    let fixed_ec2_instances = workers_needed(s.traffic.peak_rps, ec2_vcpu, s).max(2);
    let ec2_hour = catalog.price(&s.region, &PriceKey::Ec2Hour(ec2_type.clone()), &s.price_overrides).usd;
    let ebs = catalog.price(&s.region, &PriceKey::EbsGp3GbMonth, &s.price_overrides).usd;
    let fixed_ec2_monthly_usd = fixed_ec2_instances as f64 * (ec2_hour * h + ebs * s.backend.ec2_ebs_gb);

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
