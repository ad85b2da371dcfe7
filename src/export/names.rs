//! Every AWS resource name the exports use, derived once from the app name. The JSON files
//! and both scripts read them from here (the scripts through their generated settings), so a
//! policy, alarm or role is called the same everywhere.

/// Names of the resources deploy.sh creates and teardown.sh removes. All are built from a
/// validated app name (`check_app_name`), so each fits its AWS naming rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceNames {
    pub app: String,
    pub cluster: String,
    pub service: String,
    /// Task definition family.
    pub family: String,
    /// The one container in the task definition.
    pub container: String,
    /// ECR repository.
    pub repository: String,
    pub log_group: String,
    pub db_instance: String,
    pub db_subnet_group: String,
    /// RDS master user (its password stays in Secrets Manager).
    pub db_user: String,
    /// ElastiCache replication group or cluster.
    pub cache: String,
    pub cache_subnet_group: String,
    pub load_balancer: String,
    pub target_group: String,
    /// SSM Parameter Store path of the connection strings (`/app`).
    pub parameter_prefix: String,
    /// The S3 bucket is this prefix plus the account ID (bucket names are global).
    pub bucket_prefix: String,
    pub origin_access_control: String,
    pub execution_role: String,
    pub task_role: String,
    /// Inline policy of the execution role that reads the parameters.
    pub parameters_policy: String,
    pub alb_security_group: String,
    pub task_security_group: String,
    pub db_security_group: String,
    pub cache_security_group: String,
    pub alert_topic: String,
    pub budget: String,
    pub target_tracking_policy: String,
    pub scale_out_policy: String,
    pub scale_in_policy: String,
    pub alarm_cpu_high: String,
    pub alarm_cpu_low: String,
    pub alarm_alb_5xx: String,
    pub alarm_alb_latency: String,
    pub alarm_memory_high: String,
    pub alarm_db_cpu: String,
    pub alarm_db_connections: String,
    pub scheduled_start: String,
    pub scheduled_end: String,
    /// ECS on EC2: launch template, Auto Scaling group, capacity provider, instance role/profile.
    pub launch_template: String,
    pub auto_scaling_group: String,
    pub capacity_provider: String,
    pub instance_role: String,
    pub instance_profile: String,
}

impl ResourceNames {
    pub fn new(app: &str) -> ResourceNames {
        let n = |suffix: &str| format!("{app}-{suffix}");
        ResourceNames {
            app: app.to_string(),
            cluster: n("cluster"),
            service: n("backend"),
            family: n("backend"),
            container: "backend".into(),
            repository: n("backend"),
            log_group: format!("/ecs/{app}-backend"),
            db_instance: n("db"),
            db_subnet_group: n("db-subnets"),
            db_user: "bridge_admin".into(),
            cache: n("cache"),
            cache_subnet_group: n("cache-subnets"),
            load_balancer: n("alb"),
            target_group: n("tg"),
            parameter_prefix: format!("/{app}"),
            bucket_prefix: n("frontend-"),
            origin_access_control: n("oac"),
            execution_role: n("ecs-execution"),
            task_role: n("ecs-task"),
            parameters_policy: "read-app-parameters".into(),
            alb_security_group: n("alb"),
            task_security_group: n("tasks"),
            db_security_group: n("db"),
            cache_security_group: n("cache"),
            alert_topic: n("alerts"),
            budget: n("monthly"),
            target_tracking_policy: n("cpu-target"),
            scale_out_policy: n("cpu-scale-out"),
            scale_in_policy: n("cpu-scale-in"),
            alarm_cpu_high: n("cpu-high"),
            alarm_cpu_low: n("cpu-low"),
            alarm_alb_5xx: n("alb-5xx"),
            alarm_alb_latency: n("alb-latency"),
            alarm_memory_high: n("memory-high"),
            alarm_db_cpu: n("db-cpu"),
            alarm_db_connections: n("db-connections"),
            scheduled_start: n("business-hours-start"),
            scheduled_end: n("business-hours-end"),
            launch_template: n("ecs"),
            auto_scaling_group: n("ecs"),
            capacity_provider: n("ec2"),
            instance_role: n("ecs-instance"),
            instance_profile: n("ecs-instance"),
        }
    }

    /// The ECS scalable target's resource ID.
    pub fn scalable_resource_id(&self) -> String {
        format!("service/{}/{}", self.cluster, self.service)
    }

    /// Every alarm deploy.sh creates (teardown.sh deletes them by these names).
    pub fn alarms(&self) -> [&str; 7] {
        [
            &self.alarm_cpu_high,
            &self.alarm_cpu_low,
            &self.alarm_alb_5xx,
            &self.alarm_alb_latency,
            &self.alarm_memory_high,
            &self.alarm_db_cpu,
            &self.alarm_db_connections,
        ]
    }
}
