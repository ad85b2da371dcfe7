//! deploy.sh and teardown.sh: the planning document's five migration phases as one resumable
//! bash script (each step checks whether its resource exists), and its reverse.
//!
//! Only validated values reach the scripts: the app name ([a-z0-9-]), the region (from the
//! catalog), numbers, and the health-check path (a checked character set). The scenario's free
//! text appears only in comment lines with control characters removed.

use super::{scaling_policies, shell, Context};
use crate::model::scenario::{LaunchType, NetworkLayout, ScalingPolicyKind};
use crate::model::simulate::StepRule;

pub fn deploy(c: &Context) -> String {
    let s = c.s;
    let db = &s.database;
    let cache = &s.cache;
    let private = s.network.layout != NetworkLayout::Public;
    let budget = (c.p.monthly_total_usd * 1.1).ceil().max(1.0);
    let multi_az = if db.multi_az { "--multi-az" } else { "--no-multi-az" };
    let step = StepRule::from_scenario(s);
    let cache_single = !cache.cluster_mode && cache.replicas_per_shard == 0;
    let redis_scheme = if cache_single { "redis" } else { "rediss" };
    let node_type = shell::quote(&cache.node_type);

    let mut out = String::new();
    out.push_str("#!/usr/bin/env bash\n");
    out.push_str(&c.header("#"));
    out.push_str(&format!(
        r#"#
# Runs the planning document's migration phases 1-5 and its monitoring with AWS CLI v2.
# Safe to re-run: every step first checks whether its resource exists, so a run that stopped
# half-way resumes where it left off. No password or secret is written to any file: RDS keeps
# the master password in Secrets Manager (--manage-master-user-password) and the tasks read
# their connection strings from SSM Parameter Store SecureStrings.
#
# Needs: aws (v2), jq, docker; pg_dump and psql for the data migration (MIGRATE_DATA=1).
# Usage: VPC_ID=vpc-... PUBLIC_SUBNETS=subnet-a,subnet-b [PRIVATE_SUBNETS=...] ./deploy.sh
set -euo pipefail

{settings}
# ---- Settings from your environment ---------------------------------------------------------
AWS_REGION="${{AWS_REGION:-$PLAN_REGION}}"
export AWS_REGION AWS_DEFAULT_REGION="$AWS_REGION"
DB_ID="${{APP}}-db"
DB_USER="bridge_admin"
CACHE_ID="${{APP}}-cache"
REPO="${{APP}}-backend"
LOG_GROUP="/ecs/${{APP}}-backend"
PARAM_PREFIX="/${{APP}}"
ALB_NAME="${{APP}}-alb"
TG_NAME="${{APP}}-tg"
IMAGE_TAG="${{IMAGE_TAG:-latest}}"
BACKEND_DIR="${{BACKEND_DIR:-backend}}"
FRONTEND_DIST="${{FRONTEND_DIST:-frontend/dist}}"
LOCAL_DATABASE="${{LOCAL_DATABASE:-bridge}}"
MIGRATE_DATA="${{MIGRATE_DATA:-0}}"
ALERT_EMAIL="${{ALERT_EMAIL:-}}"
CERTIFICATE_ARN="${{CERTIFICATE_ARN:-}}"
HERE="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"

fail() {{ printf 'deploy.sh: %s\n' "$*" >&2; exit 1; }}
need() {{ [ -n "${{!1:-}}" ] || fail "set $1: $2"; }}
step() {{ printf '\n==> %s\n' "$*"; }}
for tool in aws jq docker; do command -v "$tool" >/dev/null || fail "$tool is not installed"; done
need VPC_ID "the VPC to deploy into (vpc-...)"
need PUBLIC_SUBNETS "comma-separated public subnet IDs in two or more AZs, for the ALB"
"#,
        settings = shell::settings_block(&[
            ("APP", c.app.clone()),
            ("PLAN_REGION", c.region.clone()),
            ("CLUSTER", c.cluster()),
            ("SERVICE", c.service()),
            ("DB_NAME", s.deploy.db_name.clone()),
            ("CONTAINER_PORT", s.backend.container_port.to_string()),
            ("HEALTH_PATH", s.deploy.health_check_path.clone()),
        ]),
    ));
    if private {
        out.push_str("need PRIVATE_SUBNETS \"comma-separated private subnet IDs for the tasks, database and cache\"\nTASK_SUBNETS=\"$PRIVATE_SUBNETS\"\nASSIGN_PUBLIC_IP=DISABLED\n");
    } else {
        out.push_str("TASK_SUBNETS=\"${PRIVATE_SUBNETS:-$PUBLIC_SUBNETS}\"\nASSIGN_PUBLIC_IP=ENABLED\n");
    }
    out.push_str(
        r#"DATA_SUBNETS="${PRIVATE_SUBNETS:-$PUBLIC_SUBNETS}"
IFS=',' read -r -a DATA_SUBNET_LIST <<< "$DATA_SUBNETS"
IFS=',' read -r -a PUBLIC_SUBNET_LIST <<< "$PUBLIC_SUBNETS"
AWS_ACCOUNT_ID="${AWS_ACCOUNT_ID:-$(aws sts get-caller-identity --query Account --output text)}"
REGISTRY="${AWS_ACCOUNT_ID}.dkr.ecr.${AWS_REGION}.amazonaws.com"
IMAGE="${REGISTRY}/${REPO}:${IMAGE_TAG}"

# A security group by name in the VPC: its ID, created when missing.
security_group() {
  local name="$1" description="$2" id
  id="$(aws ec2 describe-security-groups --filters "Name=group-name,Values=${name}" "Name=vpc-id,Values=${VPC_ID}" \
    --query 'SecurityGroups[0].GroupId' --output text)"
  if [ "$id" = "None" ] || [ -z "$id" ]; then
    id="$(aws ec2 create-security-group --group-name "$name" --description "$description" --vpc-id "$VPC_ID" --query GroupId --output text)"
  fi
  printf '%s' "$id"
}
# Allows TCP on a port from another security group; quiet when the rule exists.
allow_from() {
  aws ec2 authorize-security-group-ingress --group-id "$1" --protocol tcp --port "$2" --source-group "$3" >/dev/null 2>&1 || true
}

step "Network: security groups"
ALB_SG="$(security_group "${APP}-alb" "ALB for ${APP}")"
aws ec2 authorize-security-group-ingress --group-id "$ALB_SG" --protocol tcp --port 443 --cidr 0.0.0.0/0 >/dev/null 2>&1 || true
aws ec2 authorize-security-group-ingress --group-id "$ALB_SG" --protocol tcp --port 80 --cidr 0.0.0.0/0 >/dev/null 2>&1 || true
TASK_SG="$(security_group "${APP}-tasks" "ECS tasks for ${APP}")"
allow_from "$TASK_SG" "$CONTAINER_PORT" "$ALB_SG"
DB_SG="$(security_group "${APP}-db" "RDS for ${APP}")"
allow_from "$DB_SG" 5432 "$TASK_SG"
CACHE_SG="$(security_group "${APP}-cache" "ElastiCache for ${APP}")"
allow_from "$CACHE_SG" 6379 "$TASK_SG"

# ---- Phase 1: database ------------------------------------------------------------------------
step "Phase 1: RDS PostgreSQL"
if ! aws rds describe-db-subnet-groups --db-subnet-group-name "${APP}-db-subnets" >/dev/null 2>&1; then
  aws rds create-db-subnet-group --db-subnet-group-name "${APP}-db-subnets" \
    --db-subnet-group-description "Subnets for ${APP}" --subnet-ids "${DATA_SUBNET_LIST[@]}" >/dev/null
fi
if ! aws rds describe-db-instances --db-instance-identifier "$DB_ID" >/dev/null 2>&1; then
  aws rds create-db-instance \
"#,
    );
    out.push_str(&format!(
        r#"    --db-instance-identifier "$DB_ID" \
    --db-instance-class {class} \
    --engine postgres \
    --master-username "$DB_USER" \
    --manage-master-user-password \
    --db-name "$DB_NAME" \
    --allocated-storage {storage} \
    --storage-type {storage_type} \
    --storage-encrypted \
    {multi_az} \
    --backup-retention-period {backup} \
    --db-subnet-group-name "${{APP}}-db-subnets" \
    --vpc-security-group-ids "$DB_SG" \
    --no-publicly-accessible \
    --copy-tags-to-snapshot \
    --tags "Key=app,Value=${{APP}}" >/dev/null
fi
aws rds wait db-instance-available --db-instance-identifier "$DB_ID"
for i in $(seq 1 {replicas}); do
  if ! aws rds describe-db-instances --db-instance-identifier "${{DB_ID}}-replica-${{i}}" >/dev/null 2>&1; then
    aws rds create-db-instance-read-replica --db-instance-identifier "${{DB_ID}}-replica-${{i}}" \
      --source-db-instance-identifier "$DB_ID" --db-instance-class {class} --no-publicly-accessible >/dev/null
  fi
done
"#,
        class = shell::quote(&db.class),
        storage = db.storage_gb.round().max(20.0) as u64,
        storage_type = shell::quote(match db.storage_type {
            crate::model::scenario::StorageType::Gp2 => "gp2",
            crate::model::scenario::StorageType::Gp3 => "gp3",
        }),
        multi_az = multi_az,
        backup = db.backup_retention_days,
        replicas = db.read_replicas,
    ));
    out.push_str(r#"DB_HOST="$(aws rds describe-db-instances --db-instance-identifier "$DB_ID" --query 'DBInstances[0].Endpoint.Address' --output text)"
DB_SECRET_ARN="$(aws rds describe-db-instances --db-instance-identifier "$DB_ID" --query 'DBInstances[0].MasterUserSecret.SecretArn' --output text)"
READ_HOST="$DB_HOST"
if aws rds describe-db-instances --db-instance-identifier "${DB_ID}-replica-1" >/dev/null 2>&1; then
  aws rds wait db-instance-available --db-instance-identifier "${DB_ID}-replica-1"
  READ_HOST="$(aws rds describe-db-instances --db-instance-identifier "${DB_ID}-replica-1" --query 'DBInstances[0].Endpoint.Address' --output text)"
fi
# The password stays in Secrets Manager and in memory: never on a command line or in a file.
db_password() {
  aws secretsmanager get-secret-value --secret-id "$DB_SECRET_ARN" --query SecretString --output text | jq -r .password
}
# Values travel through the environment and pipes, never through a process's arguments.
url_encode() { V="$1" jq -rn 'env.V | @uri'; }
# printf is a shell builtin, so the value is in no process's arguments; the CLI reads the pipe
# once as `--value file:///dev/stdin`. (`--cli-input-json file:///dev/stdin` fails: the CLI
# does not read its JSON input from a pipe, aws-cli issue 5982.)
put_secret_param() {
  printf '%s' "$2" | aws ssm put-parameter --name "${PARAM_PREFIX}/$1" --type SecureString --overwrite \
    --value file:///dev/stdin >/dev/null
}
DB_PASSWORD_ENC="$(url_encode "$(db_password)")"
put_secret_param DATABASE_URL "postgresql://${DB_USER}:${DB_PASSWORD_ENC}@${DB_HOST}:5432/${DB_NAME}?sslmode=require"
put_secret_param DATABASE_READ_URL "postgresql://${DB_USER}:${DB_PASSWORD_ENC}@${READ_HOST}:5432/${DB_NAME}?sslmode=require"
unset DB_PASSWORD_ENC

if [ "$MIGRATE_DATA" = "1" ]; then
  step "Phase 1: copy the local database (run from a host that can reach ${DB_HOST})"
  if ! command -v pg_dump >/dev/null || ! command -v psql >/dev/null; then fail "pg_dump and psql are needed for MIGRATE_DATA=1"; fi
  DUMP_FILE="$(mktemp)"
  trap 'rm -f "$DUMP_FILE"' EXIT
  pg_dump --no-owner --no-privileges "$LOCAL_DATABASE" > "$DUMP_FILE"
  PGPASSWORD="$(db_password)" PGSSLMODE=require psql -h "$DB_HOST" -U "$DB_USER" -d "$DB_NAME" -v ON_ERROR_STOP=1 -f "$DUMP_FILE"
fi

step "Phase 1: ElastiCache Redis"
if ! aws elasticache describe-cache-subnet-groups --cache-subnet-group-name "${APP}-cache-subnets" >/dev/null 2>&1; then
  aws elasticache create-cache-subnet-group --cache-subnet-group-name "${APP}-cache-subnets" \
    --cache-subnet-group-description "Subnets for ${APP}" --subnet-ids "${DATA_SUBNET_LIST[@]}" >/dev/null
fi
"#);
    if cache_single {
        out.push_str(&format!(
            r#"if ! aws elasticache describe-cache-clusters --cache-cluster-id "$CACHE_ID" >/dev/null 2>&1; then
  aws elasticache create-cache-cluster --cache-cluster-id "$CACHE_ID" --engine redis \
    --cache-node-type {node_type} --num-cache-nodes 1 \
    --cache-subnet-group-name "${{APP}}-cache-subnets" --security-group-ids "$CACHE_SG" >/dev/null
fi
aws elasticache wait cache-cluster-available --cache-cluster-id "$CACHE_ID"
REDIS_HOST="$(aws elasticache describe-cache-clusters --cache-cluster-id "$CACHE_ID" --show-cache-node-info \
  --query 'CacheClusters[0].CacheNodes[0].Endpoint.Address' --output text)"
"#
        ));
    } else {
        // A replication group: sharded (cluster mode, configuration endpoint) or one shard with
        // replicas for failover (primary endpoint). The rest of the command is the same.
        let (topology, endpoint) = if cache.cluster_mode {
            (
                format!(
                    "--num-node-groups {} --replicas-per-node-group {} \\\n    --cache-parameter-group-name default.redis7.cluster.on {}",
                    cache.shards,
                    cache.replicas_per_shard,
                    if cache.replicas_per_shard > 0 { "--automatic-failover-enabled" } else { "--no-automatic-failover-enabled" }
                ),
                "ConfigurationEndpoint.Address",
            )
        } else {
            (
                format!("--num-cache-clusters {} --automatic-failover-enabled --multi-az-enabled", 1 + cache.replicas_per_shard),
                "NodeGroups[0].PrimaryEndpoint.Address",
            )
        };
        out.push_str(&format!(
            r#"if ! aws elasticache describe-replication-groups --replication-group-id "$CACHE_ID" >/dev/null 2>&1; then
  aws elasticache create-replication-group --replication-group-id "$CACHE_ID" \
    --replication-group-description "Redis for ${{APP}}" --engine redis \
    --cache-node-type {node_type} {topology} \
    --transit-encryption-enabled --at-rest-encryption-enabled \
    --cache-subnet-group-name "${{APP}}-cache-subnets" --security-group-ids "$CACHE_SG" >/dev/null
fi
aws elasticache wait replication-group-available --replication-group-id "$CACHE_ID"
REDIS_HOST="$(aws elasticache describe-replication-groups --replication-group-id "$CACHE_ID" \
  --query 'ReplicationGroups[0].{endpoint}' --output text)"
"#
        ));
    }
    out.push_str(&format!("put_secret_param REDIS_URL \"{redis_scheme}://${{REDIS_HOST}}:6379\"\n"));

    out.push_str(
        r#"
# ---- Phase 2: backend container -----------------------------------------------------------------
step "Phase 2: ECR repository and image"
aws ecr describe-repositories --repository-names "$REPO" >/dev/null 2>&1 \
  || aws ecr create-repository --repository-name "$REPO" --image-scanning-configuration scanOnPush=true >/dev/null
aws ecr get-login-password | docker login --username AWS --password-stdin "$REGISTRY"
[ -f "${BACKEND_DIR}/Dockerfile" ] || cp "${HERE}/Dockerfile" "${BACKEND_DIR}/Dockerfile"
"#,
    );
    let platform = if s.backend.arch == crate::model::scenario::Arch::Arm { "linux/arm64" } else { "linux/amd64" };
    out.push_str(&format!("docker build --platform {} -t \"$IMAGE\" \"$BACKEND_DIR\"\ndocker push \"$IMAGE\"\n", shell::quote(platform)));

    out.push_str(
        r#"
# ---- Phase 3: ECS Fargate -----------------------------------------------------------------------
step "Phase 3: log group, IAM roles, cluster, task definition"
aws logs describe-log-groups --log-group-name-prefix "$LOG_GROUP" --query 'logGroups[].logGroupName' --output text | grep -qx "$LOG_GROUP" \
  || aws logs create-log-group --log-group-name "$LOG_GROUP"
"#,
    );
    out.push_str(&format!(
        "aws logs put-retention-policy --log-group-name \"$LOG_GROUP\" --retention-in-days {}\n",
        retention_days(s.network.log_retention_months)
    ));
    out.push_str(r#"TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
for role in "${APP}-ecs-execution" "${APP}-ecs-task"; do
  aws iam get-role --role-name "$role" >/dev/null 2>&1 \
    || aws iam create-role --role-name "$role" --assume-role-policy-document "$TRUST" >/dev/null
done
aws iam attach-role-policy --role-name "${APP}-ecs-execution" \
  --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
PARAMS_ARN="arn:aws:ssm:${AWS_REGION}:${AWS_ACCOUNT_ID}:parameter${PARAM_PREFIX}/*"
aws iam put-role-policy --role-name "${APP}-ecs-execution" --policy-name read-app-parameters \
  --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"ssm:GetParameters\"],\"Resource\":\"${PARAMS_ARN}\"}]}"
aws ecs describe-clusters --clusters "$CLUSTER" --query "clusters[?status=='ACTIVE'].clusterName" --output text | grep -qx "$CLUSTER" \
  || aws ecs create-cluster --cluster-name "$CLUSTER" --capacity-providers FARGATE FARGATE_SPOT \
       --settings name=containerInsights,value=enabled >/dev/null
# The task definition as exported, with this account's ARNs and the pushed image.
TASKDEF="$(jq --arg account "$AWS_ACCOUNT_ID" --arg image "$IMAGE" '
  .executionRoleArn |= sub("111122223333"; $account) | .taskRoleArn |= sub("111122223333"; $account)
  | .containerDefinitions[0].image = $image
  | .containerDefinitions[0].secrets |= map(.valueFrom |= sub("111122223333"; $account))' "${HERE}/taskdef.json")"
TASKDEF_ARN="$(aws ecs register-task-definition --cli-input-json "$TASKDEF" --query taskDefinition.taskDefinitionArn --output text)"

# ---- Phase 4: frontend --------------------------------------------------------------------------
step "Phase 4: S3 bucket, upload, CloudFront with origin access control"
BUCKET="${BUCKET:-${APP}-frontend-${AWS_ACCOUNT_ID}}"
if ! aws s3api head-bucket --bucket "$BUCKET" >/dev/null 2>&1; then
  if [ "$AWS_REGION" = "us-east-1" ]; then
    aws s3api create-bucket --bucket "$BUCKET" >/dev/null
  else
    aws s3api create-bucket --bucket "$BUCKET" --create-bucket-configuration "LocationConstraint=${AWS_REGION}" >/dev/null
  fi
fi
aws s3api put-public-access-block --bucket "$BUCKET" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
if [ -d "$FRONTEND_DIST" ]; then
  aws s3 sync "$FRONTEND_DIST" "s3://${BUCKET}" --delete
else
  printf 'warning: %s not found; build the frontend and re-run to upload it\n' "$FRONTEND_DIST" >&2
fi
OAC_ID="$(aws cloudfront list-origin-access-controls --query "OriginAccessControlList.Items[?Name=='${APP}-oac'].Id | [0]" --output text)"
if [ "$OAC_ID" = "None" ] || [ -z "$OAC_ID" ]; then
  OAC_ID="$(aws cloudfront create-origin-access-control --origin-access-control-config \
    "Name=${APP}-oac,SigningProtocol=sigv4,SigningBehavior=always,OriginAccessControlOriginType=s3" \
    --query OriginAccessControl.Id --output text)"
fi
DIST_ID="$(aws cloudfront list-distributions --query "DistributionList.Items[?Origins.Items[0].DomainName=='${BUCKET}.s3.${AWS_REGION}.amazonaws.com'].Id | [0]" --output text)"
if [ "$DIST_ID" = "None" ] || [ -z "$DIST_ID" ]; then
  CF_CONFIG="$(jq --arg domain "${BUCKET}.s3.${AWS_REGION}.amazonaws.com" --arg oac "$OAC_ID" --arg ref "${APP}-$(date +%s)" '
    .Origins.Items[0].DomainName = $domain | .Origins.Items[0].OriginAccessControlId = $oac | .CallerReference = $ref' \
    "${HERE}/cloudfront-config.json")"
  DIST_ID="$(aws cloudfront create-distribution --distribution-config "$CF_CONFIG" --query Distribution.Id --output text)"
fi
DIST_ARN="arn:aws:cloudfront::${AWS_ACCOUNT_ID}:distribution/${DIST_ID}"
aws s3api put-bucket-policy --bucket "$BUCKET" --policy "$(jq -nc --arg bucket "$BUCKET" --arg dist "$DIST_ARN" '{
  Version: "2012-10-17",
  Statement: [{Effect: "Allow", Principal: {Service: "cloudfront.amazonaws.com"}, Action: "s3:GetObject",
    Resource: ("arn:aws:s3:::" + $bucket + "/*"), Condition: {StringEquals: {"AWS:SourceArn": $dist}}}]}')"

# ---- Phase 5: load balancer, service and auto scaling ------------------------------------------
step "Phase 5: ALB, target group (ip), listener"
ALB_ARN="$(aws elbv2 describe-load-balancers --names "$ALB_NAME" --query 'LoadBalancers[0].LoadBalancerArn' --output text 2>/dev/null || true)"
if [ -z "$ALB_ARN" ] || [ "$ALB_ARN" = "None" ]; then
  ALB_ARN="$(aws elbv2 create-load-balancer --name "$ALB_NAME" --type application --scheme internet-facing \
    --subnets "${PUBLIC_SUBNET_LIST[@]}" --security-groups "$ALB_SG" --query 'LoadBalancers[0].LoadBalancerArn' --output text)"
fi
TG_ARN="$(aws elbv2 describe-target-groups --names "$TG_NAME" --query 'TargetGroups[0].TargetGroupArn' --output text 2>/dev/null || true)"
if [ -z "$TG_ARN" ] || [ "$TG_ARN" = "None" ]; then
  TG_ARN="$(aws elbv2 create-target-group --name "$TG_NAME" --protocol HTTP --port "$CONTAINER_PORT" \
    --vpc-id "$VPC_ID" --target-type ip --health-check-path "$HEALTH_PATH" \
    --query 'TargetGroups[0].TargetGroupArn' --output text)"
fi
if [ "$(aws elbv2 describe-listeners --load-balancer-arn "$ALB_ARN" --query 'length(Listeners)' --output text)" = "0" ]; then
  if [ -n "$CERTIFICATE_ARN" ]; then
    aws elbv2 create-listener --load-balancer-arn "$ALB_ARN" --protocol HTTPS --port 443 \
      --certificates "CertificateArn=${CERTIFICATE_ARN}" --default-actions "Type=forward,TargetGroupArn=${TG_ARN}" >/dev/null
    aws elbv2 create-listener --load-balancer-arn "$ALB_ARN" --protocol HTTP --port 80 \
      --default-actions 'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}' >/dev/null
  else
    printf 'warning: no CERTIFICATE_ARN; the API listens on plain HTTP port 80\n' >&2
    aws elbv2 create-listener --load-balancer-arn "$ALB_ARN" --protocol HTTP --port 80 \
      --default-actions "Type=forward,TargetGroupArn=${TG_ARN}" >/dev/null
  fi
fi

step "Phase 5: ECS service"
SERVICE_STATUS="$(aws ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" --query 'services[0].status' --output text 2>/dev/null || true)"
if [ "$SERVICE_STATUS" = "ACTIVE" ]; then
  # Auto scaling owns the desired count: do not re-send it on a redeploy.
  aws ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --task-definition "$TASKDEF_ARN" >/dev/null
else
  SERVICE_JSON="$(jq --arg tg "$TG_ARN" --arg sg "$TASK_SG" --arg subnets "$TASK_SUBNETS" --arg ip "$ASSIGN_PUBLIC_IP" --arg td "$TASKDEF_ARN" '
    .taskDefinition = $td
    | .loadBalancers[0].targetGroupArn = $tg
    | .networkConfiguration.awsvpcConfiguration.subnets = ($subnets | split(","))
    | .networkConfiguration.awsvpcConfiguration.securityGroups = [$sg]
    | .networkConfiguration.awsvpcConfiguration.assignPublicIp = $ip' "${HERE}/service.json")"
  aws ecs create-service --cli-input-json "$SERVICE_JSON" >/dev/null
fi
aws ecs wait services-stable --cluster "$CLUSTER" --services "$SERVICE"

step "Phase 5: auto scaling"
aws application-autoscaling register-scalable-target --cli-input-json "file://${HERE}/scalable-target.json"
"#);
    match s.backend.scaling_policy {
        ScalingPolicyKind::TargetTracking => {
            out.push_str(
                "aws application-autoscaling put-scaling-policy --cli-input-json \"file://${HERE}/scaling-policy.json\" >/dev/null\n",
            );
        }
        ScalingPolicyKind::Step => {
            let names: Vec<&str> = scaling_policies(c).iter().map(|p| p.0).collect();
            out.push_str(&format!(
                r#"OUT_POLICY_ARN="$(aws application-autoscaling put-scaling-policy --cli-input-json "file://${{HERE}}/{out_file}" --query PolicyARN --output text)"
IN_POLICY_ARN="$(aws application-autoscaling put-scaling-policy --cli-input-json "file://${{HERE}}/{in_file}" --query PolicyARN --output text)"
# The seed's rule: out above {out_pct}% CPU for {out_n} minutes, in below {in_pct}% for {in_n} minutes.
aws cloudwatch put-metric-alarm --alarm-name "${{APP}}-cpu-high" --namespace AWS/ECS --metric-name CPUUtilization \
  --dimensions "Name=ClusterName,Value=${{CLUSTER}}" "Name=ServiceName,Value=${{SERVICE}}" --statistic Average \
  --period 60 --evaluation-periods {out_n} --threshold {out_pct} --comparison-operator GreaterThanThreshold \
  --alarm-actions "$OUT_POLICY_ARN"
aws cloudwatch put-metric-alarm --alarm-name "${{APP}}-cpu-low" --namespace AWS/ECS --metric-name CPUUtilization \
  --dimensions "Name=ClusterName,Value=${{CLUSTER}}" "Name=ServiceName,Value=${{SERVICE}}" --statistic Average \
  --period 60 --evaluation-periods {in_n} --threshold {in_pct} --comparison-operator LessThanThreshold \
  --alarm-actions "$IN_POLICY_ARN"
"#,
                out_file = names[0],
                in_file = names[1],
                out_pct = (step.scale_out_cpu * 100.0).round(),
                in_pct = (step.scale_in_cpu * 100.0).round(),
                out_n = step.out_evaluation_minutes,
                in_n = step.in_evaluation_minutes,
            ));
        }
    }

    if c.s.simulation.schedule.is_some() {
        out.push_str(
            r#"# The scheduled minimum the planner simulated (weekday business hours, UTC).
for action in scheduled-action-start.json scheduled-action-end.json; do
  aws application-autoscaling put-scheduled-action --cli-input-json "file://${HERE}/${action}"
done
"#,
        );
    }
    out.push_str(&format!(
        r#"
# ---- Monitoring: what the document asks for (CPU, memory, response times, billing) ------------
step "Monitoring: alarms and a budget at the projected cost"
TOPIC_ARN="$(aws sns create-topic --name "${{APP}}-alerts" --query TopicArn --output text)"
if [ -n "$ALERT_EMAIL" ]; then
  aws sns subscribe --topic-arn "$TOPIC_ARN" --protocol email --notification-endpoint "$ALERT_EMAIL" >/dev/null
fi
ALB_DIM="${{ALB_ARN#*:loadbalancer/}}"
aws cloudwatch put-metric-alarm --alarm-name "${{APP}}-alb-5xx" --namespace AWS/ApplicationELB --metric-name HTTPCode_Target_5XX_Count \
  --dimensions "Name=LoadBalancer,Value=${{ALB_DIM}}" --statistic Sum --period 300 --evaluation-periods 1 --threshold 10 \
  --comparison-operator GreaterThanThreshold --treat-missing-data notBreaching --alarm-actions "$TOPIC_ARN"
aws cloudwatch put-metric-alarm --alarm-name "${{APP}}-alb-latency" --namespace AWS/ApplicationELB --metric-name TargetResponseTime \
  --dimensions "Name=LoadBalancer,Value=${{ALB_DIM}}" --extended-statistic p95 --period 300 --evaluation-periods 2 --threshold {p95_s:.2} \
  --comparison-operator GreaterThanThreshold --treat-missing-data notBreaching --alarm-actions "$TOPIC_ARN"
aws cloudwatch put-metric-alarm --alarm-name "${{APP}}-memory-high" --namespace AWS/ECS --metric-name MemoryUtilization \
  --dimensions "Name=ClusterName,Value=${{CLUSTER}}" "Name=ServiceName,Value=${{SERVICE}}" --statistic Average \
  --period 300 --evaluation-periods 2 --threshold 80 --comparison-operator GreaterThanThreshold --alarm-actions "$TOPIC_ARN"
aws cloudwatch put-metric-alarm --alarm-name "${{APP}}-db-cpu" --namespace AWS/RDS --metric-name CPUUtilization \
  --dimensions "Name=DBInstanceIdentifier,Value=${{DB_ID}}" --statistic Average --period 300 --evaluation-periods 3 --threshold 80 \
  --comparison-operator GreaterThanThreshold --alarm-actions "$TOPIC_ARN"
aws cloudwatch put-metric-alarm --alarm-name "${{APP}}-db-connections" --namespace AWS/RDS --metric-name DatabaseConnections \
  --dimensions "Name=DBInstanceIdentifier,Value=${{DB_ID}}" --statistic Maximum --period 300 --evaluation-periods 1 --threshold {conn_alarm} \
  --comparison-operator GreaterThanThreshold --alarm-actions "$TOPIC_ARN"
BUDGET_NAME="${{APP}}-monthly"
if ! aws budgets describe-budget --account-id "$AWS_ACCOUNT_ID" --budget-name "$BUDGET_NAME" >/dev/null 2>&1; then
  BUDGET="BudgetName=${{BUDGET_NAME}},BudgetLimit={{Amount={budget:.0},Unit=USD}},TimeUnit=MONTHLY,BudgetType=COST"
  if [ -n "$ALERT_EMAIL" ]; then
    # Email the forecast: an SNS subscriber would also need a topic policy for budgets.amazonaws.com.
    aws budgets create-budget --account-id "$AWS_ACCOUNT_ID" --budget "$BUDGET" \
      --notifications-with-subscribers "Notification={{NotificationType=FORECASTED,ComparisonOperator=GREATER_THAN,Threshold=100,ThresholdType=PERCENTAGE}},Subscribers=[{{SubscriptionType=EMAIL,Address=${{ALERT_EMAIL}}}}]"
  else
    aws budgets create-budget --account-id "$AWS_ACCOUNT_ID" --budget "$BUDGET"
    printf 'note: set ALERT_EMAIL to be emailed when the forecast passes the budget\n' >&2
  fi
fi

ALB_DNS="$(aws elbv2 describe-load-balancers --load-balancer-arns "$ALB_ARN" --query 'LoadBalancers[0].DNSName' --output text)"
CF_DNS="$(aws cloudfront get-distribution --id "$DIST_ID" --query Distribution.DomainName --output text)"
printf '\nDone. API: http://%s  Frontend: https://%s\n' "$ALB_DNS" "$CF_DNS"
printf 'Budget alarm at %s USD a month (the planner projects %s USD).\n' "{budget:.0}" "{monthly}"
"#,
        // Alarm at twice the planned p95, in seconds.
        p95_s = c.p.capacity.p95_ms.unwrap_or(1000.0) / 1000.0 * 2.0,
        conn_alarm = (c.p.capacity.db_max_connections as f64 * 0.8).floor() as u32,
        budget = budget,
        monthly = c.monthly,
    ));
    if s.backend.launch_type == LaunchType::Ec2 {
        out.push_str("# Note: the planner's scenario uses a fixed EC2 fleet; this script deploys the Fargate option the\n# document recommends. Compare both in the planner's auto scaling panel.\n");
    }
    out
}

/// CloudWatch Logs accepts only certain retention values.
fn retention_days(months: f64) -> u32 {
    const ALLOWED: [u32; 22] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
    let days = (months * 30.0).round().max(1.0) as u32;
    *ALLOWED.iter().find(|&&d| d >= days).unwrap_or(&3653)
}

pub fn teardown(c: &Context) -> String {
    let s = c.s;
    let mut out = String::from("#!/usr/bin/env bash\n");
    out.push_str(&c.header("#"));
    out.push_str(&format!(
        r#"#
# Removes what deploy.sh created, in reverse order. The database is deleted only with
# --delete-database, and then after a final snapshot; without it the database is kept.
# Usage: ./teardown.sh [--delete-database] [--yes]
set -euo pipefail

{settings}
AWS_REGION="${{AWS_REGION:-$PLAN_REGION}}"
export AWS_REGION AWS_DEFAULT_REGION="$AWS_REGION"
DB_ID="${{APP}}-db"
CACHE_ID="${{APP}}-cache"
REPO="${{APP}}-backend"
LOG_GROUP="/ecs/${{APP}}-backend"
PARAM_PREFIX="/${{APP}}"
DELETE_DATABASE=0
ASSUME_YES=0
for arg in "$@"; do
  case "$arg" in
    --delete-database) DELETE_DATABASE=1 ;;
    --yes) ASSUME_YES=1 ;;
    *) printf 'teardown.sh: unknown argument %s\n' "$arg" >&2; exit 2 ;;
  esac
done
command -v aws >/dev/null || {{ echo "teardown.sh: aws is not installed" >&2; exit 1; }}
command -v jq >/dev/null || {{ echo "teardown.sh: jq is not installed" >&2; exit 1; }}
AWS_ACCOUNT_ID="${{AWS_ACCOUNT_ID:-$(aws sts get-caller-identity --query Account --output text)}}"
BUCKET="${{BUCKET:-${{APP}}-frontend-${{AWS_ACCOUNT_ID}}}}"
if [ "$ASSUME_YES" != "1" ]; then
  read -r -p "Delete the ${{APP}} deployment in ${{AWS_REGION}} (account ${{AWS_ACCOUNT_ID}})? Type the app name: " answer
  [ "$answer" = "$APP" ] || {{ echo "Cancelled."; exit 1; }}
fi
step() {{ printf '\n==> %s\n' "$*"; }}
quiet() {{ "$@" >/dev/null 2>&1 || true; }}

step "Auto scaling, alarms and the service"
quiet aws application-autoscaling deregister-scalable-target --service-namespace ecs \
  --scalable-dimension ecs:service:DesiredCount --resource-id "service/${{CLUSTER}}/${{SERVICE}}"
quiet aws cloudwatch delete-alarms --alarm-names "${{APP}}-cpu-high" "${{APP}}-cpu-low" "${{APP}}-alb-5xx" \
  "${{APP}}-alb-latency" "${{APP}}-memory-high" "${{APP}}-db-cpu" "${{APP}}-db-connections"
if [ "$(aws ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" --query 'services[0].status' --output text 2>/dev/null || true)" = "ACTIVE" ]; then
  aws ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --desired-count 0 >/dev/null
  aws ecs delete-service --cluster "$CLUSTER" --service "$SERVICE" --force >/dev/null
  aws ecs wait services-inactive --cluster "$CLUSTER" --services "$SERVICE"
fi

step "Load balancer"
ALB_ARN="$(aws elbv2 describe-load-balancers --names "${{APP}}-alb" --query 'LoadBalancers[0].LoadBalancerArn' --output text 2>/dev/null || true)"
if [ -n "$ALB_ARN" ] && [ "$ALB_ARN" != "None" ]; then
  aws elbv2 delete-load-balancer --load-balancer-arn "$ALB_ARN"
  aws elbv2 wait load-balancers-deleted --load-balancer-arns "$ALB_ARN"
fi
TG_ARN="$(aws elbv2 describe-target-groups --names "${{APP}}-tg" --query 'TargetGroups[0].TargetGroupArn' --output text 2>/dev/null || true)"
if [ -n "$TG_ARN" ] && [ "$TG_ARN" != "None" ]; then
  aws elbv2 delete-target-group --target-group-arn "$TG_ARN"
fi

step "Cluster, task definitions, image repository, logs, roles"
for arn in $(aws ecs list-task-definitions --family-prefix "$FAMILY" --query 'taskDefinitionArns[]' --output text); do
  quiet aws ecs deregister-task-definition --task-definition "$arn"
done
quiet aws ecs delete-cluster --cluster "$CLUSTER"
quiet aws ecr delete-repository --repository-name "$REPO" --force
quiet aws logs delete-log-group --log-group-name "$LOG_GROUP"
quiet aws iam detach-role-policy --role-name "${{APP}}-ecs-execution" \
  --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
quiet aws iam delete-role-policy --role-name "${{APP}}-ecs-execution" --policy-name read-app-parameters
quiet aws iam delete-role --role-name "${{APP}}-ecs-execution"
quiet aws iam delete-role --role-name "${{APP}}-ecs-task"

step "Frontend: CloudFront and S3"
DIST_ID="$(aws cloudfront list-distributions --query "DistributionList.Items[?Origins.Items[0].DomainName=='${{BUCKET}}.s3.${{AWS_REGION}}.amazonaws.com'].Id | [0]" --output text)"
if [ -n "$DIST_ID" ] && [ "$DIST_ID" != "None" ]; then
  ETAG="$(aws cloudfront get-distribution-config --id "$DIST_ID" --query ETag --output text)"
  CONFIG="$(aws cloudfront get-distribution-config --id "$DIST_ID" --query DistributionConfig | jq '.Enabled = false')"
  aws cloudfront update-distribution --id "$DIST_ID" --if-match "$ETAG" --distribution-config "$CONFIG" >/dev/null
  aws cloudfront wait distribution-deployed --id "$DIST_ID"
  ETAG="$(aws cloudfront get-distribution-config --id "$DIST_ID" --query ETag --output text)"
  aws cloudfront delete-distribution --id "$DIST_ID" --if-match "$ETAG"
fi
OAC_ID="$(aws cloudfront list-origin-access-controls --query "OriginAccessControlList.Items[?Name=='${{APP}}-oac'].Id | [0]" --output text)"
if [ -n "$OAC_ID" ] && [ "$OAC_ID" != "None" ]; then
  OAC_ETAG="$(aws cloudfront get-origin-access-control --id "$OAC_ID" --query ETag --output text)"
  quiet aws cloudfront delete-origin-access-control --id "$OAC_ID" --if-match "$OAC_ETAG"
fi
if aws s3api head-bucket --bucket "$BUCKET" >/dev/null 2>&1; then
  aws s3 rm "s3://${{BUCKET}}" --recursive >/dev/null
  aws s3api delete-bucket --bucket "$BUCKET"
fi

step "Cache"
quiet aws elasticache delete-replication-group --replication-group-id "$CACHE_ID"
quiet aws elasticache delete-cache-cluster --cache-cluster-id "$CACHE_ID"
quiet aws elasticache wait replication-group-deleted --replication-group-id "$CACHE_ID"
quiet aws elasticache wait cache-cluster-deleted --cache-cluster-id "$CACHE_ID"
quiet aws elasticache delete-cache-subnet-group --cache-subnet-group-name "${{APP}}-cache-subnets"

step "Database"
if [ "$DELETE_DATABASE" = "1" ]; then
  for i in $(seq 1 "$REPLICAS"); do
    quiet aws rds delete-db-instance --db-instance-identifier "${{DB_ID}}-replica-${{i}}" --skip-final-snapshot
  done
  for i in $(seq 1 "$REPLICAS"); do
    quiet aws rds wait db-instance-deleted --db-instance-identifier "${{DB_ID}}-replica-${{i}}"
  done
  if aws rds describe-db-instances --db-instance-identifier "$DB_ID" >/dev/null 2>&1; then
    SNAPSHOT="${{DB_ID}}-final-$(date +%Y%m%d%H%M%S)"
    aws rds delete-db-instance --db-instance-identifier "$DB_ID" --final-db-snapshot-identifier "$SNAPSHOT" >/dev/null
    aws rds wait db-instance-deleted --db-instance-identifier "$DB_ID"
    printf 'Final snapshot kept: %s\n' "$SNAPSHOT"
  fi
  quiet aws rds delete-db-subnet-group --db-subnet-group-name "${{APP}}-db-subnets"
else
  printf 'Database %s kept (pass --delete-database to delete it after a final snapshot).\n' "$DB_ID"
fi

step "Parameters, security groups, alerts, budget"
quiet aws ssm delete-parameters --names "${{PARAM_PREFIX}}/DATABASE_URL" "${{PARAM_PREFIX}}/DATABASE_READ_URL" "${{PARAM_PREFIX}}/REDIS_URL"
for name in "${{APP}}-cache" "${{APP}}-tasks" "${{APP}}-alb"; do
  id="$(aws ec2 describe-security-groups --filters "Name=group-name,Values=${{name}}" --query 'SecurityGroups[0].GroupId' --output text 2>/dev/null || true)"
  if [ -n "$id" ] && [ "$id" != "None" ]; then quiet aws ec2 delete-security-group --group-id "$id"; fi
done
if [ "$DELETE_DATABASE" = "1" ]; then
  id="$(aws ec2 describe-security-groups --filters "Name=group-name,Values=${{APP}}-db" --query 'SecurityGroups[0].GroupId' --output text 2>/dev/null || true)"
  if [ -n "$id" ] && [ "$id" != "None" ]; then quiet aws ec2 delete-security-group --group-id "$id"; fi
fi
TOPIC_ARN="arn:aws:sns:${{AWS_REGION}}:${{AWS_ACCOUNT_ID}}:${{APP}}-alerts"
quiet aws sns delete-topic --topic-arn "$TOPIC_ARN"
quiet aws budgets delete-budget --account-id "$AWS_ACCOUNT_ID" --budget-name "${{APP}}-monthly"
printf '\nTeardown of %s finished.\n' "$APP"
"#,
        settings = shell::settings_block(&[
            ("APP", c.app.clone()),
            ("PLAN_REGION", c.region.clone()),
            ("CLUSTER", c.cluster()),
            ("SERVICE", c.service()),
            ("FAMILY", c.family()),
            ("REPLICAS", s.database.read_replicas.to_string()),
        ]),
    ));
    out
}
