/**
 * The role a source account lends the monitoring account's alert-details function, in monitoring-account mode: the
 * function assumes it per alarm to read the lines that raised it (alert-details/handler.ts).
 */
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';

export interface AlertDetailsReaderRoleProps {
  readonly roleName: string;
  /** The monitoring account's alert-details function's role: the one identity that may assume this one. */
  readonly functionRoleArn: string;
  readonly monitoringAccountId: string;
  /** The stack's log groups that detections read: the only ones it may read. */
  readonly logGroupNames: readonly string[];
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

/**
 * Trusted by the function's role alone. The trust names the monitoring account and requires the caller's role ARN
 * (`aws:PrincipalArn`) rather than naming the role as principal: IAM replaces a role principal with the role's unique
 * id when the policy is saved, so that form fails while the function's role does not exist yet (the source stack may
 * be applied first) and breaks for good if that role is ever made again (docs/facts.md, Alert details). It may describe
 * metric filters on, and read events from, its stack's detection log groups, and nothing else.
 */
export class AlertDetailsReaderRole extends Construct {
  constructor(scope: Construct, id: string, props: AlertDetailsReaderRoleProps) {
    super(scope, id);
    const { accountId, region, partition } = props;
    const logGroupArn = (name: string) => `arn:${partition}:logs:${region}:${accountId}:log-group:${name}`;
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'AWS', identifiers: [`arn:${partition}:iam::${props.monitoringAccountId}:root`] }],
          condition: [{ test: 'ArnEquals', variable: 'aws:PrincipalArn', values: [props.functionRoleArn] }],
        },
      ],
    });
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      assumeRolePolicy: trust.json,
      description: `aurora-audit alert details: lets the monitoring account's function read this stack's detection log groups (${region})`,
    });
    const permissions = new DataAwsIamPolicyDocument(this, 'permissions', {
      statement: [{ sid: 'ReadAuditLogs', actions: ['logs:DescribeMetricFilters', 'logs:FilterLogEvents'], resources: props.logGroupNames.flatMap((n) => [logGroupArn(n), `${logGroupArn(n)}:*`]) }],
    });
    new IamRolePolicy(this, 'policy', { name: 'read-audit-logs', role: role.id, policy: permissions.json });
  }
}
