import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { Construct } from 'constructs';
import { servicePrincipal } from '../config/aws';
import { Lazy } from 'cdktf';

export interface AlarmTopicProps {
  readonly topicName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /**
   * A customer managed key whose policy lets cloudwatch.amazonaws.com use it. Never alias/aws/sns: CloudWatch may
   * not use that key, so alarms would go to ALARM and notify no one.
   * @default - the topic is not encrypted
   */
  readonly kmsKeyArn?: string;
  /** How the alarms that notify this topic are named: CloudWatch publishes for those alarms only. */
  readonly alarmNamePrefix: string;
  /**
   * The stack's own EventBridge rules (tamper alerts, GuardDuty findings), by ARN, which publish here too; read when the
   * stack is synthesized, so rules made after the topic count. @default - none
   */
  readonly eventRuleArns?: readonly string[];
  /** Source accounts' event delivery roles (modules/event-delivery-role.ts), by ARN, that publish here. @default - none */
  readonly eventPublisherRoleArns?: readonly string[];
  /** Roles of this account that publish here by their own policy (the alert-details function's). @default - none */
  readonly publisherRoleArns?: readonly string[];
}

/**
 * The SNS topic every alarm of a stack notifies. Only the alarms can speak: CloudWatch for this stack's alarms, EventBridge
 * for the stack's own rules (by ARN), the named delivery and function roles, and nobody else, whatever their own policies allow
 * (an explicit deny). A forged alarm would otherwise reach Slack, and the alert-details function, from anyone with
 * sns:Publish.
 */
export class AlarmTopic extends Construct {
  readonly topicArn: string;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const { accountId, region, partition } = props;

    const topic = new SnsTopic(this, 'topic', { name: props.topicName, kmsMasterKeyId: props.kmsKeyArn });
    const alarmArns = `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${props.alarmNamePrefix}*`;
    // Exactly the stack's rules: a rule someone else names aurora-audit-* may not speak (and raises a tamper alert).
    const rules = props.eventRuleArns;
    const ruleArns = Lazy.listValue({ produce: () => [...(rules ?? [])] });
    const deliveryRoles = [...(props.eventPublisherRoleArns ?? [])].sort();
    const identities = [...deliveryRoles, ...(props.publisherRoleArns ?? [])];

    // A topic policy replaces SNS's default one, so it restates the owner's management rights (without Publish).
    const policy = new DataAwsIamPolicyDocument(this, 'policy', {
      statement: [
        {
          sid: 'OwnerManagesTopic',
          principals: [{ type: 'AWS', identifiers: [`arn:${partition}:iam::${accountId}:root`] }],
          actions: [
            'sns:GetTopicAttributes',
            'sns:SetTopicAttributes',
            'sns:AddPermission',
            'sns:RemovePermission',
            'sns:DeleteTopic',
            'sns:Subscribe',
            'sns:ListSubscriptionsByTopic',
          ],
          resources: [topic.arn],
        },
        {
          // re:Post "cloudwatch-receive-sns-for-alarm-trigger"; the source conditions stop another account's
          // alarms, and this account's other alarms, from publishing here (confused deputy).
          sid: 'CloudWatchAlarmsOfThisStackPublish',
          principals: [{ type: 'Service', identifiers: [servicePrincipal('cloudwatch', region)] }],
          actions: ['sns:Publish'],
          resources: [topic.arn],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [alarmArns] },
          ],
        },
        ...(rules
          ? [
              {
                // The tamper and GuardDuty rules (EventBridge user guide, "Amazon SNS permissions"); the conditions keep
                // it to this stack's rules, by ARN.
                sid: 'AuroraAuditEventRulesPublish',
                principals: [{ type: 'Service', identifiers: [servicePrincipal('events', region)] }],
                actions: ['sns:Publish'],
                resources: [topic.arn],
                condition: [
                  { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
                  { test: 'ArnEquals', variable: 'aws:SourceArn', values: ruleArns },
                ],
              },
            ]
          : []),
        ...(deliveryRoles.length
          ? [
              {
                // Monitoring-account mode: each source stack's rules deliver through its event delivery role, named by
                // ARN (a condition, not a principal: the roles may not exist yet when this policy is written).
                sid: 'SourceAccountEventRulesPublish',
                principals: [{ type: 'AWS', identifiers: [...new Set(deliveryRoles.map((arn) => `arn:${partition}:iam::${arn.split(':')[4]}:root`))].sort() }],
                actions: ['sns:Publish'],
                resources: [topic.arn],
                condition: [{ test: 'ArnEquals', variable: 'aws:PrincipalArn', values: deliveryRoles }],
              },
            ]
          : []),
        {
          // IAM user guide, global condition keys: aws:PrincipalIsAWSService is true for a service principal, and
          // aws:PrincipalArn names the role (not the session) of a role's caller.
          sid: 'NoOtherIdentityPublishes',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['sns:Publish'],
          resources: [topic.arn],
          condition: [
            { test: 'Bool', variable: 'aws:PrincipalIsAWSService', values: ['false'] },
            ...(identities.length ? [{ test: 'ArnNotEquals', variable: 'aws:PrincipalArn', values: identities }] : []),
          ],
        },
        {
          sid: 'NoOtherServicePublishes',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['sns:Publish'],
          resources: [topic.arn],
          condition: [
            { test: 'Bool', variable: 'aws:PrincipalIsAWSService', values: ['true'] },
            // A negated operator is true when the key is missing: a service call with no source is denied too.
            { test: 'ArnNotLike', variable: 'aws:SourceArn', values: rules ? Lazy.listValue({ produce: () => [alarmArns, ...rules] }) : [alarmArns] },
          ],
        },
      ],
    });
    new SnsTopicPolicy(this, 'topic-policy', { arn: topic.arn, policy: policy.json });
    this.topicArn = topic.arn;
  }
}
