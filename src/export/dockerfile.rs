//! The Dockerfile of the back end's image.

use super::slots::fill_slots;
use super::task_definition::{cluster_workers, health_check_url, start_command};
use super::Context;

const DOCKERFILE_TEMPLATE: &str = include_str!("templates/Dockerfile");

/// Where the image gets RDS's CA certificates (all regions) and where it keeps them; Node.js
/// adds them to its trust store through `NODE_EXTRA_CA_CERTS`.
/// <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html>
pub const RDS_CA_BUNDLE_URL: &str =
    "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem";
pub const RDS_CA_BUNDLE_PATH: &str = "/etc/ssl/certs/rds-global-bundle.pem";

/// A multi-stage Node.js image: current LTS on alpine, `npm ci --omit=dev`, non-root, exec-form
/// CMD and a HEALTHCHECK on the scenario's port and path.
pub fn dockerfile(c: &Context) -> String {
    let s = c.s;
    let node = s.deploy.node_major;
    let port = s.backend.container_port;
    let (env, start_note) = match cluster_workers(s) {
        Some(n) => (
            format!(" WEB_CONCURRENCY={n}"),
            format!(
                "# Node.js cluster mode: one worker per vCPU ({n}, WEB_CONCURRENCY), each running \
                 server.js;\n# a worker that dies is replaced, SIGTERM stops them all. DB_POOL_SIZE \
                 is per worker (each opens its own pool).\n"
            ),
        ),
        None => (String::new(), String::new()),
    };
    // Exec form (JSON arrays, no shell): the URL and the cluster entry are data, JSON-escaped.
    let health = serde_json::to_string(&["wget", "-q", "-O", "/dev/null", &health_check_url(s)])
        .expect("strings serialize");
    let start = serde_json::to_string(&start_command(s)).expect("strings serialize");
    let header = c.header("#");
    fill_slots(
        DOCKERFILE_TEMPLATE,
        &[
            ("HEADER", header.trim_end()),
            ("NODE", &node.to_string()),
            ("PORT", &port.to_string()),
            ("CLUSTER_ENV", &env),
            ("RDS_CA_URL", RDS_CA_BUNDLE_URL),
            ("RDS_CA_PATH", RDS_CA_BUNDLE_PATH),
            ("HEALTH", &health),
            ("START_NOTE", &start_note),
            ("START", &start),
        ],
    )
}
