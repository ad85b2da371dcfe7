#!/usr/bin/env python3
"""Checks stack.yaml, the whole deployment as one CloudFormation template:

1. cfn-lint (AWS's linter) reports no error and no warning on the template of each preset and of
   seeded random scenarios (EC2 launch type, cluster-mode cache, replicas, Spot, scheduled
   scaling, other regions), each linted for the region it was planned for; a broken template is
   rejected, so the check can fail.
2. The template of each preset (and of the random scenarios) creates a stack in moto's mock AWS
   (server mode on 127.0.0.1, a free port, stopped by its PID) that reaches CREATE_COMPLETE.
   moto's CloudFormation does not implement some resource types (MOTO_CFN_LACKS, checked to be
   exactly the ones it skips, so the list cannot go stale); those resources are created through
   moto's service APIs from the template's own properties, references resolved, so they are
   checked too. Then what was created must refer to itself: the service's target group (type ip,
   the container's port), the task definition (the values of taskdef.json), the scalable target
   (the service), the alarms (the policies' ARNs), the distribution (the bucket, cloudfront-config.json),
   the bucket policy (the distribution).

Usage: stack_check.py PATH_TO_scaling-plan [N_RANDOM]   (prints 'N passed, N failed')
"""
import base64, json, shutil, traceback, os, random, socket, subprocess, sys, tempfile, time, urllib.request
import boto3, yaml

CLI = sys.argv[1]
N_RANDOM = int(sys.argv[2]) if len(sys.argv) > 2 else 6
BIN = os.path.dirname(sys.executable)
CFN_LINT = os.path.join(BIN, "cfn-lint")

# Resource types moto's CloudFormation skips (moto 5.2.5). They are created through moto's
# service APIs below instead (create_* from the template's properties).
MOTO_CFN_LACKS = {
    "AWS::ElastiCache::SubnetGroup", "AWS::ElastiCache::ReplicationGroup", "AWS::ElastiCache::CacheCluster",
    "AWS::ApplicationAutoScaling::ScalableTarget", "AWS::ApplicationAutoScaling::ScalingPolicy",
    "AWS::CloudWatch::Alarm", "AWS::S3::BucketPolicy", "AWS::CloudFront::OriginAccessControl",
    "AWS::CloudFront::Distribution", "AWS::Budgets::Budget", "AWS::SNS::Subscription",
    "AWS::ECS::CapacityProvider", "AWS::ECS::ClusterCapacityProviderAssociations",
}
# Attributes moto's CloudFormation does not know (its create_stack rejects the template). The
# outputs that use them, or resources of MOTO_CFN_LACKS, are left out of the template given to moto
# (its output validation crashes on them) and resolved by this script instead.
MOTO_CFN_LACKS_ATTRIBUTES = {("AWS::RDS::DBInstance", "MasterUserSecret.SecretArn")}
# Where a resource's property reads such an attribute (the task definition's PGPASSWORD secret,
# the execution role's permission to read it), moto's copy gets a placeholder string; the task
# definition is registered again with the real value (MOTO_CFN_PARTIAL) and compared.
MOTO_PLACEHOLDER = "moto-cfn-lacks-this-attribute"

# Properties moto's CloudFormation ignores, applied here through the service API from the
# template's own values (so moto's API still checks them), then read back:
#   * an RDS instance's ManageMasterUserPassword (moto creates no secret from the template):
#     turned on with modify-db-instance, which makes the secret RDS would;
#   * a target group's TargetGroupAttributes: set with modify-target-group-attributes.
MOTO_CFN_IGNORES = {("AWS::RDS::DBInstance", "ManageMasterUserPassword"),
                    ("AWS::ElasticLoadBalancingV2::TargetGroup", "TargetGroupAttributes")}

# Resource types moto's CloudFormation creates from only some of their properties: the
# task definition from Family, ContainerDefinitions, Volumes and Memory; the service from
# Cluster, TaskDefinition and DesiredCount (no load balancer, network or capacity providers).
# The script registers them again through moto's ECS API from all of the template's properties.
MOTO_CFN_PARTIAL = {"AWS::ECS::TaskDefinition", "AWS::ECS::Service"}

# Fields of create-service that moto's ECS accepts but does not return from describe-services.
MOTO_DESCRIBE_SERVICES_LACKS = {"healthCheckGracePeriodSeconds", "deploymentConfiguration", "enableECSManagedTags", "capacityProviderStrategy"}

FARGATE = {256: [512, 1024, 2048], 512: list(range(1024, 4097, 1024)), 1024: list(range(2048, 8193, 1024)),
           2048: list(range(4096, 16385, 1024)), 4096: list(range(8192, 30721, 1024))}


def scenario(tier):
    out = subprocess.run([CLI, "scenario", "--tier", tier], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def randomize(rng, s, i):
    """A random scenario; index i forces one feature each so that every one is covered."""
    b = s["backend"]
    b["task_cpu"], b["task_memory_mib"] = rng.choice([(c, m) for c, ms in FARGATE.items() for m in ms])
    b["arch"] = rng.choice(["x86", "arm"])
    lo = rng.randint(1, 6)
    b["tasks_min"], b["tasks_max"] = lo, rng.randint(lo + 1, 40)
    b["tasks_average"] = rng.randint(lo, b["tasks_max"])
    b["spot_share"] = rng.choice([0, 0.25, 0.5])
    b["scaling_policy"] = rng.choice(["step", "target_tracking"])
    b["container_port"] = rng.choice([80, 3000, 8080])
    b["ephemeral_storage_gib"] = rng.choice([20, 21, 50])
    s["database"]["class"] = rng.choice(["db.t3.micro", "db.t4g.small", "db.r5.large", "db.m5.xlarge"])
    s["database"]["read_replicas"] = rng.randint(0, 3)
    s["database"]["multi_az"] = rng.random() < 0.5
    s["cache"]["cluster_mode"] = rng.random() < 0.5
    s["cache"]["shards"] = rng.randint(1, 4) if s["cache"]["cluster_mode"] else 1
    s["cache"]["replicas_per_shard"] = rng.randint(0, 2)
    s["network"]["layout"] = rng.choice(["public", "private_nat", "vpc_endpoints"])
    s["alb"]["routing"] = rng.choice(["round_robin", "least_outstanding_requests", "weighted_random"])
    s["cache"]["engine"] = rng.choice(["redis", "valkey"])
    b["node_cluster"] = rng.random() < 0.5
    s["region"] = rng.choice(["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1", "us-west-2"])
    s["deploy"]["app_name"] = rng.choice(["bridge", "acme-api", "x1", "shop-prod-2"])
    s["name"] = rng.choice(["Plan A", "quote \" and $(rm -rf) `tick`", "newline\nname: x", "ünïcode"])
    if i % 3 == 1:  # characters YAML 1.1 readers take as line breaks, or refuse
        s["name"] = "yaml 1.1 breaks\u2028Transform: AWS::Include\u2029\u0085x\ufffe"
    elif i % 3 == 2:  # Sub syntax in free text, the documentation account in a health path
        s["name"] = "${AWS::AccountId} ${!Literal} $${x}"
        s["deploy"]["health_check_path"] = "/111122223333"
    forced = i % 6
    if forced == 0:  # the EC2 fleet
        b["launch_type"], b["ec2_instance"], b["ec2_count"], b["spot_share"] = "ec2", rng.choice(["t3.small", "t3.large", "t3.xlarge"]), rng.randint(1, 6), 0
    elif forced == 1:  # cluster-mode cache with replicas
        s["cache"].update(cluster_mode=True, shards=rng.randint(2, 4), replicas_per_shard=rng.randint(1, 2))
    elif forced == 2:  # read replicas, Multi-AZ
        s["database"].update(read_replicas=3, multi_az=True)
    elif forced == 3:  # Spot
        b["spot_share"] = rng.choice([0.5, 1.0])
    elif forced == 4:  # scheduled scaling
        frm = rng.randint(0, 20)
        s["simulation"]["schedule"] = {"from_hour": frm, "to_hour": rng.randint(frm + 1, 24), "min_tasks": rng.randint(lo, b["tasks_max"])}
    else:  # a region other than us-east-1, public subnets
        s["region"], s["network"]["layout"] = rng.choice(["eu-west-1", "ap-southeast-2", "sa-east-1"]), "public"
    if b["spot_share"] > 0:
        b["arch"] = "x86"  # Fargate Spot runs x86_64 only: the planner refuses ARM + Spot
    return s


def export(args, d):
    subprocess.run([CLI, "export", *args, "--out", d], check=True, capture_output=True)


# ---- 1. cfn-lint ---------------------------------------------------------------------------------
def lint(paths_by_region):
    """cfn-lint per region; returns its findings (errors and warnings; informational ones are off)."""
    problems = []
    for region, paths in paths_by_region.items():
        r = subprocess.run([CFN_LINT, "--format", "parseable", "--regions", region, "--", *paths], capture_output=True, text=True)
        if r.returncode != 0 or r.stdout.strip():
            problems.append(f"cfn-lint ({region}) exit {r.returncode}:\n{r.stdout}{r.stderr}")
    return problems


def lint_rule_counts():
    out = subprocess.run([CFN_LINT, "--list-rules"], capture_output=True, text=True).stdout
    ids = {line.split(":")[0].strip() for line in out.splitlines() if line[:1] in "EWI" and line[1:5].isdigit()}
    return {k: sum(1 for i in ids if i[0] == k) for k in "EWI"}


def check_script(d):
    """deploy-stack.sh: shellcheck clean, and with no inputs it names what to set and calls
    nothing (aws, jq and docker are stubs that record their calls)."""
    problems = []
    script = os.path.join(d, "deploy-stack.sh")
    r = subprocess.run([os.path.join(BIN, "shellcheck"), "-S", "style", script], capture_output=True, text=True)
    if r.returncode != 0:
        problems.append(f"shellcheck deploy-stack.sh:\n{r.stdout}")
    with tempfile.TemporaryDirectory() as stubs:
        calls = os.path.join(stubs, "calls")
        for tool in ("aws", "jq", "docker"):
            path = os.path.join(stubs, tool)
            open(path, "w").write(f'#!/bin/sh\necho "{tool} $*" >> "{calls}"\n')
            os.chmod(path, 0o755)
        env = {"PATH": f"{stubs}:/usr/bin:/bin", "HOME": stubs}
        r = subprocess.run(["bash", script], capture_output=True, text=True, env=env, cwd=stubs)
        if r.returncode == 0 or "set VPC_ID" not in r.stderr or os.path.exists(calls):
            problems.append(f"deploy-stack.sh without inputs: exit {r.returncode}, {r.stderr.strip()!r}")
        env.update(VPC_ID="vpc-1", PUBLIC_SUBNETS="subnet-a,subnet-b", PRIVATE_SUBNETS="subnet-c,subnet-d", BACKEND_DIR="/nonexistent")
        r = subprocess.run(["bash", script], capture_output=True, text=True, env=env, cwd=stubs)
        if r.returncode == 0 or "set BACKEND_DIR" not in r.stderr or os.path.exists(calls):
            problems.append(f"deploy-stack.sh without a backend: exit {r.returncode}, {r.stderr.strip()!r}")
    return problems


# ---- 2. the mock ---------------------------------------------------------------------------------
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Moto:
    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([os.path.join(BIN, "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(100):
            try:
                urllib.request.urlopen(self.url + "/moto-api/", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("moto_server did not start")

    def reset(self):
        urllib.request.urlopen(urllib.request.Request(self.url + "/moto-api/reset", method="POST"), timeout=10)

    def client(self, service, region):
        return boto3.client(service, endpoint_url=self.url, region_name=region,
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def references(v):
    """Logical IDs a value refers to (Ref, GetAtt, ${X} and ${X.Attr} in Sub)."""
    if isinstance(v, dict):
        if "Ref" in v:
            return {v["Ref"]}
        if "Fn::GetAtt" in v:
            return {v["Fn::GetAtt"][0]}
        if "Fn::Sub" in v:
            text = v["Fn::Sub"]
            out, i = set(), 0
            while (i := text.find("${", i)) >= 0:
                j = text.index("}", i)
                if text[i + 2] != "!":
                    out.add(text[i + 2:j].split(".")[0])
                i = j
            return out
        return set().union(*map(references, v.values())) if v else set()
    if isinstance(v, list):
        return set().union(*map(references, v)) if v else set()
    return set()


def gets(v):
    """(resource, attribute) pairs a value reads with GetAtt or ${X.Attr}."""
    if isinstance(v, dict):
        if "Fn::GetAtt" in v:
            return {tuple(v["Fn::GetAtt"])}
        if "Fn::Sub" in v:
            parts = [p.split("}")[0] for p in v["Fn::Sub"].split("${")[1:]]
            return {tuple(p.split(".", 1)) for p in parts if "." in p and not p.startswith("!")}
        return set().union(*map(gets, v.values())) if v else set()
    if isinstance(v, list):
        return set().union(*map(gets, v)) if v else set()
    return set()


def for_moto(template):
    """The template minus the outputs moto's CloudFormation cannot evaluate (see MOTO_CFN_LACKS*)."""
    t = json.loads(json.dumps(template))
    res = t["Resources"]
    dropped = []
    for key, out in list(t["Outputs"].items()):
        lacking = [r for r in references(out["Value"]) if r in res and res[r]["Type"] in MOTO_CFN_LACKS]
        lacking += [f"{r}.{a}" for r, a in gets(out["Value"]) if r in res and (res[r]["Type"], a) in MOTO_CFN_LACKS_ATTRIBUTES]
        if lacking:
            dropped.append(key)
            del t["Outputs"][key]

    def placeholder(v):
        if isinstance(v, dict):
            if any(r in res and (res[r]["Type"], a) in MOTO_CFN_LACKS_ATTRIBUTES for r, a in gets(v)) and \
                    ("Fn::GetAtt" in v or "Fn::Sub" in v):
                return MOTO_PLACEHOLDER
            return {k: placeholder(x) for k, x in v.items()}
        if isinstance(v, list):
            return [placeholder(x) for x in v]
        return v
    for r in res.values():
        if "Properties" in r:
            r["Properties"] = placeholder(r["Properties"])
    return t, dropped


class Resolver:
    """Evaluates intrinsic functions against the mock: parameters, conditions, physical IDs."""

    def __init__(self, template, params, moto, region, physical):
        self.t, self.params, self.moto, self.region, self.physical = template, params, moto, region, physical
        self.account = moto.client("sts", region).get_caller_identity()["Account"]
        self.conditions = {k: self.value(v) for k, v in template.get("Conditions", {}).items()}

    def ref(self, name):
        if name == "AWS::AccountId":
            return self.account
        if name == "AWS::Region":
            return self.region
        if name in ("AWS::Partition",):
            return "aws"
        if name == "AWS::NoValue":
            return None
        if name in self.params:
            p = self.params[name]
            return p.split(",") if self.t["Parameters"][name]["Type"].startswith(("List<", "CommaDelimitedList")) else p
        if name in self.t["Parameters"]:
            return self.t["Parameters"][name].get("Default")
        return self.physical[name]  # KeyError: not created yet

    def att(self, res, attr):
        kind = self.t["Resources"][res]["Type"]
        pid = self.physical[res]
        c = lambda s: self.moto.client(s, self.region)
        if attr == "GroupId":
            return pid
        if kind == "AWS::IAM::Role" and attr == "Arn":
            return c("iam").get_role(RoleName=pid)["Role"]["Arn"]
        if attr == "LoadBalancerFullName":
            return pid.split(":loadbalancer/")[1]
        if attr == "RegionalDomainName":
            return f"{pid}.s3.{self.region}.amazonaws.com"
        if kind == "AWS::S3::Bucket" and attr == "Arn":
            return f"arn:aws:s3:::{pid}"
        if attr == "RepositoryUri":
            return c("ecr").describe_repositories(repositoryNames=[pid])["repositories"][0]["repositoryUri"]
        if attr == "Endpoint.Address":
            return c("rds").describe_db_instances(DBInstanceIdentifier=pid)["DBInstances"][0]["Endpoint"]["Address"]
        if attr == "MasterUserSecret.SecretArn":
            return c("rds").describe_db_instances(DBInstanceIdentifier=pid)["DBInstances"][0]["MasterUserSecret"]["SecretArn"]
        if attr in ("Id",):
            return pid
        raise KeyError(f"{res}.{attr}")

    def value(self, v):
        if isinstance(v, list):
            return [x for x in (self.value(i) for i in v) if x is not None]
        if not isinstance(v, dict):
            return v
        if "Ref" in v:
            return self.ref(v["Ref"])
        if "Fn::GetAtt" in v:
            return self.att(*v["Fn::GetAtt"])
        if "Fn::Sub" in v:
            text, out = v["Fn::Sub"], ""
            while "${" in text:
                pre, rest = text.split("${", 1)
                name, text = rest.split("}", 1)
                out += pre + ("${" + name[1:] + "}" if name.startswith("!") else
                              str(self.att(*name.split(".", 1)) if "." in name else self.ref(name)))
            return out + text
        if "Fn::If" in v:
            cond, yes, no = v["Fn::If"]
            return self.value(yes if self.conditions[cond] else no)
        if "Fn::Equals" in v:
            a, b = (self.value(x) for x in v["Fn::Equals"])
            return a == b
        if "Fn::Not" in v:
            return not self.value(v["Fn::Not"][0])
        if "Fn::Join" in v:
            sep, items = v["Fn::Join"]
            return sep.join(self.value(items))
        if "Fn::Base64" in v:
            return base64.b64encode(self.value(v["Fn::Base64"]).encode()).decode()
        return {k: x for k, x in ((k, self.value(x)) for k, x in v.items()) if x is not None}


def api_distribution_config(cfn):
    """CloudFormation's DistributionConfig back in CreateDistribution's shape."""
    items = lambda xs: {"Quantity": len(xs), "Items": xs}
    d = json.loads(json.dumps(cfn))
    d["Origins"] = items(d["Origins"])
    d["IsIPV6Enabled"] = d.pop("IPV6Enabled")
    b = d["DefaultCacheBehavior"]
    b["AllowedMethods"] = dict(items(b["AllowedMethods"]), CachedMethods=items(b.pop("CachedMethods")))
    for e in d["CustomErrorResponses"]:
        e["ResponseCode"] = str(e["ResponseCode"])
    d["CustomErrorResponses"] = items(d["CustomErrorResponses"])
    return d


def create_lacking(kind, p, moto, region, r, app_dir):
    """Creates one resource moto's CloudFormation skips through moto's API; returns its physical ID
    (what Ref returns)."""
    c = lambda s: moto.client(s, region)
    if kind == "AWS::ElastiCache::SubnetGroup":
        c("elasticache").create_cache_subnet_group(CacheSubnetGroupName=p["CacheSubnetGroupName"],
                                                   CacheSubnetGroupDescription=p["Description"], SubnetIds=p["SubnetIds"])
        return p["CacheSubnetGroupName"]
    if kind == "AWS::ElastiCache::ReplicationGroup":
        return c("elasticache").create_replication_group(**p)["ReplicationGroup"]["ReplicationGroupId"]
    if kind == "AWS::ElastiCache::CacheCluster":
        args = dict(p, CacheClusterId=p.pop("ClusterName"), SecurityGroupIds=p.pop("VpcSecurityGroupIds"))
        return c("elasticache").create_cache_cluster(**args)["CacheCluster"]["CacheClusterId"]
    if kind == "AWS::ApplicationAutoScaling::ScalableTarget":
        actions = p.pop("ScheduledActions", [])
        aas = c("application-autoscaling")
        aas.register_scalable_target(**p)
        for a in actions:
            aas.put_scheduled_action(ServiceNamespace=p["ServiceNamespace"], ResourceId=p["ResourceId"],
                                     ScalableDimension=p["ScalableDimension"], **a)
        return p["ResourceId"]
    if kind == "AWS::ApplicationAutoScaling::ScalingPolicy":
        return c("application-autoscaling").put_scaling_policy(**p)["PolicyARN"]
    if kind == "AWS::CloudWatch::Alarm":
        c("cloudwatch").put_metric_alarm(**p)
        return p["AlarmName"]
    if kind == "AWS::CloudFront::OriginAccessControl":
        return c("cloudfront").create_origin_access_control(**p)["OriginAccessControl"]["Id"]
    if kind == "AWS::CloudFront::Distribution":
        api = api_distribution_config(p["DistributionConfig"])
        check_distribution(api, app_dir)
        api["CallerReference"] = "stack-check"
        return c("cloudfront").create_distribution(DistributionConfig=api)["Distribution"]["Id"]
    if kind == "AWS::S3::BucketPolicy":
        c("s3").put_bucket_policy(Bucket=p["Bucket"], Policy=json.dumps(p["PolicyDocument"]))
        return p["Bucket"]
    if kind == "AWS::Budgets::Budget":
        # CloudFormation's Spend.Amount is a number, the API's a string.
        p["Budget"]["BudgetLimit"]["Amount"] = str(p["Budget"]["BudgetLimit"]["Amount"])
        c("budgets").create_budget(AccountId=r.account, **p)
        return p["Budget"]["BudgetName"]
    if kind == "AWS::SNS::Subscription":
        return c("sns").subscribe(**p)["SubscriptionArn"]
    if kind in ("AWS::ECS::CapacityProvider", "AWS::ECS::ClusterCapacityProviderAssociations"):
        ecs = c("ecs")
        if kind == "AWS::ECS::CapacityProvider":
            name = p.get("Name", "ec2-fleet")
            return ecs.create_capacity_provider(name=name, autoScalingGroupProvider=lower_first(p["AutoScalingGroupProvider"]))["capacityProvider"]["name"]
        ecs.put_cluster_capacity_providers(cluster=p["Cluster"], capacityProviders=p["CapacityProviders"],
                                           defaultCapacityProviderStrategy=lower_first(p["DefaultCapacityProviderStrategy"]))
        return p["Cluster"]
    raise AssertionError(f"no API route for {kind}")


def recreate_partial(kind, props, moto, region, physical):
    """Registers the task definition, or creates the service, again through the ECS API with every
    property of the template (see MOTO_CFN_PARTIAL); returns the new physical ID."""
    ecs = moto.client("ecs", region)
    api = lower_first(props)
    if kind == "AWS::ECS::TaskDefinition":
        return ecs.register_task_definition(**api)["taskDefinition"]["taskDefinitionArn"]
    ecs.delete_service(cluster=api["cluster"], service=api["serviceName"], force=True)
    return ecs.create_service(**api)["service"]["serviceArn"]


def differences(want, got, path="$"):
    """Where `got` does not hold `want` (extra keys in `got`, such as defaults the mock adds, are fine)."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{path}: {got!r} is not an object"]
        return [d for k, v in want.items() for d in differences(v, got.get(k), f"{path}.{k}")]
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return [f"{path}: {got!r} != {want!r}"]
        return [d for i, (w, g) in enumerate(zip(want, got)) for d in differences(w, g, f"{path}[{i}]")]
    return [] if want == got else [f"{path}: {got!r} != {want!r}"]


def lower_first(v):
    if isinstance(v, dict):
        return {k[0].lower() + k[1:]: lower_first(x) for k, x in v.items()}
    if isinstance(v, list):
        return [lower_first(x) for x in v]
    return v


def check_distribution(api, app_dir):
    """The template's distribution is cloudfront-config.json (origin domain and OAC aside)."""
    want = json.load(open(os.path.join(app_dir, "cloudfront-config.json")))
    got = json.loads(json.dumps(api))
    for d in (want, got):
        d.pop("CallerReference", None)
        d["Origins"]["Items"][0].pop("DomainName")
        d["Origins"]["Items"][0].pop("OriginAccessControlId")
    assert got == want, f"distribution differs from cloudfront-config.json:\n{got}\n{want}"


def create_stack(moto, region, template, app_dir, params):
    """Creates the stack in moto, then the resources moto's CloudFormation skips; returns the
    resolver (physical IDs) and a list of problems."""
    cf = moto.client("cloudformation", region)
    body, dropped = for_moto(template)
    name = "stack-check"
    cf.create_stack(StackName=name, TemplateBody=json.dumps(body), Capabilities=["CAPABILITY_NAMED_IAM"],
                    Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in params.items()])
    for _ in range(200):
        stack = cf.describe_stacks(StackName=name)["Stacks"][0]
        if not stack["StackStatus"].endswith("IN_PROGRESS"):
            break
        time.sleep(0.1)
    problems = []
    if stack["StackStatus"] != "CREATE_COMPLETE":
        return None, [f"stack {stack['StackStatus']}: {stack.get('StackStatusReason')}"]
    listed = cf.list_stack_resources(StackName=name)["StackResourceSummaries"]
    physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in listed if r["LogicalResourceId"]}
    r = Resolver(template, params, moto, region, physical)
    wanted = {k: v for k, v in template["Resources"].items() if r.conditions.get(v.get("Condition"), True)}
    apply_ignored(moto, region, wanted, physical)
    skipped = {k for k in wanted if k not in physical}
    wrong = {f"{k} ({wanted[k]['Type']})" for k in skipped if wanted[k]["Type"] not in MOTO_CFN_LACKS}
    stale = {wanted[k]["Type"] for k in wanted if k in physical and wanted[k]["Type"] in MOTO_CFN_LACKS}
    if wrong:
        problems.append(f"not created by the stack: {sorted(wrong)}")
    if stale:
        problems.append(f"moto now creates {sorted(stale)}: take them out of MOTO_CFN_LACKS")
    partial = {k for k in wanted if k in physical and wanted[k]["Type"] in MOTO_CFN_PARTIAL}
    pending = sorted(skipped - {k.split(' ')[0] for k in wrong}) + sorted(partial)
    while pending:
        progressed = False
        for k in list(pending):
            # In dependency order: what it refers to or depends on is complete.
            needs = (references(wanted[k].get("Properties", {})) | set(wanted[k].get("DependsOn", []))) & set(wanted)
            if needs & set(pending):
                continue
            try:
                props = r.value(wanted[k].get("Properties", {}))
            except KeyError:
                continue
            if k in partial:
                physical[k] = recreate_partial(wanted[k]["Type"], props, moto, region, physical)
            else:
                physical[k] = create_lacking(wanted[k]["Type"], props, moto, region, r, app_dir)
            pending.remove(k)
            progressed = True
        if not progressed:
            problems.append(f"could not resolve {pending}")
            break
    if dropped:
        print(f"     (outputs moto cannot evaluate, resolved here instead: {', '.join(dropped)})")
    return r, problems


def apply_ignored(moto, region, wanted, physical):
    """The properties of MOTO_CFN_IGNORES, applied through moto's API from the template."""
    for k, v in wanted.items():
        p = v.get("Properties", {})
        if v["Type"] == "AWS::RDS::DBInstance" and p.get("ManageMasterUserPassword") and k in physical:
            moto.client("rds", region).modify_db_instance(DBInstanceIdentifier=physical[k], ManageMasterUserPassword=True)
        if v["Type"] == "AWS::ElasticLoadBalancingV2::TargetGroup" and p.get("TargetGroupAttributes") and k in physical:
            moto.client("elbv2", region).modify_target_group_attributes(TargetGroupArn=physical[k], Attributes=p["TargetGroupAttributes"])


def check_created(moto, region, r, app_dir, launched):
    """What was created refers correctly to itself."""
    problems = []
    c = lambda s: moto.client(s, region)
    p = lambda k: r.t["Resources"][k]["Properties"]
    # The API files as deploy.sh sends them: the caller's account in place of the documentation
    # one, in the ARNs' account field only (a health path may hold the same digits).
    def localise(v, key=""):
        if isinstance(v, dict):
            return {k: localise(x, k) for k, x in v.items()}
        if isinstance(v, list):
            return [localise(x, key) for x in v]
        if isinstance(v, str) and (key.endswith(("Arn", "arn")) or key == "valueFrom"):
            parts = v.split(":", 5)
            if len(parts) == 6 and parts[0] == "arn" and parts[4] == "111122223333":
                return ":".join(parts[:4] + [r.account] + parts[5:])
        if isinstance(v, str) and key == "image" and v.startswith("111122223333.dkr.ecr."):
            return r.account + v[len("111122223333"):]
        return v
    api_file = lambda f: localise(json.loads(open(os.path.join(app_dir, f)).read()))
    td_file = api_file("taskdef.json")
    # The database password: the `password` key of the secret RDS created for the stack's instance.
    secret = r.att("Database", "MasterUserSecret.SecretArn")
    for x in td_file["containerDefinitions"][0]["secrets"]:
        if x["name"] == "PGPASSWORD":
            x["valueFrom"] = secret + ":password::"
    td = c("ecs").describe_task_definition(taskDefinition=r.physical["TaskDefinition"], include=["TAGS"])
    td = dict(td["taskDefinition"], tags=td.get("tags"))
    problems += [f"task definition: {d}" for d in differences(td_file, td)]
    want = td_file["containerDefinitions"][0]
    tg = c("elbv2").describe_target_groups(TargetGroupArns=[r.physical["TargetGroup"]])["TargetGroups"][0]
    port = want["portMappings"][0]["containerPort"]
    if tg["Port"] != port or tg["TargetType"] != ("ip" if td_file["networkMode"] == "awsvpc" else "instance"):
        problems.append(f"target group {tg['TargetType']}:{tg['Port']} for container port {port}")
    attributes = {a["Key"]: a["Value"] for a in c("elbv2").describe_target_group_attributes(TargetGroupArn=tg["TargetGroupArn"])["Attributes"]}
    want_algorithm = [a["Value"] for a in p("TargetGroup")["TargetGroupAttributes"] if a["Key"] == "load_balancing.algorithm.type"]
    if [attributes.get("load_balancing.algorithm.type")] != want_algorithm:
        problems.append(f"target group routing {attributes.get('load_balancing.algorithm.type')} != {want_algorithm}")
    cache = p("Cache")
    if "ReplicationGroupId" in cache:
        got = c("elasticache").describe_replication_groups(ReplicationGroupId=cache["ReplicationGroupId"])["ReplicationGroups"][0]
        engine = got.get("Engine")
    else:
        got = c("elasticache").describe_cache_clusters(CacheClusterId=cache["ClusterName"])["CacheClusters"][0]
        engine = got.get("Engine")
    if engine != cache["Engine"]:
        problems.append(f"cache engine {engine} != {cache['Engine']}")
    group = c("rds").describe_db_subnet_groups(DBSubnetGroupName=p("DbSubnetGroup")["DBSubnetGroupName"])["DBSubnetGroups"][0]
    want_subnets = r.value(p("DbSubnetGroup")["SubnetIds"])
    if sorted(x["SubnetIdentifier"] for x in group["Subnets"]) != sorted(want_subnets) or \
            want_subnets != r.ref("PrivateSubnets" if r.params.get("PrivateSubnets") else "PublicSubnets"):
        problems.append(f"database subnets {group['Subnets']} (private subnets given: {bool(r.params.get('PrivateSubnets'))})")
    listeners = c("elbv2").describe_listeners(LoadBalancerArn=r.physical["LoadBalancer"])["Listeners"]
    shape = sorted((x["Port"], x["Protocol"], x["DefaultActions"][0]["Type"]) for x in listeners)
    https = [(80, "HTTP", "redirect"), (443, "HTTPS", "forward")]
    if shape != (https if r.conditions["HasCertificate"] else [(80, "HTTP", "forward")]):
        problems.append(f"listeners {shape} (certificate given: {r.conditions['HasCertificate']})")
    if "AutoScalingGroup" in r.physical:
        problems += check_fleet(moto, region, r)
    if not launched:
        if "Service" in r.physical:
            problems.append("LaunchService=false still created the service")
        return problems
    cluster = p("Cluster")["ClusterName"]
    svc = c("ecs").describe_services(cluster=cluster, services=[p("Service")["ServiceName"]], include=["TAGS"])["services"][0]
    svc_file = api_file("service.json")
    # What deploy.sh fills in: the task definition revision, subnets, security group, target group.
    svc_file["taskDefinition"] = r.physical["TaskDefinition"]
    vpc = svc_file["networkConfiguration"]["awsvpcConfiguration"]
    vpc["subnets"] = r.ref("PrivateSubnets" if r.t["Parameters"]["PrivateSubnets"]["Type"].startswith("List<") else "PublicSubnets")
    vpc["securityGroups"] = [r.physical["TaskSecurityGroup"]]
    svc_file["loadBalancers"][0]["targetGroupArn"] = tg["TargetGroupArn"]
    svc_file["cluster"] = r.physical["Cluster"] if r.physical["Cluster"].startswith("arn:") else svc["clusterArn"]
    problems += [f"service: {d}" for d in differences({k: v for k, v in svc_file.items() if k != "cluster" and k not in MOTO_DESCRIBE_SERVICES_LACKS}, svc)]
    if svc["loadBalancers"][0]["targetGroupArn"] != tg["TargetGroupArn"] or svc["loadBalancers"][0]["containerPort"] != port:
        problems.append(f"service load balancer {svc['loadBalancers']} is not the stack's target group")
    target = c("application-autoscaling").describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
    if [t["ResourceId"] for t in target] != [f"service/{cluster}/{svc['serviceName']}"]:
        problems.append(f"scalable target {target} does not name the service")
    policies = {x["PolicyName"]: x["PolicyARN"] for x in c("application-autoscaling").describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]}
    want_policies = {v["Properties"]["PolicyName"] for v in r.t["Resources"].values() if v["Type"] == "AWS::ApplicationAutoScaling::ScalingPolicy"}
    if set(policies) != want_policies:
        problems.append(f"scaling policies {sorted(policies)} != {sorted(want_policies)}")
    alarms = {a["AlarmName"]: a for a in c("cloudwatch").describe_alarms()["MetricAlarms"]}
    cpu_policy = {"CpuHighAlarm": "cpu-scale-out", "CpuLowAlarm": "cpu-scale-in"}
    for k, v in r.t["Resources"].items():
        if v["Type"] != "AWS::CloudWatch::Alarm":
            continue
        name = v["Properties"]["AlarmName"]
        # The CPU alarms act on their step policy, the others on the alert topic.
        want = [policies.get(f"{p('Cluster')['ClusterName'][:-len('-cluster')]}-{cpu_policy[k]}")] if k in cpu_policy else [r.physical["AlertTopic"]]
        if name not in alarms or alarms[name]["AlarmActions"] != want:
            problems.append(f"alarm {name}: actions {alarms.get(name, {}).get('AlarmActions')} != {want}")
    dist = c("cloudfront").get_distribution(Id=r.physical["FrontendDistribution"])["Distribution"]
    origin = dist["DistributionConfig"]["Origins"]["Items"][0]["DomainName"]
    bucket = r.physical["FrontendBucket"]
    if origin != f"{bucket}.s3.{region}.amazonaws.com":
        problems.append(f"distribution origin {origin} is not the bucket {bucket}")
    policy = json.loads(c("s3").get_bucket_policy(Bucket=bucket)["Policy"])
    source = policy["Statement"][0]["Condition"]["StringEquals"]["AWS:SourceArn"]
    if not source.endswith(f":distribution/{dist['Id']}"):
        problems.append(f"bucket policy allows {source}, not the distribution")
    db = c("rds").describe_db_instances(DBInstanceIdentifier=r.physical["Database"])["DBInstances"][0]
    if db["DBInstanceClass"] != p("Database")["DBInstanceClass"] or db["MultiAZ"] != p("Database")["MultiAZ"]:
        problems.append(f"database {db['DBInstanceClass']} multi-AZ {db['MultiAZ']}")
    replicas = [k for k in r.t["Resources"] if k.startswith("DatabaseReplica")]
    if sorted(db.get("ReadReplicaDBInstanceIdentifiers", [])) != sorted(r.physical[k] for k in replicas):
        problems.append(f"replicas {db.get('ReadReplicaDBInstanceIdentifiers')} != {replicas}")
    return problems


def check_fleet(moto, region, r):
    """ECS on EC2: the group runs the planned fleet from the launch template with the ECS AMI,
    and the cluster uses the capacity provider with managed scaling."""
    c = lambda s: moto.client(s, region)
    p = lambda k: r.t["Resources"][k]["Properties"]
    problems = []
    asg = c("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[r.physical["AutoScalingGroup"]])["AutoScalingGroups"][0]
    if (str(asg["MinSize"]), str(asg["MaxSize"])) != (p("AutoScalingGroup")["MinSize"], p("AutoScalingGroup")["MaxSize"]):
        problems.append(f"auto scaling group {asg['MinSize']}-{asg['MaxSize']}")
    data = c("ec2").describe_launch_template_versions(LaunchTemplateId=asg["LaunchTemplate"]["LaunchTemplateId"])["LaunchTemplateVersions"][0]["LaunchTemplateData"]
    ami = c("ssm").get_parameter(Name=r.t["Parameters"]["EcsAmiId"]["Default"])["Parameter"]["Value"]
    if data["ImageId"] != ami or data["InstanceType"] != p("LaunchTemplate")["LaunchTemplateData"]["InstanceType"]:
        problems.append(f"launch template {data['ImageId']} {data['InstanceType']}, ECS AMI {ami}")
    if f"ECS_CLUSTER={p('Cluster')['ClusterName']}" not in base64.b64decode(data["UserData"]).decode():
        problems.append("the instances do not join the cluster")
    provider = c("ecs").describe_capacity_providers(capacityProviders=[r.physical["CapacityProvider"]])["capacityProviders"][0]
    if provider["autoScalingGroupProvider"]["managedScaling"]["status"] != "ENABLED":
        problems.append(f"capacity provider {provider}")
    cluster = c("ecs").describe_clusters(clusters=[p("Cluster")["ClusterName"]])["clusters"][0]
    want = r.value(p("ClusterCapacityProviders")["CapacityProviders"])
    if cluster.get("capacityProviders") != want or provider["name"] not in want:
        problems.append(f"cluster capacity providers {cluster.get('capacityProviders')}")
    return problems


def network(moto, region):
    ec2 = moto.client("ec2", region)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    azs = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=azs[i % 2])["Subnet"]["SubnetId"] for i in range(4)]
    return vpc, subnets


def run_in_moto(moto, name, d, options, mutate=lambda t: None):
    template = yaml.safe_load(open(os.path.join(d, "stack.yaml")))
    mutate(template)
    region = template["Rules"]["PlannedRegion"]["Assertions"][0]["Assert"]["Fn::Equals"][1]
    moto.reset()
    vpc, subnets = network(moto, region)
    params = {"VpcId": vpc, "PublicSubnets": ",".join(subnets[:2]), "PrivateSubnets": ",".join(subnets[2:])}
    if options.get("no_private_subnets"):  # public layout: the database and cache go in the public subnets
        del params["PrivateSubnets"]
    if options.get("certificate"):
        params["CertificateArn"] = moto.client("acm", region).request_certificate(DomainName="api.example.com")["CertificateArn"]
    if options.get("email"):
        params["AlertEmail"] = "ops@example.com"
    if "EcsAmiId" in template["Parameters"]:
        # The public parameter AWS publishes (moto carries a copy): the stack resolves its default.
        moto.client("ssm", region).get_parameter(Name=template["Parameters"]["EcsAmiId"]["Default"])
    launched = options.get("launch", True)
    params["LaunchService"] = "true" if launched else "false"
    r, problems = create_stack(moto, region, template, d, params)
    if r is None:
        return problems
    return problems + check_created(moto, region, r, d, launched)


def main():
    passed = failed = 0
    tmp = tempfile.mkdtemp(prefix="stack-check-")
    cases = [(f"tier-{t}", ["--tier", t]) for t in ("small", "medium", "large")]
    rng = random.Random(20261129)
    for i in range(N_RANDOM):
        s = randomize(rng, scenario(rng.choice(["small", "medium", "large"])), i)
        path = os.path.join(tmp, f"random-{i}.json")
        json.dump(s, open(path, "w"))
        cases.append((f"random-{i}", ["--scenario", path]))
    by_region = {}
    for name, args in cases:
        d = os.path.join(tmp, name)
        export(args, d)
        region = yaml.safe_load(open(os.path.join(d, "stack.yaml")))["Rules"]["PlannedRegion"]["Assertions"][0]["Assert"]["Fn::Equals"][1]
        by_region.setdefault(region, []).append(os.path.join(d, "stack.yaml"))

    version = subprocess.run([CFN_LINT, "--version"], capture_output=True, text=True).stdout.strip()
    counts = lint_rule_counts()
    print(f"{version}: {counts['E']} error rules, {counts['W']} warning rules, {counts['I']} informational (off)")
    # The linter must be able to fail: an unknown property is an error.
    broken = os.path.join(tmp, "broken.yaml")
    text = open(by_region["us-east-1"][0]).read()
    open(broken, "w").write(text.replace('Engine: "postgres"', 'Engine: "postgres"\n      Bogus: 1', 1))
    assert lint({"us-east-1": [broken]}), "cfn-lint accepted an unknown property"
    t0 = time.time()
    problems = lint(by_region)
    print(f"cfn-lint on {sum(map(len, by_region.values()))} templates ({len(by_region)} regions): {time.time() - t0:.1f} s")
    if problems:
        failed += 1
        print("FAIL cfn-lint:\n  " + "\n  ".join(problems))
    else:
        passed += 1
        print("ok   cfn-lint: no error, no warning")
    problems = [f"{name}: {p}" for name, _ in cases for p in check_script(os.path.join(tmp, name))]
    if problems:
        failed += 1
        print("FAIL deploy-stack.sh:\n  " + "\n  ".join(problems))
    else:
        passed += 1
        print(f"ok   deploy-stack.sh: shellcheck clean, missing inputs named before any call ({len(cases)} scenarios)")

    moto = Moto()
    try:
        options = {"tier-small": {}, "tier-medium": {"email": True}, "tier-large": {"certificate": True, "email": True},
                   "random-1": {"launch": False}, "random-5": {"no_private_subnets": True}}
        for name, _ in cases:
            t0 = time.time()
            try:
                problems = run_in_moto(moto, name, os.path.join(tmp, name), options.get(name, {}))
            except Exception as e:  # a failed API call is a failed check, with its message
                problems = [f"{type(e).__name__}: {e}", traceback.format_exc(limit=-2)]
            if problems:
                failed += 1
                print(f"FAIL {name} in moto:\n  " + "\n  ".join(problems))
            else:
                passed += 1
                print(f"ok   {name}: CREATE_COMPLETE in moto, references check out ({time.time() - t0:.1f} s)")
        # The checks must be able to fail: a target group on the wrong port is found.
        def wrong_port(t):
            t["Resources"]["TargetGroup"]["Properties"]["Port"] += 1
        assert run_in_moto(moto, "tier-small", os.path.join(tmp, "tier-small"), {}, wrong_port), "a wrong target group port passed"
    finally:
        moto.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"stack: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
