//! AWS naming rules: app names, health paths, database names, price override values, the
//! Node.js LTS lines offered.

/// Node.js LTS lines offered for the image.
pub const NODE_LTS: [u32; 2] = [22, 24];

/// Prefixes AWS reserves in names made from the app name: ECS capacity providers cannot start
/// with `aws`, `ecs` or `fargate` (ECS CreateCapacityProvider), SSM parameter names with `aws` or
/// `ssm` (SSM PutParameter), ALB names with `internal-` (ELBv2 CreateLoadBalancer), S3 bucket
/// names with `sthree-` or `amzn-s3-demo-` (S3 bucket naming rules).
pub(super) const RESERVED_APP_PREFIXES: [&str; 7] =
    ["aws", "ecs", "fargate", "ssm", "internal-", "sthree-", "amzn-s3-demo-"];

/// Checks an app name so that every resource named from it passes AWS's rules: RDS and
/// ElastiCache identifiers (letter first, letters/digits/hyphens, no `--`, no trailing `-`),
/// S3 bucket names (lowercase), ALB and target-group names (32 characters with suffixes), and
/// the reserved prefixes above.
pub fn check_app_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() || name.len() > 20 {
        return Err(NameError::AppNameLength);
    }
    if !name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
        return Err(NameError::AppNameFirst);
    }
    if let Some(c) =
        name.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(NameError::AppNameChar(c));
    }
    if name.contains("--") || name.ends_with('-') {
        return Err(NameError::AppNameHyphens);
    }
    if let Some(prefix) = RESERVED_APP_PREFIXES.iter().find(|p| name.starts_with(*p)) {
        return Err(NameError::AppNameReserved(prefix));
    }
    Ok(())
}

/// A health-check path as the ALB sends it in its request line: `/` first, at most 1024
/// characters (ELBv2 CreateTargetGroup `HealthCheckPath`), and only what RFC 3986 allows in a
/// path and query: unreserved `A-Za-z0-9-._~`, sub-delims `!$&'()*+,;=`, `:`, `@`, `/`, `?`,
/// and `%` followed by two hex digits. No space, `"`, `#`, `\`, backtick or control character.
pub fn check_health_path(path: &str) -> Result<(), NameError> {
    if !path.starts_with('/') || path.len() > 1024 {
        return Err(NameError::HealthPathShape);
    }
    if let Some(c) =
        path.chars().find(|c| !(c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/?%".contains(*c)))
    {
        return Err(NameError::HealthPathChar(c));
    }
    let bytes = path.as_bytes();
    for (i, _) in path.match_indices('%') {
        if !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return Err(NameError::HealthPathPercent);
        }
    }
    Ok(())
}

/// A user's price for a catalog key: a non-negative number of dollars per unit.
pub fn check_price_override(v: f64) -> Result<f64, NameError> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(NameError::NegativePrice)
    }
}

/// PostgreSQL's reserved key words (PostgreSQL documentation, Appendix C, "reserved"): RDS
/// refuses them as the initial database name (RDS CreateDBInstance `DBName`).
pub(super) const POSTGRES_RESERVED: [&str; 101] = [
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
];

/// PostgreSQL database name for RDS: letter first, letters, digits and underscores, up to 63,
/// not a reserved word.
pub fn check_db_name(name: &str) -> Result<(), NameError> {
    if name.is_empty()
        || name.len() > 63
        || !name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
    {
        return Err(NameError::DbNameShape);
    }
    if name.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '_')) {
        return Err(NameError::DbNameChar);
    }
    if POSTGRES_RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
        return Err(NameError::DbNameReserved(name.to_string()));
    }
    Ok(())
}

/// A name or value AWS would refuse, with the rule it breaks.
#[derive(Debug, Clone, PartialEq)]
pub enum NameError {
    AppNameLength,
    AppNameFirst,
    AppNameChar(char),
    AppNameHyphens,
    AppNameReserved(&'static str),
    HealthPathShape,
    HealthPathChar(char),
    HealthPathPercent,
    DbNameShape,
    DbNameChar,
    DbNameReserved(String),
    NegativePrice,
}

impl std::fmt::Display for NameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use NameError::*;
        match self {
            AppNameLength => f.write_str(
                "the app name must be 1 to 20 characters (ALB names with their suffix must fit 32)",
            ),
            AppNameFirst => f.write_str(
                "the app name must start with a lowercase letter (RDS and ElastiCache \
                 identifiers require it)",
            ),
            AppNameChar(c) => write!(
                f,
                "the app name may hold lowercase letters, digits and hyphens only, not `{c}` \
                 (S3 and RDS reject it)"
            ),
            AppNameHyphens => f.write_str(
                "the app name cannot contain two hyphens in a row or end with a hyphen (RDS \
                 rejects it)",
            ),
            AppNameReserved(prefix) => write!(
                f,
                "the app name cannot start with `{prefix}` (AWS reserves it for ECS, SSM, ALB or \
                 S3 names)"
            ),
            HealthPathShape => f.write_str(
                "the health-check path must start with / and be at most 1024 characters",
            ),
            HealthPathChar(c) => write!(
                f,
                "the health-check path cannot contain `{}` (RFC 3986 allows letters, digits and \
                 -._~!$&'()*+,;=:@/?%)",
                c.escape_default()
            ),
            HealthPathPercent => f.write_str(
                "in the health-check path, % must be followed by two hex digits (e.g. %20)",
            ),
            DbNameShape => {
                f.write_str("the database name must start with a letter and be 1 to 63 characters")
            }
            DbNameChar => {
                f.write_str("the database name may hold letters, digits and underscores only")
            }
            DbNameReserved(name) => write!(
                f,
                "`{name}` is a PostgreSQL reserved word, which RDS refuses as a database name"
            ),
            NegativePrice => f.write_str(
                "A price must be zero or more dollars; the plan keeps the last valid price",
            ),
        }
    }
}

impl std::error::Error for NameError {}
