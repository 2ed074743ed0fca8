import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { CROSS_ACCOUNT_SHARING_ROLE_NAME } from '../config/aws';
import { UNCONFIRMED } from '../config/unconfirmed';

export interface MetricSharingRoleProps {
  readonly monitoringAccountId: string;
  readonly partition: string;
  /**
   * Whether the role exists already (a region stack of aurora-audit 0.2 made it): it is imported, then managed.
   * @default false - the role is created
   */
  readonly adoptExisting?: boolean;
}

/**
 * The role CloudWatch assumes in a source account so that the monitoring account's alarms can read its metrics
 * (CloudWatch-CrossAccountSharingRole). IAM is global to the account, so the account's own stack declares it. It trusts
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
    const policy = new IamRolePolicy(this, 'role-policy', { name: 'read-metrics', role: role.name, policy: read.json });
    if (props.adoptExisting) {
      role.importFrom(CROSS_ACCOUNT_SHARING_ROLE_NAME);
      // An inline policy's import id is <role name>:<policy name> (provider docs, iam_role_policy).
      policy.importFrom(`${CROSS_ACCOUNT_SHARING_ROLE_NAME}:read-metrics`);
    }
  }
}
