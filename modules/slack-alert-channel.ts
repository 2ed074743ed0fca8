import { ChatbotSlackChannelConfiguration } from '@cdktf/provider-aws/lib/chatbot-slack-channel-configuration';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CHATBOT_NOTIFICATION_ACTIONS, chatbotConfigurationArn, chatbotLogGroupName, servicePrincipal } from '../config/aws';
import { AWS_NAMES } from '../config/names';
import { UNCONFIRMED } from '../config/unconfirmed';

export interface SlackAlertChannelProps {
  /** Chatbot configuration name, unique in the account. */
  readonly configurationName: string;
  readonly slackTeamId: string;
  readonly slackChannelId: string;
  readonly snsTopicArns: readonly string[];
  readonly accountId: string;
  readonly partition: string;
  /**
   * Caps what anyone in the channel can do. Never empty: with none, Chatbot applies AdministratorAccess.
   * @default - a policy created here, allowing only the notification actions the channel role has
   */
  readonly guardrailPolicyArns?: readonly string[];
  readonly loggingLevel: 'ERROR' | 'INFO' | 'NONE';
  readonly userAuthorizationRequired: boolean;
  /** Retention of Chatbot's own log group, which Chatbot would otherwise create with no expiry. */
  readonly logRetentionDays: number;
  readonly region: string;
  /**
   * A provider for us-east-1, where Chatbot writes its logs.
   * @default - no log group is created; only allowed when loggingLevel is NONE
   */
  readonly logGroupProvider?: TerraformProvider;
}

/**
 * A Slack channel that receives the alarms, through AWS Chatbot (Amazon Q Developer in chat applications).
 * Its role can only read CloudWatch, and explicit guardrails keep AdministratorAccess from ever applying.
 */
export class SlackAlertChannel extends Construct {
  readonly configurationArn: string;

  constructor(scope: Construct, id: string, props: SlackAlertChannelProps) {
    super(scope, id);
    if (props.guardrailPolicyArns?.length === 0) {
      throw new Error('SlackAlertChannel needs guardrail policies: without them Chatbot applies AdministratorAccess');
    }

    // AWS documents no source condition keys on Chatbot's AssumeRole call (the Chatbot admin guide's trust policy
    // has none), and a condition the service does not send would stop every notification. UNCONFIRMED keeps the switch.
    const sourceConditions = UNCONFIRMED.chatbotSendsSourceConditions
      ? [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: [chatbotConfigurationArn(props.partition, props.accountId, props.configurationName)] },
        ]
      : undefined;
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: [servicePrincipal('chatbot', props.region)] }],
          condition: sourceConditions,
        },
      ],
    });
    const role = new IamRole(this, 'role', {
      name: AWS_NAMES.chatbotRole(props.configurationName),
      description: 'AWS Chatbot channel role for aurora-audit alarms: notifications only',
      assumeRolePolicy: trust.json,
    });
    // AWS's notifications-only template (AWS-Chatbot-NotificationsOnly-Policy): read CloudWatch alarms and metrics.
    const notificationsOnly = new DataAwsIamPolicyDocument(this, 'notifications-only', {
      statement: [{ sid: 'NotificationsOnly', actions: [...CHATBOT_NOTIFICATION_ACTIONS], resources: ['*'] }],
    });
    new IamRolePolicy(this, 'role-policy', { name: 'notifications-only', role: role.id, policy: notificationsOnly.json });

    // The guardrail caps the channel role and every user role alike; by default it allows no more than the channel
    // role needs, so nobody in Slack can read log events (the audit records) or S3 objects through the channel.
    const guardrailPolicyArns =
      props.guardrailPolicyArns ??
      [
        new IamPolicy(this, 'guardrail', {
          name: AWS_NAMES.chatbotGuardrailPolicy(props.configurationName),
          description: 'Guardrail of the aurora-audit Chatbot channel: notifications only (CloudWatch alarms and metrics, read-only)',
          policy: notificationsOnly.json,
        }).arn,
      ];

    const dependsOn = [];
    if (props.loggingLevel !== 'NONE') {
      if (!props.logGroupProvider) throw new Error('SlackAlertChannel needs a us-east-1 provider to create its log group');
      dependsOn.push(
        new CloudwatchLogGroup(this, 'log-group', {
          provider: props.logGroupProvider,
          name: chatbotLogGroupName(props.configurationName),
          retentionInDays: props.logRetentionDays,
          logGroupClass: 'STANDARD',
        }),
      );
    }

    const channel = new ChatbotSlackChannelConfiguration(this, 'channel', {
      configurationName: props.configurationName,
      iamRoleArn: role.arn,
      slackTeamId: props.slackTeamId,
      slackChannelId: props.slackChannelId,
      snsTopicArns: [...props.snsTopicArns],
      guardrailPolicyArns: [...guardrailPolicyArns],
      loggingLevel: props.loggingLevel,
      userAuthorizationRequired: props.userAuthorizationRequired,
      dependsOn,
    });
    this.configurationArn = channel.chatConfigurationArn;
  }
}
