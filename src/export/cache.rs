//! The cache's engine, version and parameter group, as deploy.sh and stack.yaml create it.

use crate::model::scenario::{Cache, CacheEngine};

/// How deploy.sh and stack.yaml create the cache: engine, engine version and the default
/// parameter group of that version's family (cluster mode needs the `.cluster.on` one).
/// Valkey 8.x is parameter-group family `valkey8`, whose defaults are `default.valkey8` and
/// `default.valkey8.cluster.on`
/// (<https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html>).
/// Redis OSS without cluster mode keeps ElastiCache's default version and group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheEngineSettings {
    pub engine: &'static str,
    pub version: Option<&'static str>,
    pub parameter_group: Option<&'static str>,
}

/// The Valkey version the exports create (family `valkey8`).
pub const VALKEY_VERSION: &str = "8.0";
/// The Redis OSS version cluster mode is created with (family `redis7`).
pub const REDIS_CLUSTER_VERSION: &str = "7.1";

pub fn cache_engine(cache: &Cache) -> CacheEngineSettings {
    let engine = cache.engine.key();
    match (cache.engine, cache.cluster_mode) {
        (CacheEngine::Redis, false) => {
            CacheEngineSettings { engine, version: None, parameter_group: None }
        }
        (CacheEngine::Redis, true) => CacheEngineSettings {
            engine,
            version: Some(REDIS_CLUSTER_VERSION),
            parameter_group: Some("default.redis7.cluster.on"),
        },
        (CacheEngine::Valkey, false) => CacheEngineSettings {
            engine,
            version: Some(VALKEY_VERSION),
            parameter_group: Some("default.valkey8"),
        },
        (CacheEngine::Valkey, true) => CacheEngineSettings {
            engine,
            version: Some(VALKEY_VERSION),
            parameter_group: Some("default.valkey8.cluster.on"),
        },
    }
}
