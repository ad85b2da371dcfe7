//! The Dockerfile of the back end's image.

use super::task_definition::{cluster_workers, health_check_url, start_command};
use super::Context;

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
            format!("# Node.js cluster mode: one worker per vCPU ({n}, WEB_CONCURRENCY), each running server.js;\n# a worker that dies is replaced, SIGTERM stops them all. DB_POOL_SIZE is per worker (each opens its own pool).\n"),
        ),
        None => (String::new(), String::new()),
    };
    format!(
        r#"# syntax=docker/dockerfile:1
{header}

# Build stage: all dependencies, then the build (if package.json has one).
FROM node:{node}-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build --if-present

# Runtime stage: production dependencies only, as the image's unprivileged `node` user (1000).
FROM node:{node}-alpine
ENV NODE_ENV=production PORT={port}{env}
# RDS's CA bundle: DATABASE_URL says sslmode=verify-full, so node-postgres checks the server's
# certificate, and RDS's CAs are not in Node.js's trust store (readable by the node user).
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html
ADD --chmod=644 {rds_ca_url} {rds_ca_path}
ENV NODE_EXTRA_CA_CERTS={rds_ca_path}
WORKDIR /app
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build --chown=node:node /app .
USER 1000:1000
EXPOSE {port}
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD {health}
{start_note}CMD {start}
"#,
        header = c.header("#").trim_end(),
        rds_ca_url = RDS_CA_BUNDLE_URL,
        rds_ca_path = RDS_CA_BUNDLE_PATH,
        // Exec form (a JSON array, no shell): the URL is data, JSON-escaped.
        health = serde_json::to_string(&["wget", "-q", "-O", "/dev/null", &health_check_url(s)])
            .expect("strings serialize"),
        start = serde_json::to_string(&start_command(s)).expect("strings serialize"),
    )
}
