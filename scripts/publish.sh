#!/usr/bin/env bash
# Publishes the built app (dist/) on a private S3 bucket behind a CloudFront distribution that
# reads it through origin access control. Re-runnable: it creates what is missing, brings what
# exists to the state below, uploads only the files whose bytes or headers changed, and
# invalidates index.html when it changed.
#
#   bash scripts/publish.sh --bucket NAME [--region us-east-1] [--dist dist]
#        [--price-class PriceClass_100] [--domain planner.example.com --certificate-arn ARN]
#
# What it sets up:
#   - bucket: all public access blocked, bucket owner owns every object, SSE-S3, a policy that lets
#     only this distribution read (cloudfront.amazonaws.com with AWS:SourceArn);
#   - origin access control (SigV4, always sign) named planner-BUCKET;
#   - response headers policy planner-BUCKET: the Content-Security-Policy, HSTS, nosniff,
#     frame and referrer headers of scripts/site-headers.json;
#   - distribution (found by its comment): HTTPS only, HTTP/2 and HTTP/3, IPv6, compression, the
#     managed CachingOptimized cache policy, index.html as root object. This script owns its
#     config: an update replaces settings changed by hand;
#   - objects: Content-Type per extension (application/wasm for the wasm, stored compressed
#     with Content-Encoding: br, or gzip without the Brotli package, because CloudFront does not
#     compress wasm), Cache-Control
#     "public, max-age=31536000, immutable" for content-hashed files and "no-cache" for
#     index.html, sw.js and manifest.webmanifest. Files of older releases stay, so a page still
#     open on one keeps loading.
# Credentials and endpoint come from the usual AWS environment (AWS_PROFILE, AWS_ENDPOINT_URL, ...).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '6,8p' "$0" | sed 's/^# \{0,1\}//'; }
die() { printf 'publish: %s\n' "$*" >&2; exit 1; }
log() { printf '[publish] %s\n' "$*" >&2; }

BUCKET=${PLANNER_BUCKET:-}
REGION=${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}
DIST=dist
PRICE_CLASS=PriceClass_100
DOMAIN=""
CERT_ARN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bucket) BUCKET=${2:-}; shift 2 ;;
    --region) REGION=${2:-}; shift 2 ;;
    --dist) DIST=${2:-}; shift 2 ;;
    --price-class) PRICE_CLASS=${2:-}; shift 2 ;;
    --domain) DOMAIN=${2:-}; shift 2 ;;
    --certificate-arn) CERT_ARN=${2:-}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

[ -n "$BUCKET" ] || { usage >&2; die "--bucket is required"; }
[[ $BUCKET =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || die "bucket name '$BUCKET' is not a valid S3 bucket name"
[[ $REGION =~ ^[a-z]{2}(-[a-z]+)+-[0-9]$ ]] || die "region '$REGION' is not an AWS region name"
[[ $PRICE_CLASS =~ ^PriceClass_(100|200|All)$ ]] || die "--price-class must be PriceClass_100, PriceClass_200 or PriceClass_All"
if [ -n "$DOMAIN" ] && [ -z "$CERT_ARN" ]; then die "--domain needs --certificate-arn (an ACM certificate in us-east-1)"; fi
[ -f "$DIST/index.html" ] || die "$DIST/index.html not found: build first (trunk build --release)"

AWS_BIN=aws
[ -x .venv/bin/aws ] && AWS_BIN=.venv/bin/aws
command -v "$AWS_BIN" >/dev/null || die "the AWS CLI is not installed (bash scripts/setup.sh installs it into .venv)"
PY=python3
[ -x .venv/bin/python ] && PY=.venv/bin/python
export AWS_DEFAULT_REGION=$REGION
aws_() { "$AWS_BIN" "$@"; }
lib() { "$PY" scripts/publish_lib.py "$@"; }
none() { [ -z "$1" ] || [ "$1" = None ] || [ "$1" = null ]; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

aws_ sts get-caller-identity --query Account --output text >/dev/null || die "no usable AWS credentials"

# --- bucket -------------------------------------------------------------------------------
if ! aws_ s3api head-bucket --bucket "$BUCKET" 2>/dev/null; then
  log "creating bucket $BUCKET in $REGION"
  if [ "$REGION" = us-east-1 ]; then
    aws_ s3api create-bucket --bucket "$BUCKET" >/dev/null
  else
    aws_ s3api create-bucket --bucket "$BUCKET" --create-bucket-configuration "LocationConstraint=$REGION" >/dev/null
  fi
fi
aws_ s3api put-public-access-block --bucket "$BUCKET" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
aws_ s3api put-bucket-ownership-controls --bucket "$BUCKET" --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'
aws_ s3api put-bucket-encryption --bucket "$BUCKET" --server-side-encryption-configuration \
  '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'

# --- origin access control ------------------------------------------------------------------
NAME="planner-${BUCKET//./-}"
NAME=${NAME:0:64}
OAC_ID=$(aws_ cloudfront list-origin-access-controls \
  --query "OriginAccessControlList.Items[?Name=='$NAME'].Id | [0]" --output text)
if none "$OAC_ID"; then
  log "creating origin access control $NAME"
  OAC_ID=$(aws_ cloudfront create-origin-access-control --origin-access-control-config \
    "Name=$NAME,Description=Bridge Scaling Planner reads s3://$BUCKET,SigningProtocol=sigv4,SigningBehavior=always,OriginAccessControlOriginType=s3" \
    --query OriginAccessControl.Id --output text)
fi

# --- response headers policy ----------------------------------------------------------------
lib headers-policy-config "$NAME" >"$work/headers.json"
POLICY_ID=$(aws_ cloudfront list-response-headers-policies --type custom \
  --query "ResponseHeadersPolicyList.Items[?ResponseHeadersPolicy.ResponseHeadersPolicyConfig.Name=='$NAME'].ResponseHeadersPolicy.Id | [0]" \
  --output text)
if none "$POLICY_ID"; then
  log "creating response headers policy $NAME"
  POLICY_ID=$(aws_ cloudfront create-response-headers-policy --response-headers-policy-config "file://$work/headers.json" \
    --query ResponseHeadersPolicy.Id --output text)
else
  aws_ cloudfront get-response-headers-policy-config --id "$POLICY_ID" >"$work/headers-now.json"
  if ! lib covers "$work/headers.json" "$work/headers-now.json" ResponseHeadersPolicyConfig; then
    log "updating response headers policy $NAME"
    etag=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["ETag"])' "$work/headers-now.json")
    aws_ cloudfront update-response-headers-policy --id "$POLICY_ID" --if-match "$etag" \
      --response-headers-policy-config "file://$work/headers.json" >/dev/null
  fi
fi

# --- distribution ---------------------------------------------------------------------------
COMMENT="Bridge Scaling Planner: s3://$BUCKET"
DIST_ID=$(aws_ cloudfront list-distributions --query "DistributionList.Items[?Comment=='$COMMENT'].Id | [0]" --output text)
config() { lib distribution-config "$BUCKET" "$REGION" "$OAC_ID" "$POLICY_ID" "$1" "$COMMENT" "$PRICE_CLASS" "$DOMAIN" "$CERT_ARN"; }
if none "$DIST_ID"; then
  log "creating distribution"
  config "planner-$BUCKET-$(date +%s)" >"$work/dist.json"
  DIST_ID=$(aws_ cloudfront create-distribution --distribution-config "file://$work/dist.json" --query Distribution.Id --output text)
else
  aws_ cloudfront get-distribution-config --id "$DIST_ID" >"$work/dist-now.json"
  ref=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["DistributionConfig"]["CallerReference"])' "$work/dist-now.json")
  config "$ref" >"$work/dist.json"
  if ! lib covers "$work/dist.json" "$work/dist-now.json" DistributionConfig; then
    log "updating distribution $DIST_ID"
    etag=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["ETag"])' "$work/dist-now.json")
    aws_ cloudfront update-distribution --id "$DIST_ID" --if-match "$etag" --distribution-config "file://$work/dist.json" >/dev/null
  fi
fi
read -r DIST_ARN DIST_DOMAIN < <(aws_ cloudfront get-distribution --id "$DIST_ID" --query 'Distribution.[ARN,DomainName]' --output text)

# Only this distribution may read the bucket.
lib bucket-policy "$BUCKET" "$DIST_ARN" >"$work/bucket-policy.json"
aws_ s3api put-bucket-policy --bucket "$BUCKET" --policy "file://$work/bucket-policy.json"

# --- objects --------------------------------------------------------------------------------
uploaded=0
unchanged=0
index_changed=false
lib objects "$DIST" "$work" >"$work/objects.tsv"
while IFS=$'\t' read -r key file ctype cache enc md5; do
  want=$(printf '"%s"\t%s\t%s\t%s' "$md5" "$ctype" "$cache" "${enc/#-/None}")
  have=$(aws_ s3api head-object --bucket "$BUCKET" --key "$key" \
    --query '[ETag,ContentType,CacheControl,ContentEncoding]' --output text 2>/dev/null || echo missing)
  if [ "$have" = "$want" ]; then
    unchanged=$((unchanged + 1))
    continue
  fi
  args=(--bucket "$BUCKET" --key "$key" --body "$file" --content-type "$ctype" --cache-control "$cache")
  note=""
  [ "$enc" = - ] || { args+=(--content-encoding "$enc"); note="; Content-Encoding: $enc"; }
  aws_ s3api put-object "${args[@]}" >/dev/null
  log "uploaded $key ($ctype; $cache$note)"
  uploaded=$((uploaded + 1))
  [ "$key" != index.html ] || index_changed=true
done <"$work/objects.tsv"

# The page's entry point changed: drop CloudFront's copy of it ("/" is the same object).
if $index_changed; then
  inv=$(aws_ cloudfront create-invalidation --distribution-id "$DIST_ID" --paths /index.html / \
    --query Invalidation.Id --output text)
  log "invalidation $inv of /index.html"
fi

log "$uploaded uploaded, $unchanged unchanged; distribution $DIST_ID"
echo "https://${DOMAIN:-$DIST_DOMAIN}/"
