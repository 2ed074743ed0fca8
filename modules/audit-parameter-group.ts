import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { Construct } from 'constructs';
import { AUDIT_EVENT_NAMES, type AuditEvent } from '../config/aws';
import { UNCONFIRMED } from '../config/unconfirmed';

export interface AuditParameterGroupProps {
  readonly clusterIdentifier: string;
  /** Parameter group family: aurora-mysql5.7 or aurora-mysql8.0. */
  readonly family: string;
  readonly events: readonly AuditEvent[];
  /** @default - every user is audited */
  readonly includeUsers?: readonly string[];
  /** @default - no user is excluded */
  readonly excludeUsers?: readonly string[];
}

/**
 * A custom cluster parameter group that turns on Advanced Auditing. Default groups cannot be modified, so auditing
 * always needs one of these.
 */
export class AuditParameterGroup extends Construct {
  readonly parameterGroupName: string;

  constructor(scope: Construct, id: string, props: AuditParameterGroupProps) {
    super(scope, id);
    // Events in one fixed order, so reordering them in the config is not a change.
    const events = AUDIT_EVENT_NAMES.filter((e) => props.events.includes(e));
    const parameters: Record<string, string> = {
      // Security Hub RDS.45 checks for "1", and AWS's own console walkthrough picks 1.
      server_audit_logging: '1',
      server_audit_events: events.join(','),
    };
    // An empty value is not stored by RDS, so setting one would show a change on every plan.
    if (props.includeUsers?.length) parameters.server_audit_incl_users = props.includeUsers.join(',');
    if (props.excludeUsers?.length) parameters.server_audit_excl_users = props.excludeUsers.join(',');

    const name = `aurora-audit-${props.clusterIdentifier}-${props.family.replace(/\./g, '-')}`;
    const group = new RdsClusterParameterGroup(this, 'group', {
      name,
      family: props.family,
      description: `Advanced Auditing for ${props.clusterIdentifier} (aurora-audit)`,
      parameter: Object.entries(parameters)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([parameterName, value]) => ({ name: parameterName, value, applyMethod: UNCONFIRMED.auditParameterApplyMethod })),
      // A new family means a new group; the old one can only go once the cluster has moved off it.
      lifecycle: { createBeforeDestroy: true },
    });
    this.parameterGroupName = group.name;
  }
}
