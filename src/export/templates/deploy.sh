#!/usr/bin/env bash
# @PLANNER_HEADER@
#
# Runs the planning document's migration phases 1-5 and its monitoring with the AWS CLI.
# Safe to re-run: every step first checks whether its resource exists, so a run that stopped
# half-way resumes where it left off, and a second run creates nothing twice (it registers a
# new task-definition revision and rolls the service onto it). No password or secret is written
# to any file or passed as an argument: RDS keeps the master password in Secrets Manager
# (--manage-master-user-password), the tasks read it from there as PGPASSWORD when they start
# and their connection strings (without password) from SSM Parameter Store SecureStrings. After
# RDS rotates the secret, tasks started before keep the old password until they are replaced:
# `aws ecs update-service --force-new-deployment` (or re-run this script) starts fresh ones.
# KNOWN LIMIT: RDS rotates it every 7 days by default and nothing here reacts to that yet: after
# each rotation, new database connections of running tasks fail until a new deployment (the
# secret's NextRotationDate says when; `aws secretsmanager describe-secret --secret-id ARN`).
#
# Needs: aws (CLI v2, or v1), jq, docker; pg_dump, psql and curl for the data migration
# (MIGRATE_DATA=1).
# Usage: VPC_ID=vpc-... PUBLIC_SUBNETS=subnet-a,subnet-b [PRIVATE_SUBNETS=...] BACKEND_DIR=... ./deploy.sh
# SKIP_SERVICE_STABLE_WAIT=1 skips only `aws ecs wait services-stable` (for a mock AWS that
# runs no containers; never needed against AWS).
set -euo pipefail

# @PLANNER_SETTINGS@

# ---- Settings from your environment ------------------------------------------------------------
fail() { printf 'deploy.sh: %s\n' "$*" >&2; exit 1; }
# shellcheck source-path=SCRIPTDIR source=preamble.sh
. "${HERE}/preamble.sh"
LOCAL_DATABASE="${LOCAL_DATABASE:-bridge}"
MIGRATE_DATA="${MIGRATE_DATA:-0}"
SKIP_SERVICE_STABLE_WAIT="${SKIP_SERVICE_STABLE_WAIT:-0}"

# True when a describe/query printed nothing usable.
missing() { [ -z "$1" ] || [ "$1" = "None" ] || [ "$1" = "null" ]; }

# Every input is checked before anything is created.
for tool in aws jq docker; do command -v "$tool" >/dev/null || fail "$tool is not installed"; done
need VPC_ID "the VPC to deploy into (vpc-...)"
need PUBLIC_SUBNETS "comma-separated public subnet IDs in two or more AZs, for the ALB"
IFS=',' read -r -a PUBLIC_SUBNET_LIST <<< "$PUBLIC_SUBNETS"
[ "${#PUBLIC_SUBNET_LIST[@]}" -ge 2 ] || fail "set PUBLIC_SUBNETS: an ALB needs subnets in two or more AZs (got ${PUBLIC_SUBNETS})"
if [ "$TASKS_IN_PRIVATE_SUBNETS" = true ]; then
  need PRIVATE_SUBNETS "comma-separated private subnet IDs for the tasks, database and cache"
  TASK_SUBNETS="$PRIVATE_SUBNETS"
  ASSIGN_PUBLIC_IP=DISABLED
else
  TASK_SUBNETS="${PRIVATE_SUBNETS:-$PUBLIC_SUBNETS}"
  ASSIGN_PUBLIC_IP=ENABLED
fi
# Tasks on EC2 instances cannot have public IPs (the instances get them in public subnets).
if [ "$LAUNCH_TYPE" = ec2 ]; then ASSIGN_PUBLIC_IP=DISABLED; fi
DATA_SUBNETS="${PRIVATE_SUBNETS:-$PUBLIC_SUBNETS}"
IFS=',' read -r -a DATA_SUBNET_LIST <<< "$DATA_SUBNETS"
# RDS creates read replicas only from an instance with automated backups (CreateDBInstanceReadReplica).
if [ "$DB_REPLICAS" -gt 0 ] && [ "$DB_BACKUP_DAYS" -eq 0 ]; then
  fail "the plan has read replicas but no automated backups, which RDS needs for replicas: set the backup retention to 1 day or more in the planner"
fi
[ -d "$BACKEND_DIR" ] || fail "set BACKEND_DIR: the backend's source directory to build the image from (${BACKEND_DIR} not found)"
for file in "$TASKDEF_FILE" "$SERVICE_FILE" "$SCALABLE_TARGET_FILE" "$POLICY_FILE" "$CLOUDFRONT_FILE" "$DOCKERFILE_FILE"; do
  [ -f "${HERE}/${file}" ] || fail "${file} is missing: keep the exported files next to deploy.sh"
done
[ -f "$DOCKERFILE" ] || fail "set DOCKERFILE: ${DOCKERFILE} does not exist"
AWS_ACCOUNT_ID="${AWS_ACCOUNT_ID:-$(aws sts get-caller-identity --query Account --output text)}"
REGISTRY="${AWS_ACCOUNT_ID}.dkr.ecr.${AWS_REGION}.amazonaws.com"
IMAGE="${REGISTRY}/${REPO}:${IMAGE_TAG}"
BUCKET="${BUCKET:-${BUCKET_PREFIX}${AWS_ACCOUNT_ID}}"

# A security group by name in the VPC: its ID, created when missing.
security_group() {
  local name="$1" description="$2" id
  id="$(aws ec2 describe-security-groups --filters "Name=group-name,Values=${name}" "Name=vpc-id,Values=${VPC_ID}" \
    --query 'SecurityGroups[0].GroupId' --output text)"
  if missing "$id"; then
    id="$(aws ec2 create-security-group --group-name "$name" --description "$description" --vpc-id "$VPC_ID" \
      --query GroupId --output text)"
  fi
  printf '%s' "$id"
}
# Allows TCP on a port from another security group or a CIDR; quiet when the rule exists.
allow() {
  local group="$1" port="$2" source="$3"
  if [[ "$source" == sg-* ]]; then
    aws ec2 authorize-security-group-ingress --group-id "$group" --protocol tcp --port "$port" --source-group "$source" >/dev/null 2>&1 || true
  else
    aws ec2 authorize-security-group-ingress --group-id "$group" --protocol tcp --port "$port" --cidr "$source" >/dev/null 2>&1 || true
  fi
}

step "Network: security groups"
ALB_SG="$(security_group "$ALB_SG_NAME" "ALB for ${APP}")"
allow "$ALB_SG" 443 0.0.0.0/0
allow "$ALB_SG" 80 0.0.0.0/0
TASK_SG="$(security_group "$TASK_SG_NAME" "ECS tasks for ${APP}")"
allow "$TASK_SG" "$CONTAINER_PORT" "$ALB_SG"
DB_SG="$(security_group "$DB_SG_NAME" "RDS for ${APP}")"
allow "$DB_SG" 5432 "$TASK_SG"
CACHE_SG="$(security_group "$CACHE_SG_NAME" "ElastiCache for ${APP}")"
allow "$CACHE_SG" 6379 "$TASK_SG"

# ---- Phase 1: database ----------------------------------------------------------------------------
step "Phase 1: RDS PostgreSQL"
if ! aws rds describe-db-subnet-groups --db-subnet-group-name "$DB_SUBNET_GROUP" >/dev/null 2>&1; then
  aws rds create-db-subnet-group --db-subnet-group-name "$DB_SUBNET_GROUP" \
    --db-subnet-group-description "Subnets for ${APP}" --subnet-ids "${DATA_SUBNET_LIST[@]}" >/dev/null
fi
if ! aws rds describe-db-instances --db-instance-identifier "$DB_ID" >/dev/null 2>&1; then
  MULTI_AZ_FLAG=--no-multi-az
  if [ "$DB_MULTI_AZ" = true ]; then MULTI_AZ_FLAG=--multi-az; fi
  aws rds create-db-instance \
    --db-instance-identifier "$DB_ID" \
    --db-instance-class "$DB_CLASS" \
    --engine postgres \
    --master-username "$DB_USER" \
    --manage-master-user-password \
    --db-name "$DB_NAME" \
    --allocated-storage "$DB_STORAGE_GB" \
    --storage-type "$DB_STORAGE_TYPE" \
    --storage-encrypted \
    "$MULTI_AZ_FLAG" \
    --backup-retention-period "$DB_BACKUP_DAYS" \
    --db-subnet-group-name "$DB_SUBNET_GROUP" \
    --vpc-security-group-ids "$DB_SG" \
    --no-publicly-accessible \
    --copy-tags-to-snapshot \
    --tags "Key=app,Value=${APP}" >/dev/null
fi
aws rds wait db-instance-available --db-instance-identifier "$DB_ID"
for i in $(seq 1 "$DB_REPLICAS"); do
  if ! aws rds describe-db-instances --db-instance-identifier "${DB_ID}-replica-${i}" >/dev/null 2>&1; then
    aws rds create-db-instance-read-replica --db-instance-identifier "${DB_ID}-replica-${i}" \
      --source-db-instance-identifier "$DB_ID" --db-instance-class "$DB_CLASS" --no-publicly-accessible >/dev/null
  fi
done
read -r DB_HOST DB_SECRET_ARN < <(aws rds describe-db-instances --db-instance-identifier "$DB_ID" \
  --query 'DBInstances[0].[Endpoint.Address,MasterUserSecret.SecretArn]' --output text)
missing "$DB_SECRET_ARN" && fail "${DB_ID} has no RDS-managed master secret (MasterUserSecret): the tasks read the password from it; enable it with aws rds modify-db-instance --db-instance-identifier ${DB_ID} --manage-master-user-password"
READ_HOST="$DB_HOST"
if [ "$DB_REPLICAS" -gt 0 ]; then
  aws rds wait db-instance-available --db-instance-identifier "${DB_ID}-replica-1"
  READ_HOST="$(aws rds describe-db-instances --db-instance-identifier "${DB_ID}-replica-1" \
    --query 'DBInstances[0].Endpoint.Address' --output text)"
fi
# The password stays in Secrets Manager and in memory: never on a command line or in a file.
db_password() {
  aws secretsmanager get-secret-value --secret-id "$DB_SECRET_ARN" --query SecretString --output text | jq -r .password
}
# shellcheck source-path=SCRIPTDIR source=connection-secrets.sh
. "${HERE}/connection-secrets.sh"

if [ "$MIGRATE_DATA" = "1" ]; then
  step "Phase 1: copy the local database (run from a host that can reach ${DB_HOST})"
  if ! command -v pg_dump >/dev/null || ! command -v psql >/dev/null; then fail "pg_dump and psql are needed for MIGRATE_DATA=1"; fi
  if ! command -v curl >/dev/null; then fail "curl is needed for MIGRATE_DATA=1 (it fetches RDS's CA bundle)"; fi
  DUMP_FILE="$(mktemp)"
  CA_FILE="$(mktemp)"
  trap 'rm -f "$DUMP_FILE" "$CA_FILE"' EXIT
  # The master password goes only to a server whose certificate RDS's CAs signed for DB_HOST
  # (verify-full, as the app's DATABASE_URL): require would send it to anyone on the path.
  # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html
  # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html
  curl -fsS --proto '=https' --tlsv1.2 -o "$CA_FILE" "$RDS_CA_BUNDLE_URL" \
    || fail "could not download RDS's CA bundle from ${RDS_CA_BUNDLE_URL}"
  pg_dump --no-owner --no-privileges "$LOCAL_DATABASE" > "$DUMP_FILE"
  PGPASSWORD="$(db_password)" PGSSLMODE=verify-full PGSSLROOTCERT="$CA_FILE" \
    psql -h "$DB_HOST" -U "$DB_USER" -d "$DB_NAME" -v ON_ERROR_STOP=1 -f "$DUMP_FILE"
fi

step "Phase 1: ElastiCache (${CACHE_ENGINE})"
if ! aws elasticache describe-cache-subnet-groups --cache-subnet-group-name "$CACHE_SUBNET_GROUP" >/dev/null 2>&1; then
  aws elasticache create-cache-subnet-group --cache-subnet-group-name "$CACHE_SUBNET_GROUP" \
    --cache-subnet-group-description "Subnets for ${APP}" --subnet-ids "${DATA_SUBNET_LIST[@]}" >/dev/null
fi
# The engine (redis or valkey), its version and the default parameter group of its family
# (default.valkey8, default.valkey8.cluster.on, default.redis7.cluster.on); Redis OSS without
# cluster mode takes ElastiCache's default version and group.
ENGINE_ARGS=(--engine "$CACHE_ENGINE")
if [ -n "$CACHE_ENGINE_VERSION" ]; then ENGINE_ARGS+=(--engine-version "$CACHE_ENGINE_VERSION"); fi
if [ -n "$CACHE_PARAMETER_GROUP" ]; then ENGINE_ARGS+=(--cache-parameter-group-name "$CACHE_PARAMETER_GROUP"); fi
# A re-run with another engine in the plan: ElastiCache switches a replication group from Redis
# OSS to Valkey in place (ModifyReplicationGroup with the new engine, version and parameter group;
# same endpoints). It has no way back from Valkey to Redis OSS, and a single-node cluster must
# first become a replication group: those stop here rather than leave the old engine running.
# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/VersionManagement.HowTo.html
engine_mismatch() {
  fail "the cache ${CACHE_ID} runs ${1} but the plan says ${CACHE_ENGINE}, and ElastiCache $2. Keep ${1} in the planner and export again, or delete the cache (teardown.sh) and re-run"
}
if [ "$CACHE_LAYOUT" = single ]; then
  # One node: a cache cluster, plain redis:// (in-transit encryption needs a replication group).
  if ! aws elasticache describe-cache-clusters --cache-cluster-id "$CACHE_ID" >/dev/null 2>&1; then
    aws elasticache create-cache-cluster --cache-cluster-id "$CACHE_ID" "${ENGINE_ARGS[@]}" \
      --cache-node-type "$CACHE_NODE_TYPE" --num-cache-nodes 1 \
      --cache-subnet-group-name "$CACHE_SUBNET_GROUP" --security-group-ids "$CACHE_SG" >/dev/null
  else
    RUNNING_ENGINE="$(aws elasticache describe-cache-clusters --cache-cluster-id "$CACHE_ID" \
      --query 'CacheClusters[0].Engine' --output text)"
    if ! missing "$RUNNING_ENGINE" && [ "$RUNNING_ENGINE" != "$CACHE_ENGINE" ]; then
      engine_mismatch "$RUNNING_ENGINE" "changes the engine in place only for a replication group, from redis to valkey"
    fi
  fi
  aws elasticache wait cache-cluster-available --cache-cluster-id "$CACHE_ID"
  REDIS_HOST="$(aws elasticache describe-cache-clusters --cache-cluster-id "$CACHE_ID" --show-cache-node-info \
    --query 'CacheClusters[0].CacheNodes[0].Endpoint.Address' --output text)"
  REDIS_SCHEME=redis
else
  # A replication group: sharded (cluster mode, configuration endpoint) or one shard with
  # replicas for failover (primary endpoint).
  if [ "$CACHE_LAYOUT" = cluster ]; then
    # Cluster mode requires automatic failover (CreateReplicationGroup, AutomaticFailoverEnabled)
    # and a `.cluster.on` parameter group of the engine version's family (ENGINE_ARGS).
    TOPOLOGY=(--num-node-groups "$CACHE_SHARDS" --replicas-per-node-group "$CACHE_REPLICAS_PER_SHARD"
      --automatic-failover-enabled)
    ENDPOINT_QUERY='ReplicationGroups[0].ConfigurationEndpoint.Address'
  else
    TOPOLOGY=(--num-cache-clusters "$((1 + CACHE_REPLICAS_PER_SHARD))" --automatic-failover-enabled --multi-az-enabled)
    ENDPOINT_QUERY='ReplicationGroups[0].NodeGroups[0].PrimaryEndpoint.Address'
  fi
  if ! aws elasticache describe-replication-groups --replication-group-id "$CACHE_ID" >/dev/null 2>&1; then
    aws elasticache create-replication-group --replication-group-id "$CACHE_ID" \
      --replication-group-description "Cache (${CACHE_ENGINE}) for ${APP}" "${ENGINE_ARGS[@]}" \
      --cache-node-type "$CACHE_NODE_TYPE" "${TOPOLOGY[@]}" \
      --transit-encryption-enabled --at-rest-encryption-enabled \
      --cache-subnet-group-name "$CACHE_SUBNET_GROUP" --security-group-ids "$CACHE_SG" >/dev/null
  else
    RUNNING_ENGINE="$(aws elasticache describe-replication-groups --replication-group-id "$CACHE_ID" \
      --query 'ReplicationGroups[0].Engine' --output text)"
    if missing "$RUNNING_ENGINE" || [ "$RUNNING_ENGINE" = "$CACHE_ENGINE" ]; then
      :
    elif [ "$RUNNING_ENGINE" = redis ] && [ "$CACHE_ENGINE" = valkey ]; then
      printf 'Switching the cache %s from Redis OSS to Valkey in place (same endpoints)\n' "$CACHE_ID"
      aws elasticache modify-replication-group --replication-group-id "$CACHE_ID" "${ENGINE_ARGS[@]}" \
        --apply-immediately >/dev/null
    else
      engine_mismatch "$RUNNING_ENGINE" "has no in-place change from ${RUNNING_ENGINE} to ${CACHE_ENGINE}"
    fi
  fi
  aws elasticache wait replication-group-available --replication-group-id "$CACHE_ID"
  REDIS_HOST="$(aws elasticache describe-replication-groups --replication-group-id "$CACHE_ID" \
    --query "$ENDPOINT_QUERY" --output text)"
  REDIS_SCHEME=rediss
fi
put_secret_param REDIS_URL "${REDIS_SCHEME}://${REDIS_HOST}:6379"

# ---- Phase 2: backend container -------------------------------------------------------------------
step "Phase 2: ECR repository and image"
aws ecr describe-repositories --repository-names "$REPO" >/dev/null 2>&1 \
  || aws ecr create-repository --repository-name "$REPO" --image-scanning-configuration scanOnPush=true >/dev/null
# shellcheck source-path=SCRIPTDIR source=image-push.sh
. "${HERE}/image-push.sh"

# ---- Phase 3: ECS (Fargate, or the EC2 fleet) -----------------------------------------------------
step "Phase 3: log group, IAM roles, cluster, task definition"
aws logs describe-log-groups --log-group-name-prefix "$LOG_GROUP" --query 'logGroups[].logGroupName' --output text \
  | tr '\t' '\n' | grep -xF "$LOG_GROUP" >/dev/null \
  || aws logs create-log-group --log-group-name "$LOG_GROUP"
aws logs put-retention-policy --log-group-name "$LOG_GROUP" --retention-in-days "$LOG_RETENTION_DAYS"
TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
for role in "$EXECUTION_ROLE" "$TASK_ROLE"; do
  aws iam get-role --role-name "$role" >/dev/null 2>&1 \
    || aws iam create-role --role-name "$role" --assume-role-policy-document "$TRUST" >/dev/null
done
aws iam attach-role-policy --role-name "$EXECUTION_ROLE" \
  --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
PARAMS_ARN="arn:aws:ssm:${AWS_REGION}:${AWS_ACCOUNT_ID}:parameter${PARAM_PREFIX}/*"
# The execution role reads the connection strings and the database password (the secret RDS
# manages, encrypted with the AWS managed key, which needs no kms grant).
aws iam put-role-policy --role-name "$EXECUTION_ROLE" --policy-name "$PARAMS_POLICY" \
  --policy-document "$(jq -nc --arg resource "$PARAMS_ARN" --arg secret "$DB_SECRET_ARN" \
    '{Version: "2012-10-17", Statement: [{Effect: "Allow", Action: ["ssm:GetParameters"], Resource: $resource},
      {Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: $secret}]}')"
aws ecs describe-clusters --clusters "$CLUSTER" --query "clusters[?status=='ACTIVE'].clusterName" --output text \
  | grep -xF "$CLUSTER" >/dev/null \
  || aws ecs create-cluster --cluster-name "$CLUSTER" --capacity-providers FARGATE FARGATE_SPOT \
       --settings name=containerInsights,value=enabled >/dev/null
if [ "$LAUNCH_TYPE" = ec2 ]; then
  step "Phase 3: EC2 fleet (launch template, Auto Scaling group, capacity provider)"
  # Instances run the ECS agent under this role; awsvpc tasks each get a network interface
  # (instance types without ENI trunking, such as t3, place fewer tasks than vCPUs: see the ECS docs).
  EC2_TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
  aws iam get-role --role-name "$INSTANCE_ROLE" >/dev/null 2>&1 \
    || aws iam create-role --role-name "$INSTANCE_ROLE" --assume-role-policy-document "$EC2_TRUST" >/dev/null
  aws iam attach-role-policy --role-name "$INSTANCE_ROLE" \
    --policy-arn arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role
  if ! aws iam get-instance-profile --instance-profile-name "$INSTANCE_PROFILE" >/dev/null 2>&1; then
    aws iam create-instance-profile --instance-profile-name "$INSTANCE_PROFILE" >/dev/null
    aws iam add-role-to-instance-profile --instance-profile-name "$INSTANCE_PROFILE" --role-name "$INSTANCE_ROLE"
  fi
  if ! aws ec2 describe-launch-templates --launch-template-names "$LAUNCH_TEMPLATE" >/dev/null 2>&1; then
    # The current ECS-optimised Amazon Linux 2023 AMI, from its public SSM parameter.
    AMI_ID="$(aws ssm get-parameter --name "$EC2_AMI_PARAMETER" --query Parameter.Value --output text)"
    PUBLIC_IP=true
    if [ "$TASKS_IN_PRIVATE_SUBNETS" = true ]; then PUBLIC_IP=false; fi
    USER_DATA="$(printf '#!/bin/bash\necho ECS_CLUSTER=%s >> /etc/ecs/ecs.config\n' "$CLUSTER" | base64 | tr -d '\n')"
    LAUNCH_DATA="$(jq -nc --arg ami "$AMI_ID" --arg type "$EC2_INSTANCE_TYPE" --arg profile "$INSTANCE_PROFILE" \
      --arg sg "$TASK_SG" --arg user_data "$USER_DATA" --argjson public "$PUBLIC_IP" --argjson root "$EC2_ROOT_GB" '{
        ImageId: $ami, InstanceType: $type, IamInstanceProfile: {Name: $profile}, UserData: $user_data,
        NetworkInterfaces: [{DeviceIndex: 0, AssociatePublicIpAddress: $public, Groups: [$sg]}],
        MetadataOptions: {HttpTokens: "required", HttpPutResponseHopLimit: 2},
        BlockDeviceMappings: [{DeviceName: "/dev/xvda", Ebs: {VolumeSize: $root, VolumeType: "gp3", Encrypted: true}}]}')"
    aws ec2 create-launch-template --launch-template-name "$LAUNCH_TEMPLATE" --launch-template-data "$LAUNCH_DATA" >/dev/null
  fi
  # The plan prices a fixed fleet: the group holds exactly EC2_INSTANCES instances.
  ASG_ARN="$(aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names "$ASG_NAME" \
    --query 'AutoScalingGroups[0].AutoScalingGroupARN' --output text)"
  if missing "$ASG_ARN"; then
    aws autoscaling create-auto-scaling-group --auto-scaling-group-name "$ASG_NAME" \
      --launch-template "LaunchTemplateName=${LAUNCH_TEMPLATE},Version=\$Latest" \
      --min-size "$EC2_INSTANCES" --max-size "$EC2_INSTANCES" --desired-capacity "$EC2_INSTANCES" \
      --vpc-zone-identifier "$TASK_SUBNETS" --tags "Key=app,Value=${APP},PropagateAtLaunch=true"
    ASG_ARN="$(aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names "$ASG_NAME" \
      --query 'AutoScalingGroups[0].AutoScalingGroupARN' --output text)"
  fi
  if [ "$(aws ecs describe-capacity-providers --capacity-providers "$CAPACITY_PROVIDER" \
      --query 'capacityProviders[0].status' --output text)" != ACTIVE ]; then
    aws ecs create-capacity-provider --name "$CAPACITY_PROVIDER" --auto-scaling-group-provider \
      "autoScalingGroupArn=${ASG_ARN},managedScaling={status=ENABLED,targetCapacity=100},managedTerminationProtection=DISABLED" >/dev/null
  fi
  aws ecs put-cluster-capacity-providers --cluster "$CLUSTER" --capacity-providers FARGATE FARGATE_SPOT "$CAPACITY_PROVIDER" \
    --default-capacity-provider-strategy "capacityProvider=${CAPACITY_PROVIDER},weight=1" >/dev/null
fi
# The task definition as exported, with this account's ARNs, the pushed image and the database
# password read from the `password` key of the RDS-managed secret.
TASKDEF="$(jq --arg account "$AWS_ACCOUNT_ID" --arg image "$IMAGE" --arg secret "$DB_SECRET_ARN" '
  .executionRoleArn |= sub("111122223333"; $account) | .taskRoleArn |= sub("111122223333"; $account)
  | .containerDefinitions[0].image = $image
  | .containerDefinitions[0].secrets |= map(if .name == "PGPASSWORD" then .valueFrom = ($secret + ":password::")
      else .valueFrom |= sub("111122223333"; $account) end)' "${HERE}/${TASKDEF_FILE}")"
TASKDEF_ARN="$(aws ecs register-task-definition --cli-input-json "$TASKDEF" --query taskDefinition.taskDefinitionArn --output text)"

# ---- Phase 4: frontend ----------------------------------------------------------------------------
step "Phase 4: S3 bucket, upload, CloudFront with origin access control"
if ! aws s3api head-bucket --bucket "$BUCKET" >/dev/null 2>&1; then
  if [ "$AWS_REGION" = "us-east-1" ]; then
    aws s3api create-bucket --bucket "$BUCKET" >/dev/null
  else
    aws s3api create-bucket --bucket "$BUCKET" --create-bucket-configuration "LocationConstraint=${AWS_REGION}" >/dev/null
  fi
fi
aws s3api put-public-access-block --bucket "$BUCKET" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
# shellcheck source-path=SCRIPTDIR source=frontend-upload.sh
. "${HERE}/frontend-upload.sh"
OAC_ID="$(aws cloudfront list-origin-access-controls \
  --query "OriginAccessControlList.Items[?Name=='${OAC_NAME}'].Id | [0]" --output text)"
if missing "$OAC_ID"; then
  OAC_ID="$(aws cloudfront create-origin-access-control --origin-access-control-config \
    "Name=${OAC_NAME},SigningProtocol=sigv4,SigningBehavior=always,OriginAccessControlOriginType=s3" \
    --query OriginAccessControl.Id --output text)"
fi
BUCKET_DOMAIN="${BUCKET}.s3.${AWS_REGION}.amazonaws.com"
DIST_ID="$(aws cloudfront list-distributions \
  --query "DistributionList.Items[?Origins.Items[0].DomainName=='${BUCKET_DOMAIN}'].Id | [0]" --output text)"
if missing "$DIST_ID"; then
  CF_CONFIG="$(jq --arg domain "$BUCKET_DOMAIN" --arg oac "$OAC_ID" --arg ref "${APP}-$(date +%s)" '
    .Origins.Items[0].DomainName = $domain | .Origins.Items[0].OriginAccessControlId = $oac | .CallerReference = $ref' \
    "${HERE}/${CLOUDFRONT_FILE}")"
  DIST_ID="$(aws cloudfront create-distribution --distribution-config "$CF_CONFIG" --query Distribution.Id --output text)"
fi
DIST_ARN="arn:aws:cloudfront::${AWS_ACCOUNT_ID}:distribution/${DIST_ID}"
aws s3api put-bucket-policy --bucket "$BUCKET" --policy "$(jq -nc --arg bucket "$BUCKET" --arg dist "$DIST_ARN" '{
  Version: "2012-10-17",
  Statement: [{Effect: "Allow", Principal: {Service: "cloudfront.amazonaws.com"}, Action: "s3:GetObject",
    Resource: ("arn:aws:s3:::" + $bucket + "/*"), Condition: {StringEquals: {"AWS:SourceArn": $dist}}}]}')"

# ---- Phase 5: load balancer, service and auto scaling ---------------------------------------------
step "Phase 5: ALB, target group (ip), listener"
ALB_ARN="$(aws elbv2 describe-load-balancers --names "$ALB_NAME" --query 'LoadBalancers[0].LoadBalancerArn' --output text 2>/dev/null || true)"
if missing "$ALB_ARN"; then
  ALB_ARN="$(aws elbv2 create-load-balancer --name "$ALB_NAME" --type application --scheme internet-facing \
    --subnets "${PUBLIC_SUBNET_LIST[@]}" --security-groups "$ALB_SG" --query 'LoadBalancers[0].LoadBalancerArn' --output text)"
fi
TG_ARN="$(aws elbv2 describe-target-groups --names "$TG_NAME" --query 'TargetGroups[0].TargetGroupArn' --output text 2>/dev/null || true)"
if missing "$TG_ARN"; then
  TG_ARN="$(aws elbv2 create-target-group --name "$TG_NAME" --protocol HTTP --port "$CONTAINER_PORT" \
    --vpc-id "$VPC_ID" --target-type ip --health-check-path "$HEALTH_PATH" \
    --query 'TargetGroups[0].TargetGroupArn' --output text)"
fi
# The routing algorithm the planner's latency model assumes (round_robin or
# least_outstanding_requests); set on every run, so a re-plan changes it in place.
aws elbv2 modify-target-group-attributes --target-group-arn "$TG_ARN" \
  --attributes "Key=load_balancing.algorithm.type,Value=${TG_ALGORITHM}" >/dev/null
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
    | .networkConfiguration.awsvpcConfiguration.assignPublicIp = $ip' "${HERE}/${SERVICE_FILE}")"
  aws ecs create-service --cli-input-json "$SERVICE_JSON" >/dev/null
fi
if [ "$SKIP_SERVICE_STABLE_WAIT" = "1" ]; then
  printf 'note: SKIP_SERVICE_STABLE_WAIT=1: not waiting for the service to become stable\n' >&2
else
  aws ecs wait services-stable --cluster "$CLUSTER" --services "$SERVICE"
fi

step "Phase 5: auto scaling"
aws application-autoscaling register-scalable-target --cli-input-json "file://${HERE}/${SCALABLE_TARGET_FILE}"
if [ "$SCALING_POLICY" = target_tracking ]; then
  aws application-autoscaling put-scaling-policy --cli-input-json "file://${HERE}/${POLICY_FILE}" >/dev/null
else
  OUT_POLICY_ARN="$(aws application-autoscaling put-scaling-policy --cli-input-json "file://${HERE}/${POLICY_FILE}" \
    --query PolicyARN --output text)"
  IN_POLICY_ARN="$(aws application-autoscaling put-scaling-policy --cli-input-json "file://${HERE}/${POLICY_IN_FILE}" \
    --query PolicyARN --output text)"
  # The document's rule: out above SCALE_OUT_CPU % for SCALE_OUT_MINUTES, in below SCALE_IN_CPU % for SCALE_IN_MINUTES.
  aws cloudwatch put-metric-alarm --alarm-name "$ALARM_CPU_HIGH" --namespace AWS/ECS --metric-name CPUUtilization \
    --dimensions "Name=ClusterName,Value=${CLUSTER}" "Name=ServiceName,Value=${SERVICE}" --statistic Average \
    --period 60 --evaluation-periods "$SCALE_OUT_MINUTES" --threshold "$SCALE_OUT_CPU" --comparison-operator GreaterThanThreshold \
    --alarm-actions "$OUT_POLICY_ARN"
  aws cloudwatch put-metric-alarm --alarm-name "$ALARM_CPU_LOW" --namespace AWS/ECS --metric-name CPUUtilization \
    --dimensions "Name=ClusterName,Value=${CLUSTER}" "Name=ServiceName,Value=${SERVICE}" --statistic Average \
    --period 60 --evaluation-periods "$SCALE_IN_MINUTES" --threshold "$SCALE_IN_CPU" --comparison-operator LessThanThreshold \
    --alarm-actions "$IN_POLICY_ARN"
fi
if [ "$SCHEDULED_MINIMUM" = true ]; then
  # The scheduled minimum the planner simulated (weekday business hours, UTC).
  for action in "$SCHEDULE_START_FILE" "$SCHEDULE_END_FILE"; do
    aws application-autoscaling put-scheduled-action --cli-input-json "file://${HERE}/${action}"
  done
fi

# ---- Monitoring: what the document asks for (CPU, memory, response times, billing) ----------------
step "Monitoring: alarms and a budget at the projected cost"
TOPIC_ARN="$(aws sns create-topic --name "$TOPIC_NAME" --query TopicArn --output text)"
if [ -n "$ALERT_EMAIL" ]; then
  aws sns subscribe --topic-arn "$TOPIC_ARN" --protocol email --notification-endpoint "$ALERT_EMAIL" >/dev/null
fi
ALB_DIM="${ALB_ARN#*:loadbalancer/}"
aws cloudwatch put-metric-alarm --alarm-name "$ALARM_ALB_5XX" --namespace AWS/ApplicationELB --metric-name HTTPCode_Target_5XX_Count \
  --dimensions "Name=LoadBalancer,Value=${ALB_DIM}" --statistic Sum --period 300 --evaluation-periods 1 --threshold 10 \
  --comparison-operator GreaterThanThreshold --treat-missing-data notBreaching --alarm-actions "$TOPIC_ARN"
aws cloudwatch put-metric-alarm --alarm-name "$ALARM_ALB_LATENCY" --namespace AWS/ApplicationELB --metric-name TargetResponseTime \
  --dimensions "Name=LoadBalancer,Value=${ALB_DIM}" --extended-statistic p95 --period 300 --evaluation-periods 2 \
  --threshold "$P95_ALARM_SECONDS" \
  --comparison-operator GreaterThanThreshold --treat-missing-data notBreaching --alarm-actions "$TOPIC_ARN"
aws cloudwatch put-metric-alarm --alarm-name "$ALARM_MEMORY_HIGH" --namespace AWS/ECS --metric-name MemoryUtilization \
  --dimensions "Name=ClusterName,Value=${CLUSTER}" "Name=ServiceName,Value=${SERVICE}" --statistic Average \
  --period 300 --evaluation-periods 2 --threshold 80 --comparison-operator GreaterThanThreshold --alarm-actions "$TOPIC_ARN"
aws cloudwatch put-metric-alarm --alarm-name "$ALARM_DB_CPU" --namespace AWS/RDS --metric-name CPUUtilization \
  --dimensions "Name=DBInstanceIdentifier,Value=${DB_ID}" --statistic Average --period 300 --evaluation-periods 3 --threshold 80 \
  --comparison-operator GreaterThanThreshold --alarm-actions "$TOPIC_ARN"
aws cloudwatch put-metric-alarm --alarm-name "$ALARM_DB_CONNECTIONS" --namespace AWS/RDS --metric-name DatabaseConnections \
  --dimensions "Name=DBInstanceIdentifier,Value=${DB_ID}" --statistic Maximum --period 300 --evaluation-periods 1 \
  --threshold "$DB_CONNECTIONS_ALARM" \
  --comparison-operator GreaterThanThreshold --alarm-actions "$TOPIC_ARN"
if ! aws budgets describe-budget --account-id "$AWS_ACCOUNT_ID" --budget-name "$BUDGET_NAME" >/dev/null 2>&1; then
  BUDGET="BudgetName=${BUDGET_NAME},BudgetLimit={Amount=${BUDGET_USD},Unit=USD},TimeUnit=MONTHLY,BudgetType=COST"
  if [ -n "$ALERT_EMAIL" ]; then
    # Email the forecast: an SNS subscriber would also need a topic policy for budgets.amazonaws.com.
    aws budgets create-budget --account-id "$AWS_ACCOUNT_ID" --budget "$BUDGET" \
      --notifications-with-subscribers "Notification={NotificationType=FORECASTED,ComparisonOperator=GREATER_THAN,Threshold=100,ThresholdType=PERCENTAGE},Subscribers=[{SubscriptionType=EMAIL,Address=${ALERT_EMAIL}}]"
  else
    aws budgets create-budget --account-id "$AWS_ACCOUNT_ID" --budget "$BUDGET"
    printf 'note: set ALERT_EMAIL to be emailed when the forecast passes the budget\n' >&2
  fi
fi

ALB_DNS="$(aws elbv2 describe-load-balancers --load-balancer-arns "$ALB_ARN" --query 'LoadBalancers[0].DNSName' --output text)"
CF_DNS="$(aws cloudfront get-distribution --id "$DIST_ID" --query Distribution.DomainName --output text)"
printf '\nDone. API: http://%s  Frontend: https://%s\n' "$ALB_DNS" "$CF_DNS"
# The alarm follows the month at published prices (what AWS bills), whatever prices the plan set.
printf 'Budget alarm at %s USD a month (the planner projects %s USD at published prices, %s USD as planned).\n' \
  "$BUDGET_USD" "$PUBLISHED_MONTHLY_USD" "$PLANNED_MONTHLY_USD"
