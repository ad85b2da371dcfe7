# shellcheck shell=bash disable=SC2034
# The fetch script `export::metrics_query` fills (@SLOT@s) and prints without this header (up to
# the blank line). ALB is used by the queries that fill @QUERIES@.

# Fetch the metrics `scaling-plan calibrate` reads, for the stack the planner's exports
# created (app `@APP@`, @REGION@). Bash and AWS CLI v2; writes metrics.json. PERIOD=60 fetches
# one-minute data (CloudWatch keeps it 15 days; 300 keeps 63 days); DAYS sets the window.
DAYS="${DAYS:-14}"
PERIOD="${PERIOD:-300}"
REGION=@REGION_WORD@
# The ALB's metric dimension is the end of its ARN: app/@ALB@/<id>.
ALB="$(aws elbv2 describe-load-balancers --region "$REGION" --names @ALB_WORD@ \
  --query 'LoadBalancers[0].LoadBalancerArn' --output text | sed 's|^.*:loadbalancer/||')"
START="$(date -u -d "-${DAYS} days" +%Y-%m-%dT%H:00:00Z 2>/dev/null || date -u -v-"${DAYS}"d +%Y-%m-%dT%H:00:00Z)"
END="$(date -u +%Y-%m-%dT%H:00:00Z)"
cat > metric-queries.json <<EOF
[
  @QUERIES@
]
EOF
aws cloudwatch get-metric-data --region "$REGION" --start-time "$START" --end-time "$END" \
  --metric-data-queries file://metric-queries.json --output json > metrics.json
