#!/usr/bin/env python3
"""A synthetic week of CloudWatch metrics with known figures, for the calibration tests.

The system (the Small tier as deployed): 2 Fargate tasks of 0.25 vCPU behind an ALB, serving a
business-hours day that peaks at 20 req/s at 13:00 UTC on weekdays (2 req/s at night); weekend
days carry 25% of a weekday. At the peak the tasks run at 35% CPU. The figures calibration must
find, worked by hand (tests/calibrate.rs asserts them):

  peak            20 req/s (the bump's top, 13:00 on a weekday)
  average         weekday 2 + 18 x 7/24 = 7.25 req/s (a cosine bump 14 h wide averages 1/2);
                  weekend 7.25 / 4 = 1.8125; Mon-Sun (5 x 7.25 + 2 x 1.8125) / 7 = 5.696 req/s
  peak/average    20 / 5.696 = 3.511 (one week); 20 / 7.25 = 2.759 (one weekday)
  CPU per request 2 tasks x 35% x 0.25 vCPU = 0.175 cores at 20 req/s = 8.75 ms
                  (8.5 ms per request + 0.0025 idle cores per task)
  response        13 KB processed per request - 1 KB request = 12 KB
  connections     8 requests per connection, open 30 s
  Redis           85% hits, at most 400 MiB = 0.391 GiB
  DB pool         10 connections per task at the peak (3 at night)
  DB capacity     100 queries/s per vCPU: the primary gets 3 x (20% writes + 80% reads x 15%
                  misses) = 0.96 queries per request, so 19.2 q/s at the peak = 9.6% of 2 vCPU
  latency         the model's M/M/1 per task (mu = 0.25 x 1000 / 8.75 = 28.57 req/s) plus 15 ms
                  of I/O, and the "measured" system 10% slower than that

Usage:
  calibrate_synth.py fixture OUT.json --start 2026-11-02 --days 7 --period 300 [--zulu]
      get-metric-data output (as the AWS CLI prints it) for the committed fixtures
  calibrate_synth.py put DIR --start EPOCH --days 2 --period 300 --alb app/NAME/ID --app bridge [--weekdays-only]
      put-metric-data batches (one namespace and at most 1,000 data points per file) for the
      end-to-end test against moto; writes DIR/NN-NAMESPACE.json and DIR/index.txt
"""

import json
import math
import os
import sys
from datetime import datetime, timezone

PEAK, TROUGH, WEEKEND = 20.0, 2.0, 0.25
TASKS, TASK_VCPU, TASK_MIB = 2, 0.25, 512
IDLE_CORES_PER_TASK, CPU_S_PER_REQUEST = 0.0025, 0.0085
EFFECTIVE_CPU_MS = 8.75
IO_WAIT_S, SLOWER = 0.015, 1.10
REQUEST_KB, RESPONSE_KB = 1.0, 12.0
REQ_PER_CONN, CONN_SECONDS = 8.0, 30.0
LOOKUPS_PER_REQUEST, HIT_RATIO = 2.0, 0.85
DB_VCPU, QPS_PER_VCPU, PRIMARY_QUERIES_PER_REQUEST = 2.0, 100.0, 3.0 * (0.2 + 0.8 * 0.15)


def bump(hour, centre=13.0, width=7.0):
    d = abs(hour - centre)
    return 0.0 if d >= width else 0.5 * (1.0 + math.cos(math.pi * d / width))


def rate(epoch, weekdays_only=False):
    """Requests per second at `epoch`, and the load as a share of the way to the peak (0-1)."""
    day = ((epoch // 86400) + 3) % 7  # 0 = Monday
    hour = (epoch % 86400) / 3600.0
    scale = WEEKEND if day >= 5 and not weekdays_only else 1.0
    return scale * (TROUGH + (PEAK - TROUGH) * bump(hour)), scale * bump(hour)


def noise(i, salt, amplitude):
    """Deterministic noise in [-amplitude, amplitude] (a fixed hash, so fixtures are stable)."""
    x = math.sin(i * 12.9898 + salt * 78.233) * 43758.5453
    return (2.0 * (x - math.floor(x)) - 1.0) * amplitude


def mm1_s(rps, quantile):
    mu = min(TASK_VCPU, 1.0) * 1000.0 / EFFECTIVE_CPU_MS
    lam = rps / TASKS
    return (-math.log(1.0 - quantile) / (mu - lam) + IO_WAIT_S) * SLOWER


def periods(start, days, period, weekdays_only=False):
    """Each period: its start and the values of every series, keyed by query Id."""
    for i in range(int(days * 86400 // period)):
        t = start + i * period
        r, load = rate(t + period / 2, weekdays_only)
        count = round(r * period)
        rps = count / period
        cores = TASKS * IDLE_CORES_PER_TASK + rps * CPU_S_PER_REQUEST
        new_conns = round(count / REQ_PER_CONN)
        lookups = round(count * LOOKUPS_PER_REQUEST)
        hits = round(lookups * HIT_RATIO)
        db_qps = rps * PRIMARY_QUERIES_PER_REQUEST
        yield t, {
            "requests": count,
            "response_p50": mm1_s(rps, 0.5) * (1 + noise(i, 1, 0.02)),
            "response_p95": mm1_s(rps, 0.95) * (1 + noise(i, 2, 0.02)),
            "processed_bytes": count * (REQUEST_KB + RESPONSE_KB) * 1024,
            # Sum of one sample a minute of the concurrent connections (Little's law).
            "active_connections": round(new_conns / period * CONN_SECONDS) * (period // 60),
            "new_connections": new_conns,
            "ecs_cpu": max(0.0, 100.0 * cores / (TASKS * TASK_VCPU) + noise(i, 3, 1.0)),
            "ecs_memory": 40.0 + 10.0 * load + noise(i, 4, 1.0),
            "running_tasks": float(TASKS),
            "db_cpu": max(0.0, 100.0 * db_qps / (DB_VCPU * QPS_PER_VCPU) + noise(i, 5, 0.3)),
            "db_connections": float(TASKS * math.ceil(3 + 7 * load)),
            "db_read_iops": 5.0 + 10.0 * load,
            "db_write_iops": 2.0 + 20.0 * load,
            "cache_hits": hits,
            "cache_misses": lookups - hits,
            "cache_bytes": float((300 + 100 * load) * 1024 * 1024),
        }


def iso(epoch, zulu):
    text = datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return text + ("Z" if zulu else "+00:00")


def fixture(out, start, days, period, zulu):
    rows = list(periods(start, days, period))
    ids = list(rows[0][1].keys())
    # As the CLI prints it: newest first (the default ScanBy), Label = the metric name.
    labels = {key: metric for key, (_, metric, _) in destinations("bridge", "app/bridge-alb/0").items()}
    labels.update({"response_p50": "TargetResponseTime", "response_p95": "TargetResponseTime"})
    results = []
    for key in ids:
        results.append({
            "Id": key,
            "Label": labels[key],
            "Timestamps": [iso(t, zulu) for t, _ in reversed(rows)],
            "Values": [round(v[key], 6) for _, v in reversed(rows)],
            "StatusCode": "Complete",
        })
    with open(out, "w") as f:
        json.dump({"MetricDataResults": results, "Messages": []}, f, separators=(",", ":"))
        f.write("\n")


# Where each series goes for put-metric-data: namespace, metric name, dimensions.
def destinations(app, alb):
    lb = [{"Name": "LoadBalancer", "Value": alb}]
    svc = [{"Name": "ClusterName", "Value": f"{app}-cluster"}, {"Name": "ServiceName", "Value": f"{app}-backend"}]
    db = [{"Name": "DBInstanceIdentifier", "Value": f"{app}-db"}]
    cache = [{"Name": "CacheClusterId", "Value": f"{app}-cache"}]
    return {
        "requests": ("AWS/ApplicationELB", "RequestCount", lb),
        "processed_bytes": ("AWS/ApplicationELB", "ProcessedBytes", lb),
        "active_connections": ("AWS/ApplicationELB", "ActiveConnectionCount", lb),
        "new_connections": ("AWS/ApplicationELB", "NewConnectionCount", lb),
        "ecs_cpu": ("AWS/ECS", "CPUUtilization", svc),
        "ecs_memory": ("AWS/ECS", "MemoryUtilization", svc),
        "running_tasks": ("ECS/ContainerInsights", "RunningTaskCount", svc),
        "db_cpu": ("AWS/RDS", "CPUUtilization", db),
        "db_connections": ("AWS/RDS", "DatabaseConnections", db),
        "db_read_iops": ("AWS/RDS", "ReadIOPS", db),
        "db_write_iops": ("AWS/RDS", "WriteIOPS", db),
        "cache_hits": ("AWS/ElastiCache", "CacheHits", cache),
        "cache_misses": ("AWS/ElastiCache", "CacheMisses", cache),
        "cache_bytes": ("AWS/ElastiCache", "BytesUsedForCache", cache),
    }


def put_batches(out_dir, start, days, period, app, alb, weekdays_only):
    os.makedirs(out_dir, exist_ok=True)
    by_ns = {}
    dest = destinations(app, alb)
    for t, values in periods(start, days, period, weekdays_only):
        for key, (ns, metric, dims) in dest.items():
            by_ns.setdefault(ns, []).append({
                "MetricName": metric, "Dimensions": dims, "Timestamp": iso(t, True), "Value": values[key],
            })
    index = []
    n = 0
    for ns, data in by_ns.items():
        for i in range(0, len(data), 1000):
            n += 1
            path = os.path.join(out_dir, f"{n:02d}.json")
            with open(path, "w") as f:
                json.dump(data[i:i + 1000], f)
            index.append(f"{ns} {path}")
    with open(os.path.join(out_dir, "index.txt"), "w") as f:
        f.write("\n".join(index) + "\n")


def arg(name, default=None):
    if name in sys.argv:
        return sys.argv[sys.argv.index(name) + 1]
    return default


def main():
    mode, out = sys.argv[1], sys.argv[2]
    period = int(arg("--period", "300"))
    days = float(arg("--days", "7"))
    start_text = arg("--start", "2026-11-02")
    if start_text.isdigit():
        start = int(start_text)
    else:
        start = int(datetime.strptime(start_text, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp())
    if mode == "fixture":
        fixture(out, start, days, period, "--zulu" in sys.argv)
    elif mode == "put":
        put_batches(out, start, days, period, arg("--app", "bridge"), arg("--alb"), "--weekdays-only" in sys.argv)
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
