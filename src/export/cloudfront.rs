//! cloudfront-config.json: the front end's distribution.

use super::Context;
use serde_json::{json, Value};

/// `create-distribution --distribution-config` input: the S3 origin behind origin access
/// control, SPA-friendly errors, HTTPS redirect, the price class of the viewers' geography.
pub fn cloudfront_config(c: &Context) -> Value {
    let origin_id = format!("{}s3", c.names.bucket_prefix);
    let comment: String =
        format!("{} frontend, planner scenario {}", c.app, c.title).chars().take(128).collect();
    json!({
        "CallerReference": format!("{}{}", c.names.bucket_prefix,
            crate::model::share::encode_link(c.s).len()),
        "Comment": comment,
        "Enabled": true,
        "DefaultRootObject": "index.html",
        "PriceClass": c.s.frontend.cdn_geo.price_class(),
        "HttpVersion": "http2and3",
        "IsIPV6Enabled": true,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": origin_id,
            "DomainName": format!("{}{}.s3.{}.amazonaws.com", c.names.bucket_prefix, c.account(),
                c.region),
            "OriginAccessControlId": "E0123456789ABC",
            "S3OriginConfig": {"OriginAccessIdentity": ""}
        }]},
        "DefaultCacheBehavior": {
            "TargetOriginId": origin_id,
            "ViewerProtocolPolicy": "redirect-to-https",
            "Compress": true,
            "AllowedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"], "CachedMethods":
                {"Quantity": 2, "Items": ["GET", "HEAD"]}},
            // AWS managed policy "CachingOptimized".
            "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"
        },
        "CustomErrorResponses": {"Quantity": 2, "Items": [
            {"ErrorCode": 403, "ResponsePagePath": "/index.html", "ResponseCode": "200",
                "ErrorCachingMinTTL": 10},
            {"ErrorCode": 404, "ResponsePagePath": "/index.html", "ResponseCode": "200",
                "ErrorCachingMinTTL": 10}
        ]},
        "ViewerCertificate": {"CloudFrontDefaultCertificate": true, "MinimumProtocolVersion":
            "TLSv1.2_2021"}
    })
}
