import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { servicePrincipal } from '../config/aws';
import { OWN_EVENT_RULE_PREFIX } from '../config/names';

export interface EventDeliveryRoleProps {
  readonly roleName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** The monitoring account's topic: the only thing the role may publish to. */
  readonly topicArn: string;
  /** Whether that topic is encrypted with a key of the monitoring account. */
  readonly topicEncrypted: boolean;
}

/**
 * In monitoring-account mode, the role EventBridge assumes in a source account to deliver its rules' matches (tamper
 * alerts, GuardDuty findings) to the monitoring account's topic: EventBridge sends to an SNS topic in another account
 * of the same region through an execution role, which the topic's policy then admits (EventBridge user guide, "Sending
 * events to an AWS service in another account"). It may publish to that one topic, and use the topic's key only
 * through SNS.
 */
export class EventDeliveryRole extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: EventDeliveryRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          principals: [{ type: 'Service', identifiers: [servicePrincipal('events', props.region)] }],
          actions: ['sts:AssumeRole'],
          // Only aurora-audit's rules of this account and region may use it (confused deputy).
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] },
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${props.partition}:events:${props.region}:${props.accountId}:rule/${OWN_EVENT_RULE_PREFIX}*`] },
          ],
        },
      ],
    });
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      description: 'Delivers aurora-audit tamper alerts and GuardDuty findings to the monitoring account topic',
      assumeRolePolicy: trust.json,
    });
    const monitoringAccount = props.topicArn.split(':')[4];
    const publish = new DataAwsIamPolicyDocument(this, 'publish', {
      statement: [
        { sid: 'PublishToMonitoringTopic', actions: ['sns:Publish'], resources: [props.topicArn] },
        ...(props.topicEncrypted
          ? [
              {
                sid: 'UseTopicKeyThroughSns',
                actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
                // The key's id is the monitoring stack's to know: any key of that account, and only for SNS in this region.
                resources: [`arn:${props.partition}:kms:${props.region}:${monitoringAccount}:key/*`],
                condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sns.${props.region}.amazonaws.com`] }],
              },
            ]
          : []),
      ],
    });
    new IamRolePolicy(this, 'role-policy', { name: 'publish-to-monitoring-topic', role: role.name, policy: publish.json });
    this.roleArn = role.arn;
  }
}
