#!/usr/bin/env python3
"""End to end: the synthetic system's metrics put into a mock AWS (moto in server mode), fetched
with the script `scaling-plan calibrate --help` prints (unchanged, the AWS CLI pointed at moto by
AWS_ENDPOINT_URL), and calibrated. Asserts the calibrated figures against the synthetic truth
(tests/calibrate_synth.py).

Usage: calibrate_e2e.py PATH/TO/scaling-plan   (run from the repository root; uses .venv)

Where moto differs from CloudWatch (each checked or worked around here, narrowly):
- Percentile statistics (p50, p95) make moto's GetMetricData fail with HTTP 500 as soon as the
  metric has data, so no TargetResponseTime data is put: the fetch returns those series empty
  and the test checks that calibration says the latency check could not be made and why. The
  p95 comparison itself is tested on the fixtures (tests/calibrate.rs).
- Moto scans every data point for every period of every query, so the window is 2 days
  (DAYS=2), not 14: the same script, a shorter window.
- Metric math (the SUM over cache nodes in the Large tier's queries) returns no values in moto:
  that fetch only checks that the AWS CLI accepts the queries and moto answers every Id.
- Moto labels a query without a Label "<metric> <stat>"; the script sets every Label.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
DAYS = 2
PERIOD = 300


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, env, cwd=None, stdin=None):
    r = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, input=stdin, timeout=300)
    if r.returncode != 0:
        raise SystemExit(f"FAILED ({r.returncode}): {' '.join(cmd)}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return r.stdout


def start_moto(port, log):
    proc = subprocess.Popen([os.path.join(VENV_BIN, "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("moto did not start")


def aws_env(port, home):
    env = dict(os.environ)
    env.update({
        "PATH": VENV_BIN + os.pathsep + env.get("PATH", ""),
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_CONFIG_FILE": os.path.join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "credentials"),
        "AWS_PAGER": "",
    })
    return env


def create_alb(env, name):
    """A VPC, two subnets and the ALB deploy.sh would have created; returns its metric dimension."""
    aws = lambda *a: run(["aws", *a, "--output", "text"], env).strip()
    vpc = aws("ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--query", "Vpc.VpcId")
    subnets = [aws("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", f"10.0.{i}.0/24",
                   "--availability-zone", f"us-east-1{az}", "--query", "Subnet.SubnetId") for i, az in ((1, "a"), (2, "b"))]
    arn = aws("elbv2", "create-load-balancer", "--name", name, "--subnets", *subnets,
              "--query", "LoadBalancers[0].LoadBalancerArn")
    return arn.split(":loadbalancer/", 1)[1]


def fetch_script(binary, scenario):
    """The script as `scaling-plan calibrate --help` prints it, from its first comment line on."""
    text = run([binary, "calibrate", "--help", "--scenario", scenario], os.environ)
    return text[text.index("# Fetch the metrics"):]


def field(cal, path):
    v = cal
    for k in path.split("."):
        v = v[k]
    return v


def check(cal, report):
    """The synthetic truth, weekdays only over 2 days at 5-minute periods (calibrate_synth.py)."""
    truth = [  # path, expected, tolerance, why
        ("traffic.peak_rps", 20.0, 0.005, "busiest 5 minutes of a 20 req/s bump"),
        ("traffic.peak_to_avg", 2.76, 0.01, "20 / 7.25 (weekdays only)"),
        ("backend.cpu_ms_per_request", 8.75, 0.06, "2 x 35% x 0.25 vCPU / 20 req/s"),
        ("traffic.response_kb", 12.0, 0.005, "13 KB processed less the 1 KB request"),
        ("alb.requests_per_connection", 8.0, 0.01, "8 requests per connection"),
        ("alb.connection_seconds", 30.0, 0.5, "30 s per connection"),
        ("traffic.cache_hit_ratio", 0.85, 0.0005, "85% hits"),
        ("cache.working_set_gb", 0.391, 0.0005, "400 MiB"),
        ("backend.db_pool_per_task", 10, 0, "10 connections per task at the peak"),
        ("database.qps_per_vcpu", 100.0, 0, "100 queries/s per vCPU"),
    ]
    failures = []
    for path, want, tol, why in truth:
        got = field(cal, path)
        status = "ok" if abs(got - want) <= tol else "FAIL"
        print(f"  {status:4} {path:32} {got!s:>10}  truth {want} ± {tol} ({why})")
        if status != "ok":
            failures.append(path)
    if cal["simulation"]["profile"].get("custom") is None:
        failures.append("simulation.profile (one custom day expected: weekdays only)")
    gap = "Latency check not made: TargetResponseTime p95 (Id `response_p95`) has no data points"
    if gap not in report:
        failures.append("the missing p95 is named in the report")
    return failures


def main():
    binary = os.path.abspath(sys.argv[1])
    t0 = time.time()
    work = tempfile.mkdtemp(prefix="calibrate-e2e-")
    log = open(os.path.join(work, "moto.log"), "w")
    port = free_port()
    moto = start_moto(port, log)
    try:
        env = aws_env(port, work)
        scenario = os.path.join(work, "small.json")
        with open(scenario, "w") as f:
            f.write(run([binary, "scenario", "--tier", "small"], env))
        alb = create_alb(env, "bridge-alb")
        # The script's window: the last DAYS whole hours up to this hour.
        end = int(time.time()) // 3600 * 3600
        start = end - DAYS * 86400
        batches = os.path.join(work, "put")
        run([sys.executable, os.path.join(ROOT, "tests", "calibrate_synth.py"), "put", batches, "--start", str(start),
             "--days", str(DAYS), "--period", str(PERIOD), "--alb", alb, "--app", "bridge", "--weekdays-only"], env)
        with open(os.path.join(batches, "index.txt")) as f:
            for line in f.read().split("\n"):
                if line:
                    ns, path = line.split(" ", 1)
                    run(["aws", "cloudwatch", "put-metric-data", "--namespace", ns, "--metric-data", f"file://{path}"], env)
        print(f"put {DAYS} days at {PERIOD} s into moto in {time.time() - t0:.0f} s")

        script = fetch_script(binary, scenario)
        with open(os.path.join(work, "fetch.sh"), "w") as f:
            f.write(script)
        shellcheck = os.path.join(VENV_BIN, "shellcheck")
        if os.path.exists(shellcheck):
            run([shellcheck, "-s", "bash", os.path.join(work, "fetch.sh")], env)
            print("shellcheck: the fetch script is clean")
        fetch_env = dict(env, DAYS=str(DAYS), PERIOD=str(PERIOD))
        t1 = time.time()
        run(["bash", "-e", "-o", "pipefail", "fetch.sh"], fetch_env, cwd=work)
        print(f"fetched with the printed script in {time.time() - t1:.0f} s")

        out = os.path.join(work, "calibrated.json")
        report = run([binary, "calibrate", "--metrics", os.path.join(work, "metrics.json"), "--scenario", scenario, "--out", out], env)
        print(report)
        with open(out) as f:
            cal = json.load(f)
        failures = check(cal, report)
        # The calibrated scenario is a scenario the other commands read.
        run([binary, "plan", "--scenario", out], env)

        # The Large tier's queries (cluster-mode cache: per-node queries summed by metric math)
        # are accepted by the AWS CLI and answered for every Id.
        large = os.path.join(work, "large.json")
        with open(large, "w") as f:
            f.write(run([binary, "scenario", "--tier", "large"], env))
        large_dir = os.path.join(work, "large")
        os.makedirs(large_dir)
        with open(os.path.join(large_dir, "fetch.sh"), "w") as f:
            f.write(fetch_script(binary, large))
        run(["bash", "-e", "-o", "pipefail", "fetch.sh"], dict(env, DAYS="1", PERIOD="300"), cwd=large_dir)
        with open(os.path.join(large_dir, "metrics.json")) as f:
            ids = {r["Id"] for r in json.load(f)["MetricDataResults"]}
        for want in ("requests", "ecs_cpu", "cache_hits", "cache_bytes"):
            if want not in ids:
                failures.append(f"Large tier fetch returns {want}")
        print(f"Large tier fetch (cluster-mode cache, SUM over nodes): {len(ids)} series returned")
    finally:
        moto.terminate()
        try:
            moto.wait(timeout=10)
        except subprocess.TimeoutExpired:
            moto.kill()
        log.close()
    print(f"calibrate end to end: {time.time() - t0:.0f} s")
    if failures:
        raise SystemExit(f"FAILED: {failures}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
