import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Construct } from 'constructs';
import { rdsLogGroupName, type LogType } from '../config/aws';

export interface AuditLogGroupsProps {
  readonly clusterIdentifier: string;
  readonly logTypes: readonly LogType[];
  /** Retention of each log type, from CloudWatch's allowed values. */
  readonly retentionDays: Readonly<Partial<Record<LogType, number>>>;
  /** @default - CloudWatch Logs' own encryption */
  readonly kmsKeyArn?: string;
  /** Log groups RDS created already: imported instead of created, and never deleted from here. @default - none */
  readonly existing?: readonly LogType[];
  /** Log groups kept (not deleted) when Terraform destroys them: the ones with audit records. @default - none */
  readonly keepOnDestroy?: readonly LogType[];
}

/**
 * The log groups RDS exports a cluster's logs to, created before RDS does it with retention "never expire".
 * Names come from the literal identifier, not from a cluster attribute, so they exist before the cluster exports.
 */
export class AuditLogGroups extends Construct {
  readonly groups: ReadonlyMap<LogType, CloudwatchLogGroup>;

  constructor(scope: Construct, id: string, props: AuditLogGroupsProps) {
    super(scope, id);
    const groups = new Map<LogType, CloudwatchLogGroup>();
    for (const logType of props.logTypes) {
      const retentionInDays = props.retentionDays[logType];
      if (!retentionInDays) throw new Error(`AuditLogGroups: no retention for ${logType}; logs must never be kept forever`);
      const name = rdsLogGroupName(props.clusterIdentifier, logType);
      const group = new CloudwatchLogGroup(this, logType, {
        name,
        retentionInDays,
        kmsKeyId: props.kmsKeyArn,
        // The class cannot change after creation, and metric filters need STANDARD.
        logGroupClass: 'STANDARD',
        // Destroying the stack, retiring the cluster or no longer exporting the type forgets the group instead of
        // deleting its records: always for a group that existed before aurora-audit, and for the audit log if asked.
        skipDestroy: props.keepOnDestroy?.includes(logType) || props.existing?.includes(logType) || undefined,
      });
      // RDS creates the group on first export; an existing one is imported, or the apply fails with "already exists".
      if (props.existing?.includes(logType)) group.importFrom(name);
      groups.set(logType, group);
    }
    this.groups = groups;
  }
}
