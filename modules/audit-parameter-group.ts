import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { Construct } from 'constructs';

export interface AuditParameterGroupProps {
  readonly name: string;
  readonly clusterIdentifier: string;
  /** Parameter group family: aurora-mysql8.0, aurora-postgresql16, ... */
  readonly family: string;
  /** Every parameter the group holds: the user's own (when adopted) and the audit ones. */
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly value: string; readonly applyMethod: 'immediate' | 'pending-reboot' }>;
  /**
   * The group exists already (the cluster's own custom group): import it, keep every parameter, never destroy it.
   * @default - a new group is created
   */
  readonly adoptExisting?: boolean;
}

/**
 * The cluster parameter group that turns on auditing (Advanced Auditing on Aurora MySQL, pgAudit on Aurora
 * PostgreSQL). Default groups cannot be modified, so a cluster on one gets a new group; a cluster with a custom group
 * keeps it, with the audit parameters added.
 */
export class AuditParameterGroup extends Construct {
  readonly group: RdsClusterParameterGroup;

  constructor(scope: Construct, id: string, props: AuditParameterGroupProps) {
    super(scope, id);
    this.group = new RdsClusterParameterGroup(this, 'default', {
      name: props.name,
      family: props.family,
      description: `Advanced Auditing for ${props.clusterIdentifier} (aurora-audit)`,
      // Terraform keeps only the parameters listed here, so an adopted group lists every one the user had set.
      parameter: props.parameters.map((p) => ({ name: p.name, value: p.value, applyMethod: p.applyMethod })),
      lifecycle: props.adoptExisting
        ? {
            // The user's group: never replaced (description and family force a replacement) or destroyed.
            preventDestroy: true,
            ignoreChanges: ['description', 'family', 'name', 'name_prefix', 'tags', 'tags_all'],
          }
        : // A new family means a new group; the old one can only go once the cluster has moved off it.
          { createBeforeDestroy: true },
    });
    if (props.adoptExisting) this.group.importFrom(props.name);
  }

  get parameterGroupName(): string {
    return this.group.name;
  }
}
