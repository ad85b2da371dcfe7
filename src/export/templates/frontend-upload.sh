# shellcheck shell=bash
# A fragment deploy.sh and deploy-stack.sh source (shellcheck -x follows it); the exporter puts
# it in their place, without this header (up to the blank line): `scripts::fill`. Needs FRONTEND_DIST and BUCKET.

if [ -d "$FRONTEND_DIST" ]; then
  aws s3 sync "$FRONTEND_DIST" "s3://${BUCKET}" --delete
else
  printf 'warning: %s not found; build the frontend and re-run to upload it\n' "$FRONTEND_DIST" >&2
fi
