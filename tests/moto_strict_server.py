"""moto_server with one AWS rule moto 5 does not apply: DeleteSecurityGroup fails with
DependencyViolation while a rule of another security group references the group (AWS: "you
can't delete a security group that is referenced by a rule in another security group"). Without
it, a teardown that deletes the groups in the wrong order passes against moto and leaks on AWS.
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSecurityGroup.html
Run as moto_server: `python tests/moto_strict_server.py -H 127.0.0.1 -p 0`.
"""
import sys

from moto.ec2.exceptions import DependencyViolationError
from moto.ec2.models.security_groups import SecurityGroupBackend
from moto.server import main

_delete = SecurityGroupBackend.delete_security_group


def _referencing(backend, group_id):
    """Names of the other groups with an ingress or egress rule naming `group_id`."""
    out = []
    for groups in backend.groups.values():
        for other in groups.values():
            if other.id == group_id:
                continue
            for rule in other.ingress_rules + other.egress_rules:
                if (rule.source_group or {}).get("GroupId") == group_id:
                    out.append(other.id)
    return sorted(set(out))


def strict_delete(self, name=None, group_id=None):
    target = group_id or (self.get_security_group_by_name_or_id(name).id if name and self.get_security_group_by_name_or_id(name) else None)
    if target:
        users = _referencing(self, target)
        if users:
            raise DependencyViolationError(f"resource {target} has a dependent object ({', '.join(users)})")
    return _delete(self, name=name, group_id=group_id)


SecurityGroupBackend.delete_security_group = strict_delete

if __name__ == "__main__":
    sys.exit(main())
