//! Capacity and latency at peak: how the workers carry the peak (queueing by the ALB's
//! routing), the database's load and connections, and the sizing helpers the plan, the
//! simulation and the cost curve share.

use super::*;

// ---- Capacity and latency ------------------------------------------------------------------

/// How the workers running at peak carry the peak.
pub(super) struct ComputeLoad {
    pub(super) per_worker_rps: f64,
    pub(super) tasks_needed: u32,
    pub(super) workers_at_peak: u32,
    pub(super) processes_at_peak: u32,
    pub(super) capacity_rps: f64,
    pub(super) utilisation_at_peak: f64,
    pub(super) headroom_pct: f64,
    pub(super) p50_ms: Option<f64>,
    pub(super) p95_ms: Option<f64>,
}

/// The queue the ALB's routing algorithm makes of the Node.js processes.
pub fn discipline(routing: Routing) -> Discipline {
    match routing {
        Routing::RoundRobin => Discipline::RoundRobin,
        Routing::LeastOutstandingRequests => Discipline::LeastOutstanding,
        Routing::WeightedRandom => Discipline::Random,
    }
}

/// Capacity at peak, utilisation, and latency: the processes running at peak as the queue
/// the ALB's routing makes of them (`queueing::fleet_sojourn`: the ALB's rule over the tasks,
/// Node's cluster module round robin within a task, the ALB nodes routing apart, a fractional
/// vCPU's CFS quota), plus the I/O wait.
pub(super) fn compute_load(s: &Scenario, peak: f64, workers: &Workers) -> ComputeLoad {
    let workers_at_peak = workers.at_peak;
    let processes_at_peak = workers_at_peak.saturating_mul(workers.processes_each);
    let process_rps = worker_rps(workers.cores_each, s);
    let per_worker_rps = process_rps * workers.processes_each as f64;
    let tasks_needed =
        workers_needed(peak, workers.cores_each, s).div_ceil(workers.processes_each.max(1));
    let capacity_rps = clean(per_worker_rps * workers_at_peak as f64);
    let utilisation_at_peak = if capacity_rps > 0.0 {
        clean(peak / capacity_rps)
    } else if peak > 0.0 {
        1.0e9
    } else {
        0.0
    };
    let utilisation_at_peak = utilisation_at_peak.min(1.0e9);
    let headroom_pct = (1.0 - utilisation_at_peak) * 100.0;
    let io = clean(s.backend.io_wait_ms);
    let fleet = queueing::Fleet {
        tasks: workers_at_peak,
        processes_each: workers.processes_each,
        cpu_share: workers.cores_each,
        alb_nodes: s.alb_nodes(),
    };
    // A process runs a request at a full core's speed (`cpu_share` caps its CPU per period).
    let full_core_rps = worker_rps(1.0, s);
    let latency = queueing::fleet_sojourn(discipline(s.alb.routing), peak, full_core_rps, fleet);
    ComputeLoad {
        per_worker_rps,
        tasks_needed,
        workers_at_peak,
        processes_at_peak,
        capacity_rps,
        utilisation_at_peak,
        headroom_pct,
        p50_ms: latency.map(|q| q.p50_s * 1000.0 + io),
        p95_ms: latency.map(|q| q.p95_s * 1000.0 + io),
    }
}

pub(super) struct DbLoad {
    pub(super) primary_qps: f64,
    pub(super) replica_qps: f64,
    pub(super) primary_utilisation: f64,
    pub(super) replica_utilisation: f64,
    pub(super) max_connections: u32,
    pub(super) connections_primary: u32,
    pub(super) connections_per_replica: u32,
}

/// Writes (and reads without replicas) go to the primary, reads spread over the replicas;
/// every worker's pool connects to the primary, and spreads over the replicas.
pub(super) fn database_load(s: &Scenario, catalog: &Catalog, processes_at_peak: u32) -> DbLoad {
    let db = &s.database;
    let (reads, writes) = peak_db_queries(s);
    let (primary_qps, replica_qps) = if db.read_replicas > 0 {
        (writes, reads / db.read_replicas as f64)
    } else {
        (writes + reads, 0.0)
    };
    let db_capacity = db_capacity_qps(s, catalog);
    let ratio = |load: f64| {
        if db_capacity > 0.0 {
            clean(load / db_capacity)
        } else if load > 0.0 {
            1.0e9
        } else {
            0.0
        }
    };
    // Each Node.js process opens its own pool.
    let pools = processes_at_peak.saturating_mul(s.backend.db_pool_per_task);
    DbLoad {
        primary_qps,
        replica_qps,
        primary_utilisation: ratio(primary_qps),
        replica_utilisation: ratio(replica_qps),
        max_connections: catalog.rds_max_connections(&db.class),
        connections_primary: pools,
        connections_per_replica: if db.read_replicas > 0 {
            pools.div_ceil(db.read_replicas)
        } else {
            0
        },
    }
}

/// DB queries per second at peak that reach PostgreSQL: (reads after the cache, writes).
pub fn peak_db_queries(s: &Scenario) -> (f64, f64) {
    let queries = clean(s.traffic.peak_rps) * clean(s.traffic.db_queries_per_request);
    let read_share = s.traffic.read_share.clamp(0.0, 1.0);
    let reads = queries * read_share * (1.0 - s.traffic.cache_hit_ratio.clamp(0.0, 1.0));
    (reads, queries * (1.0 - read_share))
}

/// Queries per second one instance of the scenario's class serves (the capacity assumption).
pub fn db_capacity_qps(s: &Scenario, catalog: &Catalog) -> f64 {
    catalog.rds_classes.get(&s.database.class).map(|c| c.vcpu).unwrap_or(1.0)
        * clean(s.database.qps_per_vcpu)
}

/// Fargate tasks needed at peak at the target CPU.
pub fn fargate_tasks_needed(s: &Scenario) -> u32 {
    fargate_tasks_for(clean(s.traffic.peak_rps), s)
}

/// Fargate tasks needed to serve `rps` at the target CPU: its Node.js processes each take
/// their share (`Backend::node_workers`).
pub fn fargate_tasks_for(rps: f64, s: &Scenario) -> u32 {
    workers_needed(rps, s.backend.cores_per_worker(), s).div_ceil(s.backend.node_workers())
}

/// Requests per second one Fargate task serves at 100% CPU: its Node.js processes, each using
/// at most one core.
pub fn fargate_task_rps(s: &Scenario) -> f64 {
    s.backend.node_workers() as f64 * worker_rps(s.backend.cores_per_worker(), s)
}

/// Requests per second one worker with `cores` of CPU serves at 100% CPU: a Node.js process
/// runs one request at a time, so its rate is its CPU share over the CPU time per request.
pub fn worker_rps(cores: f64, s: &Scenario) -> f64 {
    if s.backend.cpu_ms_per_request > 0.0 {
        cores * 1000.0 / s.backend.cpu_ms_per_request
    } else {
        0.0
    }
}

/// Workers needed to serve `rps` at the target utilisation when each has `cores` of CPU.
pub fn workers_needed(rps: f64, cores: f64, s: &Scenario) -> u32 {
    let per_worker = worker_rps(cores, s) * s.backend.target_cpu_utilisation.clamp(0.05, 1.0);
    if rps <= 0.0 || per_worker <= 0.0 {
        return 0;
    }
    (rps / per_worker).ceil().min(1.0e6) as u32
}
