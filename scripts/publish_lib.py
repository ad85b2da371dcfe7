"""Builds what scripts/publish.sh sends to AWS: the list of objects with their headers, and the
JSON documents (response headers policy, distribution config, bucket policy). The standard
library, plus the Brotli package when it is there (scripts/setup.sh puts it in .venv, which
publish.sh prefers). Usage: python3 publish_lib.py COMMAND ARGS (see main)."""

import gzip
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Files that keep their name from one release to the next: browsers must revalidate them.
ENTRY_POINTS = {"index.html", "sw.js", "manifest.webmanifest"}
NO_CACHE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"
# trunk names its outputs NAME-<hash>[_bg].EXT (seahash, lower-case hex); the post-build hook
# names the boot script and icons the same way.
HASHED = re.compile(r"-[0-9a-f]{8,64}(_bg)?\.[a-z0-9]+$")
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    # Browsers compile wasm while it downloads only when it is served as application/wasm.
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
    ".json": "application/json",
    ".png": "image/png",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}
# CloudFront compresses text types itself but not application/wasm (it is not in "File types
# that CloudFront compresses", docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/
# ServingCompressedFiles.html), so the wasm is stored compressed, with its Content-Encoding:
# Brotli (quality 11), 22% smaller than gzip -9 for the page's wasm (389,074 -> 305,015 B).
# Every browser that runs WebAssembly decodes br over HTTPS (Chrome 57, Firefox 52, Safari 11
# added wasm after br), and the distribution is HTTPS only. Without the Brotli package: gzip.
PRECOMPRESS = {".wasm"}
try:
    import brotli
except ImportError:  # publish.sh still works with a bare python3, a little larger
    brotli = None


def precompressed(data):
    """(Content-Encoding, bytes): the same input gives the same bytes, so the MD5 compares."""
    if brotli is not None:
        return "br", brotli.compress(data, quality=11)
    # mtime=0 and no file name.
    return "gzip", gzip.compress(data, compresslevel=9, mtime=0)

# CloudFront's managed cache policy "CachingOptimized": honours the origin's Cache-Control
# (min 1 s, default 1 day, max 1 year) and has gzip and Brotli in the cache key, which
# compression needs. docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/
# using-managed-cache-policies.html
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


def objects(dist, workdir):
    """One line per file of dist/: key, file to upload, Content-Type, Cache-Control,
    Content-Encoding ('-' for none), MD5 of the uploaded bytes (the S3 ETag of a single-part
    upload). Immutable files come first and index.html last, so a page never names a file
    that is not there yet."""
    rows = []
    for root, _dirs, files in os.walk(dist):
        for name in files:
            path = os.path.join(root, name)
            key = os.path.relpath(path, dist).replace(os.sep, "/")
            rows.append(object_row(key, path, workdir))
    rows.sort(key=lambda r: (r[0] == "index.html", r[3] == NO_CACHE, r[0]))
    return rows


def object_row(key, path, workdir):
    ext = os.path.splitext(key)[1].lower()
    if ext not in CONTENT_TYPES:
        raise SystemExit(f"publish: {key}: no Content-Type known for '{ext}' (add it to CONTENT_TYPES)")
    base = os.path.basename(key)
    if base in ENTRY_POINTS:
        cache = NO_CACHE
    elif HASHED.search(base):
        cache = IMMUTABLE
    else:
        raise SystemExit(f"publish: {key} has no content hash in its name, so it cannot be cached as immutable")
    encoding = "-"
    upload = path
    if ext in PRECOMPRESS:
        with open(path, "rb") as f:
            encoding, packed = precompressed(f.read())
        upload = os.path.join(workdir, f"{base}.{encoding}")
        with open(upload, "wb") as out:
            out.write(packed)
    with open(upload, "rb") as f:
        md5 = hashlib.md5(f.read()).hexdigest()
    return (key, upload, CONTENT_TYPES[ext], cache, encoding, md5)


def site_headers():
    with open(os.path.join(HERE, "site-headers.json")) as f:
        return json.load(f)


def headers_policy_config(name):
    h = site_headers()
    return {
        "Name": name,
        "Comment": "Bridge Scaling Planner: CSP (wasm allowed), HSTS, nosniff, no framing",
        "SecurityHeadersConfig": {
            "ContentSecurityPolicy": {"Override": True, "ContentSecurityPolicy": h["content_security_policy"]},
            "StrictTransportSecurity": {
                "Override": True,
                "AccessControlMaxAgeSec": h["hsts_max_age_seconds"],
                "IncludeSubdomains": h["hsts_include_subdomains"],
                "Preload": False,
            },
            "ContentTypeOptions": {"Override": True},
            "FrameOptions": {"Override": True, "FrameOption": h["frame_option"]},
            "ReferrerPolicy": {"Override": True, "ReferrerPolicy": h["referrer_policy"]},
        },
    }


def distribution_config(a):
    """The whole desired DistributionConfig; an update replaces the old one with it."""
    origin_id = f"s3-{a['bucket']}"
    methods = {"Quantity": 2, "Items": ["GET", "HEAD"]}
    if a.get("domain"):
        aliases = {"Quantity": 1, "Items": [a["domain"]]}
        cert = {"ACMCertificateArn": a["certificate_arn"], "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"}
    else:
        aliases = {"Quantity": 0}
        cert = {"CloudFrontDefaultCertificate": True}
    return {
        "CallerReference": a["caller_reference"],
        "Aliases": aliases,
        "DefaultRootObject": "index.html",
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": origin_id,
                    # The regional endpoint: the global one can redirect for new buckets.
                    "DomainName": f"{a['bucket']}.s3.{a['region']}.amazonaws.com",
                    "OriginPath": "",
                    "CustomHeaders": {"Quantity": 0},
                    # With OAC the legacy origin access identity stays empty.
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                    "OriginAccessControlId": a["oac_id"],
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": origin_id,
            "ViewerProtocolPolicy": "https-only",
            "AllowedMethods": dict(methods, CachedMethods=methods),
            "Compress": True,
            "CachePolicyId": CACHING_OPTIMIZED,
            "ResponseHeadersPolicyId": a["headers_policy_id"],
        },
        "Comment": a["comment"],
        "Enabled": True,
        "PriceClass": a["price_class"],
        "ViewerCertificate": cert,
        "HttpVersion": "http2and3",
        "IsIPV6Enabled": True,
    }


def bucket_policy(bucket, distribution_arn):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "OnlyTheDistributionReads",
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
                "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
            },
        ],
    }


def covers(want, have):
    """Whether `have` (as AWS returns it, with defaults filled in) holds every value of `want`."""
    if isinstance(want, dict):
        return isinstance(have, dict) and all(k in have and covers(v, have[k]) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(have, list) and len(want) == len(have) and all(covers(w, h) for w, h in zip(want, have))
    return want == have


def main(argv):
    cmd, args = argv[0], argv[1:]
    if cmd == "objects":
        for row in objects(args[0], args[1]):
            print("\t".join(row))
    elif cmd == "headers-policy-config":
        print(json.dumps(headers_policy_config(args[0])))
    elif cmd == "distribution-config":
        keys = ["bucket", "region", "oac_id", "headers_policy_id", "caller_reference", "comment", "price_class", "domain", "certificate_arn"]
        print(json.dumps(distribution_config(dict(zip(keys, args)))))
    elif cmd == "covers":
        with open(args[0]) as w, open(args[1]) as h:
            sys.exit(0 if covers(json.load(w), json.load(h)[args[2]]) else 1)
    elif cmd == "bucket-policy":
        print(json.dumps(bucket_policy(args[0], args[1])))
    else:
        raise SystemExit(f"publish_lib: unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv[1:])
