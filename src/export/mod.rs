//! Turns a scenario and its plan into files AWS accepts: the Fargate task definition (JSON and
//! YAML), the ECS service, the auto scaling target and policies, the Dockerfile, the CloudFront
//! distribution config, and the deploy and teardown scripts. Checked in tests against botocore's
//! API models, shellcheck and hadolint, and the scripts run against a mock AWS
//! (tests/moto_deploy.py).

mod cache;
mod cloudfront;
mod dockerfile;
mod files;
mod fleet;
pub mod guide;
pub mod metrics_query;
mod names;
pub mod rules;
mod scaling;
mod scripts;
mod service;
pub mod shell;
pub mod slots;
pub mod stack;
mod task_definition;
mod yaml;

pub use cache::{cache_engine, CacheEngineSettings, REDIS_CLUSTER_VERSION, VALKEY_VERSION};
pub use cloudfront::cloudfront_config;
pub use dockerfile::{dockerfile, RDS_CA_BUNDLE_PATH, RDS_CA_BUNDLE_URL};
pub use files::{all_files, file, files_for, render, render_all, tar_archive};
pub use fleet::{ec2_fleet, Ec2Fleet};
pub use scaling::{scalable_target, scaling_policies, scheduled_actions};
pub use service::{service, target_group_attributes, ROUTING_ATTRIBUTE};
pub use task_definition::{
    cluster_workers, db_pool_per_process, health_check_command, placeholder_db_secret_arn,
    start_command, task_definition, DB_PASSWORD_KEY_SUFFIX, DB_PASSWORD_SECRET, NODE_CLUSTER_ENTRY,
};

use crate::model::scenario::{ScalingPolicyKind, Scenario};
use crate::model::{share, Plan};
pub use names::ResourceNames;
use serde_json::{json, Value};

/// One export file. The order of `ALL` is the order of the Exports panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFile {
    TaskDefinition,
    TaskDefinitionYaml,
    Service,
    ScalableTarget,
    ScalingPolicy,
    /// The scale-in half of the document's step rule.
    ScalingPolicyIn,
    ScheduledActionStart,
    ScheduledActionEnd,
    Dockerfile,
    CloudFrontConfig,
    DeployScript,
    TeardownScript,
    /// stack.yaml: the whole stack as one CloudFormation template.
    StackTemplate,
    /// deploy-stack.sh: deploys stack.yaml in two passes.
    StackDeployScript,
}

impl ExportFile {
    pub const ALL: [ExportFile; 14] = [
        ExportFile::TaskDefinition,
        ExportFile::TaskDefinitionYaml,
        ExportFile::Service,
        ExportFile::ScalableTarget,
        ExportFile::ScalingPolicy,
        ExportFile::ScalingPolicyIn,
        ExportFile::ScheduledActionStart,
        ExportFile::ScheduledActionEnd,
        ExportFile::Dockerfile,
        ExportFile::CloudFrontConfig,
        ExportFile::DeployScript,
        ExportFile::TeardownScript,
        ExportFile::StackTemplate,
        ExportFile::StackDeployScript,
    ];

    /// The file name (deploy.sh finds the others next to it by these names).
    pub fn name(self) -> &'static str {
        match self {
            ExportFile::TaskDefinition => "taskdef.json",
            ExportFile::TaskDefinitionYaml => "ecs-task-definition.yml",
            ExportFile::Service => "service.json",
            ExportFile::ScalableTarget => "scalable-target.json",
            ExportFile::ScalingPolicy => "scaling-policy.json",
            ExportFile::ScalingPolicyIn => "scaling-policy-in.json",
            ExportFile::ScheduledActionStart => "scheduled-action-start.json",
            ExportFile::ScheduledActionEnd => "scheduled-action-end.json",
            ExportFile::Dockerfile => "Dockerfile",
            ExportFile::CloudFrontConfig => "cloudfront-config.json",
            ExportFile::DeployScript => "deploy.sh",
            ExportFile::TeardownScript => "teardown.sh",
            ExportFile::StackTemplate => "stack.yaml",
            ExportFile::StackDeployScript => "deploy-stack.sh",
        }
    }

    pub fn by_name(name: &str) -> Option<ExportFile> {
        ExportFile::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether the file is written executable.
    pub fn is_script(self) -> bool {
        matches!(
            self,
            ExportFile::DeployScript | ExportFile::TeardownScript | ExportFile::StackDeployScript
        )
    }

    /// Whether a scenario has this file (the step rule has two policies; a schedule two actions).
    pub fn applies_to(self, s: &Scenario) -> bool {
        match self {
            ExportFile::ScalingPolicyIn => s.backend.scaling_policy == ScalingPolicyKind::Step,
            ExportFile::ScheduledActionStart | ExportFile::ScheduledActionEnd => {
                s.simulation.schedule.is_some()
            }
            _ => true,
        }
    }
}

/// An export file with its content.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedFile {
    pub file: ExportFile,
    pub content: String,
}

impl RenderedFile {
    pub fn name(&self) -> &'static str {
        self.file.name()
    }
}

/// Where the "Reopen in the planner" link in each file's header points by default: the
/// published planner. The app passes its own address; the CLI takes `--planner-url`.
pub const DEFAULT_PLANNER_URL: &str = "https://planner.example.com/";

/// Everything the templates need, derived once.
pub struct Context<'a> {
    pub s: &'a Scenario,
    pub p: &'a Plan,
    pub names: ResourceNames,
    pub app: String,
    pub region: String,
    pub link: String,
    /// The scenario name made safe for a comment line.
    pub title: String,
    pub monthly: String,
    /// The monthly total at published prices when the scenario overrides prices
    /// (`model::display::published_note`), for every header and description.
    pub published: Option<String>,
}

impl<'a> Context<'a> {
    pub fn new(s: &'a Scenario, p: &'a Plan, planner_url: &str) -> Context<'a> {
        // No control characters, and none that a YAML 1.1 reader (PyYAML, cfn-lint) takes as a
        // line break (U+2028, U+2029) or refuses (U+FFFE, U+FFFF): the title ends a comment line.
        let title: String = s
            .name
            .chars()
            .filter(|c| {
                !c.is_control() && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}')
            })
            .take(80)
            .collect();
        Context {
            s,
            p,
            names: ResourceNames::new(&s.deploy.app_name),
            app: s.deploy.app_name.clone(),
            // A second guard behind the catalog's check: a region code ends comment lines.
            region: s.region.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect(),
            link: format!("{planner_url}#{}", share::encode_short_link(s)),
            title,
            monthly: format!("{:.2}", p.monthly_total_usd),
            published: crate::model::display::published_note(p),
        }
    }
    pub fn header(&self, comment: &str) -> String {
        // With price overrides, the total at published prices (what the budget is set from).
        let published = self.published.as_ref().map_or(String::new(), |note| {
            format!("{comment} With the scenario's own prices; {note}: the budget uses this\n")
        });
        format!(
            "{c} Generated by Bridge Scaling Planner for scenario \"{}\" ({})\n\
             {c} Projected monthly cost: ${} ({} h; prices as of the planner's catalog)\n\
             {published}{c} Reopen in the planner: {}\n",
            self.title,
            self.region,
            self.monthly,
            self.p.hours_per_month,
            self.link,
            c = comment
        )
    }
    pub fn family(&self) -> String {
        self.names.family.clone()
    }
    pub fn cluster(&self) -> String {
        self.names.cluster.clone()
    }
    pub fn service(&self) -> String {
        self.names.service.clone()
    }
    /// The documentation account; deploy.sh replaces it with the caller's account.
    pub fn account(&self) -> &'static str {
        "111122223333"
    }
    fn tags(&self) -> Value {
        json!([
            {"key": "planner-scenario", "value": tag_value(&self.title)},
            {"key": "planner-monthly-usd", "value": self.monthly},
            {"key": "app", "value": self.app},
        ])
    }
}

/// Tag values: up to 256 characters of letters, digits, spaces and `_.:/=+-@`.
fn tag_value(s: &str) -> String {
    let v: String = s
        .chars()
        .map(|c| if c.is_alphanumeric() || " _.:/=+-@".contains(c) { c } else { '_' })
        .take(256)
        .collect();
    if v.is_empty() {
        "scenario".into()
    } else {
        v
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).expect("json") + "\n"
}

/// The catalog the exporters read instance sizes from (parsed once).
fn catalog() -> &'static crate::model::Catalog {
    static CATALOG: std::sync::OnceLock<crate::model::Catalog> = std::sync::OnceLock::new();
    CATALOG.get_or_init(crate::model::Catalog::embedded)
}
