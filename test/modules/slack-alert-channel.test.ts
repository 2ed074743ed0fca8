import { ChatbotSlackChannelConfiguration } from '@cdktf/provider-aws/lib/chatbot-slack-channel-configuration';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing } from 'cdktf';
import { SlackAlertChannel, type SlackAlertChannelProps } from '../../modules/slack-alert-channel';
import { policyStatements, resources } from '../support/synth';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:aurora-audit-prod-alarms';
const synth = (props: Partial<SlackAlertChannelProps> = {}) =>
  Testing.synthScope((scope) => {
    const logGroupProvider = new AwsProvider(scope, 'us-east-1', { region: 'us-east-1', alias: 'chatbot_logs' });
    new SlackAlertChannel(scope, 'slack', {
      configurationName: 'aurora-audit-prod',
      slackTeamId: 'T07EA123LEP',
      slackChannelId: 'C07EZ1ABC23',
      snsTopicArns: [TOPIC],
      loggingLevel: 'ERROR',
      userAuthorizationRequired: true,
      logRetentionDays: 90,
      region: 'eu-west-1',
      accountId: '123456789012',
      partition: 'aws',
      logGroupProvider,
      ...props,
    });
  });

describe('SlackAlertChannel', () => {
  const json = synth();

  test('subscribes the channel to the alarm topic with explicit, non-admin guardrails', () => {
    const [[guardrail]] = resources(json, 'aws_iam_policy');
    expect(json).toHaveResourceWithProperties(ChatbotSlackChannelConfiguration, {
      configuration_name: 'aurora-audit-prod',
      slack_team_id: 'T07EA123LEP',
      slack_channel_id: 'C07EZ1ABC23',
      sns_topic_arns: [TOPIC],
      guardrail_policy_arns: [`\${aws_iam_policy.${guardrail}.arn}`],
      logging_level: 'ERROR',
      user_authorization_required: true,
    });
    expect(json).not.toContain('AdministratorAccess');
  });

  test('the default guardrail grants no more than notifications need: no log events, no S3 objects', () => {
    const [[, guardrail]] = resources(json, 'aws_iam_policy');
    expect(guardrail.name).toBe('aurora-audit-prod-guardrail');
    expect(policyStatements(json, guardrail.policy)).toEqual([
      { sid: 'NotificationsOnly', actions: ['cloudwatch:Describe*', 'cloudwatch:Get*', 'cloudwatch:List*'], resources: ['*'] },
    ]);
    expect(json).not.toContain('ReadOnlyAccess');
  });

  test('guardrails the user chose replace the default one', () => {
    const chosen = synth({ guardrailPolicyArns: ['arn:aws:iam::aws:policy/ViewOnlyAccess'] });
    expect(resources(chosen, 'aws_iam_policy')).toEqual([]);
    expect(chosen).toHaveResourceWithProperties(ChatbotSlackChannelConfiguration, { guardrail_policy_arns: ['arn:aws:iam::aws:policy/ViewOnlyAccess'] });
  });

  test('its role is trusted by Chatbot and may only read CloudWatch', () => {
    const [[, role]] = resources(json, 'aws_iam_role');
    expect(policyStatements(json, role.assume_role_policy)).toEqual([
      { actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['chatbot.amazonaws.com'] }] },
    ]);
    expect(role).not.toHaveProperty('managed_policy_arns');
    expect(resources(json, 'aws_iam_role_policy_attachment')).toEqual([]);
    const [[, inline]] = resources(json, 'aws_iam_role_policy');
    expect(policyStatements(json, inline.policy)).toEqual([
      { sid: 'NotificationsOnly', actions: ['cloudwatch:Describe*', 'cloudwatch:Get*', 'cloudwatch:List*'], resources: ['*'] },
    ]);
  });

  test("Chatbot's own log group exists first in us-east-1, with a retention instead of never-expire", () => {
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/aws/chatbot/aurora-audit-prod',
      retention_in_days: 90,
      provider: 'aws.chatbot_logs',
    });
    const [[, channel]] = resources(json, 'aws_chatbot_slack_channel_configuration');
    expect(channel.depends_on).toEqual([expect.stringMatching(/^aws_cloudwatch_log_group\./)]);
  });

  test('with logging off there is no log group to create', () => {
    expect(resources(synth({ loggingLevel: 'NONE', logGroupProvider: undefined }), 'aws_cloudwatch_log_group')).toEqual([]);
  });

  test('refuses to exist without guardrails, which would mean AdministratorAccess', () => {
    expect(() => synth({ guardrailPolicyArns: [] })).toThrow('AdministratorAccess');
  });
});
