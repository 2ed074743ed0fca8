import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { Construct } from 'constructs';
import { EVENT_PATTERN_MAX_CHARS, rdsLogGroupPrefix } from '../config/aws';
import { UNCONFIRMED } from '../config/unconfirmed';
import { AWS_NAMES, OWN_EVENT_RULE_PREFIX } from '../config/names';

/** The detail-type of CloudTrail management events on the default event bus (EventBridge user guide). */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** Chatbot calls that cut the alarms off: a deletion, or an update that can drop the topic or move the channel. */
export const CHATBOT_TAMPER_EVENTS = ['DeleteSlackChannelConfiguration', 'UpdateSlackChannelConfiguration'] as const;

export interface TamperAlertsProps {
  readonly stackName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /**
   * The role the stack deploys with: its own changes (session `aurora-audit`) are reported as expected changes, in a
   * quieter message of their own, never dropped. @default - none is known: every change is tampering
   */
  readonly deployRoleArn?: string;
  /** What is watched here; a kind left out (or empty) has no rule. */
  readonly watch: {
    readonly clusterIdentifiers?: readonly string[];
    readonly parameterGroupNames?: readonly string[];
    /**
     * The audit parameters: any set in a DB instance parameter group, which overrides the cluster's group for its
     * instances. Which of them RDS lets an instance group hold is not known, so every one named or begun so is watched.
     */
    readonly auditParameters?: { readonly names: readonly string[]; readonly prefixes: readonly string[] };
    /** Clusters whose log groups (/aws/rds/cluster/<id>/*) are watched: any write to one (its retention, key, metric and subscription filters). */
    readonly logGroupClusters?: readonly string[];
    /** The stack's alarms all start with this. */
    readonly alarmNamePrefix?: string;
    readonly keyArn?: string;
    readonly topicArn?: string;
    /** The Slack channel configuration that carries the alarms to Slack. */
    readonly chatbotConfigurationArn?: string;
    /** The alert-details function. */
    readonly functionName?: string;
    /** The Firehose streams of the archive and the SIEM push. */
    readonly deliveryStreamNames?: readonly string[];
    /** The archive's bucket. */
    readonly bucketName?: string;
    /** The IAM roles of the path (recorded in IAM's region, and forwarded here by the account's stack). */
    readonly roleNames?: readonly string[];
    /** The customer managed policies of the path (the Slack channel's guardrail). */
    readonly policyArns?: readonly string[];
    /** The account's CloudTrail trails: EventBridge sees nothing without one logging. */
    readonly trails?: boolean;
    /** GuardDuty's detector, its features and its suppression lists, where GuardDuty routing is on. */
    readonly guardDuty?: boolean;
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
  /** The calls watched; `writes` is every call CloudTrail records as not read-only, but those listed in `except`. */
  readonly eventNames: readonly string[] | { readonly writes: true; readonly except?: readonly string[] };
  /** Matched against the CloudTrail record (the event's detail), beside eventSource and eventName. */
  readonly detail: Record<string, unknown>;
  /**
   * A list of names the detail is made from, when it may be long: the rule is split into as many rules as it takes
   * for each pattern to fit EventBridge's size (`<id>`, `<id>-2`, ...). `detail` is then the detail of every name.
   */
  readonly chunk?: { readonly names: readonly string[]; readonly detail: (names: readonly string[]) => Record<string, unknown> };
  /**
   * Where in the event the changed resource is named, when the pattern matched it exactly (so it holds one of the
   * stack's own names, never text someone chose); a fixed text otherwise.
   */
  readonly resource: { readonly path: string } | { readonly text: string };
  readonly nextStep: string;
}

/** Tagging changes nothing that keeps or delivers a record. */
const TAGGING = ['TagResource', 'UntagResource'];

/**
 * EventBridge rules on the CloudTrail management events that would blind or redirect aurora-audit: every write to what
 * the stack deploys (parameter groups, the clusters' audit settings and names, log groups and their filters, alarms,
 * the topic and its subscriptions, the key, the Chatbot channel, the rules themselves, the alert-details function,
 * the Firehose streams, the archive bucket, the roles of the path) and to what it depends on (the CloudTrail trails,
 * GuardDuty). Each match goes to the stack's topic as a Chatbot custom notification saying who, what, on which
 * resource and from where. Changes made by the stack's own deploy role (its `aurora-audit` session) are reported in
 * a quieter message of their own, as expected changes: never dropped, since anyone who can assume that role can name
 * a session so.
 *
 * EventBridge sees these events only while a CloudTrail trail with logging is on in the account (EventBridge user
 * guide, "AWS service events delivered via AWS CloudTrail"); the summary says so.
 */
export class TamperAlerts extends Construct {
  readonly ruleArns: string[] = [];

  constructor(scope: Construct, id: string, props: TamperAlertsProps) {
    super(scope, id);
    const keys = UNCONFIRMED.rdsCloudTrailRequestKeys;
    const ct = UNCONFIRMED.cloudTrailRequestKeys;
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
        // Modify, reset, delete: any write naming the group.
        eventNames: { writes: true, except: ['AddTagsToResource', 'RemoveTagsFromResource'] },
        ...byName(watch.parameterGroupNames, (names) => ({ requestParameters: { [keys.parameterGroupName]: ignoringCase(names) } })),
        resource: { path: `$.detail.requestParameters.${keys.parameterGroupName}` },
        nextStep: 'Compare the group with the config: aurora-audit discover --check, then deploy to put the audit parameters back.',
      });
    }
    if (watch.auditParameters && (some(watch.auditParameters.names) || some(watch.auditParameters.prefixes))) {
      const { prefixes } = watch.auditParameters;
      // A name a prefix already covers is not listed again.
      const names = watch.auditParameters.names.filter((n) => !prefixes.some((p) => n.toLowerCase().startsWith(p.toLowerCase())));
      rules.push({
        id: 'instance-parameters',
        title: 'Audit settings at risk: an audit parameter set in a DB instance parameter group, or an instance moved to another group; an instance\'s group overrides the cluster\'s',
        source: 'aws.rds',
        eventSource: 'rds.amazonaws.com',
        // An instance's own group is not in the config, and may be any group of the account: a change is watched on
        // every group, by what it sets. Resetting one brings the cluster's values back, and is not watched. A request
        // to move an instance names the instance, not its cluster: every move is watched (a new instance of a watched
        // cluster on a group of its own is the clusters rule's).
        eventNames: ['ModifyDBParameterGroup', 'ModifyDBInstance'],
        detail: {
          $or: [
            {
              eventName: ['ModifyDBParameterGroup'],
              requestParameters: {
                [keys.parameters]: {
                  [keys.parameterName]: [...prefixes.map((p) => ({ prefix: { 'equals-ignore-case': p } })), ...ignoringCase(names)],
                },
              },
            },
            { eventName: ['ModifyDBInstance'], requestParameters: { [keys.instanceParameterGroupName]: [{ exists: true }] } },
          ],
        },
        // The group's and the instance's names are whatever the caller sent: they are not shown.
        resource: { text: 'a DB parameter group or DB instance of the account (the event names it)' },
        nextStep:
          'If the instance or group belongs to a watched cluster: aurora-audit verify names any audit parameter an instance\'s group sets; reset it there (aws rds reset-db-parameter-group), or move the instance back to a group that leaves it unset.',
      });
    }
    if (some(watch.clusterIdentifiers)) {
      const clusters = watch.clusterIdentifiers;
      rules.push({
        id: 'clusters',
        title: 'Audit settings changed: a watched cluster changed its parameter group, log exports or name, was deleted, was given a major version upgrade, or gained an instance on a parameter group of its own',
        source: 'aws.rds',
        eventSource: 'rds.amazonaws.com',
        eventNames: ['ModifyDBCluster', 'DeleteDBCluster', 'CreateDBInstance'],
        // A cluster's other settings (a backup window, its capacity) are not tampering. A rename moves its audit log
        // to /aws/rds/cluster/<new name>/, where nothing of the stack reads it.
        ...byName(clusters, (names) => ({
          requestParameters: { [keys.clusterIdentifier]: ignoringCase(names) },
          $or: [
            { requestParameters: { [keys.parameterGroupName]: [{ exists: true }] } },
            { requestParameters: { [keys.logExports]: { [keys.disableLogTypes]: [{ exists: true }] } } },
            { requestParameters: { [keys.newClusterIdentifier]: [{ exists: true }] } },
            { eventName: ['DeleteDBCluster'] },
            // A major version upgrade leaves the old family's groups behind: the cluster and its instances get the new
            // version's default groups, or the ones the call names.
            { requestParameters: { [keys.allowMajorVersionUpgrade]: [true] } },
            { requestParameters: { [keys.clusterInstanceParameterGroupName]: [{ exists: true }] } },
            // An instance's own group overrides the cluster's for it; on the default group it sets nothing.
            { eventName: ['CreateDBInstance'], requestParameters: { [keys.instanceParameterGroupName]: [{ exists: true }] } },
          ],
        })),
        resource: { path: `$.detail.requestParameters.${keys.clusterIdentifier}` },
        nextStep: 'Check the cluster\'s parameter group, log exports and name: aurora-audit discover --check, then deploy to restore them (a renamed cluster needs its new name in the config; an upgraded one its new engine version). A new instance on a group of its own: aurora-audit verify names any audit parameter that group sets.',
      });
      const clusterArn = (id: string) => `arn:${props.partition}:rds:${props.region}:${props.accountId}:cluster:${id}`;
      rules.push({
        id: 'upgrade-paths',
        title: 'Audit settings at risk: a blue/green deployment of a watched cluster created, a blue/green deployment switched over, or a global database given a major version upgrade',
        source: 'aws.rds',
        eventSource: 'rds.amazonaws.com',
        eventNames: ['CreateBlueGreenDeployment', 'SwitchoverBlueGreenDeployment', 'ModifyGlobalCluster'],
        // A green copy gets the groups its request names, or copies of the cluster's, and can be changed at will before
        // a switchover makes it the production cluster; nothing the other rules watch is touched. A switchover names
        // only the deployment, and a global upgrade only the global database (it gives every member cluster the new
        // version's default groups): those two are watched in the whole account, in the first rule of a split list
        // only, so that one call alerts once.
        ...byName(clusters, (names) => ({
          $or: [
            { eventName: ['CreateBlueGreenDeployment'], requestParameters: { [keys.blueGreenSource]: ignoringCase(names.map(clusterArn)) } },
            ...(names[0] === clusters[0]
              ? [{ eventName: ['SwitchoverBlueGreenDeployment'] }, { eventName: ['ModifyGlobalCluster'], requestParameters: { [keys.allowMajorVersionUpgrade]: [true] } }]
              : []),
          ],
        })),
        // A switchover's deployment and a global database are named by whoever made them: not shown.
        resource: { text: 'a watched cluster, or a blue/green deployment or global database of the account (the event names it)' },
        nextStep:
          'Before a switchover: aurora-audit verify names what the green cluster would change (its group\'s audit parameters, its log exports); set them there, or delete the deployment. After one, or after a global upgrade: verify names a cluster whose parameter group, audit parameters or log exports no longer match; deploy to restore them (an upgraded cluster needs its new engine version in the config).',
      });
    }
    if (some(watch.logGroupClusters)) {
      rules.push({
        id: 'log-groups',
        title: 'Audit logs at risk: a log group, its retention, key, metric or subscription filters, or an account-wide log policy',
        source: 'aws.logs',
        eventSource: 'logs.amazonaws.com',
        // RDS makes a stream per instance; that is delivery, not a change.
        eventNames: { writes: true, except: ['CreateLogStream', 'TagLogGroup', 'UntagLogGroup', ...TAGGING] },
        // Every log group of a watched cluster, /aws/rds/cluster/<id>/<type>, named or (logGroupIdentifier) by ARN.
        ...byName(watch.logGroupClusters, (clusters) => {
          const groups = clusters.map(rdsLogGroupPrefix);
          return {
            $or: [
              { requestParameters: { [ct.logGroupName]: groups.map((g) => ({ prefix: g })) } },
              { requestParameters: { [ct.logGroupIdentifier]: [...groups.map((g) => ({ prefix: g })), ...groups.map((g) => ({ prefix: `arn:${props.partition}:logs:${props.region}:${props.accountId}:log-group:${g}` }))] } },
              // A data protection policy for the whole account masks what the audit log shows; a subscription policy copies it out.
              { eventName: ['PutAccountPolicy', 'DeleteAccountPolicy'] },
            ],
          };
        }),
        resource: { text: 'a watched log group, or the account\'s log policies (the event names it)' },
        nextStep: 'Deploy again to restore the group, its retention, key and filters; records already deleted, or not delivered meanwhile, are gone.',
      });
    }
    if (watch.alarmNamePrefix) {
      const prefix = [{ prefix: watch.alarmNamePrefix }];
      rules.push({
        id: 'alarms',
        title: 'Alarms silenced: an aurora-audit alarm deleted, disabled, overwritten, or set to ALARM by hand',
        source: 'aws.cloudwatch',
        eventSource: 'monitoring.amazonaws.com',
        // Re-enabling actions restores them.
        eventNames: { writes: true, except: ['EnableAlarmActions', ...TAGGING] },
        detail: {
          $or: [
            { requestParameters: { [ct.alarmNames]: prefix } },
            { eventName: [{ 'anything-but': ['SetAlarmState'] }], requestParameters: { [ct.alarmName]: prefix } },
            // An alarm set to ALARM by hand notifies once, and while it stays in ALARM a real event does not notify
            // again: the way to hide one behind a false alarm (docs/facts.md, SetAlarmState). A drill does it too, and
            // says who ran it. Setting one back to OK is how a person clears it, and is not watched.
            { eventName: ['SetAlarmState'], requestParameters: { [ct.alarmName]: prefix, [ct.stateValue]: ['ALARM'] } },
          ],
        },
        resource: { text: `alarms named ${watch.alarmNamePrefix}… (the event lists them)` },
        nextStep:
          'Deploy again to restore the alarms, or aws cloudwatch enable-alarm-actions for those disabled. An alarm set to ALARM by hand that was no drill: read its log group from then on (a real event does not notify while it stays in ALARM), and set it back to OK.',
      });
    }
    if (watch.keyArn) {
      rules.push({
        id: 'key',
        title: 'Audit logs at risk: the key that encrypts them disabled, scheduled for deletion, or its policy or grants changed',
        source: 'aws.kms',
        eventSource: 'kms.amazonaws.com',
        // Named: KMS records its cryptographic calls as management events too.
        eventNames: ['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy', 'CreateGrant', 'DisableKeyRotation', 'DeleteImportedKeyMaterial'],
        // KMS records the key it acted on as a resource of the event, by ARN, however the caller named it.
        detail: { resources: { ARN: [watch.keyArn] } },
        resource: { text: 'the stack\'s key (the event names it)' },
        nextStep: 'Enable the key, cancel its deletion (aws kms cancel-key-deletion) before the waiting period ends, or deploy again to restore its policy: without it the encrypted logs cannot be read.',
      });
    }
    if (watch.topicArn) {
      rules.push({
        id: 'topic',
        title: 'Alarms cut off: the alarm topic deleted, its policy, data protection policy or key changed, or a subscription added or removed',
        source: 'aws.sns',
        eventSource: 'sns.amazonaws.com',
        eventNames: { writes: true, except: TAGGING },
        detail: {
          $or: [
            { requestParameters: { [ct.topicArn]: [watch.topicArn] } },
            // Unsubscribe and subscription filter policies name the subscription: <topic ARN>:<id>.
            { requestParameters: { [ct.subscriptionArn]: [{ prefix: `${watch.topicArn}:` }] } },
            // A data protection policy can mask a notification's text or deny its publishing outright.
            { requestParameters: { [ct.resourceArn]: [watch.topicArn] } },
          ],
        },
        resource: { text: 'the alarm topic or one of its subscriptions (the event names it)' },
        nextStep: 'Deploy again to restore the topic, its policy and subscriptions; remove any subscription the config does not make (aws sns list-subscriptions-by-topic).',
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
    if (watch.functionName) {
      rules.push({
        id: 'function',
        title: 'Alert details at risk: the alert-details function changed or deleted',
        source: 'aws.lambda',
        eventSource: 'lambda.amazonaws.com',
        eventNames: { writes: true, except: TAGGING },
        detail: {
          requestParameters: {
            [ct.functionName]: [watch.functionName, `arn:${props.partition}:lambda:${props.region}:${props.accountId}:function:${watch.functionName}`],
          },
        },
        resource: { text: `the function ${watch.functionName}` },
        nextStep: 'Deploy again to restore the function\'s code, configuration and permissions.',
      });
    }
    if (some(watch.deliveryStreamNames)) {
      rules.push({
        id: 'streams',
        title: 'Audit records diverted: a Firehose stream of the archive or the SIEM changed or deleted',
        source: 'aws.firehose',
        eventSource: 'firehose.amazonaws.com',
        eventNames: { writes: true, except: ['TagDeliveryStream', 'UntagDeliveryStream'] },
        detail: { requestParameters: { [ct.deliveryStreamName]: [...watch.deliveryStreamNames] } },
        resource: { path: `$.detail.requestParameters.${ct.deliveryStreamName}` },
        nextStep: 'Deploy again to restore the stream\'s destination and encryption; records it sent elsewhere meanwhile are not in the archive or the SIEM.',
      });
    }
    if (watch.bucketName) {
      rules.push({
        id: 'archive',
        title: 'Archive at risk: its bucket policy, versioning, Object Lock, lifecycle or encryption changed',
        source: 'aws.s3',
        eventSource: 's3.amazonaws.com',
        // Bucket-level calls only: object reads and writes are data events, outside management events.
        eventNames: { writes: true, except: ['PutBucketTagging', 'DeleteBucketTagging'] },
        detail: { requestParameters: { [ct.bucketName]: [watch.bucketName] } },
        resource: { path: `$.detail.requestParameters.${ct.bucketName}` },
        nextStep: 'Deploy again to restore the bucket\'s policy and settings; check the bucket\'s object versions for deletions (aws s3api list-object-versions).',
      });
    }
    if (some(watch.roleNames) || some(watch.policyArns)) {
      rules.push({
        id: 'roles',
        title: 'Alert path at risk: an IAM role or policy of aurora-audit changed',
        source: 'aws.iam',
        eventSource: 'iam.amazonaws.com',
        eventNames: { writes: true, except: ['TagRole', 'UntagRole', 'TagPolicy', 'UntagPolicy'] },
        // Roles by name, policies by ARN: one list, told apart by their form.
        ...byName([...(watch.roleNames ?? []), ...(watch.policyArns ?? [])], (names) => {
          const roles = names.filter((n) => !n.startsWith('arn:'));
          const policies = names.filter((n) => n.startsWith('arn:'));
          return {
            $or: [...(roles.length ? [{ requestParameters: { [ct.roleName]: roles } }] : []), ...(policies.length ? [{ requestParameters: { [ct.policyArn]: policies } }] : [])],
          };
        }),
        resource: { text: 'an aurora-audit role or policy (the event names it)' },
        nextStep: 'Deploy again to restore the role\'s trust and permissions; a wider trust or policy is a way in, a narrower one stops delivery.',
      });
      // IAM's calls are recorded in its own region only: the account's stack forwards them here.
    }
    if (watch.trails) {
      rules.push({
        id: 'trails',
        title: 'Tamper alerts at risk: a CloudTrail trail stopped, deleted or changed',
        source: 'aws.cloudtrail',
        eventSource: 'cloudtrail.amazonaws.com',
        // Any trail of the account: EventBridge sees management events while one of them logs.
        eventNames: ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'DeleteEventDataStore'],
        detail: {},
        resource: { text: 'a trail of the account (the event names it)' },
        nextStep: 'Start logging again (aws cloudtrail start-logging) or restore the trail: until then no change here raises an alert.',
      });
    }
    if (watch.guardDuty) {
      rules.push({
        id: 'guardduty',
        title: 'Login findings at risk: GuardDuty\'s detector, its RDS protection, or its suppression lists changed',
        source: 'aws.guardduty',
        eventSource: 'guardduty.amazonaws.com',
        // Filters can archive findings as they arrive, trusted IP lists silence them, an update can turn RDS protection off.
        eventNames: ['DeleteDetector', 'UpdateDetector', 'CreateFilter', 'UpdateFilter', 'CreateIPSet', 'UpdateIPSet', 'DisassociateFromMasterAccount', 'DisassociateFromAdministratorAccount'],
        detail: {},
        resource: { text: 'the account\'s GuardDuty detector in this region' },
        nextStep: 'Check the detector\'s RDS protection and its filters and trusted IP lists in the GuardDuty console.',
      });
    }
    // The rules watch one another too: the only rule that sees a change to a rule is a rule, so two watch every
    // aurora-audit rule of the account and region (this stack's, GuardDuty's, the account stack's forwarders), and
    // disabling one is seen by the other. One stack per account and region: the prefix names no one else's.
    for (const rid of ['rules', 'rules-watch']) {
      rules.push({
        id: rid,
        title: 'Tamper alerts at risk: one of aurora-audit\'s rules disabled, deleted, overwritten or retargeted',
        source: 'aws.events',
        eventSource: 'events.amazonaws.com',
        eventNames: { writes: true, except: ['EnableRule', ...TAGGING] },
        detail: { $or: [{ requestParameters: { [ct.ruleName]: [{ prefix: OWN_EVENT_RULE_PREFIX }] } }, { requestParameters: { [ct.targetRule]: [{ prefix: OWN_EVENT_RULE_PREFIX }] } }] },
        resource: { text: 'an aurora-audit rule of this stack (the event names it)' },
        nextStep: 'Deploy again to restore the rules and their targets; changes made while a rule was off raised nothing.',
      });
    }

    const deployer = props.deployRoleArn ? deploySessionArn(props.deployRoleArn) : undefined;
    const target = (rid: string, rule: CloudwatchEventRule, inputTemplate: string, resourcePath?: string) =>
      new CloudwatchEventTarget(this, `${rid}-target`, {
        rule: rule.name,
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
            ...(resourcePath ? { resource: resourcePath } : {}),
          },
          inputTemplate,
        },
      });
    for (const rule of rules.flatMap((r) => chunked(r, deployer))) {
      const r = new CloudwatchEventRule(this, rule.id, {
        name: AWS_NAMES.tamperRule(props.stackName, rule.id),
        description: `aurora-audit ${props.stackName}: ${rule.title}`,
        eventPattern: JSON.stringify(eventPattern(rule, deployer)),
      });
      this.ruleArns.push(r.arn);
      target(rule.id, r, notificationTemplate(rule), 'path' in rule.resource ? rule.resource.path : undefined);
    }
    if (deployer) {
      // The deploy session's own writes, on every service watched above: reported as expected, in one quiet rule.
      const sources = [...new Set(rules.map((r) => r.source))].sort();
      const r = new CloudwatchEventRule(this, 'expected', {
        name: AWS_NAMES.tamperRule(props.stackName, 'expected'),
        description: `aurora-audit ${props.stackName}: changes made by its deploy role's aurora-audit session, reported as expected`,
        eventPattern: JSON.stringify({
          source: sources,
          'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
          detail: { readOnly: [false], userIdentity: { arn: [deployer] } },
        }),
      });
      this.ruleArns.push(r.arn);
      target('expected', r, expectedTemplate(props.stackName));
    }
  }
}

/** The ARN CloudTrail records for the stack's deployments: the deploy role's session named `aurora-audit` (addProviders). */
export function deploySessionArn(roleArn: string): string {
  const m = /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!m) throw new Error(`deploySessionArn: ${roleArn} is not a role ARN`);
  return `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/aurora-audit`;
}

/** A detail made from a list of names, split to fit (TamperRule.chunk). */
function byName(names: readonly string[], detail: (names: readonly string[]) => Record<string, unknown>): Pick<TamperRule, 'detail' | 'chunk'> {
  return { detail: detail(names), chunk: { names, detail } };
}

/**
 * The rule as one or more rules whose patterns each fit EventBridge's size (config/aws.ts EVENT_PATTERN_MAX_CHARS):
 * names are taken in order while the pattern still fits. The stack's references in a pattern (its key's and topic's
 * ARNs) are measured as the longest ARN they can become.
 */
function chunked(rule: TamperRule, deployer: string | undefined): TamperRule[] {
  const fits = (r: TamperRule) => JSON.stringify(eventPattern(r, deployer)).replace(/\$\{[^}]*\}/g, 'x'.repeat(TOKEN_ARN_MAX_CHARS)).length <= EVENT_PATTERN_MAX_CHARS;
  if (!rule.chunk || fits(rule)) return [rule];
  const { names, detail } = rule.chunk;
  const out: TamperRule[] = [];
  let taken: string[] = [];
  const close = () => out.push({ ...rule, id: out.length === 0 ? rule.id : `${rule.id}-${out.length + 1}`, detail: detail(taken), chunk: undefined });
  for (const name of names) {
    const next = [...taken, name];
    if (taken.length > 0 && !fits({ ...rule, detail: detail(next) })) {
      close();
      taken = [name];
    } else taken = next;
  }
  if (taken.length > 0) close();
  for (const r of out) if (!fits(r)) throw new Error(`tamper rule ${r.id}: one name alone makes a pattern longer than ${EVENT_PATTERN_MAX_CHARS} characters`);
  return out;
}

/** What a reference to the key's or the topic's ARN may become: an ARN of at most this many characters. */
const TOKEN_ARN_MAX_CHARS = 140;

function eventPattern(rule: TamperRule, deployer: string | undefined): Record<string, unknown> {
  const names = 'writes' in rule.eventNames
    ? { readOnly: [false], ...(rule.eventNames.except?.length ? { eventName: [{ 'anything-but': [...rule.eventNames.except] }] } : {}) }
    : { eventName: [...rule.eventNames] };
  // Anyone but the deploy session, and calls recorded with no ARN at all (a service's): what cannot be told apart alerts.
  const notDeployer = deployer ? { userIdentity: { $or: [{ arn: [{ 'anything-but': [deployer] }] }, { arn: [{ exists: false }] }] } } : {};
  const detail = { eventSource: [rule.eventSource], ...names, ...rule.detail, ...notDeployer };
  return { source: [rule.source], 'detail-type': [CLOUDTRAIL_DETAIL_TYPE], detail };
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

/** The deploy session's changes: said quietly, with what to do if no deployment ran then. */
function expectedTemplate(stackName: string): string {
  const description = [
    `*<event>* by aurora-audit's deployment of ${stackName}`,
    '*Who:* <who>',
    '*From:* <ip>',
    '*When:* <time>, account <account>, <region>',
    '*CloudTrail event:* <eventId>',
  ].join('\n');
  return JSON.stringify({
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: `:information_source: Expected change by aurora-audit's deployment (${stackName})`,
      description,
      nextSteps: ['If no aurora-audit deployment ran at that time, someone used the deploy role by hand with its session name: treat it as tampering.'],
    },
    metadata: { eventType: 'aurora-audit expected change', summary: `Expected change by the deployment: <event>` },
  });
}
