//! ECS on a fixed EC2 fleet: the instances and tasks the plan prices.

use super::catalog;
use crate::model::scenario::{LaunchType, Scenario};

/// ECS on a fixed EC2 fleet, as the plan prices it: one Node.js task per vCPU (the plan's
/// processes), each with 1 vCPU and its share of the instance's memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Ec2Fleet {
    pub instance_type: String,
    pub instances: u32,
    /// Tasks the fleet runs: vCPUs x instances.
    pub tasks: u32,
    pub task_memory_mib: u32,
    /// Graviton instance families (t4g, m7g...) run arm64 images.
    pub arm: bool,
    /// Root volume: the planned EBS size, at least the 30 GB of the AL2023 ECS AMI's snapshot.
    pub root_volume_gb: u32,
    /// The public SSM parameter holding the current ECS-optimised Amazon Linux 2023 AMI.
    pub ami_parameter: &'static str,
}

/// The ECS agent registers less memory than the instance's nominal size (the OS keeps some);
/// tasks get their share of 90%, in 32 MiB steps.
const ECS_REGISTERED_MEMORY_SHARE: f64 = 0.9;

pub fn ec2_fleet(s: &Scenario) -> Option<Ec2Fleet> {
    if s.backend.launch_type != LaunchType::Ec2 {
        return None;
    }
    let class = catalog().ec2_instances.get(&s.backend.ec2_instance);
    // The engine's count: one task per vCPU as far as the network interfaces allow (awsvpc).
    let tasks_each = class.map(|c| c.awsvpc_tasks()).unwrap_or(1);
    let memory_mib = class.map(|c| c.memory_gib * 1024.0).unwrap_or(1024.0);
    let task_memory_mib =
        ((memory_mib * ECS_REGISTERED_MEMORY_SHARE / tasks_each as f64 / 32.0).floor() as u32 * 32)
            .max(128);
    let family = s.backend.ec2_instance.split('.').next().unwrap_or("");
    let arm = family
        .trim_start_matches(|ch: char| ch.is_ascii_alphabetic())
        .trim_start_matches(|ch: char| ch.is_ascii_digit())
        .starts_with('g');
    Some(Ec2Fleet {
        instance_type: s.backend.ec2_instance.clone(),
        instances: s.backend.ec2_count.max(1),
        tasks: tasks_each * s.backend.ec2_count.max(1),
        task_memory_mib,
        arm,
        root_volume_gb: (s.backend.ec2_ebs_gb.round() as u32).max(30),
        ami_parameter: if arm {
            "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"
        } else {
            "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
        },
    })
}
