#!/usr/bin/env python3
"""Runs what the planner generates: for each scenario, deploy.sh, deploy.sh again and
teardown.sh --yes --delete-database against moto (a mock AWS, PyPI `moto[server]`) with the real
AWS CLI from PyPI, `docker` replaced by a stub that records its calls. One moto server per
scenario on 127.0.0.1 (a free port), scenarios in parallel, each server stopped by its PID.

Scenarios: the three presets and seeded random ones, each of which forces one feature (EC2
launch type, cluster-mode cache, read replicas, Fargate Spot, scheduled scaling, a region other
than us-east-1) so every run covers all of them.

Checked: each script exits 0; the second deploy creates nothing twice (the same inventory apart
from one new task-definition revision); what deploy created refers to itself (target group of
type ip on the container port, scalable target naming the service, alarms naming the policies,
CloudFront origin = the bucket, SSM parameters SecureString, ...); no secret in any process's
arguments; teardown leaves nothing behind; a missing input stops deploy.sh with one line naming
what to set.

Where moto lacks a behaviour, the test says so (MOTO_GAPS below) and works around only that:
  * moto runs no containers, so an ECS service never becomes stable: deploy.sh runs with
    SKIP_SERVICE_STABLE_WAIT=1, which skips only `aws ecs wait services-stable`.
  * aws-cli v1 ignores AWS_ENDPOINT_URL for RDS in us-east-1 (its overridesslcommonname
    customization), so `aws` on PATH is a one-line wrapper adding --endpoint-url.
  * moto returns no cache node endpoint for a single-node cluster and no configuration
    endpoint for cluster mode, so REDIS_URL holds "None" as the host there (checked as such).
  * moto's ElastiCache deletions never finish (the cache stays "deleting"): teardown.sh runs
    with SKIP_CACHE_DELETE_WAIT=1, which skips only that wait, and the test accepts a cache in
    state "deleting" after teardown (any other state fails), and its subnet group.
  * moto keeps scaling policies and scheduled actions after their scalable target is
    deregistered (AWS deletes them with it): not counted as left over when the target is gone.
  * moto drops a service's capacityProviderStrategy and a distribution origin's
    OriginAccessControlId: the test reads them from the create calls the script made.

Usage: moto_deploy.py PATH_TO_scaling-plan [N_RANDOM]
  env MOTO_PARALLEL: servers at once (2); MOTO_ONLY: a regex of scenario names to run
Prints 'N passed, N failed' and exits non-zero on any failure.
"""
import concurrent.futures, json, os, random, re, shutil, signal, subprocess, sys, tempfile, time, traceback

CLI = os.path.abspath(sys.argv[1])
N_RANDOM = int(sys.argv[2]) if len(sys.argv) > 2 else 5
PARALLEL = int(os.environ.get("MOTO_PARALLEL", "2"))
BIN = os.path.dirname(os.path.abspath(sys.executable))
MOTO_GAPS = [
    "moto runs no containers: deploy.sh runs with SKIP_SERVICE_STABLE_WAIT=1 (skips only `aws ecs wait services-stable`)",
    "aws-cli v1 ignores AWS_ENDPOINT_URL for rds in us-east-1: `aws` is a wrapper passing --endpoint-url",
    "moto returns no ElastiCache node/configuration endpoint for single-node and cluster-mode caches: REDIS_URL host is 'None' there",
    "moto deletes a security group another group's rule references (AWS: DependencyViolation): tests/moto_strict_server.py adds the check",
    "moto's ElastiCache deletions stay 'deleting': teardown.sh runs with SKIP_CACHE_DELETE_WAIT=1; a 'deleting' cache counts as deleted and may keep its subnet group",
    "moto keeps scaling policies and scheduled actions after their scalable target is deregistered (AWS deletes them): not counted as left over",
    "moto drops a service's capacityProviderStrategy and a distribution origin's OriginAccessControlId: checked in the create calls the script made",
]
SECRET = "P@55w0rd!"  # the master password moto's RDS-managed secret holds

import boto3  # noqa: E402 (moto[server] brings boto3)


def cli_json(*args):
    return json.loads(subprocess.run([CLI, *args], check=True, capture_output=True, text=True).stdout)


# ---- Scenarios ----------------------------------------------------------------------------------

FEATURES = ["ec2", "cluster_cache", "replicas", "spot", "schedule", "region"]


def random_scenario(rng, force):
    s = cli_json("scenario", "--tier", rng.choice(["small", "medium", "large"]))
    b = s["backend"]
    lo = rng.randint(1, 4); hi = rng.randint(lo + 1, 12)
    b["tasks_min"], b["tasks_max"] = lo, hi
    b["tasks_average"] = rng.randint(lo, hi)
    b["arch"] = rng.choice(["x86", "arm"])
    b["scaling_policy"] = rng.choice(["step", "target_tracking"])
    b["container_port"] = rng.choice([80, 3000, 8080])
    b["spot_share"] = 0.0
    s["database"]["read_replicas"] = rng.randint(0, 1)
    s["database"]["multi_az"] = rng.random() < 0.5
    s["cache"]["cluster_mode"] = False
    s["cache"]["shards"] = 1
    s["cache"]["replicas_per_shard"] = rng.randint(0, 1)
    s["network"]["layout"] = rng.choice(["public", "private_nat", "vpc_endpoints"])
    s["alb"]["routing"] = rng.choice(["round_robin", "least_outstanding_requests", "weighted_random"])
    s["cache"]["engine"] = rng.choice(["redis", "valkey"])
    b["node_cluster"] = rng.random() < 0.5
    s["region"] = "us-east-1"
    s["simulation"]["schedule"] = None
    s["deploy"]["app_name"] = rng.choice(["shop", "acme-api", "x1", "bridge-2"])
    s["deploy"]["health_check_path"] = rng.choice(["/health", "/api/health?full=1", "/$(id);'x'&y!"])
    if force == "ec2":
        b["launch_type"] = "ec2"
        b["ec2_instance"] = rng.choice(["t3.small", "t3.medium"])
        b["ec2_count"] = rng.randint(1, 3)
    elif force == "cluster_cache":
        s["cache"].update(cluster_mode=True, shards=rng.randint(2, 3), replicas_per_shard=rng.randint(0, 1), engine="valkey")
    elif force == "replicas":
        s["database"]["read_replicas"] = rng.randint(2, 3)
    elif force == "spot":
        b["spot_share"] = rng.choice([0.5, 1.0])
        b["arch"] = "x86"  # Fargate Spot runs x86_64 only
    elif force == "schedule":
        s["simulation"]["schedule"] = {"from_hour": 8, "to_hour": rng.choice([18, 24]), "min_tasks": hi}
    elif force == "region":
        s["region"] = rng.choice(["eu-west-1", "ap-southeast-2", "sa-east-1"])
    s["name"] = f"random {force}: quote \" and $(canary) `canary`"
    return s


def scenarios():
    out = [(f"tier-{t}", cli_json("scenario", "--tier", t)) for t in ("small", "medium", "large")]
    rng = random.Random(20261129)
    for i in range(N_RANDOM):
        force = FEATURES[i % len(FEATURES)]
        out.append((f"random-{i}-{force}", random_scenario(rng, force)))
    return out


# ---- The mock and the tools on PATH ---------------------------------------------------------------

RUNNING = set()  # servers to stop if the test itself is stopped


def stop_everything(signum, _frame):
    for server in list(RUNNING):
        server.stop()
    # os._exit, not sys.exit: SystemExit in the main thread waits for the thread pool, which
    # would go on starting the queued scenarios (and their servers) after the signal.
    os._exit(128 + signum)


class Moto:
    """A moto server on 127.0.0.1 and a free port, stopped by its PID."""

    def __init__(self, log_path):
        self.log = open(log_path, "w")
        # AWS managed IAM policies (AmazonECSTaskExecutionRolePolicy...) exist only when asked for.
        env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true")
        # moto_server plus AWS's DependencyViolation for a referenced security group (MOTO_GAPS).
        strict = os.path.join(os.path.dirname(os.path.abspath(__file__)), "moto_strict_server.py")
        self.proc = subprocess.Popen([sys.executable, strict, "-H", "127.0.0.1", "-p", "0"], env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        RUNNING.add(self)
        deadline = time.time() + 60
        while time.time() < deadline:
            m = re.search(r"Running on http://127\.0\.0\.1:(\d+)", open(log_path).read())
            if m:
                self.url = f"http://127.0.0.1:{m.group(1)}"
                return
            if self.proc.poll() is not None:
                raise RuntimeError("moto_server exited: " + open(log_path).read()[-2000:])
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("moto_server did not start within 60 s")

    def stop(self):
        RUNNING.discard(self)
        try:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait()
        except ProcessLookupError:  # already gone
            pass
        self.log.close()


def write_exec(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)


class ForkServer:
    """tests/aws_forkserver.py: the real CLI imported once, forked per call (MOTO_PLAIN_CLI=1
    runs the `aws` entry point itself instead)."""

    def __init__(self, root):
        self.socket = os.path.join(root, "aws.sock")
        self.log = open(os.path.join(root, "aws-forkserver.log"), "w")
        self.proc = subprocess.Popen([sys.executable, FORKSERVER, "serve", self.socket], stdout=subprocess.PIPE,
                                     stderr=self.log, stdin=subprocess.DEVNULL, start_new_session=True, text=True)
        RUNNING.add(self)
        if self.proc.stdout.readline().strip() != "ready":
            raise RuntimeError("aws_forkserver did not start")

    def stop(self):
        RUNNING.discard(self)
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:  # already gone
            pass
        self.proc.wait()
        self.log.close()


FORKSERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "aws_forkserver.py")
PLAIN_CLI = os.environ.get("MOTO_PLAIN_CLI") == "1"


def tools(work, forkserver):
    """`aws` (the real CLI, pointed at moto, each call logged) and a recording `docker` stub."""
    bindir = os.path.join(work, "bin")
    os.makedirs(bindir)
    if PLAIN_CLI:
        run = f"exec '{BIN}/aws' --endpoint-url \"$MOTO_URL\" \"$@\""
    else:
        run = f"exec '{sys.executable}' -S '{FORKSERVER}' call '{forkserver.socket}' --endpoint-url \"$MOTO_URL\" \"$@\""
    # Each call is logged as its arguments separated by \\037, ended by \\036.
    write_exec(os.path.join(bindir, "aws"), f"""#!/bin/sh
{{ printf '%s' "$(date +%s)"; printf '\\037%s' "$@"; printf '\\036'; }} >> "$AWS_CALL_LOG"
{run}
""")
    write_exec(os.path.join(bindir, "docker"), """#!/bin/sh
printf '%s\\n' "$*" >> "$DOCKER_CALL_LOG"
if [ "$1" = login ]; then cat >/dev/null; fi
""")
    return bindir


# ---- Inventory: what exists in the mock ----------------------------------------------------------

def clients(url, region):
    kw = dict(endpoint_url=url, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")
    return lambda service: boto3.client(service, **kw)


def inventory(c, s):
    """Names/ids of everything deploy.sh creates, as sorted lists (comparable between runs)."""
    ecs, elb, rds, ec = c("ecs"), c("elbv2"), c("rds"), c("elasticache")
    app = s["deploy"]["app_name"]
    inv = {}
    inv["security_groups"] = sorted(g["GroupName"] for g in c("ec2").describe_security_groups()["SecurityGroups"] if g["GroupName"] != "default")
    inv["db_instances"] = sorted(d["DBInstanceIdentifier"] for d in rds.describe_db_instances()["DBInstances"])
    inv["db_subnet_groups"] = sorted(g["DBSubnetGroupName"] for g in rds.describe_db_subnet_groups()["DBSubnetGroups"] if g["DBSubnetGroupName"] != "default")
    # (a cache moto keeps in "deleting" counts as deleted: see MOTO_GAPS)
    inv["cache_clusters"] = sorted(x["CacheClusterId"] for x in ec.describe_cache_clusters()["CacheClusters"] if x["CacheClusterStatus"] != "deleting")
    inv["replication_groups"] = sorted(x["ReplicationGroupId"] for x in ec.describe_replication_groups()["ReplicationGroups"] if x["Status"] != "deleting")
    inv["cache_subnet_groups"] = sorted(g["CacheSubnetGroupName"] for g in ec.describe_cache_subnet_groups()["CacheSubnetGroups"] if g["CacheSubnetGroupName"] != "default")
    inv["repositories"] = sorted(r["repositoryName"] for r in c("ecr").describe_repositories()["repositories"])
    inv["log_groups"] = sorted(g["logGroupName"] for g in c("logs").describe_log_groups()["logGroups"])
    inv["roles"] = sorted(r["RoleName"] for r in c("iam").list_roles()["Roles"] if not r["Path"].startswith("/aws-service-role/"))
    inv["instance_profiles"] = sorted(p["InstanceProfileName"] for p in c("iam").list_instance_profiles()["InstanceProfiles"])
    clusters = ecs.describe_clusters(clusters=ecs.list_clusters()["clusterArns"])["clusters"] if ecs.list_clusters()["clusterArns"] else []
    inv["clusters"] = sorted(x["clusterName"] for x in clusters if x["status"] == "ACTIVE")
    services = []
    for arn in ecs.list_clusters()["clusterArns"]:
        arns = ecs.list_services(cluster=arn)["serviceArns"]
        if arns:
            services += [x["serviceName"] for x in ecs.describe_services(cluster=arn, services=arns)["services"] if x["status"] == "ACTIVE"]
    inv["services"] = sorted(services)
    # (moto answers DescribeCapacityProviders without names with an error: ask by name)
    inv["capacity_providers"] = sorted(p["name"] for p in ecs.describe_capacity_providers(capacityProviders=[f"{app}-ec2"])["capacityProviders"]
                                       if p.get("status") == "ACTIVE")
    inv["buckets"] = sorted(b["Name"] for b in c("s3").list_buckets()["Buckets"])
    cf = c("cloudfront")
    inv["distributions"] = sorted(d["Id"] for d in cf.list_distributions()["DistributionList"].get("Items", []))
    inv["origin_access_controls"] = sorted(o["Name"] for o in cf.list_origin_access_controls()["OriginAccessControlList"].get("Items", []))
    inv["load_balancers"] = sorted(l["LoadBalancerName"] for l in elb.describe_load_balancers()["LoadBalancers"])
    inv["target_groups"] = sorted(t["TargetGroupName"] for t in elb.describe_target_groups()["TargetGroups"])
    inv["listeners"] = sorted(f"{l['Protocol']}:{l['Port']}" for lb in elb.describe_load_balancers()["LoadBalancers"]
                              for l in elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"])
    aas = c("application-autoscaling")
    inv["scalable_targets"] = sorted(t["ResourceId"] for t in aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"])
    inv["scaling_policies"] = sorted(p["PolicyName"] for p in aas.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"])
    inv["scheduled_actions"] = sorted(a["ScheduledActionName"] for a in aas.describe_scheduled_actions(ServiceNamespace="ecs")["ScheduledActions"])
    inv["alarms"] = sorted(a["AlarmName"] for a in c("cloudwatch").describe_alarms()["MetricAlarms"] if not a["AlarmName"].startswith("TargetTracking-"))
    inv["topics"] = sorted(t["TopicArn"].split(":")[-1] for t in c("sns").list_topics()["Topics"])
    inv["subscriptions"] = sorted(x["Endpoint"] for x in c("sns").list_subscriptions()["Subscriptions"])
    inv["budgets"] = sorted(b["BudgetName"] for b in c("budgets").describe_budgets(AccountId="123456789012").get("Budgets", []))
    inv["parameters"] = sorted(p["Name"] for p in c("ssm").describe_parameters()["Parameters"] if not p["Name"].startswith("/aws/"))
    inv["launch_templates"] = sorted(t["LaunchTemplateName"] for t in c("ec2").describe_launch_templates()["LaunchTemplates"])
    inv["auto_scaling_groups"] = sorted(g["AutoScalingGroupName"] for g in c("autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"])
    family = f"{s['deploy']['app_name']}-backend"
    inv["task_definition_revisions"] = len(ecs.list_task_definitions(familyPrefix=family, status="ACTIVE")["taskDefinitionArns"])
    return inv


# ---- What deploy created refers to itself ---------------------------------------------------------

def references(c, s, region, problems):
    app = s["deploy"]["app_name"]
    port = s["backend"]["container_port"]
    ecs, elb = c("ecs"), c("elbv2")
    cluster, service = f"{app}-cluster", f"{app}-backend"
    svc = ecs.describe_services(cluster=cluster, services=[service])["services"][0]
    lb = svc["loadBalancers"][0]
    tg = elb.describe_target_groups(TargetGroupArns=[lb["targetGroupArn"]])["TargetGroups"][0]
    expect(problems, tg["TargetType"] == "ip", f"target group type {tg['TargetType']}, not ip")
    expect(problems, tg["Port"] == port and lb["containerPort"] == port, f"target group port {tg['Port']} / service {lb['containerPort']} != {port}")
    expect(problems, tg["HealthCheckPath"] == s["deploy"]["health_check_path"], f"health check path {tg['HealthCheckPath']!r}")
    attributes = {a["Key"]: a["Value"] for a in elb.describe_target_group_attributes(TargetGroupArn=tg["TargetGroupArn"])["Attributes"]}
    routing = s["alb"].get("routing", "round_robin")
    expect(problems, attributes.get("load_balancing.algorithm.type") == routing,
           f"target group routing {attributes.get('load_balancing.algorithm.type')!r}, planned {routing!r}")
    td = ecs.describe_task_definition(taskDefinition=svc["taskDefinition"])["taskDefinition"]
    container = td["containerDefinitions"][0]
    expect(problems, container["name"] == lb["containerName"] and container["portMappings"][0]["containerPort"] == port,
           "service's container/port not the task definition's")
    expect(problems, container["image"].startswith("123456789012.dkr.ecr.") and f":{container['image'].split(':')[-1]}" == ":latest",
           f"image {container['image']}")
    ec2_launch = s["backend"]["launch_type"] == "ec2"
    compat = td.get("requiresCompatibilities", [])
    expect(problems, compat == (["EC2"] if ec2_launch else ["FARGATE"]), f"requiresCompatibilities {compat}")
    if ec2_launch:
        cp = ecs.describe_capacity_providers(capacityProviders=[f"{app}-ec2"])["capacityProviders"][0]
        asg_name = cp["autoScalingGroupProvider"]["autoScalingGroupArn"].split("autoScalingGroupName/")[-1]
        expect(problems, asg_name == f"{app}-ecs" and cp["autoScalingGroupProvider"]["managedScaling"]["status"] == "ENABLED",
               f"capacity provider {cp}")
        asg = c("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[asg_name])["AutoScalingGroups"][0]
        expect(problems, asg["LaunchTemplate"]["LaunchTemplateName"] == f"{app}-ecs" and asg["MinSize"] == asg["MaxSize"] == s["backend"]["ec2_count"],
               f"auto scaling group {asg['LaunchTemplate']} {asg['MinSize']}-{asg['MaxSize']}")
        ami = c("ssm").get_parameter(Name="/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id")["Parameter"]["Value"]
        lt = c("ec2").describe_launch_template_versions(LaunchTemplateName=f"{app}-ecs", Versions=["$Latest"])["LaunchTemplateVersions"][0]
        expect(problems, lt["LaunchTemplateData"]["ImageId"] == ami, "launch template AMI is not the ECS-optimised AMI")
        expect(problems, lt["LaunchTemplateData"]["InstanceType"] == s["backend"]["ec2_instance"], "launch template instance type")
    aas = c("application-autoscaling")
    target = aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
    expect(problems, [t["ResourceId"] for t in target] == [f"service/{cluster}/{service}"], f"scalable targets {target}")
    policies = {p["PolicyName"]: p for p in aas.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]}
    alarms = {a["AlarmName"]: a for a in c("cloudwatch").describe_alarms()["MetricAlarms"]}
    if s["backend"]["scaling_policy"] == "step":
        for alarm, policy in ((f"{app}-cpu-high", f"{app}-cpu-scale-out"), (f"{app}-cpu-low", f"{app}-cpu-scale-in")):
            expect(problems, policy in policies and alarms.get(alarm, {}).get("AlarmActions") == [policies[policy]["PolicyARN"]],
                   f"alarm {alarm} does not name policy {policy}")
            expect(problems, alarms.get(alarm, {}).get("Dimensions") == [{"Name": "ClusterName", "Value": cluster}, {"Name": "ServiceName", "Value": service}],
                   f"alarm {alarm} dimensions")
    else:
        expect(problems, list(policies) == [f"{app}-cpu-target"], f"policies {list(policies)}")
    schedule = s["simulation"].get("schedule")
    actions = aas.describe_scheduled_actions(ServiceNamespace="ecs")["ScheduledActions"]
    expect(problems, len(actions) == (2 if schedule else 0), f"{len(actions)} scheduled actions")
    topic = f"arn:aws:sns:{region}:123456789012:{app}-alerts"
    for name in ("alb-5xx", "alb-latency", "memory-high", "db-cpu", "db-connections"):
        expect(problems, alarms.get(f"{app}-{name}", {}).get("AlarmActions") == [topic], f"alarm {app}-{name} does not notify {topic}")
    bucket = f"{app}-frontend-123456789012"
    dists = c("cloudfront").list_distributions()["DistributionList"].get("Items", [])
    origins = [d["Origins"]["Items"][0]["DomainName"] for d in dists]
    expect(problems, origins == [f"{bucket}.s3.{region}.amazonaws.com"], f"CloudFront origins {origins}")
    policy = json.loads(c("s3").get_bucket_policy(Bucket=bucket)["Policy"])
    expect(problems, policy["Statement"][0]["Condition"]["StringEquals"]["AWS:SourceArn"].endswith(dists[0]["Id"]), "bucket policy names the distribution")
    ssm = c("ssm")
    rds = c("rds").describe_db_instances(DBInstanceIdentifier=f"{app}-db")["DBInstances"][0]
    # The password: the `password` key of the secret RDS manages, which the execution role may read.
    secret_arn = rds["MasterUserSecret"]["SecretArn"]
    secrets = {x["name"]: x["valueFrom"] for x in container.get("secrets", [])}
    expect(problems, secrets.get("PGPASSWORD") == secret_arn + ":password::", f"PGPASSWORD from {secrets.get('PGPASSWORD')!r}, not {secret_arn}")
    role_policy = c("iam").get_role_policy(RoleName=f"{app}-ecs-execution", PolicyName="read-app-parameters")["PolicyDocument"]
    role_policy = json.loads(role_policy) if isinstance(role_policy, str) else role_policy
    expect(problems, any(st.get("Resource") == secret_arn and st.get("Action") == ["secretsmanager:GetSecretValue"] for st in role_policy["Statement"]),
           f"execution role cannot read the secret: {role_policy}")
    engine = s["cache"].get("engine", "redis")
    ec = c("elasticache")
    if s["cache"]["cluster_mode"] or s["cache"]["replicas_per_shard"] > 0:
        got = ec.describe_replication_groups(ReplicationGroupId=f"{app}-cache")["ReplicationGroups"][0].get("Engine")
    else:
        got = ec.describe_cache_clusters(CacheClusterId=f"{app}-cache")["CacheClusters"][0].get("Engine")
    expect(problems, got == engine, f"cache engine {got!r}, planned {engine!r}")
    for name in ("DATABASE_URL", "DATABASE_READ_URL", "REDIS_URL"):
        p = ssm.get_parameter(Name=f"/{app}/{name}", WithDecryption=True)["Parameter"]
        expect(problems, p["Type"] == "SecureString", f"{name} is {p['Type']}")
        if name == "DATABASE_URL":
            host = rds["Endpoint"]["Address"]
            # No password in the URL: the tasks read it as PGPASSWORD from the managed secret.
            expect(problems, p["Value"] == f"postgresql://bridge_admin@{host}:5432/{s['deploy']['db_name']}?sslmode=verify-full",
                   f"DATABASE_URL {p['Value']!r}")
        if name == "REDIS_URL":
            expect(problems, re.fullmatch(r"rediss?://[^:]+:6379", p["Value"]) is not None, f"REDIS_URL {p['Value']!r}")
    expect(problems, rds["DBInstanceClass"] == s["database"]["class"] and rds["MultiAZ"] == s["database"]["multi_az"], "RDS class / Multi-AZ")
    replicas = [d for d in c("rds").describe_db_instances()["DBInstances"] if d.get("ReadReplicaSourceDBInstanceIdentifier")]
    expect(problems, len(replicas) == s["database"]["read_replicas"], f"{len(replicas)} read replicas")
    budget = c("budgets").describe_budget(AccountId="123456789012", BudgetName=f"{app}-monthly")["Budget"]
    expect(problems, float(budget["BudgetLimit"]["Amount"]) > 0, "budget amount")


def call_input(calls, service, operation, flag):
    """The value of `flag` in the script's first `aws SERVICE OPERATION` call."""
    for call in calls:
        if call[:2] == [service, operation] and flag in call:
            return call[call.index(flag) + 1]
    return None


def requested(calls, c, s, problems):
    """What moto accepts but does not keep, read from the calls the script made: the service's
    capacity provider strategy and the distribution's origin access control (MOTO_GAPS)."""
    app = s["deploy"]["app_name"]
    service = json.loads(call_input(calls, "ecs", "create-service", "--cli-input-json") or "{}")
    if s["backend"]["launch_type"] == "ec2":
        strategy = [x["capacityProvider"] for x in service.get("capacityProviderStrategy", [])]
        expect(problems, strategy == [f"{app}-ec2"] and "launchType" not in service, f"service capacity providers {strategy}")
    else:
        expect(problems, "capacityProviderStrategy" in service or service.get("launchType") == "FARGATE", "Fargate service without launch type")
    if s["backend"]["launch_type"] == "ec2":
        # The launch template data deploy.sh builds with jq, by the EC2 API model (enums too).
        from botocore.session import get_session
        from botocore.validate import ParamValidator
        shape = get_session().get_service_model("ec2").operation_model("CreateLaunchTemplate").input_shape
        data = json.loads(call_input(calls, "ec2", "create-launch-template", "--launch-template-data") or "{}")
        report = ParamValidator().validate({"LaunchTemplateName": f"{app}-ecs", "LaunchTemplateData": data}, shape)
        expect(problems, not report.has_errors(), f"launch template data: {report.generate_report()}")
        ebs = data.get("BlockDeviceMappings", [{}])[0].get("Ebs", {})
        expect(problems, ebs.get("VolumeType") in shape.members["LaunchTemplateData"].members["BlockDeviceMappings"].member
               .members["Ebs"].members["VolumeType"].enum and ebs.get("VolumeSize", 0) >= 30, f"root volume {ebs}")
    dist = json.loads(call_input(calls, "cloudfront", "create-distribution", "--distribution-config") or "{}")
    oac = c("cloudfront").list_origin_access_controls()["OriginAccessControlList"]["Items"][0]["Id"]
    expect(problems, dist.get("Origins", {}).get("Items", [{}])[0].get("OriginAccessControlId") == oac, "distribution's OAC")


def cache_engine_switch(calls, c, s, switch_engine, problems):
    """The second run's cache: switched from Redis OSS to Valkey in place when the plan moved a
    replication group to Valkey (engine, version 8.0 and the Valkey parameter group), and not
    touched when the engine did not change."""
    app = s["deploy"]["app_name"]
    modify = [call for call in calls if call[:2] == ["elasticache", "modify-replication-group"]]
    if not switch_engine:
        expect(problems, not modify, f"re-run with the same engine modified the cache: {modify}")
        return
    group = c("elasticache").describe_replication_groups(ReplicationGroupId=f"{app}-cache")["ReplicationGroups"][0]
    expect(problems, group.get("Engine") == "valkey", f"cache engine after the switch {group.get('Engine')!r}")
    family = "default.valkey8.cluster.on" if s["cache"]["cluster_mode"] else "default.valkey8"
    wanted = ["--engine", "valkey", "--engine-version", "8.0", "--cache-parameter-group-name", family, "--apply-immediately"]
    expect(problems, len(modify) == 1 and all(w in modify[0] for w in wanted), f"engine switch calls {modify}")


def expect(problems, ok, message):
    if not ok:
        problems.append(message)


# ---- One scenario ---------------------------------------------------------------------------------

def run_script(work, env, script, args, log_name):
    env = dict(env, AWS_CALL_LOG=os.path.join(work, f"{log_name}.calls"), AWS_FORKSERVER_CPU_LOG=os.path.join(work, f"{log_name}.cpu"))
    start = time.time()
    r = subprocess.run(["bash", os.path.join(work, "out", script), *args], env=env, cwd=work,
                       capture_output=True, text=True, timeout=900)
    seconds = time.time() - start
    log = open(env["AWS_CALL_LOG"]).read() if os.path.exists(env["AWS_CALL_LOG"]) else ""
    calls = [record.split("\037")[1:] for record in log.split("\036") if record]
    if os.path.exists(env["AWS_FORKSERVER_CPU_LOG"]):
        CPU_SECONDS.append(sum(float(x) for x in open(env["AWS_FORKSERVER_CPU_LOG"]).read().split()))
    return r, seconds, calls


CPU_SECONDS = []  # CPU time of the forked aws calls (the forkserver's children are not ours to count)


def run_scenario(name, s, root, forkserver):
    work = os.path.join(root, name)
    os.makedirs(work)
    problems, timings, counts = [], {}, {}
    # A planned Valkey replication group is first deployed as Redis OSS: the second run must switch
    # it in place (ModifyReplicationGroup); a single node or an unchanged engine is left alone.
    replication_group = s["cache"]["cluster_mode"] or s["cache"]["replicas_per_shard"] > 0
    switch_engine = replication_group and s["cache"].get("engine") == "valkey"
    planned_first = json.loads(json.dumps(s))
    if switch_engine:
        planned_first["cache"]["engine"] = "redis"

    def export(scenario, label):
        path = os.path.join(work, f"scenario-{label}.json")
        json.dump(scenario, open(path, "w"))
        r = subprocess.run([CLI, "export", "--scenario", path, "--out", os.path.join(work, "out")], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"export {label} exited {r.returncode}: {r.stderr[-2000:]}")

    export(planned_first, "1")
    bindir = tools(work, forkserver)
    os.makedirs(os.path.join(work, "backend"))
    open(os.path.join(work, "backend", "package.json"), "w").write("{}")
    os.makedirs(os.path.join(work, "dist"))
    open(os.path.join(work, "dist", "index.html"), "w").write("<!doctype html><title>app</title>")
    moto = Moto(os.path.join(work, "moto.log"))
    try:
        region = s["region"]
        c = clients(moto.url, region)
        subnets = [x["SubnetId"] for x in sorted(c("ec2").describe_subnets()["Subnets"], key=lambda x: x["AvailabilityZone"])]
        vpc = c("ec2").describe_vpcs()["Vpcs"][0]["VpcId"]
        env = {"PATH": f"{bindir}:/usr/local/bin:/usr/bin:/bin", "HOME": work, "MOTO_URL": moto.url,
               "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_CONFIG_FILE": os.path.join(work, "aws-config"), "AWS_SHARED_CREDENTIALS_FILE": os.path.join(work, "aws-credentials"),
               "DOCKER_CALL_LOG": os.path.join(work, "docker.calls"), "LANG": "C.UTF-8"}
        # Missing inputs: one line naming what to set, before anything is created.
        for drop, expected in (("VPC_ID", "set VPC_ID"), ("PUBLIC_SUBNETS", "set PUBLIC_SUBNETS"), ("BACKEND_DIR", "set BACKEND_DIR")):
            inputs = {"VPC_ID": vpc, "PUBLIC_SUBNETS": ",".join(subnets[:2]), "PRIVATE_SUBNETS": ",".join(subnets[2:4]),
                      "BACKEND_DIR": os.path.join(work, "backend")}
            inputs[drop] = "" if drop != "BACKEND_DIR" else os.path.join(work, "no-such-dir")
            r, _, calls = run_script(work, dict(env, **inputs), "deploy.sh", [], f"missing-{drop}")
            lines = r.stderr.strip().splitlines()
            expect(problems, r.returncode != 0 and len(lines) == 1 and lines[0].startswith(f"deploy.sh: {expected}") and not calls,
                   f"missing {drop}: exit {r.returncode}, {len(calls)} aws calls, stderr {r.stderr.strip()!r}")
        env.update(VPC_ID=vpc, PUBLIC_SUBNETS=",".join(subnets[:2]), PRIVATE_SUBNETS=",".join(subnets[2:4]),
                   BACKEND_DIR=os.path.join(work, "backend"), FRONTEND_DIST=os.path.join(work, "dist"),
                   SKIP_SERVICE_STABLE_WAIT="1")
        if name.endswith("schedule"):
            env["ALERT_EMAIL"] = "ops@example.com"
        inventories = []
        for run in ("deploy-1", "deploy-2"):
            if run == "deploy-2" and switch_engine:
                export(s, "2")
            r, timings[run], calls = run_script(work, env, "deploy.sh", [], run)
            counts[run] = len(calls)
            if r.returncode != 0:
                problems.append(f"{run} exited {r.returncode}:\n{r.stderr[-3000:]}")
                return problems, timings, counts
            if any(SECRET in arg or "P%4055w0rd" in arg for call in calls for arg in call):
                problems.append(f"{run}: the database password appears in an aws command line")
            inventories.append(inventory(c, s))
            if run == "deploy-1":
                references(c, planned_first, region, problems)
                requested(calls, c, planned_first, problems)
            else:
                cache_engine_switch(calls, c, s, switch_engine, problems)
        first, second = inventories
        expect(problems, second["task_definition_revisions"] == first["task_definition_revisions"] + 1,
               f"task definition revisions {first['task_definition_revisions']} -> {second['task_definition_revisions']}")
        for key in first:
            if key != "task_definition_revisions" and first[key] != second[key]:
                problems.append(f"second deploy changed {key}: {first[key]} -> {second[key]}")
        for key in ("services", "load_balancers", "target_groups", "db_instances", "repositories", "distributions", "parameters", "alarms", "budgets"):
            expect(problems, first[key], f"deploy created no {key}")
        if switch_engine:
            # ElastiCache has no way from Valkey back to Redis OSS: the Redis export stops at the
            # cache with a message naming both engines, and leaves the Valkey cache as it is.
            export(planned_first, "3")
            r, _, calls = run_script(work, env, "deploy.sh", [], "deploy-back-to-redis")
            expect(problems, r.returncode != 0 and "runs valkey but the plan says redis" in r.stderr
                   and not any(call[:2] == ["elasticache", "modify-replication-group"] for call in calls),
                   f"valkey -> redis: exit {r.returncode}, stderr {r.stderr[-500:]!r}")
            export(s, "2")
        docker = open(env["DOCKER_CALL_LOG"]).read().splitlines()
        platform = "linux/arm64" if s["backend"]["arch"] == "arm" and s["backend"]["launch_type"] != "ec2" else "linux/amd64"
        expect(problems, [d.split()[0] for d in docker] == ["login", "build", "push"] * 2 and f"--platform {platform}" in docker[1],
               f"docker calls {docker}")
        # Every run builds from the exported Dockerfile, so a changed plan (cluster mode, the CA
        # bundle) reaches the image even when BACKEND_DIR has a Dockerfile of its own.
        dockerfile = os.path.join(work, "out", "Dockerfile")
        expect(problems, all(f" -f {dockerfile} " in d for d in docker if d.startswith("build ")),
               f"docker build not from {dockerfile}: {docker}")
        r, timings["teardown"], calls = run_script(work, dict(env, SKIP_CACHE_DELETE_WAIT="1"), "teardown.sh", ["--yes", "--delete-database"], "teardown")
        counts["teardown"] = len(calls)
        if r.returncode != 0:
            problems.append(f"teardown exited {r.returncode}:\n{r.stderr[-3000:]}")
            return problems, timings, counts
        after = inventory(c, s)
        # moto gaps (MOTO_GAPS): a cache that stays "deleting" keeps its subnet group, and
        # deregistering a scalable target does not delete its policies and scheduled actions as
        # AWS does ("Deregistering a scalable target deletes the scaling policies and the
        # scheduled actions that are associated with it", DeregisterScalableTarget).
        deleting = [x for x in c("elasticache").describe_cache_clusters()["CacheClusters"]] + c("elasticache").describe_replication_groups()["ReplicationGroups"]
        if deleting:
            after["cache_subnet_groups"] = [g for g in after["cache_subnet_groups"] if g != f"{s['deploy']['app_name']}-cache-subnets"]
        if not after["scalable_targets"]:
            after["scaling_policies"] = after["scheduled_actions"] = []
        left = {k: v for k, v in after.items() if v and k != "task_definition_revisions"}
        # The final snapshot is kept on purpose; nothing else may remain.
        expect(problems, not left, f"teardown left {left}")
        expect(problems, after["task_definition_revisions"] == 0, "task definitions still registered")
        snapshots = c("rds").describe_db_snapshots()["DBSnapshots"]
        expect(problems, [x["DBSnapshotIdentifier"].startswith(f"{s['deploy']['app_name']}-db-final-") for x in snapshots] == [True],
               f"final snapshots {[x['DBSnapshotIdentifier'] for x in snapshots]}")
    except Exception:
        problems.append(traceback.format_exc())
    finally:
        moto.stop()
    return problems, timings, counts


def main():
    for tool in ("moto_server", "aws"):
        if not os.path.exists(os.path.join(BIN, tool)):
            print(f"moto_deploy: {tool} missing in {BIN}: pip install -r scripts/requirements.txt")
            print("moto: 0 passed, 1 failed")
            return 1
    signal.signal(signal.SIGTERM, stop_everything)
    signal.signal(signal.SIGINT, stop_everything)
    root = tempfile.mkdtemp(prefix="moto-deploy-")
    passed = failed = 0
    start = time.time()
    print("moto gaps worked around:\n  " + "\n  ".join(MOTO_GAPS))
    forkserver = None if PLAIN_CLI else ForkServer(root)
    try:
        failed, passed = run_all(root, forkserver)
    finally:
        if forkserver:
            forkserver.stop()
    import resource
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"total {time.time() - start:.0f} s with {PARALLEL} servers at once; CPU: scripts, plain aws and moto "
          f"{cpu.ru_utime + cpu.ru_stime:.0f} s, forked aws calls {sum(CPU_SECONDS):.0f} s")
    if failed == 0:
        shutil.rmtree(root, ignore_errors=True)
    else:
        print(f"work files kept in {root}")
    print(f"moto: {passed} passed, {failed} failed")
    return 1 if failed else 0


def run_all(root, forkserver):
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        only = re.compile(os.environ.get("MOTO_ONLY", ""))
        jobs = {pool.submit(run_scenario, name, s, root, forkserver): name for name, s in scenarios() if only.search(name)}
        for job in concurrent.futures.as_completed(jobs):
            name = jobs[job]
            problems, timings, counts = job.result()
            stats = ", ".join(f"{k} {timings[k]:.0f} s/{counts.get(k, 0)} calls" for k in timings)
            if problems:
                failed += 1
                print(f"FAIL {name} ({stats}):\n  " + "\n  ".join(problems), flush=True)
            else:
                passed += 1
                print(f"ok   {name} ({stats})", flush=True)
    return failed, passed


if __name__ == "__main__":
    sys.exit(main())
