import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { DataAwsGuarddutyDetector } from '@cdktf/provider-aws/lib/data-aws-guardduty-detector';
import { GuarddutyDetectorFeature } from '@cdktf/provider-aws/lib/guardduty-detector-feature';
import { Construct } from 'constructs';
import { RDS_LOGIN_EVENTS } from '../config/aws';
import { AWS_NAMES } from '../config/names';
import { UNCONFIRMED } from '../config/unconfirmed';

/** GuardDuty publishes each finding to EventBridge with this detail-type (GuardDuty user guide, "Processing findings with EventBridge"). */
export const GUARDDUTY_DETAIL_TYPE = 'GuardDuty Finding';

export interface GuardDutyFindingsProps {
  readonly stackName: string;
  readonly clusterIdentifiers: readonly string[];
  readonly topicArn: string;
  /** The role EventBridge delivers through, when the topic is another account's. @default - none */
  readonly deliveryRoleArn?: string;
  /** Turn on RDS Protection on the account's existing detector. It never creates a detector. */
  readonly enableRdsProtection: boolean;
  /** Whether the stack saves its Logs Insights queries, which the message then names. */
  readonly savedQueries: boolean;
}

/**
 * GuardDuty RDS Protection findings about the stack's clusters (anomalous successful and failed logins, brute force,
 * malicious and Tor callers), routed to the stack's topic as Chatbot custom notifications. It reads the account's one
 * detector and never makes a second; with `enableRdsProtection` it turns the RDS login feature on there, and removing
 * that resource leaves the feature on (docs/facts.md, Tampering and GuardDuty), so a destroy never turns GuardDuty off.
 */
export class GuardDutyFindings extends Construct {
  /** The rule's ARN: the stack's topic lets it publish. */
  readonly ruleArn: string;

  constructor(scope: Construct, id: string, props: GuardDutyFindingsProps) {
    super(scope, id);
    const fields = UNCONFIRMED.guardDutyRdsFindingFields;
    if (props.enableRdsProtection) {
      // The data source fails the plan when the region has no detector: that is the error to see, not a new detector.
      const detector = new DataAwsGuarddutyDetector(this, 'detector', {});
      new GuarddutyDetectorFeature(this, 'rds-protection', { detectorId: detector.id, name: RDS_LOGIN_EVENTS, status: 'ENABLED' });
    }
    const rule = new CloudwatchEventRule(this, 'rule', {
      name: AWS_NAMES.guardDutyRule(props.stackName),
      description: `aurora-audit ${props.stackName}: GuardDuty RDS Protection findings about its clusters`,
      eventPattern: JSON.stringify({
        source: ['aws.guardduty'],
        'detail-type': [GUARDDUTY_DETAIL_TYPE],
        detail: {
          resource: {
            resourceType: [fields.resourceType],
            [fields.instanceDetails]: { [fields.clusterIdentifier]: props.clusterIdentifiers.map((c) => ({ 'equals-ignore-case': c })) },
          },
        },
      }),
    });
    const notification = {
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: ':shield: GuardDuty: <type>',
        // The database user is left out: it is whatever name was tried at the login prompt, and EventBridge's input
        // transformer cannot escape it for Slack (a user named <!channel> would notify the channel). The finding has it.
        description: ['*Cluster:* <cluster> (instance <instance>)', '*Database user:* in the finding (not copied: whoever logs in chooses it)', '*Severity:* <severity>', '*When:* <time>, account <account>, <region>', '*Finding:* <findingId>'].join('\n'),
        nextSteps: [
          props.savedQueries
            ? 'Open the finding in the GuardDuty console; check the user\'s recent logins with the saved query failed-logins of this stack.'
            : 'Open the finding in the GuardDuty console; check the user\'s recent logins in the cluster\'s audit log.',
        ],
      },
      metadata: { eventType: 'aurora-audit guardduty', summary: 'GuardDuty: <type> on <cluster>' },
    };
    this.ruleArn = rule.arn;
    new CloudwatchEventTarget(this, 'target', {
      rule: rule.name,
      arn: props.topicArn,
      roleArn: props.deliveryRoleArn,
      inputTransformer: {
        inputPaths: {
          type: '$.detail.type',
          severity: '$.detail.severity',
          cluster: `$.detail.resource.${fields.instanceDetails}.${fields.clusterIdentifier}`,
          instance: `$.detail.resource.${fields.instanceDetails}.dbInstanceIdentifier`,
          time: '$.time',
          account: '$.account',
          region: '$.region',
          findingId: '$.detail.id',
        },
        inputTemplate: JSON.stringify(notification),
      },
    });
  }
}
