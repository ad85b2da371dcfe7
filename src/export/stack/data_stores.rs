//! The stack's data stores: RDS PostgreSQL and the ElastiCache cache (cluster or replication
//! group), with the cache's endpoint as an output.

use super::network::data_subnets;
use super::{att, cfn_tags, r, resource};
use crate::export::{cache_engine, Context};
use crate::model::scenario::StorageType;
use serde_json::{json, Map, Value};

/// RDS PostgreSQL as deploy.sh creates it: the master password managed by RDS in Secrets
/// Manager, encrypted storage, private, a final snapshot when the stack deletes it.
pub(super) fn database(c: &Context) -> Map<String, Value> {
    let db = &c.s.database;
    let mut m = Map::new();
    m.insert(
        "DbSubnetGroup".into(),
        resource(
            "AWS::RDS::DBSubnetGroup",
            json!({"DBSubnetGroupName": c.names.db_subnet_group, "DBSubnetGroupDescription":
                format!("Subnets for {}", c.app),
                "SubnetIds": data_subnets(c), "Tags": cfn_tags(c)}),
        ),
    );
    let mut primary = resource(
        "AWS::RDS::DBInstance",
        json!({
            "DBInstanceIdentifier": c.names.db_instance,
            "DBInstanceClass": db.class,
            "Engine": "postgres",
            "MasterUsername": c.names.db_user,
            "ManageMasterUserPassword": true,
            "DBName": c.s.deploy.db_name,
            "AllocatedStorage": (db.storage_gb.round().max(20.0) as u64).to_string(),
            "StorageType": match db.storage_type { StorageType::Gp2 => "gp2", StorageType::Gp3 =>
                "gp3" },
            "StorageEncrypted": true,
            "MultiAZ": db.multi_az,
            "BackupRetentionPeriod": db.backup_retention_days,
            "DBSubnetGroupName": r("DbSubnetGroup"),
            "VPCSecurityGroups": [att("DbSecurityGroup", "GroupId")],
            "PubliclyAccessible": false,
            "CopyTagsToSnapshot": true,
            "Tags": cfn_tags(c)
        }),
    );
    primary["DeletionPolicy"] = json!("Snapshot");
    primary["UpdateReplacePolicy"] = json!("Snapshot");
    m.insert("Database".into(), primary);
    for i in 1..=db.read_replicas {
        let mut replica = resource(
            "AWS::RDS::DBInstance",
            json!({"DBInstanceIdentifier": format!("{}-replica-{i}", c.names.db_instance),
                "SourceDBInstanceIdentifier": r("Database"),
                "DBInstanceClass": db.class, "PubliclyAccessible": false, "Tags": cfn_tags(c)}),
        );
        // A read replica has no snapshot of its own to keep: its data is the primary's.
        replica["DeletionPolicy"] = json!("Delete");
        replica["UpdateReplacePolicy"] = json!("Delete");
        m.insert(format!("DatabaseReplica{i}"), replica);
    }
    m
}

/// One node without replicas is a plain cache cluster (as deploy.sh); otherwise a replication
/// group, sharded in cluster mode. ElastiCache requires automatic failover in cluster mode
/// (CreateReplicationGroup, AutomaticFailoverEnabled).
pub(super) fn cache(c: &Context) -> Map<String, Value> {
    let k = &c.s.cache;
    let mut m = Map::new();
    m.insert(
        "CacheSubnetGroup".into(),
        resource(
            "AWS::ElastiCache::SubnetGroup",
            json!({"CacheSubnetGroupName": c.names.cache_subnet_group, "Description":
                format!("Subnets for {}", c.app),
                "SubnetIds": data_subnets(c), "Tags": cfn_tags(c)}),
        ),
    );
    let single = !k.cluster_mode && k.replicas_per_shard == 0;
    let cache = if single {
        resource(
            "AWS::ElastiCache::CacheCluster",
            with_engine(
                c,
                json!({"ClusterName": c.names.cache, "CacheNodeType": k.node_type,
                    "NumCacheNodes": 1,
                "CacheSubnetGroupName": r("CacheSubnetGroup"), "VpcSecurityGroupIds":
                    [att("CacheSecurityGroup", "GroupId")],
                "Tags": cfn_tags(c)}),
            ),
        )
    } else {
        let mut props = json!({
            "ReplicationGroupId": c.names.cache,
            "ReplicationGroupDescription": format!("{} for {}", k.engine.label(), c.app),
            "CacheNodeType": k.node_type,
            "TransitEncryptionEnabled": true,
            "AtRestEncryptionEnabled": true,
            "CacheSubnetGroupName": r("CacheSubnetGroup"),
            "SecurityGroupIds": [att("CacheSecurityGroup", "GroupId")],
            "Tags": cfn_tags(c)
        });
        props = with_engine(c, props);
        if k.cluster_mode {
            props["NumNodeGroups"] = json!(k.shards.max(1));
            props["ReplicasPerNodeGroup"] = json!(k.replicas_per_shard);
            props["AutomaticFailoverEnabled"] = json!(true);
        } else {
            props["NumCacheClusters"] = json!(1 + k.replicas_per_shard);
            props["AutomaticFailoverEnabled"] = json!(true);
            props["MultiAZEnabled"] = json!(true);
        }
        resource("AWS::ElastiCache::ReplicationGroup", props)
    };
    m.insert("Cache".into(), cache);
    m
}

/// Cache properties with the engine, its version and default parameter group (as deploy.sh).
fn with_engine(c: &Context, mut props: Value) -> Value {
    let e = cache_engine(&c.s.cache);
    props["Engine"] = json!(e.engine);
    if let Some(version) = e.version {
        props["EngineVersion"] = json!(version);
    }
    if let Some(group) = e.parameter_group {
        props["CacheParameterGroupName"] = json!(group);
    }
    props
}

pub(super) fn redis_endpoint(c: &Context) -> Value {
    let k = &c.s.cache;
    if !k.cluster_mode && k.replicas_per_shard == 0 {
        att("Cache", "RedisEndpoint.Address")
    } else if k.cluster_mode {
        att("Cache", "ConfigurationEndPoint.Address")
    } else {
        att("Cache", "PrimaryEndPoint.Address")
    }
}
