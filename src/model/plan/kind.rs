//! `LineKind`: what a cost line bills, typed. The baseline comparison matches lines by kind
//! (never by their display text), so an RDS class change is the same line at another price.

use super::Component;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineKind {
    S3Storage,
    S3Requests,
    /// One line per volume tier used; lines of one kind are matched in order.
    CloudFrontTransfer,
    CloudFrontRequests,
    FargateVcpu {
        spot: bool,
    },
    FargateMemory {
        spot: bool,
    },
    FargateEphemeral,
    Ec2Instances,
    Ec2RootVolumes,
    AlbHours,
    AlbLcus,
    RdsPrimary,
    RdsReplicas,
    RdsStorage,
    RdsBackup,
    CacheNodes,
    LogsIngestion,
    LogsStorage,
    Secrets,
    EcrStorage,
    ApiEgress,
    AlbPublicIpv4,
    TaskPublicIpv4,
    NatGateways,
    NatPublicIpv4,
    NatData,
    VpcEndpoints,
    VpcEndpointData,
}

impl LineKind {
    /// The component whose subtotal the line adds to.
    pub fn component(self) -> Component {
        use LineKind::*;
        match self {
            S3Storage | S3Requests | CloudFrontTransfer | CloudFrontRequests => Component::Frontend,
            FargateVcpu { .. }
            | FargateMemory { .. }
            | FargateEphemeral
            | Ec2Instances
            | Ec2RootVolumes => Component::Compute,
            AlbHours | AlbLcus => Component::LoadBalancer,
            RdsPrimary | RdsReplicas | RdsStorage | RdsBackup => Component::Database,
            CacheNodes => Component::Cache,
            ApiEgress | AlbPublicIpv4 | TaskPublicIpv4 | NatGateways | NatPublicIpv4 | NatData
            | VpcEndpoints | VpcEndpointData => Component::Network,
            LogsIngestion | LogsStorage | Secrets | EcrStorage => Component::Operations,
        }
    }
}
