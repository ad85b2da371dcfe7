//! What replacing one scenario by another changes, input by input, in words: the list the
//! optimiser's Apply and the headline's "make it viable" show before and after they act, so a
//! removal (a read replica, Multi-AZ) is never silent.

use super::display::tidy;
use super::scenario::{Scenario, FIELDS};

/// One input that differs: its label, the value before and after (with units), and whether the
/// change takes something away (a count to zero, a switch off).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub label: String,
    pub before: String,
    pub after: String,
    pub removes: bool,
}

impl Change {
    /// "Read replicas: 1 -> 0 (removed)".
    pub fn text(&self) -> String {
        format!(
            "{}: {} -> {}{}",
            self.label,
            self.before,
            self.after,
            if self.removes { " (removed)" } else { "" }
        )
    }
}

fn on_off(v: bool) -> String {
    if v { "on" } else { "off" }.to_string()
}

/// The choices (not in `FIELDS`): label and the value in words.
#[allow(clippy::type_complexity)]
const CHOICES: &[(&str, fn(&Scenario) -> String)] = &[
    ("Region", |s| s.region.clone()),
    ("Availability checks", |s| on_off(s.production)),
    ("Runs on", |s| s.backend.launch_type.label().to_string()),
    ("Task size", |s| format!("{} vCPU / {} GB", tidy(s.task_vcpu()), tidy(s.task_memory_gb()))),
    ("CPU architecture", |s| s.backend.arch.label().to_string()),
    ("EC2 instance type", |s| s.backend.ec2_instance.clone()),
    ("Node.js cluster mode", |s| on_off(s.backend.node_cluster)),
    ("Scaling policy", |s| s.backend.scaling_policy.label().to_string()),
    ("Database class", |s| s.database.class.clone()),
    ("Multi-AZ database", |s| on_off(s.database.multi_az)),
    ("Storage type", |s| s.database.storage_type.key().to_string()),
    ("Cache engine", |s| s.cache.engine.label().to_string()),
    ("Cache node type", |s| s.cache.node_type.clone()),
    ("Cache cluster mode", |s| on_off(s.cache.cluster_mode)),
    ("Network layout", |s| s.network.layout.label().to_string()),
    ("Where most viewers are", |s| s.frontend.cdn_geo.label().to_string()),
    ("ALB routing", |s| s.alb.routing.label().to_string()),
];

/// Every input that differs between `before` and `after`: the choices first, then the numbers
/// in the order of the inputs. Price overrides and names count as one line each.
pub fn changes(before: &Scenario, after: &Scenario) -> Vec<Change> {
    let mut out: Vec<Change> = CHOICES
        .iter()
        .filter_map(|(label, get)| {
            let (b, a) = (get(before), get(after));
            (b != a).then(|| Change {
                label: label.to_string(),
                removes: b == "on" && a == "off",
                before: b,
                after: a,
            })
        })
        .collect();
    out.extend(FIELDS.iter().filter(|f| before.get(f.field) != after.get(f.field)).map(|f| {
        let (b, a) = (before.get(f.field), after.get(f.field));
        Change {
            label: f.label.to_string(),
            before: format!("{} {}", tidy(b), f.unit),
            after: format!("{} {}", tidy(a), f.unit),
            removes: b > 0.0 && a == 0.0,
        }
    }));
    if before.price_overrides != after.price_overrides {
        out.push(Change {
            label: "Price overrides".into(),
            before: before.price_overrides.len().to_string(),
            after: after.price_overrides.len().to_string(),
            removes: after.price_overrides.len() < before.price_overrides.len(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Tier;

    #[test]
    fn a_removed_replica_and_a_switch_are_listed_as_removals() {
        let before = Tier::Medium.scenario();
        let mut after = before.clone();
        after.database.read_replicas = 0;
        after.database.multi_az = false;
        after.database.class = "db.t4g.micro".into();
        after.backend.tasks_max = 23;
        let got: Vec<String> = changes(&before, &after).iter().map(Change::text).collect();
        // Medium: db.t3.small Multi-AZ with 1 read replica, 8 tasks at most (presets.rs).
        assert_eq!(
            got,
            [
                "Database class: db.t3.small -> db.t4g.micro",
                "Multi-AZ database: on -> off (removed)",
                "Maximum tasks: 8 tasks -> 23 tasks",
                "Read replicas: 1 replicas -> 0 replicas (removed)",
            ]
        );
        assert!(changes(&before, &before).is_empty());
    }
}
