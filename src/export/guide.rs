//! The way into the exports, as the page says it: which path to take, what must exist first,
//! and the known limits the scripts' comments name. Kept here, beside the templates, and
//! checked against them (tests below), so the page and the scripts say the same thing.

/// The two ways to deploy: (file to run, what it does, what it asks of you).
pub const PATHS: [(&str, &str); 2] = [
    (
        "deploy-stack.sh",
        "Recommended: one CloudFormation stack (stack.yaml) holds everything, so it is updated and \
            deleted as a whole. Run it from the unpacked “Download all” folder.",
    ),
    (
        "deploy.sh",
        "The AWS CLI script: creates each resource with CLI calls, re-runnable, and copies a local \
            database into RDS (MIGRATE_DATA=1); teardown.sh removes what it made.",
    ),
];

/// What must exist before either script runs (both check it before creating anything).
pub const NEEDS_FIRST: [&str; 4] = [
    "An AWS account and the AWS CLI (v2, or v1) signed in to it, plus docker to build the image; \
        deploy.sh also needs jq.",
    "A VPC (VPC_ID=vpc-…) with public subnets in at least two Availability Zones \
        (PUBLIC_SUBNETS=subnet-a,subnet-b) for the load balancer; private subnets \
        (PRIVATE_SUBNETS=…) if the plan runs tasks privately.",
    "Your backend's source with its package.json (BACKEND_DIR, default backend) and the built \
        frontend (FRONTEND_DIST, default frontend/dist).",
    "Optionally ALERT_EMAIL for the alarms and CERTIFICATE_ARN (ACM, same region) for HTTPS on the \
        load balancer.",
];

/// The limits the scripts' comments name ("KNOWN LIMIT" in deploy.sh), in the page's words.
pub const KNOWN_LIMITS: [&str; 1] =
    ["RDS rotates the database password in Secrets Manager every 7 days by default, and nothing \
        here reacts to it yet: after each rotation, new database connections of running tasks fail \
        until a new deployment (re-run the script, or aws ecs update-service \
        --force-new-deployment). The secret's NextRotationDate says when."];

#[cfg(test)]
mod tests {
    use super::*;

    const DEPLOY: &str = include_str!("templates/deploy.sh");
    const DEPLOY_STACK: &str = include_str!("templates/deploy-stack.sh");

    #[test]
    fn the_page_names_what_the_scripts_ask_for() {
        for script in [DEPLOY, DEPLOY_STACK] {
            for var in ["VPC_ID=vpc-", "PUBLIC_SUBNETS=subnet-a,subnet-b", "PRIVATE_SUBNETS"] {
                assert!(script.contains(var), "{var}");
                assert!(NEEDS_FIRST.iter().any(|n| n.contains(var)), "{var}");
            }
        }
        assert!(PATHS.iter().all(|(file, _)| DEPLOY_STACK.contains(file)
            || DEPLOY.contains(file)
            || *file == "deploy.sh"));
    }

    /// Each "KNOWN LIMIT" comment of deploy.sh is said on the page: the 7-day rotation.
    #[test]
    fn the_scripts_known_limits_are_on_the_page() {
        let limits = DEPLOY.matches("KNOWN LIMIT").count();
        assert_eq!(limits, KNOWN_LIMITS.len());
        assert!(DEPLOY.contains("KNOWN LIMIT: RDS rotates it every 7 days"));
        assert!(KNOWN_LIMITS[0].contains("every 7 days"));
        assert!(
            DEPLOY.contains("NextRotationDate") && KNOWN_LIMITS[0].contains("NextRotationDate")
        );
    }
}
