#!/usr/bin/env bash
# @PLANNER_HEADER@
#
# Deploys stack.yaml (the whole stack as one CloudFormation template) in two passes:
#   1. the stack without the ECS service (LaunchService=false on a new stack): security groups,
#      database, cache, image repository, roles, cluster, task definition, load balancer, bucket,
#      distribution, alarms and budget;
#   2. the connection strings as SSM SecureStrings (no password: the tasks read it as PGPASSWORD
#      from the secret RDS manages), the image built and pushed, the frontend uploaded;
#   3. the stack again with LaunchService=true and the image tag: the service, its auto scaling.
# Re-running updates the stack in place (a new IMAGE_TAG rolls the service onto the new image).
# Copying a local database into RDS stays in deploy.sh (MIGRATE_DATA=1).
#
# Needs: aws (CLI v2, or v1), docker.
# Usage: VPC_ID=vpc-... PUBLIC_SUBNETS=subnet-a,subnet-b [PRIVATE_SUBNETS=...] BACKEND_DIR=... ./deploy-stack.sh
set -euo pipefail

# @PLANNER_SETTINGS@

# ---- Settings from your environment ------------------------------------------------------------
fail() { printf 'deploy-stack.sh: %s\n' "$*" >&2; exit 1; }
# shellcheck source-path=SCRIPTDIR source=preamble.sh
. "${HERE}/preamble.sh"
STACK_NAME="${STACK_NAME:-$APP}"
PRIVATE_SUBNETS="${PRIVATE_SUBNETS:-}"

# Every input is checked before anything is created.
for tool in aws docker; do command -v "$tool" >/dev/null || fail "$tool is not installed"; done
need VPC_ID "the VPC to deploy into (vpc-...)"
need PUBLIC_SUBNETS "comma-separated public subnet IDs in two or more AZs, for the ALB"
IFS=',' read -r -a PUBLIC_SUBNET_LIST <<< "$PUBLIC_SUBNETS"
[ "${#PUBLIC_SUBNET_LIST[@]}" -ge 2 ] || fail "set PUBLIC_SUBNETS: an ALB needs subnets in two or more AZs (got ${PUBLIC_SUBNETS})"
if [ "$TASKS_IN_PRIVATE_SUBNETS" = true ]; then
  need PRIVATE_SUBNETS "comma-separated private subnet IDs for the tasks, database and cache"
fi
[ -f "${HERE}/${TEMPLATE_FILE}" ] || fail "${TEMPLATE_FILE} is not next to this script (${HERE})"
[ -d "$BACKEND_DIR" ] || fail "set BACKEND_DIR: the backend's source directory (${BACKEND_DIR} does not exist)"
[ -f "$DOCKERFILE" ] || fail "set DOCKERFILE: ${DOCKERFILE} does not exist (keep ${DOCKERFILE_FILE} next to this script)"

# Parameters not given keep their current value on an existing stack (aws cloudformation deploy).
deploy_stack() {
  aws cloudformation deploy --stack-name "$STACK_NAME" --template-file "${HERE}/${TEMPLATE_FILE}" \
    --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset \
    --parameter-overrides "VpcId=${VPC_ID}" "PublicSubnets=${PUBLIC_SUBNETS}" "PrivateSubnets=${PRIVATE_SUBNETS}" \
    "CertificateArn=${CERTIFICATE_ARN}" "AlertEmail=${ALERT_EMAIL}" "$@"
}
output() {
  aws cloudformation describe-stacks --stack-name "$STACK_NAME" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue | [0]" --output text
}

step "Pass 1: the stack without a new service revision"
STACK_STATUS="$(aws cloudformation describe-stacks --stack-name "$STACK_NAME" --query 'Stacks[0].StackStatus' \
  --output text 2>/dev/null || true)"
if [ -z "$STACK_STATUS" ] || [ "$STACK_STATUS" = "REVIEW_IN_PROGRESS" ]; then
  deploy_stack LaunchService=false "ImageTag=${IMAGE_TAG}"
else
  # An existing stack keeps its service and image until the new image is pushed.
  deploy_stack
fi

step "Connection strings (SSM SecureStrings)"
DB_HOST="$(output DatabaseEndpoint)"
READ_HOST="$(output DatabaseReadEndpoint)"
REDIS_HOST="$(output RedisEndpoint)"
REDIS_SCHEME="$(output RedisScheme)"
# shellcheck source-path=SCRIPTDIR source=connection-secrets.sh
. "${HERE}/connection-secrets.sh"
put_secret_param REDIS_URL "${REDIS_SCHEME}://${REDIS_HOST}:6379"

step "The backend image"
REPOSITORY_URI="$(output RepositoryUri)"
REGISTRY="${REPOSITORY_URI%%/*}"
IMAGE="${REPOSITORY_URI}:${IMAGE_TAG}"
# shellcheck source-path=SCRIPTDIR source=image-push.sh
. "${HERE}/image-push.sh"

step "The frontend"
BUCKET="$(output FrontendBucketName)"
# shellcheck source-path=SCRIPTDIR source=frontend-upload.sh
. "${HERE}/frontend-upload.sh"

step "Pass 2: the service on the pushed image, with its auto scaling"
deploy_stack LaunchService=true "ImageTag=${IMAGE_TAG}"
printf '\nDone. API: %s  Frontend: %s\n' "$(output ApiUrl)" "$(output FrontendUrl)"
