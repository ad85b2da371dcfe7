//! `Edit` and `Scenario::apply`: the one way an input changes a scenario, with the rules that
//! tie fields together.

use super::*;

/// One edit a user makes. The app writes the scenario only through `Scenario::apply`, so
/// every input is checked by the same rules, and the rules that tie fields together live here.
// One edit is made per user event: a custom day's 24 hours inline cost nothing that matters.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// A numeric input (slider and number field), in the field's unit.
    Field(Field, f64),
    Region(String),
    Production(bool),
    CdnGeo(CdnGeo),
    LaunchType(LaunchType),
    /// A Fargate size: CPU units and memory in MiB.
    TaskSize {
        cpu: u32,
        memory_mib: u32,
    },
    Arch(Arch),
    Ec2Instance(String),
    ScalingPolicy(ScalingPolicyKind),
    /// Node.js cluster mode: one worker process per vCPU in each task.
    NodeCluster(bool),
    /// The ALB target group's routing algorithm.
    Routing(Routing),
    CacheEngine(CacheEngine),
    DbClass(String),
    MultiAz(bool),
    CacheNode(String),
    /// Turning cluster mode off leaves exactly one shard.
    ClusterMode(bool),
    NetworkLayout(NetworkLayout),
    /// The user's price for a catalog price; `None` returns to the catalog's.
    PriceOverride(PriceKey, Option<f64>),
    SimProfile(Profile),
    /// A custom day, starting from the shape of the current profile.
    SimCustomDay,
    /// One hour of the custom day, in percent of the way from the quietest traffic to the peak.
    SimCustomHour {
        hour: usize,
        pct: f64,
    },
    SimHorizon(Horizon),
    /// Quietest traffic in percent of the peak.
    SimTroughPct(f64),
    SimStartupSeconds(u32),
    /// The scheduled minimum on weekdays (`Schedule::business_hours`), or none.
    SimScheduledMinimum(bool),
    AppName(String),
    DbName(String),
    HealthCheckPath(String),
    NodeMajor(u32),
}

impl Scenario {
    /// Returns the scenario with `edit` made, or why it is refused: an edit that makes a
    /// field invalid (by `validate`'s rules) is refused with that field's message, and the
    /// scenario itself is never changed.
    pub fn apply(&self, edit: Edit, catalog: &Catalog) -> Result<Scenario, ScenarioError> {
        let next = self.edited(edit).map_err(|e| ScenarioError::Invalid(vec![e]))?;
        // Only what this edit breaks: a field already invalid (an old file) does not block
        // every other edit.
        let before: Vec<String> = self.validate(catalog).into_iter().map(|e| e.field).collect();
        let broken: Vec<FieldError> =
            next.validate(catalog).into_iter().filter(|e| !before.contains(&e.field)).collect();
        if broken.is_empty() {
            Ok(next)
        } else {
            Err(ScenarioError::Invalid(broken))
        }
    }

    /// The edit itself, with the rules that move other fields along.
    pub(super) fn edited(&self, edit: Edit) -> Result<Scenario, FieldError> {
        let mut next = self.clone();
        let (b, sim) = (&mut next.backend, &mut next.simulation);
        match edit {
            Edit::Field(field, value) => return self.with_field(field, value),
            Edit::Region(region) => next.region = region,
            Edit::Production(on) => next.production = on,
            Edit::CdnGeo(geo) => next.frontend.cdn_geo = geo,
            Edit::LaunchType(launch) => b.launch_type = launch,
            Edit::TaskSize { cpu, memory_mib } => {
                (b.task_cpu, b.task_memory_mib) = (cpu, memory_mib)
            }
            Edit::Arch(arch) => b.arch = arch,
            Edit::Ec2Instance(name) => b.ec2_instance = name,
            Edit::ScalingPolicy(policy) => b.scaling_policy = policy,
            Edit::NodeCluster(on) => b.node_cluster = on,
            Edit::Routing(routing) => next.alb.routing = routing,
            Edit::CacheEngine(engine) => next.cache.engine = engine,
            Edit::DbClass(class) => next.database.class = class,
            Edit::MultiAz(on) => next.database.multi_az = on,
            Edit::CacheNode(node) => next.cache.node_type = node,
            Edit::ClusterMode(on) => {
                next.cache.cluster_mode = on;
                if !on {
                    next.cache.shards = 1;
                }
            }
            Edit::NetworkLayout(layout) => next.network.layout = layout,
            Edit::PriceOverride(key, None) => {
                next.price_overrides.remove(&key);
            }
            Edit::PriceOverride(key, Some(usd)) => {
                next.price_overrides.insert(key.clone(), usd);
            }
            Edit::SimProfile(profile) => sim.profile = profile,
            Edit::SimCustomDay => sim.profile = Profile::Custom(self.simulation.profile.hourly()),
            Edit::SimCustomHour { hour, pct } => match &mut sim.profile {
                Profile::Custom(hours) if hour < 24 => hours[hour] = pct / 100.0,
                _ => {
                    return Err(FieldError {
                        field: "simulation.profile".into(),
                        message: "only a custom day has hours to set".into(),
                    })
                }
            },
            Edit::SimHorizon(horizon) => sim.horizon = horizon,
            Edit::SimTroughPct(pct) => sim.trough_share = pct / 100.0,
            Edit::SimStartupSeconds(seconds) => sim.startup_seconds = seconds,
            Edit::SimScheduledMinimum(on) => {
                sim.schedule = on.then(|| Schedule::business_hours(self))
            }
            Edit::AppName(name) => next.deploy.app_name = name,
            Edit::DbName(name) => next.deploy.db_name = name,
            Edit::HealthCheckPath(path) => next.deploy.health_check_path = path,
            Edit::NodeMajor(major) => next.deploy.node_major = major,
        }
        Ok(next)
    }
}
