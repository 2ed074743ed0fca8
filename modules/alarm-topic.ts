import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { Construct } from 'constructs';
import { servicePrincipal } from '../config/aws';
import { EVENT_DELIVERY_ROLE_PREFIX, OWN_EVENT_RULE_PREFIX } from '../config/names';

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
  /** Whether EventBridge rules of this account (aurora-audit's, by name) publish here too. @default false */
  readonly eventRulesPublish?: boolean;
  /** Source accounts whose event delivery roles (aurora-audit's, by name) publish here. @default - none */
  readonly eventPublisherAccounts?: readonly string[];
}

/** The SNS topic every alarm of a stack notifies, open to CloudWatch alarms of this account only. */
export class AlarmTopic extends Construct {
  readonly topicArn: string;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const { accountId, region, partition } = props;

    const topic = new SnsTopic(this, 'topic', { name: props.topicName, kmsMasterKeyId: props.kmsKeyArn });

    // A topic policy replaces SNS's default one, so it restates the owner's management rights (without Publish:
    // only CloudWatch alarms publish here).
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
          // alarms from publishing here (confused deputy).
          sid: 'CloudWatchAlarmsOfThisAccountPublish',
          principals: [{ type: 'Service', identifiers: [servicePrincipal('cloudwatch', region)] }],
          actions: ['sns:Publish'],
          resources: [topic.arn],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*`] },
          ],
        },
        ...(props.eventRulesPublish
          ? [
              {
                // The tamper and GuardDuty rules (EventBridge user guide, "Amazon SNS permissions"); the conditions keep
                // it to aurora-audit's rules in this account.
                sid: 'AuroraAuditEventRulesPublish',
                principals: [{ type: 'Service', identifiers: [servicePrincipal('events', region)] }],
                actions: ['sns:Publish'],
                resources: [topic.arn],
                condition: [
                  { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
                  { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${partition}:events:${region}:${accountId}:rule/${OWN_EVENT_RULE_PREFIX}*`] },
                ],
              },
            ]
          : []),
        ...(props.eventPublisherAccounts?.length
          ? [
              {
                // Monitoring-account mode: each source account's rules deliver through its event delivery role
                // (modules/event-delivery-role.ts). The account is named, and the role by its prefix: the roles may
                // not exist yet when this policy is written.
                sid: 'SourceAccountEventRulesPublish',
                principals: [{ type: 'AWS', identifiers: props.eventPublisherAccounts.map((a) => `arn:${partition}:iam::${a}:root`) }],
                actions: ['sns:Publish'],
                resources: [topic.arn],
                condition: [
                  { test: 'ArnLike', variable: 'aws:PrincipalArn', values: props.eventPublisherAccounts.map((a) => `arn:${partition}:iam::${a}:role/${EVENT_DELIVERY_ROLE_PREFIX}*`) },
                ],
              },
            ]
          : []),
      ],
    });
    new SnsTopicPolicy(this, 'topic-policy', { arn: topic.arn, policy: policy.json });
    this.topicArn = topic.arn;
  }
}
