import { ChatbotSlackChannelConfiguration } from '@cdktf/provider-aws/lib/chatbot-slack-channel-configuration';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CHATBOT_NOTIFICATION_ACTIONS, chatbotLogGroupName, servicePrincipal } from '../config/aws';
import { boundedName } from './names';

export interface SlackAlertChannelProps {
  /** Chatbot configuration name, unique in the account. */
  readonly configurationName: string;
  readonly slackTeamId: string;
  readonly slackChannelId: string;
  readonly snsTopicArns: readonly string[];
  /** Caps what anyone in the channel can do. Never empty: with none, Chatbot applies AdministratorAccess. */
  readonly guardrailPolicyArns: readonly string[];
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
    if (props.guardrailPolicyArns.length === 0) {
      throw new Error('SlackAlertChannel needs guardrail policies: without them Chatbot applies AdministratorAccess');
    }

    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: [servicePrincipal('chatbot', props.region)] }],
        },
      ],
    });
    const role = new IamRole(this, 'role', {
      name: boundedName(`${props.configurationName}-chatbot`, 64),
      description: 'AWS Chatbot channel role for aurora-audit alarms: notifications only',
      assumeRolePolicy: trust.json,
    });
    const notificationsOnly = new DataAwsIamPolicyDocument(this, 'notifications-only', {
      statement: [{ sid: 'NotificationsOnly', actions: [...CHATBOT_NOTIFICATION_ACTIONS], resources: ['*'] }],
    });
    new IamRolePolicy(this, 'role-policy', { name: 'notifications-only', role: role.id, policy: notificationsOnly.json });

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
      guardrailPolicyArns: [...props.guardrailPolicyArns],
      loggingLevel: props.loggingLevel,
      userAuthorizationRequired: props.userAuthorizationRequired,
      dependsOn,
    });
    this.configurationArn = channel.chatConfigurationArn;
  }
}
