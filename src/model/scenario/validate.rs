//! `Scenario::validate`: one check per part (inputs, backend, data stores, deploy names,
//! simulation, prices).

use super::*;

/// The largest price override, as for a catalog's prices (`catalog::MAX_UNIT_PRICE_USD`): a
/// link cannot make a total infinite or a budget absurd; the plan still shows the total at
/// published prices beside it.
pub const MAX_PRICE_OVERRIDE_USD: f64 = crate::model::catalog::MAX_UNIT_PRICE_USD;
/// An ALB keeps an HTTP client connection at most 604,800 s (7 days, the client keep-alive
/// duration's maximum).
/// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#http-client-keep-alive-duration
pub const MAX_CONNECTION_SECONDS: f64 = 604_800.0;
/// A request or response of at most 1 GiB (1,048,576 KB) per API call, far above any JSON API
/// exchange; a Lambda target takes at most 1 MB.
/// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html
pub const MAX_REQUEST_KB: f64 = 1_048_576.0;
/// A gp3 or gp2 volume holds at most 16,384 GiB.
/// https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html
pub const MAX_EBS_GB: f64 = 16_384.0;
/// ECR storage: 20,000 images a repository (the default quota) of at most 52,000 MiB a layer
/// stays under 1,000,000 GB for any image an app deploys.
/// https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html
pub const MAX_ECR_STORAGE_GB: f64 = 1_000_000.0;

impl Scenario {
    /// Returns a copy with `field` set to `value`, or why the value is refused. The scenario
    /// itself is never changed by a bad value.
    pub fn with_field(&self, field: Field, value: f64) -> Result<Scenario, FieldError> {
        let spec = field.spec();
        if !value.is_finite() {
            return Err(FieldError {
                field: field.json_path().into(),
                message: format!("{} must be a number", spec.label),
            });
        }
        if value < spec.min || value > spec.max {
            return Err(FieldError {
                field: field.json_path().into(),
                message: format!(
                    "{} must be between {} and {} {}",
                    spec.label, spec.min, spec.max, spec.unit
                ),
            });
        }
        // Minimum above maximum is a mistake to explain, not to fix silently.
        let (min, max) = (self.backend.tasks_min as f64, self.backend.tasks_max as f64);
        let crossed = match field {
            Field::TasksMin if value.round() > max => Some(format!(
                "Minimum tasks ({value:.0}) cannot be above the maximum ({max:.0}); \
                    raise Maximum tasks first"
            )),
            Field::TasksMax if value.round() < min => Some(format!(
                "Maximum tasks ({value:.0}) cannot be below the minimum ({min:.0}); \
                    lower Minimum tasks first"
            )),
            _ => None,
        };
        if let Some(message) = crossed {
            return Err(FieldError { field: field.json_path().into(), message });
        }
        if field == Field::Shards && !self.cache.cluster_mode && value.round() != 1.0 {
            return Err(FieldError {
                field: field.json_path().into(),
                message:
                    "Without cluster mode there is exactly one shard; turn on cluster mode to \
                    add shards"
                        .into(),
            });
        }
        let mut next = self.clone();
        next.set(field, value);
        // Keep min <= desired <= max: moving one drags the others, as a user expects.
        match field {
            Field::TasksMin => {
                next.backend.tasks_average = next.backend.tasks_average.max(next.backend.tasks_min);
                next.backend.tasks_max =
                    next.backend.tasks_max.max(next.backend.tasks_average).max(1);
            }
            Field::TasksAverage => {
                next.backend.tasks_min = next.backend.tasks_min.min(next.backend.tasks_average);
                next.backend.tasks_max = next.backend.tasks_max.max(next.backend.tasks_average);
            }
            Field::TasksMax => {
                next.backend.tasks_average = next.backend.tasks_average.min(next.backend.tasks_max);
                next.backend.tasks_min = next.backend.tasks_min.min(next.backend.tasks_average);
                if let Some(schedule) = &mut next.simulation.schedule {
                    schedule.min_tasks = schedule.min_tasks.min(next.backend.tasks_max);
                }
            }
            _ => {}
        }
        Ok(next)
    }

    /// Checks everything a user or a file can get wrong. Empty means valid.
    pub fn validate(&self, catalog: &Catalog) -> Vec<FieldError> {
        let mut err = Problems::default();
        self.validate_inputs(catalog, &mut err);
        self.validate_backend(catalog, &mut err);
        self.validate_data_stores(catalog, &mut err);
        self.validate_deploy(&mut err);
        self.validate_simulation(&mut err);
        self.validate_prices_and_quantities(catalog, &mut err);
        self.validate_discounts(&mut err);
        err.0.extend(self.growth.validate());
        err.0
    }

    /// A negotiated discount is a share of the bill; credits are dollars a month.
    pub(super) fn validate_discounts(&self, err: &mut Problems) {
        let d = &self.discounts;
        if !(d.negotiated_percent.is_finite() && (0.0..=100.0).contains(&d.negotiated_percent)) {
            err.push(
                "discounts.negotiated_percent",
                format!(
                    "negotiated discount is {}%, must be between 0 and 100%",
                    d.negotiated_percent
                ),
            );
        }
        if !(d.credits_usd_month.is_finite() && (0.0..=10_000_000.0).contains(&d.credits_usd_month))
        {
            err.push(
                "discounts.credits_usd_month",
                format!(
                    "credits are {} USD a month, must be between 0 and 10,000,000",
                    d.credits_usd_month
                ),
            );
        }
    }

    /// The schema, every numeric input against its range, and the region.
    pub(super) fn validate_inputs(&self, catalog: &Catalog, err: &mut Problems) {
        if self.schema == 0 || self.schema > SCENARIO_SCHEMA {
            err.push(
                "schema",
                format!(
                    "scenario schema {} is not supported (this planner reads 1 \
                to {SCENARIO_SCHEMA})",
                    self.schema
                ),
            );
        }
        for spec in FIELDS {
            let v = self.get(spec.field);
            if !v.is_finite() || v < spec.min || v > spec.max {
                err.push(
                    spec.field.json_path(),
                    format!(
                        "{} is {}, must be between {} and {} {}",
                        spec.label,
                        crate::model::display::tidy(v),
                        spec.min,
                        spec.max,
                        spec.unit
                    ),
                );
            }
        }
        if !catalog.regions.contains_key(&self.region) {
            err.push(
                "region",
                format!(
                    "unknown region `{}`; known: {}",
                    self.region,
                    catalog.regions.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            );
        }
        if !catalog.is_valid_fargate_size(self.backend.task_cpu, self.backend.task_memory_mib) {
            err.push(
                "backend.task_memory_mib",
                format!(
                    "{} CPU units with {} MiB is not a valid Fargate size",
                    self.backend.task_cpu, self.backend.task_memory_mib
                ),
            );
        }
    }

    /// Task size and counts, Spot with ARM, the EC2 type, storage, port and scaling thresholds.
    pub(super) fn validate_backend(&self, catalog: &Catalog, err: &mut Problems) {
        let b = &self.backend;
        if !(b.tasks_min <= b.tasks_average && b.tasks_average <= b.tasks_max) {
            err.push(
                "backend.tasks_average",
                format!(
                    "task counts must satisfy min <= average <= max (got {} / {} / {})",
                    b.tasks_min, b.tasks_average, b.tasks_max
                ),
            );
        }
        // "Linux tasks with the ARM64 architecture don't support the Fargate Spot capacity
        // provider."
        // <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html>
        if b.launch_type == LaunchType::Fargate && b.arch == Arch::Arm && b.spot_share > 0.0 {
            err.push(
                "backend.spot_share",
                "Fargate Spot does not run ARM64 tasks: choose x86_64 for a Spot share, or set the \
                    Spot share to 0".into(),
            );
        }
        if !catalog.ec2_instances.contains_key(&b.ec2_instance) {
            err.push(
                "backend.ec2_instance",
                format!("unknown EC2 instance type `{}`", b.ec2_instance),
            );
        }
        if !(FARGATE_EPHEMERAL_INCLUDED_GIB..=FARGATE_EPHEMERAL_MAX_GIB)
            .contains(&b.ephemeral_storage_gib)
        {
            err.push(
                "backend.ephemeral_storage_gib",
                format!(
                    "Fargate ephemeral storage must be {FARGATE_EPHEMERAL_INCLUDED_GIB} \
                    (included) to {FARGATE_EPHEMERAL_MAX_GIB} GiB"
                ),
            );
        }
        if b.container_port == 0 {
            err.push("backend.container_port", "container port must be 1-65535".into());
        }
        if !(b.scale_in_cpu < b.scale_out_cpu && b.scale_in_cpu > 0.0 && b.scale_out_cpu < 1.0) {
            err.push(
                "backend.scale_in_cpu",
                "step scaling needs 0 < scale-in CPU < scale-out CPU < 100%".into(),
            );
        }
    }

    /// The RDS class, the daily change, the cache node and its shards.
    pub(super) fn validate_data_stores(&self, catalog: &Catalog, err: &mut Problems) {
        if !catalog.rds_classes.contains_key(&self.database.class) {
            err.push("database.class", format!("unknown RDS class `{}`", self.database.class));
        }
        if !(0.0..=1.0).contains(&self.database.daily_change) {
            err.push("database.daily_change", "daily change must be between 0 and 1".into());
        }
        if !catalog.cache_nodes.contains_key(&self.cache.node_type) {
            err.push(
                "cache.node_type",
                format!("unknown ElastiCache node type `{}`", self.cache.node_type),
            );
        }
        if !self.cache.cluster_mode && self.cache.shards != 1 {
            err.push("cache.shards", "without cluster mode there is exactly one shard".into());
        }
    }

    /// The names and versions that reach AWS and the Dockerfile.
    pub(super) fn validate_deploy(&self, err: &mut Problems) {
        if let Err(e) = check_app_name(&self.deploy.app_name) {
            err.push("deploy.app_name", e.to_string());
        }
        if let Err(e) = check_health_path(&self.deploy.health_check_path) {
            err.push("deploy.health_check_path", e.to_string());
        }
        if let Err(e) = check_db_name(&self.deploy.db_name) {
            err.push("deploy.db_name", e.to_string());
        }
        if !NODE_LTS.contains(&self.deploy.node_major) {
            err.push(
                "deploy.node_major",
                format!(
                    "Node.js {} is not an LTS line this planner offers ({NODE_LTS:?})",
                    self.deploy.node_major
                ),
            );
        }
    }

    /// The simulation's settings: trough, start-up, custom day or week, the schedule.
    pub(super) fn validate_simulation(&self, err: &mut Problems) {
        let b = &self.backend;
        let sim = &self.simulation;
        if !SimulationSettings::TROUGH_SHARE.contains(&sim.trough_share) {
            err.push(
                "simulation.trough_share",
                "the quietest traffic must be 0 to 100% of the peak".into(),
            );
        }
        if sim.startup_seconds > SimulationSettings::STARTUP_SECONDS_MAX {
            err.push(
                "simulation.startup_seconds",
                format!(
                    "task start-up must be 0 to {} seconds",
                    SimulationSettings::STARTUP_SECONDS_MAX
                ),
            );
        }
        if let Profile::Custom(hours) = &sim.profile {
            if hours.iter().any(|h| !(0.0..=1.0).contains(h)) {
                err.push(
                    "simulation.profile",
                    "each hour of a custom day must be 0 to 100%".into(),
                );
            }
        }
        if let crate::model::simulate::Profile::CustomWeek { weekday, weekend } = &sim.profile {
            if weekday.iter().chain(weekend).any(|h| !(0.0..=1.0).contains(h)) {
                err.push(
                    "simulation.profile",
                    "each hour of a measured week must be 0 to 100%".into(),
                );
            }
        }
        if let Some(sch) = sim.schedule {
            if !(sch.from_hour < sch.to_hour && sch.to_hour <= 24) {
                err.push(
                    "simulation.schedule",
                    "the scheduled minimum needs 0 <= from hour < to hour <= 24".into(),
                );
            }
            if sch.min_tasks > b.tasks_max {
                err.push(
                    "simulation.schedule",
                    format!(
                        "the scheduled minimum ({}) is above the maximum tasks ({})",
                        sch.min_tasks, b.tasks_max
                    ),
                );
            }
        }
    }

    /// Price overrides (known key, non-negative) and the quantities without a slider.
    pub(super) fn validate_prices_and_quantities(&self, catalog: &Catalog, err: &mut Problems) {
        for (key, usd) in &self.price_overrides {
            if !catalog.prices.contains_key(&key.key()) {
                err.push(&format!("price_overrides.{key}"), format!("unknown price `{key}`"));
            } else if !usd.is_finite() || !(0.0..=MAX_PRICE_OVERRIDE_USD).contains(usd) {
                err.push(
                    &format!("price_overrides.{key}"),
                    format!(
                        "price `{key}` must be a number from 0 to {MAX_PRICE_OVERRIDE_USD} USD"
                    ),
                );
            }
        }
        for (field, v, max, unit) in [
            ("alb.connection_seconds", self.alb.connection_seconds, MAX_CONNECTION_SECONDS, "s"),
            ("alb.request_kb", self.alb.request_kb, MAX_REQUEST_KB, "KB"),
            ("backend.ec2_ebs_gb", self.backend.ec2_ebs_gb, MAX_EBS_GB, "GiB"),
            ("network.ecr_storage_gb", self.network.ecr_storage_gb, MAX_ECR_STORAGE_GB, "GB"),
        ] {
            if !v.is_finite() || !(0.0..=max).contains(&v) {
                err.push(field, format!("{field} must be a number from 0 to {max} {unit}"));
            }
        }
    }

    /// Parses a scenario from JSON and validates it; errors name the field by its JSON path.
    pub fn from_json(text: &str, catalog: &Catalog) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = serde_json::from_str(text).map_err(|e| ScenarioError::Parse {
            // Bad JSON (a syntax error, a cut-off file) is where the text breaks, not a field:
            // its message gives the line and column.
            path: if e.is_data() {
                crate::model::json_path::path_at(text, &e)
            } else {
                ".".to_string()
            },
            message: if e.is_data() { e.to_string() } else { format!("not valid JSON: {e}") },
        })?;
        let errors = scenario.validate(catalog);
        if !errors.is_empty() {
            return Err(ScenarioError::Invalid(errors));
        }
        Ok(scenario)
    }
}
