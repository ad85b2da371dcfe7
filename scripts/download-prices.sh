#!/usr/bin/env bash
# Downloads the AWS Price List bulk offer files the planner reads, for each region given, into
# prices/ (public files, no AWS credentials). Then:
#   cargo run --release --bin scaling-plan -- catalog import prices/*.json --out data/catalog.json
# Usage: bash scripts/download-prices.sh us-east-1 eu-west-1 sa-east-1
# The EC2 regional file is large (hundreds of MB); the importer streams it and keeps only the
# SKUs the planner prices. `aws pricing get-products` output (filtered queries) is read too.
set -euo pipefail
if [ "$#" -eq 0 ]; then
  echo "usage: $0 REGION..." >&2
  exit 2
fi
base="https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws"
services="AmazonECS AmazonEC2 AmazonRDS AmazonElastiCache AWSELB AmazonS3 AmazonVPC AWSDataTransfer AmazonCloudWatch AWSSecretsManager AmazonECR"
mkdir -p prices
for region in "$@"; do
  case "$region" in
    *[!a-z0-9-]*) echo "not a region code: $region" >&2; exit 2 ;;
  esac
  for service in $services; do
    echo "$service $region"
    curl -fsSL --retry 3 -o "prices/$service-$region.json" "$base/$service/current/$region/index.json"
  done
done
# CloudFront prices by viewer geography: one global file.
curl -fsSL --retry 3 -o "prices/AmazonCloudFront.json" "$base/AmazonCloudFront/current/index.json"
