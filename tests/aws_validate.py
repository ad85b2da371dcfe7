#!/usr/bin/env python3
"""Checks the exports by AWS's own rules: every JSON file against botocore's API models
(ECS RegisterTaskDefinition / CreateService, Application Auto Scaling RegisterScalableTarget /
PutScalingPolicy, CloudFront CreateDistribution's DistributionConfig), enum values included,
Fargate's cpu/memory table, shellcheck on the scripts and hadolint on the Dockerfile.

Runs for the three presets and for random scenarios made from them (seeded, so a failure
reproduces). Usage: aws_validate.py PATH_TO_scaling-plan [N_RANDOM]
Prints 'N passed, N failed' and exits non-zero on any failure.
"""
import json, os, random, subprocess, sys, tempfile
import botocore.session
from botocore.validate import ParamValidator

CLI = sys.argv[1]
N_RANDOM = int(sys.argv[2]) if len(sys.argv) > 2 else 25
BIN = os.path.join(os.path.dirname(sys.executable))
session = botocore.session.get_session()

def op(service, name):
    return session.get_service_model(service).operation_model(name).input_shape

SHAPES = {
    "taskdef.json": op("ecs", "RegisterTaskDefinition"),
    "service.json": op("ecs", "CreateService"),
    "scalable-target.json": op("application-autoscaling", "RegisterScalableTarget"),
    "scaling-policy.json": op("application-autoscaling", "PutScalingPolicy"),
    "scaling-policy-in.json": op("application-autoscaling", "PutScalingPolicy"),
    "scheduled-action-start.json": op("application-autoscaling", "PutScheduledAction"),
    "scheduled-action-end.json": op("application-autoscaling", "PutScheduledAction"),
}
CF_SHAPE = op("cloudfront", "CreateDistribution")
TG_ATTRIBUTES_SHAPE = op("elbv2", "ModifyTargetGroupAttributes")
# Values of load_balancing.algorithm.type an ALB target group accepts (ELB docs, target group
# attributes); the planner models the first two.
TG_ALGORITHMS = {"round_robin", "least_outstanding_requests", "weighted_random"}
# ElastiCache default parameter groups by engine and cluster mode (family of the version set).
CACHE_GROUPS = {("valkey", "8.0", False): "default.valkey8", ("valkey", "8.0", True): "default.valkey8.cluster.on",
                ("redis", "7.1", True): "default.redis7.cluster.on", ("redis", "", False): ""}

# Fargate task sizes (AWS RegisterTaskDefinition docs).
FARGATE = {256: [512, 1024, 2048], 512: list(range(1024, 4097, 1024)), 1024: list(range(2048, 8193, 1024)),
           2048: list(range(4096, 16385, 1024)), 4096: list(range(8192, 30721, 1024)),
           8192: list(range(16384, 61441, 4096)), 16384: list(range(32768, 122881, 8192))}

def enum_errors(value, shape, path="$"):
    """botocore's validator checks types, required members and ranges; enums are checked here."""
    errs = []
    if shape.type_name == "structure" and isinstance(value, dict):
        for k, v in value.items():
            if k in shape.members:
                errs += enum_errors(v, shape.members[k], f"{path}.{k}")
    elif shape.type_name == "list" and isinstance(value, list):
        for i, v in enumerate(value):
            errs += enum_errors(v, shape.member, f"{path}[{i}]")
    elif shape.type_name == "map" and isinstance(value, dict):
        for k, v in value.items():
            errs += enum_errors(v, shape.value, f"{path}.{k}")
    elif shape.type_name == "string" and getattr(shape, "enum", None):
        if value not in shape.enum:
            errs.append(f"{path}: {value!r} not in {shape.enum}")
    return errs

def validate(params, shape):
    report = ParamValidator().validate(params, shape)
    errs = [report.generate_report()] if report.has_errors() else []
    return errs + enum_errors(params, shape)

def check_dir(d):
    problems = []
    files = set(os.listdir(d))
    for required in ["taskdef.json", "ecs-task-definition.yml", "service.json", "scalable-target.json",
                     "scaling-policy.json", "Dockerfile", "cloudfront-config.json", "deploy.sh", "teardown.sh"]:
        if required not in files:
            problems.append(f"missing {required}")
    for name, shape in SHAPES.items():
        if name in files:
            data = json.load(open(os.path.join(d, name)))
            problems += [f"{name}: {e}" for e in validate(data, shape)]
    td = json.load(open(os.path.join(d, "taskdef.json")))
    svc = json.load(open(os.path.join(d, "service.json")))
    cpu, mem = int(td["cpu"]), int(td["memory"])
    if not isinstance(td["cpu"], str) or not isinstance(td["memory"], str):
        problems.append("taskdef.json: cpu and memory must be strings")
    if td["requiresCompatibilities"] == ["EC2"]:
        # ECS on EC2 (RegisterTaskDefinition, CreateService docs): no Fargate-only fields, the
        # service places tasks through its capacity provider, tasks get no public IP.
        if "ephemeralStorage" in td or "platformVersion" in svc or "launchType" in svc:
            problems.append("EC2 exports carry Fargate-only ephemeralStorage/platformVersion/launchType")
        if [x["capacityProvider"] for x in svc.get("capacityProviderStrategy", [])] != [svc["serviceName"].rsplit("-", 1)[0] + "-ec2"]:
            problems.append(f"service.json: EC2 service without its capacity provider: {svc.get('capacityProviderStrategy')}")
        if svc["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"] != "DISABLED":
            problems.append("service.json: tasks on EC2 cannot have public IPs")
        if not (128 <= mem and cpu == 1024):
            problems.append(f"taskdef.json: EC2 task {cpu}/{mem}")
    elif td["requiresCompatibilities"] != ["FARGATE"]:
        problems.append(f"taskdef.json: requiresCompatibilities {td['requiresCompatibilities']}")
    elif mem not in FARGATE.get(cpu, []):
        problems.append(f"taskdef.json: {cpu}/{mem} is not a Fargate size")
    if td.get("networkMode") != "awsvpc":
        problems.append("taskdef.json: networkMode must be awsvpc")
    for c in td["containerDefinitions"]:
        for env in c.get("environment", []):
            if any(w in env["name"].upper() for w in ("PASSWORD", "SECRET", "DATABASE_URL", "REDIS_URL")):
                problems.append(f"taskdef.json: {env['name']} belongs in secrets, not environment")
        for pm in c.get("portMappings", []):
            if "hostPort" in pm and pm["hostPort"] != pm["containerPort"]:
                problems.append("taskdef.json: hostPort must equal containerPort under awsvpc")
    # The YAML holds the same task definition.
    try:
        import yaml
        if yaml.safe_load(open(os.path.join(d, "ecs-task-definition.yml"))) != td:
            problems.append("ecs-task-definition.yml differs from taskdef.json")
    except ImportError:
        problems.append("PyYAML missing")
    if ("launchType" in svc) == ("capacityProviderStrategy" in svc):
        problems.append("service.json: exactly one of launchType and capacityProviderStrategy")
    for name in ("scheduled-action-start.json", "scheduled-action-end.json"):
        if name in files:
            sa = json.load(open(os.path.join(d, name)))
            if not sa["Schedule"].startswith("cron(") or sa["ScalableTargetAction"]["MinCapacity"] > sa["ScalableTargetAction"]["MaxCapacity"]:
                problems.append(f"{name}: bad schedule or min > max")
    st = json.load(open(os.path.join(d, "scalable-target.json")))
    if not (0 <= st["MinCapacity"] <= st["MaxCapacity"]):
        problems.append("scalable-target.json: min > max")
    settings = dict(line.split("=", 1) for line in open(os.path.join(d, "deploy.sh")).read().split("# ---- End")[0].splitlines()
                    if "=" in line and line[:1].isupper())
    setting = lambda k: settings.get(k, "").strip("'")
    # The routing algorithm deploy.sh sets, as ModifyTargetGroupAttributes takes it.
    algorithm = setting("TG_ALGORITHM")
    problems += [f"target group attributes: {e}" for e in validate(
        {"TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/x/0123456789abcdef",
         "Attributes": [{"Key": "load_balancing.algorithm.type", "Value": algorithm}]}, TG_ATTRIBUTES_SHAPE)]
    if algorithm not in TG_ALGORITHMS:
        problems.append(f"deploy.sh: load_balancing.algorithm.type {algorithm!r}")
    cache_key = (setting("CACHE_ENGINE"), setting("CACHE_ENGINE_VERSION"), setting("CACHE_LAYOUT") == "cluster")
    if cache_key in CACHE_GROUPS:
        if CACHE_GROUPS[cache_key] != setting("CACHE_PARAMETER_GROUP"):
            problems.append(f"deploy.sh: cache {cache_key} with parameter group {setting('CACHE_PARAMETER_GROUP')!r}")
    elif not (cache_key[0] == "redis" and cache_key[1] == "" and not cache_key[2]):
        problems.append(f"deploy.sh: cache engine/version {cache_key} not known to be valid")
    # Cluster mode: the image starts WEB_CONCURRENCY workers, the same number as the task definition says.
    env = {e["name"]: e["value"] for e in td["containerDefinitions"][0].get("environment", [])}
    dockerfile = open(os.path.join(d, "Dockerfile")).read()
    cmd = json.loads([l for l in dockerfile.splitlines() if l.startswith("CMD ")][-1][4:])
    if "WEB_CONCURRENCY" in env:
        if cmd[:2] != ["node", "-e"] or f"WEB_CONCURRENCY={env['WEB_CONCURRENCY']}" not in dockerfile or int(env["WEB_CONCURRENCY"]) != cpu // 1024:
            problems.append(f"cluster mode: CMD {cmd[:2]}, WEB_CONCURRENCY {env['WEB_CONCURRENCY']} for {cpu} CPU units")
    elif cmd != ["node", "server.js"]:
        problems.append(f"single process: CMD {cmd}")
    secrets = {x["name"]: x["valueFrom"] for x in td["containerDefinitions"][0].get("secrets", [])}
    if not secrets.get("PGPASSWORD", "").endswith(":password::") or ":secretsmanager:" not in secrets.get("PGPASSWORD", ""):
        problems.append(f"taskdef.json: PGPASSWORD not from the RDS-managed secret: {secrets.get('PGPASSWORD')}")
    cf = json.load(open(os.path.join(d, "cloudfront-config.json")))
    problems += [f"cloudfront-config.json: {e}" for e in validate({"DistributionConfig": cf}, CF_SHAPE)]
    for script in ("deploy.sh", "teardown.sh"):
        r = subprocess.run([os.path.join(BIN, "shellcheck"), "-S", "style", os.path.join(d, script)], capture_output=True, text=True)
        if r.returncode != 0:
            problems.append(f"shellcheck {script}:\n{r.stdout}")
        text = open(os.path.join(d, script)).read()
        if "set -euo pipefail" not in text:
            problems.append(f"{script}: no set -euo pipefail")
        if "--master-user-password " in text or "PGPASSWORD=" in text and "db_password" not in text:
            problems.append(f"{script}: a password on the command line")
    r = subprocess.run([os.path.join(BIN, "hadolint"), os.path.join(d, "Dockerfile")], capture_output=True, text=True)
    if r.returncode != 0 or r.stdout.strip():
        problems.append(f"hadolint Dockerfile:\n{r.stdout}{r.stderr}")
    return problems

def export(args, d):
    subprocess.run([CLI, "export", *args, "--out", d], check=True, capture_output=True)

def scenario(tier):
    return json.loads(subprocess.run([CLI, "scenario", "--tier", tier], check=True, capture_output=True, text=True).stdout)

def randomize(rng, s):
    pairs = [(c, m) for c, ms in FARGATE.items() for m in ms]
    s["backend"]["task_cpu"], s["backend"]["task_memory_mib"] = rng.choice(pairs)
    s["backend"]["arch"] = rng.choice(["x86", "arm"])
    lo = rng.randint(0, 10); hi = rng.randint(max(lo, 1), 60)
    s["backend"]["tasks_min"], s["backend"]["tasks_max"] = lo, hi
    s["backend"]["tasks_average"] = rng.randint(lo, hi)
    s["backend"]["spot_share"] = rng.choice([0, 0, 0.25, 0.5, 1.0])
    if s["backend"]["spot_share"] > 0:
        s["backend"]["arch"] = "x86"  # Fargate Spot runs x86_64 only: the planner refuses ARM + Spot
    s["backend"]["scaling_policy"] = rng.choice(["step", "target_tracking"])
    s["backend"]["container_port"] = rng.choice([80, 3000, 8080])
    s["backend"]["ephemeral_storage_gib"] = rng.choice([20, 21, 50, 200])
    s["database"]["class"] = rng.choice(["db.t3.micro", "db.t4g.small", "db.r5.large", "db.m5.xlarge"])
    s["database"]["read_replicas"] = rng.randint(0, 5)
    s["database"]["multi_az"] = rng.random() < 0.5
    s["cache"]["cluster_mode"] = rng.random() < 0.5
    s["cache"]["shards"] = rng.randint(1, 6) if s["cache"]["cluster_mode"] else 1
    s["cache"]["replicas_per_shard"] = rng.randint(0, 2)
    s["alb"]["routing"] = rng.choice(["round_robin", "least_outstanding_requests", "weighted_random"])
    s["cache"]["engine"] = rng.choice(["redis", "valkey"])
    s["backend"]["node_cluster"] = rng.random() < 0.5
    s["frontend"]["cdn_geo"] = rng.choice(["us", "europe", "japan", "australia", "south_america", "india"])
    s["network"]["layout"] = rng.choice(["public", "private_nat", "vpc_endpoints"])
    s["region"] = rng.choice(["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1"])
    s["deploy"]["app_name"] = rng.choice(["bridge", "acme-api", "x1", "shop-prod-2"])
    s["deploy"]["node_major"] = rng.choice([22, 24])
    if rng.random() < 0.25:
        s["backend"]["launch_type"] = "ec2"
        s["backend"]["ec2_instance"] = rng.choice(["t3.micro", "t3.small", "t3.medium", "t3.large", "t3.xlarge"])
        s["backend"]["ec2_count"] = rng.randint(1, 6)
    if rng.random() < 0.4:
        frm = rng.randint(0, 22)
        s["simulation"]["schedule"] = {"from_hour": frm, "to_hour": rng.randint(frm + 1, 24), "min_tasks": rng.randint(lo, hi)}
    s["name"] = rng.choice(["Plan A", "quote \" and $(rm -rf) `tick`", "newline\nname", "ünïcode"])
    return s

passed = failed = 0
# The script templates as they are in the source (the generated settings block is absent there,
# so SC2153 "possible misspelling" of a settings name is expected and excluded); -x follows the
# fragments deploy.sh and deploy-stack.sh source, as the exporter puts them in place. (The
# Dockerfile and the Node.js cluster entry are templates too: hadolint and node check their output.)
TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "export", "templates")
for t in sorted(f for f in os.listdir(TEMPLATES) if f.endswith(".sh")):
    r = subprocess.run([os.path.join(BIN, "shellcheck"), "-x", "-S", "style", "-e", "SC2153", os.path.join(TEMPLATES, t)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        failed += 1
        print(f"FAIL shellcheck template {t}:\n{r.stdout}")
    else:
        passed += 1
        print(f"ok   shellcheck template {t}")
# The checks themselves must be able to fail: a broken task definition and policy are rejected.
assert validate({"family": "x", "containerDefinitions": [{"name": "a", "image": "b"}], "cpu": 256}, SHAPES["taskdef.json"]), "validator accepted an int cpu"
assert validate({"family": "x", "containerDefinitions": [], "networkMode": "bridge-ish"}, SHAPES["taskdef.json"]), "validator accepted a bad enum"
assert validate({"PolicyName": "p", "ServiceNamespace": "ecs", "ResourceId": "r"}, SHAPES["scaling-policy.json"]), "validator accepted a policy without ScalableDimension"
assert validate({"TargetGroupArn": "a", "Attributes": {"Key": "k", "Value": "v"}}, TG_ATTRIBUTES_SHAPE), "validator accepted attributes that are not a list"
with tempfile.TemporaryDirectory() as tmp:
    cases = [("tier-" + t, ["--tier", t]) for t in ("small", "medium", "large")]
    rng = random.Random(20261128)
    for i in range(N_RANDOM):
        s = randomize(rng, scenario(rng.choice(["small", "medium", "large"])))
        path = os.path.join(tmp, f"random-{i}.json")
        json.dump(s, open(path, "w"))
        cases.append((f"random-{i}", ["--scenario", path]))
    for name, args in cases:
        d = os.path.join(tmp, name)
        try:
            export(args, d)
            problems = check_dir(d)
        except subprocess.CalledProcessError as e:
            problems = [f"export failed: {e.stderr}"]
        if problems:
            failed += 1
            print(f"FAIL {name}:\n  " + "\n  ".join(problems))
        else:
            passed += 1
            print(f"ok   {name}")
print(f"exports: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
