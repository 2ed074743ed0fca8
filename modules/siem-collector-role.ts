import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { SIEM_COLLECTOR_ACTIONS } from '../config/aws';

export interface SiemCollectorRoleProps {
  readonly roleName: string;
  readonly stackName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** The SIEM's principal, and the external id it sends. */
  readonly principal: string;
  readonly externalId?: string;
  /** The audit log groups it may read, and the clusters it may describe. */
  readonly logGroupNames: readonly string[];
  readonly clusterIdentifiers: readonly string[];
}

/**
 * A read-only role a SIEM that pulls from CloudWatch Logs assumes (USM Anywhere's AWS log collection, as the seed
 * runs it): the audit log groups of the stack's clusters and their streams, and the clusters themselves. It names
 * every resource; no statement reaches a log group or cluster the stack does not watch.
 */
export class SiemCollectorRole extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: SiemCollectorRoleProps) {
    super(scope, id);
    const { accountId, region, partition } = props;
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          principals: [{ type: 'AWS', identifiers: [props.principal] }],
          actions: ['sts:AssumeRole'],
          condition: props.externalId ? [{ test: 'StringEquals', variable: 'sts:ExternalId', values: [props.externalId] }] : undefined,
        },
      ],
    });
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      description: `aurora-audit ${props.stackName}: a SIEM reads the audit log groups`,
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
    });
    const logGroupArn = (name: string) => `arn:${partition}:logs:${region}:${accountId}:log-group:${name}`;
    const read = new DataAwsIamPolicyDocument(this, 'read', {
      statement: [
        {
          sid: 'ReadAuditLogGroups',
          actions: [...SIEM_COLLECTOR_ACTIONS.logs],
          // The group itself, and its streams (log-group:<name>:log-stream:<stream>).
          resources: props.logGroupNames.flatMap((name) => [logGroupArn(name), `${logGroupArn(name)}:*`]),
        },
        {
          sid: 'DescribeAuditedClusters',
          actions: [...SIEM_COLLECTOR_ACTIONS.rds],
          resources: props.clusterIdentifiers.map((id) => `arn:${partition}:rds:${region}:${accountId}:cluster:${id}`),
        },
      ],
    });
    new IamRolePolicy(this, 'role-policy', { name: 'read-audit-logs', role: role.name, policy: read.json });
    this.roleArn = role.arn;
  }
}
