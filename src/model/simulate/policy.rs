//! The scaling policy minute by minute: the step and target-tracking rules as Application Auto
//! Scaling applies them (cooldowns, start-up delay, scheduled minimum), the fleet they run and
//! the CPU ECS reports for it (`run_policy`, `run_periodic`).

use super::*;

/// The scaling policy's state between minutes: alarm counters and the two cooldowns, kept
/// apart as Application Auto Scaling keeps them
/// (<https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepScalingPolicyConfiguration.html>,
/// `Cooldown`): during a scale-out cooldown the capacity the initiating scale-out added counts
/// as part of the next one, so only a larger scale-out proceeds (by the difference); a scale-in
/// cooldown blocks scale-in only, and a scale-out ends it.
pub(super) struct Policy {
    pub(super) kind: ScalingPolicyKind,
    pub(super) step: StepRule,
    pub(super) target: TargetRule,
    pub(super) above: u32,
    pub(super) below: u32,
    pub(super) out_cooling_until: usize,
    /// Desired count before the scale-out that started the running scale-out cooldown.
    pub(super) out_base: u32,
    pub(super) in_cooling_until: usize,
}

impl Policy {
    pub(super) fn new(s: &Scenario) -> Policy {
        Policy {
            kind: s.backend.scaling_policy,
            step: StepRule::from_scenario(s),
            target: TargetRule::from_scenario(s),
            above: 0,
            below: 0,
            out_cooling_until: 0,
            out_base: 0,
            in_cooling_until: 0,
        }
    }

    /// The desired count the policy sets at minute `m`, from last minute's `CPUUtilization`
    /// (CloudWatch publishes it once a minute).
    pub(super) fn decide(&mut self, m: usize, metric: f64, desired: u32, running: u32) -> u32 {
        match self.kind {
            ScalingPolicyKind::Step => self.step_scaling(m, metric, desired),
            ScalingPolicyKind::TargetTracking => self.target_tracking(m, metric, desired, running),
        }
    }

    pub(super) fn step_scaling(&mut self, m: usize, metric: f64, desired: u32) -> u32 {
        let rule = self.step;
        self.above = if metric > rule.scale_out_cpu { self.above + 1 } else { 0 };
        self.below = if metric < rule.scale_in_cpu { self.below + 1 } else { 0 };
        if self.above >= rule.out_evaluation_minutes {
            let pct = if metric > rule.scale_out_cpu + rule.big_step_above {
                rule.out_big_pct
            } else {
                rule.out_small_pct
            };
            let grow = |base: u32| {
                base.saturating_add(((base as f64 * pct as f64 / 100.0).ceil() as u32).max(1))
            };
            let cooling = m < self.out_cooling_until;
            let base = if cooling { self.out_base } else { desired };
            let wanted = grow(base);
            if wanted > desired {
                return self.scaled_out(m, base, wanted, rule.out_cooldown_s);
            }
            return desired;
        }
        if self.below >= rule.in_evaluation_minutes && m >= self.in_cooling_until {
            self.below = 0;
            self.in_cooling_until = m + (rule.in_cooldown_s as usize).div_ceil(60);
            return desired.saturating_sub(rule.in_tasks as u32);
        }
        desired
    }

    pub(super) fn target_tracking(
        &mut self,
        m: usize,
        metric: f64,
        desired: u32,
        running: u32,
    ) -> u32 {
        let rule = self.target;
        let t = rule.target_cpu.max(0.01);
        self.above = if metric > t { self.above + 1 } else { 0 };
        self.below = if metric < t * 0.9 { self.below + 1 } else { 0 };
        // The capacity the metric asks for. During a scale-out cooldown the tasks still starting
        // are part of `desired`, so only a larger count than that proceeds.
        let wanted = ((running.max(1) as f64) * metric / t).ceil() as u32;
        if self.above >= rule.out_evaluation_minutes && wanted > desired {
            let base = if m < self.out_cooling_until { self.out_base } else { desired };
            return self.scaled_out(m, base, wanted, rule.out_cooldown_s);
        }
        if self.below >= rule.in_evaluation_minutes
            && m >= self.in_cooling_until
            && wanted < desired
        {
            // Scale in gradually: at most 10% (at least one task) at a time.
            self.below = 0;
            self.in_cooling_until = m + (rule.in_cooldown_s as usize).div_ceil(60);
            let step_down = ((desired as f64 * 0.1).ceil() as u32).max(1);
            return wanted.max(desired.saturating_sub(step_down));
        }
        desired
    }

    /// Records a scale-out: (re)starts the scale-out cooldown from `base` and ends any scale-in
    /// cooldown (a scale-out is never blocked by one, and interrupts it).
    pub(super) fn scaled_out(&mut self, m: usize, base: u32, wanted: u32, cooldown_s: u32) -> u32 {
        self.out_base = base;
        self.out_cooling_until = m + (cooldown_s as usize).div_ceil(60);
        self.in_cooling_until = 0;
        wanted
    }
}

/// Tasks serving and tasks starting. Fargate bills a task from the start of its image pull
/// until it stops (<https://aws.amazon.com/fargate/pricing/>: "from the time you start to
/// download your container image until the Amazon ECS Task terminates, rounded up to the
/// nearest second"), so a starting task is billed while it cannot serve yet; it serves from
/// exactly `startup_seconds` after its launch, part of that minute.
pub(super) struct Fleet {
    pub(super) running: u32,
    /// Batches starting: (second at which they serve, tasks).
    pub(super) starting: Vec<(u64, u32)>,
}

impl Fleet {
    /// Moves towards `desired` at the start of minute `m`: launches the missing tasks (ready
    /// `startup_s` seconds later), or cancels starting tasks first and then stops running ones.
    pub(super) fn steer(&mut self, m: usize, desired: u32, startup_s: u64) {
        let in_flight = self.in_flight();
        let total = self.running + in_flight;
        if desired > total {
            self.starting.push((m as u64 * 60 + startup_s, desired - total));
            return;
        }
        let mut excess = total - desired;
        while excess > 0 {
            match self.starting.last_mut() {
                Some(last) => {
                    let cut = last.1.min(excess);
                    last.1 -= cut;
                    excess -= cut;
                    if last.1 == 0 {
                        self.starting.pop();
                    }
                }
                None => {
                    self.running = self.running.saturating_sub(excess);
                    excess = 0;
                }
            }
        }
    }

    pub(super) fn in_flight(&self) -> u32 {
        self.starting.iter().map(|p| p.1).sum()
    }

    /// Tasks ready by the start of minute `m` join the running ones; returns the share of
    /// minute `m` the tasks becoming ready within it serve (in tasks, fractional).
    pub(super) fn start_ready(&mut self, m: usize) -> f64 {
        let (from, to) = (m as u64 * 60, m as u64 * 60 + 60);
        let mut ready = 0;
        let mut partial = 0.0;
        self.starting.retain(|&(at, k)| {
            if at <= from {
                ready += k;
                false
            } else {
                if at < to {
                    partial += k as f64 * (to - at) as f64 / 60.0;
                }
                true
            }
        });
        self.running += ready;
        partial
    }
}

/// CPU as ECS reports it (`CPUUtilization` = CPU used / CPU reserved) for a fleet of `serving`
/// tasks of `per_task` req/s serving `demand`: the processes' busy share (capped at 1) times
/// the most they can use of the task's vCPUs (`max_metric`), and that busy share. One process
/// on 2 vCPU never passes 50%.
pub(super) fn ecs_cpu(demand: f64, serving: f64, per_task: f64, max_metric: f64) -> (f64, f64) {
    let capacity = serving * per_task;
    let busy = if capacity > 0.0 {
        (demand / capacity).min(1.0)
    } else if demand > 0.0 {
        1.0
    } else {
        0.0
    };
    (busy * max_metric, busy)
}

/// Where a run of the policy stands between minutes: the alarms and cooldowns, the fleet, the
/// desired count and the last `CPUUtilization` published.
pub(super) struct PolicyState {
    pub(super) policy: Policy,
    pub(super) fleet: Fleet,
    pub(super) desired: u32,
    pub(super) last_metric: f64,
}

impl PolicyState {
    /// A service deployed at the entered average count (within the minimum and maximum).
    pub(super) fn deployed(s: &Scenario) -> PolicyState {
        let (min_tasks, max_tasks) = task_bounds(s);
        let running = s.backend.tasks_average.clamp(min_tasks, max_tasks);
        PolicyState {
            policy: Policy::new(s),
            fleet: Fleet { running, starting: Vec::new() },
            desired: running,
            last_metric: 0.0,
        }
    }
}

pub(super) fn task_bounds(s: &Scenario) -> (u32, u32) {
    let min_tasks = s.backend.tasks_min.min(s.backend.tasks_max);
    (min_tasks, s.backend.tasks_max.max(min_tasks))
}

/// Runs the scenario's scaling policy minute by minute over `demand`, from the service
/// deployed at its average task count.
pub fn run_policy(
    s: &Scenario,
    demand: &[f64],
    startup_seconds: u32,
    schedule: Option<Schedule>,
    keep_minutes: bool,
) -> Run {
    let mut state = PolicyState::deployed(s);
    let timing = Timing { startup_seconds, schedule, offset: 0 };
    run_from(&mut state, s, demand, timing, keep_minutes)
}

/// Runs the policy over a period that repeats (a day or a week): a first pass over the
/// period's last day brings the service from its deployed count to the state the period
/// leaves it in (cooldowns last minutes, so a day is plenty), and the period is counted from
/// there: it starts where the previous one ended (with no traffic, at the minimum) instead of
/// at the entered average.
pub fn run_periodic(
    s: &Scenario,
    demand: &[f64],
    startup_seconds: u32,
    schedule: Option<Schedule>,
    keep_minutes: bool,
) -> Run {
    let mut state = PolicyState::deployed(s);
    let last_day = demand.len().saturating_sub(1440);
    let warm_up = Timing { startup_seconds, schedule, offset: last_day };
    run_from(&mut state, s, &demand[last_day..], warm_up, false);
    let timing = Timing { startup_seconds, schedule, offset: demand.len() };
    run_from(&mut state, s, demand, timing, keep_minutes)
}

/// When tasks start serving, the scheduled minimum, and where the run's minutes sit in time
/// (the second pass of a periodic run continues the first pass's clock).
#[derive(Clone, Copy)]
pub(super) struct Timing {
    pub(super) startup_seconds: u32,
    pub(super) schedule: Option<Schedule>,
    pub(super) offset: usize,
}

pub(super) fn run_from(
    state: &mut PolicyState,
    s: &Scenario,
    demand: &[f64],
    timing: Timing,
    keep_minutes: bool,
) -> Run {
    let (min_tasks, max_tasks) = task_bounds(s);
    let startup_s = timing.startup_seconds as u64;
    let per_task = fargate_task_rps(s);
    let max_metric = s.backend.max_cpu_metric();
    // Task-minutes billed (running or starting), whole numbers so 2 tasks average exactly 2.0.
    let mut billed_minutes: u64 = 0;
    let mut out = Run::empty(if keep_minutes { demand.len() } else { 0 });
    let busiest = demand.iter().copied().fold(0.0f64, f64::max);
    for (i, &rps) in demand.iter().enumerate() {
        let m = timing.offset + i;
        if m > 0 {
            let (metric, desired) = (state.last_metric, state.desired);
            let wanted = state.policy.decide(m, metric, desired, state.fleet.running);
            let floor = scheduled_floor(m, min_tasks, max_tasks, timing.schedule);
            state.desired = wanted.clamp(floor, max_tasks);
        }
        state.fleet.steer(m, state.desired, startup_s);
        let partial = state.fleet.start_ready(m);
        let running = state.fleet.running;
        billed_minutes += (running + state.fleet.in_flight()) as u64;
        let serving = running as f64 + partial;
        let (metric, busy) = ecs_cpu(rps, serving, per_task, max_metric);
        out.count_minute(i, rps, serving * per_task, running, busiest);
        out.max_cpu = out.max_cpu.max(metric);
        state.last_metric = metric;
        if keep_minutes {
            out.minutes.push(Minute {
                demand_rps: rps,
                desired: state.desired,
                running,
                starting: state.fleet.in_flight(),
                needed: fargate_tasks_for(rps, s),
                cpu: metric,
                busy,
            });
        }
    }
    out.task_hours = billed_minutes as f64 / 60.0;
    out
}

impl Run {
    pub(super) fn empty(minutes: usize) -> Run {
        Run {
            minutes: Vec::with_capacity(minutes),
            task_hours: 0.0,
            overload_minutes: 0,
            peak_tasks: 0,
            requests_over_capacity: 0.0,
            max_cpu: 0.0,
            first_overload_minute: None,
            at_peak: None,
        }
    }

    /// Counts minute `i`'s overload, the most tasks, and the fleet at the busiest minute (the
    /// fewest tasks serving at any minute of the highest demand).
    pub(super) fn count_minute(
        &mut self,
        i: usize,
        rps: f64,
        capacity: f64,
        running: u32,
        busiest: f64,
    ) {
        if rps > capacity + 1e-9 {
            self.overload_minutes += 1;
            self.requests_over_capacity += (rps - capacity) * 60.0;
            self.first_overload_minute.get_or_insert(i);
        }
        self.peak_tasks = self.peak_tasks.max(running);
        if rps >= busiest * (1.0 - 1e-12) {
            let fewer = self.at_peak.is_none_or(|p| running < p.running);
            if fewer {
                self.at_peak = Some(AtPeak { minute: i, running });
            }
        }
    }
}
