import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { servicePrincipal } from '../config/aws';
import { AWS_NAMES } from '../config/names';
import { CHATBOT_TAMPER_EVENTS, CLOUDTRAIL_DETAIL_TYPE } from './tamper-alerts';

export interface ChatbotForwardingProps {
  /** The account's stack: names the rules and the role. */
  readonly stackName: string;
  readonly accountId: string;
  readonly partition: string;
  /** Each region Chatbot's API records calls in, through its provider, and a region of the account's Slack channels. */
  readonly routes: ReadonlyArray<{ readonly from: string; readonly provider: TerraformProvider; readonly to: string }>;
  /**
   * The account-wide calls recorded in IAM's region (the stack's own): IAM's, and CloudTrail's on trails homed there,
   * forwarded to each other region of the account with tamper rules. @default - none
   */
  readonly accountWide?: { readonly from: string; readonly to: readonly string[] };
}

/** What the account-wide forwarders carry: every write of IAM and of CloudTrail recorded in IAM's region. */
export const ACCOUNT_WIDE_EVENT_SOURCES = { 'aws.iam': 'iam.amazonaws.com', 'aws.cloudtrail': 'cloudtrail.amazonaws.com' } as const;

/**
 * Chatbot's CloudTrail events, forwarded from the regions where its API records them to the default event bus of each
 * region of the account with a Slack channel, where the tamper rule of that channel's stack reads them (CloudTrail
 * records a Chatbot call in the region it was made in: UNCONFIRMED.chatbotApiRegions). Every channel-configuration
 * change of the account goes, whoever made it: the rule at the other end chooses. One role, which may only put events
 * on those buses (EventBridge user guide, "Sending and receiving events between AWS Regions").
 */
export class ChatbotForwarding extends Construct {
  constructor(scope: Construct, id: string, props: ChatbotForwardingProps) {
    super(scope, id);
    const wide = props.accountWide && props.accountWide.to.length > 0 ? props.accountWide : undefined;
    if (props.routes.length === 0 && !wide) return;
    const bus = (region: string) => `arn:${props.partition}:events:${region}:${props.accountId}:event-bus/default`;
    const sources = [...new Set([...props.routes.map((r) => r.from), ...(wide ? [wide.from] : [])])].sort();
    const destinations = [...new Set([...props.routes.map((r) => r.to), ...(wide?.to ?? [])])].sort();
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          // EventBridge in each forwarding region assumes it, for this account's rules only.
          principals: [{ type: 'Service', identifiers: [...new Set(sources.map((r) => servicePrincipal('events', r)))] }],
          actions: ['sts:AssumeRole'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] }],
        },
      ],
    });
    const role = new IamRole(this, 'role', {
      name: AWS_NAMES.tamperForwardingRole(props.stackName),
      description: `aurora-audit ${props.stackName}: forwards Chatbot's, IAM's and CloudTrail's CloudTrail events to the regions of the account's tamper rules`,
      assumeRolePolicy: trust.json,
    });
    const put = new DataAwsIamPolicyDocument(this, 'policy', {
      statement: [{ sid: 'PutOnTheChannelRegionsDefaultBuses', actions: ['events:PutEvents'], resources: destinations.map(bus) }],
    });
    new IamRolePolicy(this, 'role-policy', { name: 'forward-to-default-buses', role: role.name, policy: put.json });
    const pattern = JSON.stringify({
      source: ['aws.chatbot'],
      'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
      detail: { eventSource: ['chatbot.amazonaws.com'], eventName: [...CHATBOT_TAMPER_EVENTS] },
    });
    for (const { from, provider, to } of props.routes) {
      const rule = new CloudwatchEventRule(this, `${from}-to-${to}`, {
        provider,
        name: AWS_NAMES.tamperRule(props.stackName, `chatbot-to-${to}`),
        description: `aurora-audit ${props.stackName}: Chatbot channel changes made in ${from}, forwarded to ${to}`,
        eventPattern: pattern,
      });
      new CloudwatchEventTarget(this, `${from}-to-${to}-target`, { provider, rule: rule.name, arn: bus(to), roleArn: role.arn });
    }
    if (wide) {
      // In the stack's own region (its default provider): IAM records every call there, CloudTrail a trail's calls in
      // the trail's home region. The rules at the other end choose what concerns them.
      const accountWide = JSON.stringify({
        source: Object.keys(ACCOUNT_WIDE_EVENT_SOURCES),
        'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
        detail: { eventSource: Object.values(ACCOUNT_WIDE_EVENT_SOURCES), readOnly: [false] },
      });
      for (const to of wide.to) {
        const rule = new CloudwatchEventRule(this, `account-to-${to}`, {
          name: AWS_NAMES.tamperRule(props.stackName, `account-to-${to}`),
          description: `aurora-audit ${props.stackName}: IAM and CloudTrail changes made in ${wide.from}, forwarded to ${to}`,
          eventPattern: accountWide,
        });
        new CloudwatchEventTarget(this, `account-to-${to}-target`, { rule: rule.name, arn: bus(to), roleArn: role.arn });
      }
    }
  }
}
