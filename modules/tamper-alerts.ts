import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { Construct } from 'constructs';
import { UNCONFIRMED } from '../config/unconfirmed';
import { AWS_NAMES } from '../config/names';

/** The detail-type of CloudTrail management events on the default event bus (EventBridge user guide). */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** Chatbot calls that cut the alarms off: a deletion, or an update that can drop the topic or move the channel. */
export const CHATBOT_TAMPER_EVENTS = ['DeleteSlackChannelConfiguration', 'UpdateSlackChannelConfiguration'] as const;

export interface TamperAlertsProps {
  readonly stackName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** The role the stack deploys with: its own changes (session `aurora-audit`) raise no alert. @default - none is known */
  readonly deployRoleArn?: string;
  /** What is watched here; a kind left out (or empty) has no rule. */
  readonly watch: {
    readonly clusterIdentifiers?: readonly string[];
    readonly parameterGroupNames?: readonly string[];
    /** Every log group the stack manages or adopts: deleting one, shortening its retention or its metric filters. */
    readonly logGroupNames?: readonly string[];
    /** The stack's alarms all start with this. */
    readonly alarmNamePrefix?: string;
    readonly keyArn?: string;
    readonly topicArn?: string;
    /** The Slack channel configuration that carries the alarms to Slack. */
    readonly chatbotConfigurationArn?: string;
  };
  /** The topic the notifications go to. */
  readonly topicArn: string;
  /** The role EventBridge delivers through, when the topic is another account's. @default - none (the topic's policy admits EventBridge) */
  readonly deliveryRoleArn?: string;
}

interface TamperRule {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  readonly eventSource: string;
  readonly eventNames: readonly string[];
  /** Matched against the CloudTrail record (the event's detail), beside eventSource and eventName. */
  readonly detail: Record<string, unknown>;
  /** Where in the event the changed resource is named; a fixed text when no one field names it. */
  readonly resource: { readonly path: string } | { readonly text: string };
  readonly nextStep: string;
}

/**
 * EventBridge rules on the CloudTrail management events that would blind aurora-audit: the audit parameters of a
 * watched parameter group, a watched cluster moved to another group or stopping its log exports, the log groups,
 * their retention and metric filters, the alarms and their actions, the key and the topic. Each match goes to the
 * stack's topic as a Chatbot custom notification saying who, what, on which resource and from where. Calls made by
 * the stack's own deploy role (its `aurora-audit` session) are left out, so a deployment raises none.
 *
 * EventBridge sees these events only while a CloudTrail trail with logging is on in the account (EventBridge user
 * guide, "AWS service events delivered via AWS CloudTrail"); the summary says so.
 */
export class TamperAlerts extends Construct {
  readonly ruleArns: string[] = [];

  constructor(scope: Construct, id: string, props: TamperAlertsProps) {
    super(scope, id);
    const keys = UNCONFIRMED.rdsCloudTrailRequestKeys;
    const ignoringCase = (names: readonly string[]) => names.map((n) => ({ 'equals-ignore-case': n }));
    const { watch } = props;
    const some = (list: readonly string[] | undefined): list is readonly string[] => (list?.length ?? 0) > 0;
    const rules: TamperRule[] = [];
    if (some(watch.parameterGroupNames)) {
      rules.push({
        id: 'parameter-groups',
        title: 'Audit settings changed: a watched cluster parameter group',
        source: 'aws.rds',
        eventSource: 'rds.amazonaws.com',
        eventNames: ['ModifyDBClusterParameterGroup', 'ResetDBClusterParameterGroup'],
        detail: { requestParameters: { [keys.parameterGroupName]: ignoringCase(watch.parameterGroupNames) } },
        resource: { path: `$.detail.requestParameters.${keys.parameterGroupName}` },
        nextStep: 'Compare the group with the config: aurora-audit discover --check, then deploy to put the audit parameters back.',
      });
    }
    if (some(watch.clusterIdentifiers)) {
      rules.push({
        id: 'clusters',
        title: 'Audit settings changed: a watched cluster changed its parameter group or log exports',
        source: 'aws.rds',
        eventSource: 'rds.amazonaws.com',
        eventNames: ['ModifyDBCluster'],
        detail: {
          requestParameters: { [keys.clusterIdentifier]: ignoringCase(watch.clusterIdentifiers) },
          $or: [
            { requestParameters: { [keys.parameterGroupName]: [{ exists: true }] } },
            { requestParameters: { [keys.logExports]: { [keys.disableLogTypes]: [{ exists: true }] } } },
          ],
        },
        resource: { path: `$.detail.requestParameters.${keys.clusterIdentifier}` },
        nextStep: 'Check the cluster\'s parameter group and log exports: aurora-audit discover --check, then deploy to restore them.',
      });
    }
    if (some(watch.logGroupNames)) {
      rules.push({
        id: 'log-groups',
        title: 'Audit logs at risk: a log group, its retention, a metric filter or a subscription filter',
        source: 'aws.logs',
        eventSource: 'logs.amazonaws.com',
        // DeleteSubscriptionFilter cuts a SIEM or the archive off from the audit log.
        eventNames: ['DeleteLogGroup', 'PutRetentionPolicy', 'DeleteMetricFilter', 'DeleteSubscriptionFilter'],
        detail: { requestParameters: { logGroupName: [...watch.logGroupNames] } },
        resource: { path: '$.detail.requestParameters.logGroupName' },
        nextStep: 'Deploy again to restore the group, its retention and its filters; records already deleted, or not delivered meanwhile, are gone.',
      });
    }
    if (watch.alarmNamePrefix) {
      rules.push({
        id: 'alarms',
        title: 'Alarms silenced: an aurora-audit alarm deleted or its actions disabled',
        source: 'aws.cloudwatch',
        eventSource: 'monitoring.amazonaws.com',
        eventNames: ['DeleteAlarms', 'DisableAlarmActions'],
        detail: { requestParameters: { alarmNames: [{ prefix: watch.alarmNamePrefix }] } },
        resource: { text: `alarms named ${watch.alarmNamePrefix}… (the event lists them)` },
        nextStep: 'Deploy again to restore the alarms, or aws cloudwatch enable-alarm-actions for those disabled.',
      });
    }
    if (watch.keyArn) {
      rules.push({
        id: 'key',
        title: 'Audit logs at risk: the key that encrypts them disabled or scheduled for deletion',
        source: 'aws.kms',
        eventSource: 'kms.amazonaws.com',
        eventNames: ['DisableKey', 'ScheduleKeyDeletion'],
        // KMS records the key it acted on as a resource of the event, by ARN, however the caller named it.
        detail: { resources: { ARN: [watch.keyArn] } },
        resource: { path: '$.detail.requestParameters.keyId' },
        nextStep: 'Enable the key, or cancel its deletion (aws kms cancel-key-deletion), before the waiting period ends: without it the encrypted logs cannot be read.',
      });
    }
    if (watch.topicArn) {
      rules.push({
        id: 'topic',
        title: 'Alarms cut off: the alarm topic deleted',
        source: 'aws.sns',
        eventSource: 'sns.amazonaws.com',
        eventNames: ['DeleteTopic'],
        detail: { requestParameters: { topicArn: [watch.topicArn] } },
        resource: { path: '$.detail.requestParameters.topicArn' },
        nextStep: 'Deploy again to re-create the topic; until then no alarm reaches Slack (this message came before it was gone).',
      });
    }
    if (watch.chatbotConfigurationArn) {
      const arn = watch.chatbotConfigurationArn;
      rules.push({
        id: 'chatbot',
        title: 'Alarms cut off: the Slack channel configuration deleted or changed',
        source: 'aws.chatbot',
        eventSource: 'chatbot.amazonaws.com',
        eventNames: CHATBOT_TAMPER_EVENTS,
        detail: { $or: UNCONFIRMED.chatbotCloudTrailArnKeys.map((key) => ({ requestParameters: { [key]: [arn] } })) },
        resource: { text: `the channel configuration ${arn.slice(arn.lastIndexOf('/') + 1)}` },
        nextStep: 'Deploy again to restore the channel configuration; a deleted one stops every alarm reaching Slack (this message may be the last).',
      });
      // CloudTrail records a Chatbot call in the region it was made in (the console's, or any Chatbot API region): the
      // account's stack forwards those events here (modules/chatbot-forwarding.ts).
    }

    const deployer = props.deployRoleArn ? deploySessionArn(props.deployRoleArn) : undefined;
    for (const rule of rules) {
      const r = new CloudwatchEventRule(this, rule.id, {
        name: AWS_NAMES.tamperRule(props.stackName, rule.id),
        description: `aurora-audit ${props.stackName}: ${rule.title}`,
        eventPattern: JSON.stringify(eventPattern(rule, deployer)),
      });
      this.ruleArns.push(r.arn);
      new CloudwatchEventTarget(this, `${rule.id}-target`, {
        rule: r.name,
        arn: props.topicArn,
        roleArn: props.deliveryRoleArn,
        inputTransformer: {
          inputPaths: {
            who: '$.detail.userIdentity.arn',
            event: '$.detail.eventName',
            ip: '$.detail.sourceIPAddress',
            time: '$.time',
            account: '$.account',
            region: '$.region',
            eventId: '$.detail.eventID',
            ...('path' in rule.resource ? { resource: rule.resource.path } : {}),
          },
          inputTemplate: notificationTemplate(rule),
        },
      });
    }
  }
}

/** The ARN CloudTrail records for the stack's deployments: the deploy role's session named `aurora-audit` (addProviders). */
export function deploySessionArn(roleArn: string): string {
  const m = /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!m) throw new Error(`deploySessionArn: ${roleArn} is not a role ARN`);
  return `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/aurora-audit`;
}

function eventPattern(rule: TamperRule, deployer: string | undefined): Record<string, unknown> {
  return {
    source: [rule.source],
    'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
    detail: {
      eventSource: [rule.eventSource],
      eventName: [...rule.eventNames],
      ...rule.detail,
      ...(deployer ? { userIdentity: { arn: [{ 'anything-but': [deployer] }] } } : {}),
    },
  };
}

/**
 * A Chatbot custom notification (docs/facts.md, Alert details), with EventBridge's `<name>` placeholders. The values are ARNs,
 * names, an IP address and times: none holds a quote, so each stays a JSON string.
 */
function notificationTemplate(rule: TamperRule): string {
  const resource = 'path' in rule.resource ? '<resource>' : rule.resource.text;
  const description = [
    `*<event>* on ${resource}`,
    '*Who:* <who>',
    '*From:* <ip>',
    '*When:* <time>, account <account>, <region>',
    '*CloudTrail event:* <eventId>',
  ].join('\n');
  const notification = {
    version: '1.0',
    source: 'custom',
    content: { textType: 'client-markdown', title: `:rotating_light: ${rule.title}`, description, nextSteps: [rule.nextStep] },
    metadata: { eventType: 'aurora-audit tampering', summary: `${rule.title}: <event>` },
  };
  return JSON.stringify(notification);
}
