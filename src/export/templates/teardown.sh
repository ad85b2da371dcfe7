#!/usr/bin/env bash
# @PLANNER_HEADER@
#
# Removes what deploy.sh created, in reverse order. The database is deleted only with
# --delete-database, and then after a final snapshot; without it the database is kept.
# Security groups are looked up by name in VPC_ID (the VPC deploy.sh used). Ends with a list of
# the app's security groups still there, and exits 1 if any is left over.
# Usage: VPC_ID=vpc-... ./teardown.sh [--delete-database] [--yes]
# SKIP_CACHE_DELETE_WAIT=1 skips only the wait for the cache's deletion (for a mock AWS whose
# caches stay "deleting"; never needed against AWS).
set -euo pipefail

# @PLANNER_SETTINGS@

AWS_REGION="${AWS_REGION:-$PLAN_REGION}"
export AWS_REGION AWS_DEFAULT_REGION="$AWS_REGION"
DELETE_DATABASE=0
ASSUME_YES=0
for arg in "$@"; do
  case "$arg" in
    --delete-database) DELETE_DATABASE=1 ;;
    --yes) ASSUME_YES=1 ;;
    *) printf 'teardown.sh: unknown argument %s\n' "$arg" >&2; exit 2 ;;
  esac
done
for tool in aws jq; do
  command -v "$tool" >/dev/null || { printf 'teardown.sh: %s is not installed\n' "$tool" >&2; exit 1; }
done
VPC_ID="${VPC_ID:-}"
[ -n "$VPC_ID" ] || { printf 'teardown.sh: set VPC_ID: the VPC deploy.sh deployed into (vpc-...)\n' >&2; exit 1; }
AWS_ACCOUNT_ID="${AWS_ACCOUNT_ID:-$(aws sts get-caller-identity --query Account --output text)}"
BUCKET="${BUCKET:-${BUCKET_PREFIX}${AWS_ACCOUNT_ID}}"
if [ "$ASSUME_YES" != "1" ]; then
  read -r -p "Delete the ${APP} deployment in ${AWS_REGION} (account ${AWS_ACCOUNT_ID})? Type the app name: " answer
  [ "$answer" = "$APP" ] || { echo "Cancelled."; exit 1; }
fi
step() { printf '\n==> %s\n' "$*"; }
quiet() { "$@" >/dev/null 2>&1 || true; }
missing() { [ -z "$1" ] || [ "$1" = "None" ] || [ "$1" = "null" ]; }
# The ID of a security group by name in the app's VPC (names repeat across VPCs), or nothing.
group_id() {
  aws ec2 describe-security-groups --filters "Name=group-name,Values=$1" "Name=vpc-id,Values=${VPC_ID}" \
    --query 'SecurityGroups[0].GroupId' --output text 2>/dev/null || true
}
# Revokes the ingress rules of group $1 that name one of the groups in the JSON array $2: AWS
# refuses to delete a group while another group's rule references it (DependencyViolation), and
# the app's groups reference each other (database and cache -> tasks -> load balancer).
revoke_references() {
  local group="$1" targets="$2" permissions
  permissions="$(aws ec2 describe-security-groups --group-ids "$group" --query 'SecurityGroups[0].IpPermissions' \
    --output json | jq -c --argjson targets "$targets" '
      def named: .GroupId as $g | $targets | index([$g]) != null;
      [.[] | select(any(.UserIdGroupPairs[]?; named))
        | {IpProtocol, FromPort, ToPort, UserIdGroupPairs: [.UserIdGroupPairs[] | select(named) | {GroupId}]}
        | with_entries(select(.value != null))]')"
  if [ "$permissions" != "[]" ]; then
    aws ec2 revoke-security-group-ingress --group-id "$group" --ip-permissions "$permissions" >/dev/null
  fi
}
# Deletes a security group, retrying with back-off while the network interfaces of deleted
# tasks, load balancer and cache are released (DependencyViolation until then; minutes on AWS).
delete_group() {
  local id="$1" delay=5 output
  for _ in $(seq 1 "${SG_DELETE_TRIES:-10}"); do
    if output="$(aws ec2 delete-security-group --group-id "$id" 2>&1)"; then return 0; fi
    case "$output" in
      *InvalidGroup.NotFound*) return 0 ;;
      *DependencyViolation*) printf '  %s still in use; retrying in %s s\n' "$id" "$delay"; sleep "$delay"
        delay=$((delay * 2 > 60 ? 60 : delay * 2)) ;;
      *) printf '%s\n' "$output" >&2; return 1 ;;
    esac
  done
  printf '%s\n' "$output" >&2
  return 1
}

step "Auto scaling, alarms and the service"
quiet aws application-autoscaling deregister-scalable-target --service-namespace ecs \
  --scalable-dimension ecs:service:DesiredCount --resource-id "service/${CLUSTER}/${SERVICE}"
quiet aws cloudwatch delete-alarms --alarm-names "$ALARM_CPU_HIGH" "$ALARM_CPU_LOW" "$ALARM_ALB_5XX" \
  "$ALARM_ALB_LATENCY" "$ALARM_MEMORY_HIGH" "$ALARM_DB_CPU" "$ALARM_DB_CONNECTIONS"
if [ "$(aws ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" --query 'services[0].status' --output text 2>/dev/null || true)" = "ACTIVE" ]; then
  aws ecs delete-service --cluster "$CLUSTER" --service "$SERVICE" --force >/dev/null
  aws ecs wait services-inactive --cluster "$CLUSTER" --services "$SERVICE"
fi

if [ "$LAUNCH_TYPE" = ec2 ]; then
  step "EC2 fleet: capacity provider, Auto Scaling group, launch template, instance role"
  if [ "$(aws ecs describe-capacity-providers --capacity-providers "$CAPACITY_PROVIDER" \
      --query 'capacityProviders[0].status' --output text 2>/dev/null || true)" = ACTIVE ]; then
    quiet aws ecs put-cluster-capacity-providers --cluster "$CLUSTER" --capacity-providers FARGATE FARGATE_SPOT \
      --default-capacity-provider-strategy '[]'
    aws ecs delete-capacity-provider --capacity-provider "$CAPACITY_PROVIDER" >/dev/null
  fi
  if [ "$(aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names "$ASG_NAME" \
      --query 'length(AutoScalingGroups)' --output text)" != 0 ]; then
    aws autoscaling delete-auto-scaling-group --auto-scaling-group-name "$ASG_NAME" --force-delete
    # Auto Scaling has no CLI waiter for a deleted group: poll (terminating instances take minutes).
    for _ in $(seq 1 90); do
      [ "$(aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names "$ASG_NAME" \
        --query 'length(AutoScalingGroups)' --output text)" = 0 ] && break
      sleep 10
    done
  fi
  if aws ec2 describe-launch-templates --launch-template-names "$LAUNCH_TEMPLATE" >/dev/null 2>&1; then
    aws ec2 delete-launch-template --launch-template-name "$LAUNCH_TEMPLATE" >/dev/null
  fi
  if aws iam get-instance-profile --instance-profile-name "$INSTANCE_PROFILE" >/dev/null 2>&1; then
    quiet aws iam remove-role-from-instance-profile --instance-profile-name "$INSTANCE_PROFILE" --role-name "$INSTANCE_ROLE"
    aws iam delete-instance-profile --instance-profile-name "$INSTANCE_PROFILE"
  fi
  quiet aws iam detach-role-policy --role-name "$INSTANCE_ROLE" \
    --policy-arn arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role
  quiet aws iam delete-role --role-name "$INSTANCE_ROLE"
fi

step "Load balancer"
ALB_ARN="$(aws elbv2 describe-load-balancers --names "$ALB_NAME" --query 'LoadBalancers[0].LoadBalancerArn' --output text 2>/dev/null || true)"
if ! missing "$ALB_ARN"; then
  aws elbv2 delete-load-balancer --load-balancer-arn "$ALB_ARN"
  aws elbv2 wait load-balancers-deleted --load-balancer-arns "$ALB_ARN"
fi
TG_ARN="$(aws elbv2 describe-target-groups --names "$TG_NAME" --query 'TargetGroups[0].TargetGroupArn' --output text 2>/dev/null || true)"
if ! missing "$TG_ARN"; then
  aws elbv2 delete-target-group --target-group-arn "$TG_ARN"
fi

step "Cluster, task definitions, image repository, logs, roles"
for arn in $(aws ecs list-task-definitions --family-prefix "$FAMILY" --query 'taskDefinitionArns[]' --output text); do
  quiet aws ecs deregister-task-definition --task-definition "$arn"
done
quiet aws ecs delete-cluster --cluster "$CLUSTER"
quiet aws ecr delete-repository --repository-name "$REPO" --force
quiet aws logs delete-log-group --log-group-name "$LOG_GROUP"
quiet aws iam detach-role-policy --role-name "$EXECUTION_ROLE" \
  --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
quiet aws iam delete-role-policy --role-name "$EXECUTION_ROLE" --policy-name "$PARAMS_POLICY"
quiet aws iam delete-role --role-name "$EXECUTION_ROLE"
quiet aws iam delete-role --role-name "$TASK_ROLE"

step "Frontend: CloudFront and S3"
BUCKET_DOMAIN="${BUCKET}.s3.${AWS_REGION}.amazonaws.com"
DIST_ID="$(aws cloudfront list-distributions \
  --query "DistributionList.Items[?Origins.Items[0].DomainName=='${BUCKET_DOMAIN}'].Id | [0]" --output text)"
if ! missing "$DIST_ID"; then
  # A distribution is deleted only once disabled and deployed.
  read -r ETAG ENABLED < <(aws cloudfront get-distribution-config --id "$DIST_ID" \
    --query '[ETag,DistributionConfig.Enabled]' --output text)
  if [ "$ENABLED" = "True" ]; then
    CONFIG="$(aws cloudfront get-distribution-config --id "$DIST_ID" --query DistributionConfig | jq '.Enabled = false')"
    aws cloudfront update-distribution --id "$DIST_ID" --if-match "$ETAG" --distribution-config "$CONFIG" >/dev/null
    ETAG="$(aws cloudfront get-distribution-config --id "$DIST_ID" --query ETag --output text)"
  fi
  aws cloudfront wait distribution-deployed --id "$DIST_ID"
  aws cloudfront delete-distribution --id "$DIST_ID" --if-match "$ETAG"
fi
OAC_ID="$(aws cloudfront list-origin-access-controls \
  --query "OriginAccessControlList.Items[?Name=='${OAC_NAME}'].Id | [0]" --output text)"
if ! missing "$OAC_ID"; then
  OAC_ETAG="$(aws cloudfront get-origin-access-control --id "$OAC_ID" --query ETag --output text)"
  quiet aws cloudfront delete-origin-access-control --id "$OAC_ID" --if-match "$OAC_ETAG"
fi
if aws s3api head-bucket --bucket "$BUCKET" >/dev/null 2>&1; then
  aws s3 rm "s3://${BUCKET}" --recursive >/dev/null
  aws s3api delete-bucket --bucket "$BUCKET"
fi

step "Cache (${CACHE_ENGINE})"
SKIP_CACHE_DELETE_WAIT="${SKIP_CACHE_DELETE_WAIT:-0}"
if [ "$SKIP_CACHE_DELETE_WAIT" = "1" ]; then
  printf 'note: SKIP_CACHE_DELETE_WAIT=1: not waiting for the cache to be deleted\n' >&2
fi
if [ "$CACHE_LAYOUT" = single ]; then
  if [ "$(aws elasticache describe-cache-clusters --cache-cluster-id "$CACHE_ID" \
      --query 'CacheClusters[0].CacheClusterStatus' --output text 2>/dev/null || true)" = available ]; then
    aws elasticache delete-cache-cluster --cache-cluster-id "$CACHE_ID" >/dev/null
  fi
  if [ "$SKIP_CACHE_DELETE_WAIT" != "1" ]; then
    aws elasticache wait cache-cluster-deleted --cache-cluster-id "$CACHE_ID"
  fi
else
  if [ "$(aws elasticache describe-replication-groups --replication-group-id "$CACHE_ID" \
      --query 'ReplicationGroups[0].Status' --output text 2>/dev/null || true)" = available ]; then
    aws elasticache delete-replication-group --replication-group-id "$CACHE_ID" >/dev/null
  fi
  if [ "$SKIP_CACHE_DELETE_WAIT" != "1" ]; then
    aws elasticache wait replication-group-deleted --replication-group-id "$CACHE_ID"
  fi
fi
quiet aws elasticache delete-cache-subnet-group --cache-subnet-group-name "$CACHE_SUBNET_GROUP"

step "Database"
if [ "$DELETE_DATABASE" = "1" ]; then
  for i in $(seq 1 "$DB_REPLICAS"); do
    quiet aws rds delete-db-instance --db-instance-identifier "${DB_ID}-replica-${i}" --skip-final-snapshot
  done
  for i in $(seq 1 "$DB_REPLICAS"); do
    aws rds wait db-instance-deleted --db-instance-identifier "${DB_ID}-replica-${i}"
  done
  if aws rds describe-db-instances --db-instance-identifier "$DB_ID" >/dev/null 2>&1; then
    SNAPSHOT="${DB_ID}-final-$(date +%Y%m%d%H%M%S)"
    aws rds delete-db-instance --db-instance-identifier "$DB_ID" --final-db-snapshot-identifier "$SNAPSHOT" >/dev/null
    aws rds wait db-instance-deleted --db-instance-identifier "$DB_ID"
    printf 'Final snapshot kept: %s\n' "$SNAPSHOT"
  fi
  quiet aws rds delete-db-subnet-group --db-subnet-group-name "$DB_SUBNET_GROUP"
else
  printf 'Database %s kept (pass --delete-database to delete it after a final snapshot).\n' "$DB_ID"
fi

step "Parameters, security groups, alerts, budget"
quiet aws ssm delete-parameters --names "${PARAM_PREFIX}/DATABASE_URL" "${PARAM_PREFIX}/DATABASE_READ_URL" "${PARAM_PREFIX}/REDIS_URL"
GROUPS_TO_DELETE=("$CACHE_SG_NAME" "$TASK_SG_NAME" "$ALB_SG_NAME")
if [ "$DELETE_DATABASE" = "1" ]; then GROUPS_TO_DELETE+=("$DB_SG_NAME"); fi
IDS_TO_DELETE=()
for name in "${GROUPS_TO_DELETE[@]}"; do
  id="$(group_id "$name")"
  if ! missing "$id"; then IDS_TO_DELETE+=("$id"); fi
done
if [ "${#IDS_TO_DELETE[@]}" -gt 0 ]; then
  TARGETS="$(printf '%s\n' "${IDS_TO_DELETE[@]}" | jq -R . | jq -cs .)"
  # First the references to them, in every group of the app (a kept database's group too).
  for name in "$ALB_SG_NAME" "$TASK_SG_NAME" "$DB_SG_NAME" "$CACHE_SG_NAME"; do
    id="$(group_id "$name")"
    if ! missing "$id"; then revoke_references "$id" "$TARGETS"; fi
  done
  for id in "${IDS_TO_DELETE[@]}"; do delete_group "$id" || true; done
fi
quiet aws sns delete-topic --topic-arn "arn:aws:sns:${AWS_REGION}:${AWS_ACCOUNT_ID}:${TOPIC_NAME}"
quiet aws budgets delete-budget --account-id "$AWS_ACCOUNT_ID" --budget-name "$BUDGET_NAME"
LEFT_OVER=()
for name in "${GROUPS_TO_DELETE[@]}"; do
  id="$(group_id "$name")"
  if ! missing "$id"; then LEFT_OVER+=("${name} (${id})"); fi
done
if [ "${#LEFT_OVER[@]}" -gt 0 ]; then
  printf '\nTeardown of %s incomplete: security groups left over in %s:\n' "$APP" "$VPC_ID" >&2
  printf '  %s\n' "${LEFT_OVER[@]}" >&2
  printf 'Something else still uses them (aws ec2 describe-network-interfaces --filters Name=group-id,Values=...); re-run teardown.sh once it is gone.\n' >&2
  exit 1
fi
printf '\nTeardown of %s finished.\n' "$APP"
