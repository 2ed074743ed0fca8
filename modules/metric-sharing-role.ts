import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { CROSS_ACCOUNT_SHARING_ROLE_NAME } from '../config/aws';
import { UNCONFIRMED } from '../config/unconfirmed';

export interface MetricSharingRoleProps {
  readonly monitoringAccountId: string;
  readonly partition: string;
}

/**
 * The role CloudWatch assumes in a source account so that the monitoring account's alarms can read its metrics
 * (CloudWatch-CrossAccountSharingRole). IAM is global to the account, so one stack per account declares it. It trusts
 * the monitoring account alone and may read metrics, nothing else: no logs, no alarms, no dashboards.
 */
export class MetricSharingRole extends Construct {
  constructor(scope: Construct, id: string, props: MetricSharingRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          principals: [{ type: 'AWS', identifiers: [`arn:${props.partition}:iam::${props.monitoringAccountId}:root`] }],
          actions: ['sts:AssumeRole'],
        },
      ],
    });
    const role = new IamRole(this, 'role', {
      name: CROSS_ACCOUNT_SHARING_ROLE_NAME,
      description: `Lets the alarms of monitoring account ${props.monitoringAccountId} read this account's metrics (aurora-audit)`,
      assumeRolePolicy: trust.json,
    });
    const read = new DataAwsIamPolicyDocument(this, 'read-metrics', {
      statement: [{ sid: 'ReadMetrics', actions: [...UNCONFIRMED.crossAccountSharingActions], resources: ['*'] }],
    });
    new IamRolePolicy(this, 'role-policy', { name: 'read-metrics', role: role.name, policy: read.json });
  }
}
