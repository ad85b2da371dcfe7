"""End-to-end test of scripts/publish.sh against moto in server mode (a mock AWS on loopback).

Publishes a copy of DIST three times and checks what AWS would hold:
  1. every object with its Content-Type, Cache-Control (and Brotli for the wasm), the bucket
     private (public access block, a policy for this distribution only), the distribution reading
     the bucket through origin access control with HTTPS only, HTTP/2+3, compression, the
     response headers policy (CSP allowing wasm and nothing inline, HSTS, nosniff), and one
     invalidation of index.html;
  2. a second run with nothing changed uploads nothing and creates nothing;
  3. after index.html changes, a third run uploads that file alone and invalidates it again.

moto 5.2.5 has no response headers policies and drops an origin's OriginAccessControlId and
S3OriginConfig, so
`extend_moto` adds both (in memory, shaped by botocore's CloudFront model). The AWS CLI still
validates every request against that model before sending it.

Usage: .venv/bin/python tests/publish_test.py DIST_DIR
"""

import datetime
import brotli
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUCKET = "planner-publish-test"
HASHED_CACHE = "public, max-age=31536000, immutable"


def extend_moto():
    from moto.cloudfront import models, urls
    from moto.cloudfront.responses import CloudFrontResponse
    from moto.core.responses import ActionResult

    base = "{0}/2020-05-31/response-headers-policy"
    urls.url_paths[base + "$"] = CloudFrontResponse.dispatch
    urls.url_paths[base + "/(?P<policy_id>[^/]+)$"] = CloudFrontResponse.dispatch
    urls.url_paths[base + "/(?P<policy_id>[^/]+)/config$"] = CloudFrontResponse.dispatch
    policies = {}

    def stored(policy_id):
        return policies[policy_id]

    def create_response_headers_policy(self):
        config = self._get_param("ResponseHeadersPolicyConfig", {})
        policy_id = str(uuid.uuid4())
        policies[policy_id] = {"Id": policy_id, "LastModifiedTime": datetime.datetime.now(datetime.timezone.utc), "ResponseHeadersPolicyConfig": config, "ETag": uuid.uuid4().hex}
        p = stored(policy_id)
        return ActionResult({"ResponseHeadersPolicy": p, "ETag": p["ETag"], "Location": f"https://cloudfront.amazonaws.com/2020-05-31/response-headers-policy/{policy_id}"})

    def list_response_headers_policies(self):
        items = [{"Type": "custom", "ResponseHeadersPolicy": p} for p in policies.values()]
        return ActionResult({"ResponseHeadersPolicyList": {"MaxItems": 100, "Quantity": len(items), "Items": items}})

    def get_response_headers_policy_config(self):
        p = stored(self._get_param("Id"))
        return ActionResult({"ResponseHeadersPolicyConfig": p["ResponseHeadersPolicyConfig"], "ETag": p["ETag"]})

    def get_response_headers_policy(self):
        p = stored(self._get_param("Id"))
        return ActionResult({"ResponseHeadersPolicy": p, "ETag": p["ETag"]})

    def update_response_headers_policy(self):
        p = stored(self._get_param("Id"))
        assert self._get_param("IfMatch") == p["ETag"], "IfMatch must be the policy's current ETag"
        p["ResponseHeadersPolicyConfig"] = self._get_param("ResponseHeadersPolicyConfig", {})
        p["ETag"] = uuid.uuid4().hex
        return ActionResult({"ResponseHeadersPolicy": p, "ETag": p["ETag"]})

    for f in [create_response_headers_policy, list_response_headers_policies, get_response_headers_policy_config,
              get_response_headers_policy, update_response_headers_policy]:
        setattr(CloudFrontResponse, f.__name__, f)

    origin_init = models.Origin.__init__

    def origin_with_oac(self, origin):
        origin_init(self, origin)
        self.origin_access_control_id = origin.get("OriginAccessControlId", "")
        self.s3_origin_config = origin.get("S3OriginConfig")

    models.Origin.__init__ = origin_with_oac


def start_moto():
    """moto in server mode on a free loopback port."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise

    extend_moto()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
            print(f"ok   {what}")
        else:
            self.failed += 1
            print(f"FAIL {what}")


def publish(env, site):
    out = subprocess.run(["bash", "scripts/publish.sh", "--bucket", BUCKET, "--dist", site], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    sys.stderr.write(out.stderr)
    if out.returncode != 0:
        raise SystemExit(f"publish.sh failed with {out.returncode}")
    return out.stdout.strip()


def expected_type(key):
    ext = os.path.splitext(key)[1]
    return {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
            ".wasm": "application/wasm", ".webmanifest": "application/manifest+json", ".png": "image/png",
            ".webp": "image/webp"}[ext]


def object_times(s3):
    return {o["Key"]: o["LastModified"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def check_objects(c, s3, site):
    files = sorted(os.path.relpath(os.path.join(r, f), site) for r, _, fs in os.walk(site) for f in fs)
    keys = sorted(object_times(s3))
    c.check(files == keys, f"the bucket holds exactly the {len(files)} files of dist/")
    for key in keys:
        head = s3.head_object(Bucket=BUCKET, Key=key)
        want_cache = "no-cache" if key in ("index.html", "sw.js", "manifest.webmanifest") else HASHED_CACHE
        c.check(head["ContentType"] == expected_type(key), f"{key}: Content-Type {head['ContentType']}")
        c.check(head.get("CacheControl") == want_cache, f"{key}: Cache-Control {head.get('CacheControl')}")
        body = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        with open(os.path.join(site, key), "rb") as f:
            local = f.read()
        if key.endswith(".wasm"):
            c.check(head.get("ContentEncoding") == "br" and brotli.decompress(body) == local, f"{key}: stored as Brotli, decodes to the built file")
        else:
            c.check("ContentEncoding" not in head and body == local, f"{key}: stored as built")
    c.check(any(k.endswith(".wasm") for k in keys) and "index.html" in keys, "index.html and the wasm are published")


def check_bucket_private(c, s3, dist_arn):
    pab = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    c.check(all(pab[k] for k in ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]), "public access blocked (all four settings)")
    policy = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    allows = [s for s in policy["Statement"] if s["Effect"] == "Allow"]
    c.check(len(allows) == 1 and allows[0]["Principal"] == {"Service": "cloudfront.amazonaws.com"}
            and allows[0]["Action"] == "s3:GetObject"
            and allows[0]["Condition"] == {"StringEquals": {"AWS:SourceArn": dist_arn}}, "bucket policy: only this distribution may read")
    own = s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]["Rules"][0]["ObjectOwnership"]
    c.check(own == "BucketOwnerEnforced", "ACLs disabled (bucket owner enforced)")


def check_distribution(c, cf):
    dists = [d for d in cf.list_distributions()["DistributionList"].get("Items", []) if d["Comment"].endswith(f"s3://{BUCKET}")]
    c.check(len(dists) == 1, "one distribution for the bucket")
    d = cf.get_distribution(Id=dists[0]["Id"])["Distribution"]
    cfg = d["DistributionConfig"]
    origin = cfg["Origins"]["Items"][0]
    oacs = cf.list_origin_access_controls()["OriginAccessControlList"].get("Items", [])
    c.check(len(oacs) == 1, "one origin access control")
    oac = cf.get_origin_access_control(Id=origin.get("OriginAccessControlId", "-"))["OriginAccessControl"]["OriginAccessControlConfig"]
    c.check(origin["DomainName"] == f"{BUCKET}.s3.us-east-1.amazonaws.com", f"origin is the bucket: {origin['DomainName']}")
    c.check(oac["SigningProtocol"] == "sigv4" and oac["SigningBehavior"] == "always" and oac["OriginAccessControlOriginType"] == "s3",
            "origin reads through OAC (SigV4, always signs, S3)")
    c.check(origin["S3OriginConfig"]["OriginAccessIdentity"] == "", "no legacy origin access identity")
    b = cfg["DefaultCacheBehavior"]
    c.check(b["ViewerProtocolPolicy"] == "https-only", "HTTPS only")
    c.check(b["Compress"] is True, "compression on")
    c.check(cfg["HttpVersion"] == "http2and3", "HTTP/2 and HTTP/3")
    c.check(cfg["DefaultRootObject"] == "index.html", "index.html is the root object")
    policies = cf.list_response_headers_policies(Type="custom")["ResponseHeadersPolicyList"]["Items"]
    c.check(len(policies) == 1, "one response headers policy")
    sec = cf.get_response_headers_policy_config(Id=b["ResponseHeadersPolicyId"])["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = sec["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ")}
    c.check(directives["script-src"] == ["'self'", "'wasm-unsafe-eval'"], f"CSP scripts: self and wasm only ({directives['script-src']})")
    c.check(directives["default-src"] == ["'none'"] and "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp and "*" not in csp,
            "CSP: nothing by default, nothing inline, no eval, no wildcard")
    c.check(sec["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000, "HSTS for at least a year")
    c.check(sec["ContentTypeOptions"]["Override"] is True, "X-Content-Type-Options: nosniff")
    return d


def invalidations(cf, dist_id):
    items = cf.list_invalidations(DistributionId=dist_id)["InvalidationList"].get("Items", [])
    return [cf.get_invalidation(DistributionId=dist_id, Id=i["Id"])["Invalidation"]["InvalidationBatch"]["Paths"].get("Items", []) for i in items]


def main():
    dist = sys.argv[1] if len(sys.argv) > 1 else "dist"
    server, endpoint = start_moto()
    import boto3

    tmp = tempfile.mkdtemp(prefix="planner-publish-")
    site = os.path.join(tmp, "site")
    shutil.copytree(dist, site)
    env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_DEFAULT_REGION="us-east-1", AWS_REGION="us-east-1", AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
    env.pop("AWS_PROFILE", None)
    kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    s3, cf = boto3.client("s3", **kw), boto3.client("cloudfront", **kw)
    c = Checks()
    try:
        url = publish(env, site)
        c.check(url.startswith("https://") and url.endswith(".cloudfront.net/"), f"prints the site's URL ({url})")
        check_objects(c, s3, site)
        d = check_distribution(c, cf)
        check_bucket_private(c, s3, d["ARN"])
        c.check(invalidations(cf, d["Id"]) == [["/index.html", "/"]], "one invalidation, of index.html only")

        first = object_times(s3)
        time.sleep(1.1)
        publish(env, site)
        c.check(object_times(s3) == first, "second run: nothing uploaded")
        check_distribution(c, cf)
        c.check(len(invalidations(cf, d["Id"])) == 1, "second run: no invalidation")

        # A setting changed by hand is put back by the next run.
        now = cf.get_distribution_config(Id=d["Id"])
        now["DistributionConfig"]["DefaultCacheBehavior"]["ViewerProtocolPolicy"] = "allow-all"
        cf.update_distribution(Id=d["Id"], IfMatch=now["ETag"], DistributionConfig=now["DistributionConfig"])

        with open(os.path.join(site, "index.html"), "a") as f:
            f.write("<!-- release note -->\n")
        time.sleep(1.1)
        publish(env, site)
        third = object_times(s3)
        changed = sorted(k for k in third if third[k] != first[k])
        c.check(changed == ["index.html"], f"after index.html changed: only it uploaded ({changed})")
        c.check(len(invalidations(cf, d["Id"])) == 2, "and invalidated again")
        c.check(check_distribution(c, cf)["Id"] == d["Id"], "the distribution changed by hand is the same one, restored")
        check_objects(c, s3, site)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"publish: {c.passed} passed, {c.failed} failed")
    sys.exit(1 if c.failed else 0)


if __name__ == "__main__":
    main()
