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
      groups.set(
        logType,
        new CloudwatchLogGroup(this, logType, {
          name: rdsLogGroupName(props.clusterIdentifier, logType),
          retentionInDays,
          kmsKeyId: props.kmsKeyArn,
          // The class cannot change after creation, and metric filters need STANDARD.
          logGroupClass: 'STANDARD',
        }),
      );
    }
    this.groups = groups;
  }
}
