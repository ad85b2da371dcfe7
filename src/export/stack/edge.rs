//! The stack's edge: the S3 bucket of the front end, origin access control, the CloudFront
//! distribution of cloudfront-config.json and the bucket policy.

use super::{att, cfn_tags, r, resource, sub};
use crate::export::{cloudfront_config, Context};
use serde_json::{json, Map, Value};

/// cloudfront-config.json (CreateDistribution's DistributionConfig) as CloudFormation's
/// DistributionConfig: `{Quantity, Items}` become lists, `IsIPV6Enabled` is `IPV6Enabled`,
/// error response codes are integers, and the caller reference is CloudFormation's own.
pub fn distribution_properties(c: &Context) -> Value {
    fn unwrap(v: &Value) -> Value {
        match v {
            Value::Object(map) if map.contains_key("Quantity") && map.len() <= 2 => {
                map.get("Items").map(unwrap).unwrap_or_else(|| json!([]))
            }
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), unwrap(v))).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(unwrap).collect()),
            other => other.clone(),
        }
    }
    let mut api = cloudfront_config(c);
    let mut cached = api["DefaultCacheBehavior"]["AllowedMethods"]["CachedMethods"].take();
    if let Some(map) = api["DefaultCacheBehavior"]["AllowedMethods"].as_object_mut() {
        map.shift_remove("CachedMethods");
    }
    let mut cfg = unwrap(&api);
    if let Some(map) = cfg.as_object_mut() {
        map.shift_remove("CallerReference");
        if let Some(v) = map.shift_remove("IsIPV6Enabled") {
            map.insert("IPV6Enabled".into(), v);
        }
    }
    cfg["DefaultCacheBehavior"]["CachedMethods"] = unwrap(&cached.take());
    if let Some(errors) = cfg.get_mut("CustomErrorResponses").and_then(Value::as_array_mut) {
        for e in errors {
            if let Some(code) = e["ResponseCode"].as_str().and_then(|s| s.parse::<u32>().ok()) {
                e["ResponseCode"] = json!(code);
            }
        }
    }
    if let Some(origin) = cfg["Origins"].get_mut(0) {
        origin["DomainName"] = att("FrontendBucket", "RegionalDomainName");
        origin["OriginAccessControlId"] = att("FrontendOriginAccessControl", "Id");
    }
    json!({ "DistributionConfig": cfg, "Tags": cfn_tags(c) })
}

/// The S3 bucket (private, read only by the distribution), origin access control, the
/// distribution of cloudfront-config.json and the bucket policy.
pub(super) fn frontend(c: &Context) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "FrontendBucket".into(),
        resource(
            "AWS::S3::Bucket",
            json!({"BucketName": sub(&format!("{}${{AWS::AccountId}}", c.names.bucket_prefix)),
                "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls":
                    true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true},
                "BucketEncryption": {"ServerSideEncryptionConfiguration":
                    [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "Tags": cfn_tags(c)}),
        ),
    );
    m.insert(
        "FrontendOriginAccessControl".into(),
        resource(
            "AWS::CloudFront::OriginAccessControl",
            json!({"OriginAccessControlConfig": {"Name": c.names.origin_access_control,
                "OriginAccessControlOriginType": "s3",
                "SigningBehavior": "always", "SigningProtocol": "sigv4"}}),
        ),
    );
    m.insert(
        "FrontendDistribution".into(),
        resource("AWS::CloudFront::Distribution", distribution_properties(c)),
    );
    m.insert(
        "FrontendBucketPolicy".into(),
        resource(
            "AWS::S3::BucketPolicy",
            json!({"Bucket": r("FrontendBucket"), "PolicyDocument": {"Version": "2012-10-17",
                "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action":
                    "s3:GetObject",
                "Resource": sub("${FrontendBucket.Arn}/*"),
                "Condition": {"StringEquals": {"AWS:SourceArn":
                    sub("arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${FrontendDistribution}")}}
            }]}}),
        ),
    );
    m
}
