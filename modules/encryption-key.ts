import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { servicePrincipal } from '../config/aws';
import { EVENT_DELIVERY_ROLE_PREFIX } from '../config/names';
import { UNCONFIRMED } from '../config/unconfirmed';

export interface AlarmEncryptionKeyProps {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** Used in the key description. */
  readonly stackName: string;
  /** alias/aurora-audit-<stack>. */
  readonly aliasName: string;
  /** Days KMS waits before deleting the key once the stack is destroyed. */
  readonly deletionWindowDays: number;
  /**
   * The key encrypts log groups that outlive the stack; deleting it would make their records unreadable, so no plan
   * may destroy it. @default false
   */
  readonly preventDestroy?: boolean;
  /** Whether EventBridge rules publish to the encrypted topic too (tamper alerts). @default false */
  readonly eventRulesPublish?: boolean;
  /** Source accounts whose event delivery roles publish to the encrypted topic (monitoring-account mode). @default - none */
  readonly eventPublisherAccounts?: readonly string[];
}

/**
 * The customer managed key of one stack. It encrypts the alarm topic and the audit log groups, and its policy lets
 * the two services that must use it do so.
 */
export class AlarmEncryptionKey extends Construct {
  readonly keyArn: string;
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: AlarmEncryptionKeyProps) {
    super(scope, id);
    const { accountId, region, partition } = props;

    const policy = new DataAwsIamPolicyDocument(this, 'policy', {
      statement: [
        {
          // Keeps the key manageable through IAM; without it a bad policy can lock the account out of the key.
          sid: 'AccountAdministersKey',
          principals: [{ type: 'AWS', identifiers: [`arn:${partition}:iam::${accountId}:root`] }],
          actions: ['kms:*'],
          resources: ['*'],
        },
        {
          // CloudWatch alarms publish to the encrypted topic and need this grant, or SNS drops the message and
          // the alarm still shows ALARM (SNS developer guide, "Enable compatibility between event sources from AWS
          // services and encrypted topics"). An account-root statement does not cover service principals. Source
          // conditions only once AWS documents that CloudWatch sends them (UNCONFIRMED): one it does not send would
          // silence every alarm.
          sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
          principals: [{ type: 'Service', identifiers: [servicePrincipal('cloudwatch', region)] }],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          condition: UNCONFIRMED.cloudwatchSendsSourceConditionsToKms
            ? [
                { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
                { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*`] },
              ]
            : undefined,
        },
        ...(props.eventRulesPublish
          ? [
              {
                // EventBridge publishes the tamper alerts to the encrypted topic (SNS developer guide, as above). No
                // source conditions: AWS warns they break EventBridge's grant (docs/facts.md, Chatbot, SNS and KMS).
                sid: 'EventBridgeRulesPublishToEncryptedTopic',
                principals: [{ type: 'Service', identifiers: [servicePrincipal('events', region)] }],
                actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
                resources: ['*'],
              },
            ]
          : []),
        ...(props.eventPublisherAccounts?.length
          ? [
              {
                // The source accounts' event delivery roles publish to the encrypted topic: through SNS only.
                sid: 'SourceAccountEventRulesPublishToEncryptedTopic',
                principals: [{ type: 'AWS', identifiers: props.eventPublisherAccounts.map((a) => `arn:${partition}:iam::${a}:root`) }],
                actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
                resources: ['*'],
                condition: [
                  { test: 'ArnLike', variable: 'aws:PrincipalArn', values: props.eventPublisherAccounts.map((a) => `arn:${partition}:iam::${a}:role/${EVENT_DELIVERY_ROLE_PREFIX}*`) },
                  { test: 'StringEquals', variable: 'kms:ViaService', values: [`sns.${region}.amazonaws.com`] },
                ],
              },
            ]
          : []),
        {
          // CloudWatch Logs encrypts the RDS log groups with this key, scoped to those groups by the encryption
          // context (CloudWatch Logs user guide, "Encrypt log data in CloudWatch Logs using AWS KMS").
          sid: 'CloudWatchLogsEncryptRdsLogGroups',
          principals: [{ type: 'Service', identifiers: [servicePrincipal('logs', region, true)] }],
          actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          resources: ['*'],
          condition: [
            {
              test: 'ArnLike',
              variable: 'kms:EncryptionContext:aws:logs:arn',
              values: [`arn:${partition}:logs:${region}:${accountId}:log-group:/aws/rds/cluster/*`],
            },
          ],
        },
      ],
    });

    const key = new KmsKey(this, 'key', {
      description: `aurora-audit ${props.stackName}: alarm topic and Aurora log groups`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays,
      policy: policy.json,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.alias = new KmsAlias(this, 'alias', { name: props.aliasName, targetKeyId: key.keyId });
    this.key = key;
    this.keyArn = key.arn;
  }
}
