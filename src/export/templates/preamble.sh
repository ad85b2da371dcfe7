# shellcheck shell=bash
# A fragment deploy.sh and deploy-stack.sh source (shellcheck -x follows it); the exporter puts
# it in their place, without this header (up to the blank line): `scripts::fill`. The settings
# both take from the environment, and the helpers both use. Needs PLAN_REGION and
# DOCKERFILE_FILE (the settings block) and `fail` (each script names itself in its messages).

AWS_REGION="${AWS_REGION:-$PLAN_REGION}"
export AWS_REGION AWS_DEFAULT_REGION="$AWS_REGION"
IMAGE_TAG="${IMAGE_TAG:-latest}"
BACKEND_DIR="${BACKEND_DIR:-backend}"
FRONTEND_DIST="${FRONTEND_DIST:-frontend/dist}"
ALERT_EMAIL="${ALERT_EMAIL:-}"
CERTIFICATE_ARN="${CERTIFICATE_ARN:-}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The image is built from the exported Dockerfile (cluster mode's start command, the RDS CA
# bundle), on every run, so a changed plan reaches the image; DOCKERFILE=path builds with another.
DOCKERFILE="${DOCKERFILE:-${HERE}/${DOCKERFILE_FILE}}"
need() { [ -n "${!1:-}" ] || fail "set $1: $2"; }
step() { printf '\n==> %s\n' "$*"; }
