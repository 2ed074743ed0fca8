import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, S3Backend, TerraformOutput, type TerraformProvider, type TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AUDIT_PARAMETER_PREFIXES, CHATBOT_LOG_REGION, CROSS_ACCOUNT_SHARING_ROLE_NAME, chatbotConfigurationArn, chatbotForwardingRegions, rdsLogGroupName, ENGINES, type Engine } from '../config/aws';
import { exportedAuditLogGroup, firehoseStreams, type BackendModel, type ClusterModel, type StackModel, type StackPlace } from '../config/model';
import { accountStackName, AWS_NAMES } from '../config/names';
import { AdoptedCluster } from '../modules/adopted-cluster';
import { AlarmTopic } from '../modules/alarm-topic';
import { AlertDetailsFunction } from '../modules/alert-details-function';
import { AlertDetailsReaderRole } from '../modules/alert-details-reader-role';
import { alertDetailsPackage } from './alert-details-package';
import { AuditLogGroups } from '../modules/audit-log-groups';
import { AuditParameterGroup } from '../modules/audit-parameter-group';
import { DetectionAlarms } from '../modules/detection-alarms';
import { AlarmEncryptionKey } from '../modules/encryption-key';
import { AuditDashboard } from '../modules/audit-dashboard';
import { SavedQueries } from '../modules/saved-queries';
import { SilenceAlarm } from '../modules/silence-alarm';
import { TamperAlerts } from '../modules/tamper-alerts';
import { EventDeliveryRole } from '../modules/event-delivery-role';
import { GuardDutyFindings } from '../modules/guardduty-findings';
import { SlackAlertChannel } from '../modules/slack-alert-channel';
import { AuditArchive } from '../modules/audit-archive';
import { LogDelivery, type FirehoseDestination } from '../modules/log-delivery';
import { SiemCollectorRole } from '../modules/siem-collector-role';
import { CLUSTER_CHILD, SCOPE } from './addresses';
import { AddressedStack, REQUIRED_TERRAFORM_VERSION } from './addressed-stack';
import { rebootNote } from './reboot-note';
import { terraformLiteral, terraformLiterals } from './terraform-literal';
import { adoptedGroupOwner, liveStackTransitions, promisedAddresses } from './transitions';

/** The provider of Chatbot's log group in us-east-1: a stack that ever had one keeps it, or Terraform cannot remove it. */
export const CHATBOT_LOG_PROVIDER_ALIAS = 'chatbot_logs';

export interface AuditStackProps {
  readonly target: StackModel;
  readonly backend: BackendModel;
  /** For a local backend: the state file, relative to the stack's output directory or absolute. */
  readonly localStatePath: string;
}

/** Tags on every resource the stack creates, so aurora-audit's footprint can be found and attributed. */
export function defaultTags(target: Pick<StackPlace, 'name' | 'tags'>): Record<string, string> {
  return { ...target.tags, ManagedBy: 'aurora-audit', 'aurora-audit:stack': target.name };
}

/**
 * One AWS account and region: its provider and state, the alarm topic and its key, the Slack channel, and for each
 * cluster the audit parameter group, log groups, metric filters and alarms.
 */
export class AuditStack extends AddressedStack {
  constructor(scope: Construct, id: string, props: AuditStackProps) {
    super(scope, id);
    // Every string from the config (and from AWS, through init) becomes a Terraform literal here, once.
    const target = terraformLiterals(props.target);
    const backend = terraformLiterals(props.backend);
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    configureBackend(this, { backend, target, localStatePath: terraformLiteral(props.localStatePath) });

    const providers = addProviders(this, target, defaultTags(target));
    const eventRules = target.tamperAlerts || target.guardDuty !== undefined;
    const kmsKeyArn = alarmKeyArn(
      this,
      target,
      // Log groups that outlive the stack (audit records kept, groups that existed before, retired clusters')
      // stay readable only while their key exists.
      // So do the archive's objects, which it encrypts.
      target.clusters.some((c) => c.audit.keepLogsOnDestroy || c.existingLogGroups.some((t) => c.audit.logTypes.includes(t))) ||
        target.retiredClusters.length > 0 ||
        target.archive !== undefined,
      { ownRules: eventRules && !target.monitoredBy },
    );
    // The stack's EventBridge rules, by ARN, as they are made below: the only rules its topic lets publish.
    const ownRuleArns: string[] = [];
    // In monitoring-account mode the alarms, their topic and the Slack channel are the monitoring account's.
    const delivery = target.monitoredBy
      ? undefined
      : alarmDelivery(this, target, kmsKeyArn, providers.chatbotLogs, {
          alarmNamePrefix: AWS_NAMES.alarmPrefix(target.accountId, target.region),
          ownRules: eventRules,
          ownRuleArns,
          // The alert-details function's role is named after it (modules/alert-details-function.ts).
          roleArns: target.alertDetails ? [`arn:${target.partition}:iam::${target.accountId}:role/${AWS_NAMES.alertDetailsFunction(target.name)}`] : [],
        });
    // Where the stack's EventBridge rules deliver: its own topic, or (monitoring-account mode) the monitoring
    // account's, through a role of their own.
    const events = delivery
      ? { topicArn: delivery.topicArn }
      : eventRules && target.monitoredBy
        ? {
            topicArn: target.monitoredBy.topicArn,
            deliveryRoleArn: new EventDeliveryRole(this, SCOPE.eventDelivery, {
              roleName: AWS_NAMES.eventDeliveryRole(target.name),
              accountId: target.accountId,
              region: target.region,
              partition: target.partition,
              topicArn: target.monitoredBy.topicArn,
              topicEncrypted: target.monitoredBy.topicEncrypted,
            }).roleArn,
          }
        : undefined;

    // The audit log group of each cluster, by engine, for the saved queries.
    const auditLogGroups = new Map<Engine, string[]>();
    // The same groups by cluster, as references (a subscription filter waits for its group), for the SIEM and archive.
    const auditGroupsByCluster: Array<{ clusterIdentifier: string; logGroupName: string }> = [];
    // Log groups that detections read: the alert-details function may read these and no others.
    const detectionLogGroups = new Set<string>();

    // A group a cluster keeps is declared once, beside the clusters, whichever of them share it.
    const adoptedGroups = new Map<string, AuditParameterGroup>();
    for (const cluster of target.clusters.filter((c) => c.parameterGroup.mode === 'adopt')) {
      const owner = adoptedGroupOwner(target, cluster.parameterGroup.name)!;
      if (owner !== cluster) continue;
      adoptedGroups.set(
        cluster.parameterGroup.name.toLowerCase(),
        new AuditParameterGroup(this, SCOPE.adoptedParameterGroup(cluster.parameterGroup.name), {
          name: cluster.parameterGroup.name,
          clusterIdentifier: cluster.identifier,
          family: cluster.family,
          parameters: cluster.parameterGroup.parameters,
          adoptExisting: true,
        }),
      );
    }

    for (const cluster of target.clusters) {
      const scope = new Construct(this, SCOPE.cluster(cluster.identifier));
      const parameterGroup =
        adoptedGroups.get(cluster.parameterGroup.name.toLowerCase()) ??
        new AuditParameterGroup(scope, CLUSTER_CHILD.parameterGroup, {
          name: cluster.parameterGroup.name,
          clusterIdentifier: cluster.identifier,
          family: cluster.family,
          parameters: cluster.parameterGroup.parameters,
        });
      const auditLog = ENGINES[cluster.engine].auditLogType;
      const logGroups = new AuditLogGroups(scope, CLUSTER_CHILD.logGroups, {
        clusterIdentifier: cluster.identifier,
        logTypes: cluster.audit.logTypes,
        retentionDays: cluster.audit.retentionDays,
        kmsKeyArn,
        existing: cluster.existingLogGroups,
        keepOnDestroy: cluster.audit.keepLogsOnDestroy ? [auditLog] : [],
      });
      if (cluster.attach === 'adopt') {
        new AdoptedCluster(scope, CLUSTER_CHILD.adopted, {
          clusterIdentifier: cluster.identifier,
          engine: cluster.engine,
          parameterGroupName: parameterGroup.parameterGroupName,
          logTypes: cluster.audit.logTypes,
          logGroups: [...logGroups.groups.values()],
        });
      }
      for (const d of cluster.detections) detectionLogGroups.add(rdsLogGroupName(cluster.identifier, d.definition.logType));
      new DetectionAlarms(scope, CLUSTER_CHILD.detections, {
        clusterIdentifier: cluster.identifier,
        accountId: target.accountId,
        region: target.region,
        logGroupNames: new Map([...logGroups.groups].map(([type, group]) => [type, group.name])),
        detections: cluster.detections,
        actionArns: delivery ? [delivery.topicArn] : undefined,
      });
      const auditGroup = logGroups.groups.get(auditLog);
      if (auditGroup) {
        auditLogGroups.set(cluster.engine, [...(auditLogGroups.get(cluster.engine) ?? []), auditGroup.name]);
        auditGroupsByCluster.push({ clusterIdentifier: cluster.identifier, logGroupName: auditGroup.name });
      }
      if (cluster.silence && delivery) {
        new SilenceAlarm(scope, CLUSTER_CHILD.silence, {
          clusterIdentifier: cluster.identifier,
          accountId: target.accountId,
          region: target.region,
          logGroupName: rdsLogGroupName(cluster.identifier, auditLog),
          silence: cluster.silence,
          actionArns: [delivery.topicArn],
        });
      }
      clusterOutputs(this, cluster, parameterGroup.parameterGroupName);
    }

    if (target.dashboard && target.clusters.length > 0) {
      new AuditDashboard(this, SCOPE.dashboard, {
        stackName: target.name,
        accountId: target.accountId,
        region: target.region,
        partition: target.partition,
        clusters: target.clusters,
        alarmsHere: delivery !== undefined,
      });
    }
    const { savedQueries } = target.settings;
    if (savedQueries.enabled && auditLogGroups.size > 0) new SavedQueries(this, SCOPE.savedQueries, { stackName: target.name, auditLogGroups });

    if (events && target.guardDuty) {
      const findings = new GuardDutyFindings(this, SCOPE.guardDuty, {
        stackName: target.name,
        clusterIdentifiers: target.clusters.map((c) => c.identifier),
        ...events,
        enableRdsProtection: target.guardDuty.enableRdsProtection,
        savedQueries: savedQueries.enabled,
      });
      ownRuleArns.push(findings.ruleArn);
    }

    if (events && target.tamperAlerts) {
      const tamper = new TamperAlerts(this, SCOPE.tamperAlerts, {
        stackName: target.name,
        accountId: target.accountId,
        region: target.region,
        partition: target.partition,
        deployRoleArn: target.roleArn,
        watch: {
          clusterIdentifiers: target.clusters.map((c) => c.identifier),
          parameterGroupNames: [...new Set(target.clusters.map((c) => c.parameterGroup.name))],
          auditParameters: {
            names: [...new Set(target.clusters.flatMap((c) => c.parameterGroup.changes.map((p) => p.name)))].sort(),
            prefixes: [...new Set(target.clusters.map((c) => AUDIT_PARAMETER_PREFIXES[c.engine]))].sort(),
          },
          logGroupClusters: target.clusters.map((c) => c.identifier),
          keyArn: kmsKeyArn,
          // The alarms, the topic and the channel are the monitoring account's in that mode, and watched there.
          ...(delivery
            ? {
                alarmNamePrefix: AWS_NAMES.alarmPrefix(target.accountId, target.region),
                topicArn: delivery.topicArn,
                chatbotConfigurationArn: delivery.configurationLiteralArn,
                policyArns: target.slack.guardrailPolicyArns ? [] : [`arn:${target.partition}:iam::${target.accountId}:policy/${AWS_NAMES.chatbotGuardrailPolicy(target.slack.configurationName)}`],
              }
            : {}),
          ...(delivery && target.alertDetails ? { functionName: AWS_NAMES.alertDetailsFunction(target.name) } : {}),
          deliveryStreamNames: firehoseStreams(target).map((s) => AWS_NAMES.deliveryStream(target.name, s.purpose)),
          bucketName: target.archive && firehoseStreams(target).length > 0 ? target.archive.bucketName : undefined,
          roleNames: pathRoleNames(target, delivery !== undefined),
          trails: true,
          guardDuty: target.guardDuty !== undefined,
        },
        ...events,
      });
      ownRuleArns.push(...tamper.ruleArns);
    }

    const place = { stackName: target.name, accountId: target.accountId, region: target.region, partition: target.partition };
    // Each Firehose stream's stalled-delivery alarm goes to the stack's topic; in monitoring-account mode the
    // monitoring stack holds it (firehoseStreams in config/model.ts names the same streams).
    const alarmActionArns = delivery ? [delivery.topicArn] : undefined;
    if (target.archive && auditGroupsByCluster.length > 0) {
      new AuditArchive(this, SCOPE.archive, { ...place, archive: target.archive, kmsKeyArn, logGroups: auditGroupsByCluster, alarmActionArns });
    }
    if (target.siem.push && auditGroupsByCluster.length > 0) {
      const push = target.siem.push;
      new LogDelivery(this, SCOPE.siemPush, {
        ...place,
        purpose: 'push',
        logGroups: auditGroupsByCluster,
        to: push.to === 'logDestination' ? { kind: 'logDestination', destinationArn: push.destinationArn } : firehoseDestination(push),
        alarmActionArns,
      });
    }
    if (target.siem.collector && auditGroupsByCluster.length > 0) {
      new SiemCollectorRole(this, SCOPE.siemCollector, {
        ...place,
        roleName: AWS_NAMES.siemCollectorRole(target.name),
        principal: target.siem.collector.principal,
        externalId: target.siem.collector.externalId,
        logGroupNames: target.clusters.flatMap((c) => exportedAuditLogGroup(c) ?? []),
        clusterIdentifiers: target.clusters.map((c) => c.identifier),
      });
    }

    if (delivery && target.alertDetails && detectionLogGroups.size > 0) {
      new AlertDetailsFunction(this, SCOPE.alertDetails, {
        functionName: AWS_NAMES.alertDetailsFunction(target.name),
        topicArn: delivery.topicArn,
        kmsKeyArn,
        reads: { logGroupNames: [...detectionLogGroups].sort(), redactStringLiterals: target.alertDetails.redactStringLiterals },
        logRetentionDays: target.alertDetails.logRetentionDays,
        accountId: target.accountId,
        region: target.region,
        partition: target.partition,
        package: alertDetailsPackage(),
      });
    }

    // In monitoring-account mode the function is the monitoring account's: it reads these lines through this role.
    if (target.monitoredBy?.detailsFunctionRoleArn && detectionLogGroups.size > 0) {
      new AlertDetailsReaderRole(this, SCOPE.alertDetailsReader, {
        roleName: AWS_NAMES.alertDetailsReader(target.region),
        functionRoleArn: target.monitoredBy.detailsFunctionRoleArn,
        monitoringAccountId: target.monitoredBy.accountId,
        logGroupNames: [...detectionLogGroups].sort(),
        accountId: target.accountId,
        region: target.region,
        partition: target.partition,
      });
    }

    this.declareAddresses(promisedAddresses(target), liveStackTransitions(target));

    if (delivery) deliveryOutputs(this, delivery, target.region, [target]);
    else new TerraformOutput(this, 'alarms_in', { value: `${target.monitoredBy!.stack} (account ${target.monitoredBy!.accountId})`, description: 'The stack of the monitoring account that holds the alarms on these metric filters' });
  }
}

function firehoseDestination(push: Exclude<NonNullable<StackModel['siem']['push']>, { to: 'logDestination' }>): FirehoseDestination {
  switch (push.to) {
    case 's3':
      return { kind: 's3', bucketArn: push.bucketArn, prefix: push.prefix };
    case 'splunk':
      return { kind: 'splunk', endpoint: push.endpoint, endpointType: push.endpointType, secretArn: push.secretArn, backupBucketArn: push.backupBucketArn };
    case 'http':
      return { kind: 'http', url: push.url, name: push.name, secretArn: push.secretArn, backupBucketArn: push.backupBucketArn };
  }
}

/** The provider of Chatbot's log group in us-east-1, which a stack declares beside its region's. */
export interface StackProviders {
  readonly chatbotLogs: TerraformProvider;
}

/**
 * What a region stack needs to reach AWS: the provider of its region, in its account only, through its role, and
 * Chatbot's log provider in us-east-1. It also declares, unused, a provider in each region whose CloudTrail records
 * Chatbot's calls: aurora-audit 0.2 forwarded those events from there in each stack, and Terraform needs a resource's
 * provider configuration to destroy it. A provider configuration no resource uses starts no process at plan time
 * (docs/facts.md), so a stack uses at most two; the account's stack forwards those events now.
 */
export function addProviders(
  stack: TerraformStack,
  place: { readonly accountId: string; readonly region: string; readonly roleArn?: string },
  tags?: Record<string, string>,
): StackProviders {
  const base = providerBase(place, tags);
  new AwsProvider(stack, 'aws', { ...base, region: place.region });
  const chatbotLogs = new AwsProvider(stack, 'aws-chatbot-logs', { ...base, region: CHATBOT_LOG_REGION, alias: CHATBOT_LOG_PROVIDER_ALIAS });
  for (const region of chatbotForwardingRegions(place.region)) chatbotEventsProvider(stack, region, base);
  return { chatbotLogs };
}

/** Provider settings every stack shares: its account only, through its role, with its tags on what it creates. */
export function providerBase(place: { readonly accountId: string; readonly roleArn?: string }, tags?: Record<string, string>) {
  return {
    allowedAccountIds: [place.accountId],
    assumeRole: place.roleArn ? [{ roleArn: place.roleArn, sessionName: 'aurora-audit' }] : undefined,
    defaultTags: tags ? [{ tags }] : undefined,
  };
}

/** The provider of a region whose CloudTrail records Chatbot's calls, as every stack names it. */
export function chatbotEventsProvider(stack: TerraformStack, region: string, base: ReturnType<typeof providerBase>): TerraformProvider {
  return new AwsProvider(stack, `aws-chatbot-events-${region}`, { ...base, region, alias: chatbotEventsProviderAlias(region) });
}

export function chatbotEventsProviderAlias(region: string): string {
  return `chatbot_events_${region.replace(/-/g, '_')}`;
}

/**
 * Who besides CloudWatch alarms publishes to a stack's topic: the stack's own EventBridge rules (tamper alerts,
 * GuardDuty findings), and in the monitoring account the source accounts' rules, through their delivery roles.
 */
/**
 * The IAM roles a stack's alert path runs through, by name: the channel's, the alert-details function's, the log
 * delivery roles of its streams, its event delivery role and collector role, and the account stack's forwarding and
 * (monitoring mode) metric-sharing roles.
 */
export function pathRoleNames(target: StackModel, alarmsHere: boolean): string[] {
  const names = [
    ...(alarmsHere ? [AWS_NAMES.chatbotRole(target.slack.configurationName)] : []),
    ...(alarmsHere && target.alertDetails ? [AWS_NAMES.alertDetailsFunction(target.name)] : []),
    ...(target.monitoredBy?.detailsFunctionRoleArn ? [AWS_NAMES.alertDetailsReader(target.region)] : []),
    ...firehoseStreams(target).flatMap((s) => (['logs', 'firehose'] as const).map((side) => AWS_NAMES.deliveryRole(target.name, s.purpose, side))),
    ...(target.monitoredBy && (target.tamperAlerts || target.guardDuty) ? [AWS_NAMES.eventDeliveryRole(target.name)] : []),
    ...(target.siem.collector ? [AWS_NAMES.siemCollectorRole(target.name)] : []),
    AWS_NAMES.tamperForwardingRole(accountStackName(target.accountId)),
    ...(target.monitoredBy ? [CROSS_ACCOUNT_SHARING_ROLE_NAME] : []),
  ];
  return [...new Set(names)].sort();
}

export interface EventPublishers {
  readonly ownRules?: boolean;
  readonly sourceAccounts?: readonly string[];
  /** The source stacks' event delivery roles, by ARN (monitoring-account mode). */
  readonly deliveryRoleArns?: readonly string[];
}

/** Who besides the alarms and the rules may publish to a topic, and how the alarms that notify it are named. */
export interface TopicPublishers extends EventPublishers {
  readonly alarmNamePrefix: string;
  /** The stack's own rules' ARNs, filled in as the rules are made (read at synth). */
  readonly ownRuleArns?: string[];
  /** Roles of the stack's own account that publish by their own policy: the alert-details function's. */
  readonly roleArns?: readonly string[];
}

/** The customer managed key of the stack's topic and log groups, or the one the config names; none without encryption. */
export function alarmKeyArn(stack: Construct, target: StackPlace, preventDestroy: boolean, publishers: EventPublishers = {}): string | undefined {
  if (target.encryption.mode === 'key') return target.encryption.keyArn;
  if (target.encryption.mode !== 'create') return undefined;
  return new AlarmEncryptionKey(stack, SCOPE.alarmKey, {
    accountId: target.accountId,
    region: target.region,
    partition: target.partition,
    stackName: target.name,
    aliasName: AWS_NAMES.keyAlias(target.name),
    deletionWindowDays: target.encryption.deletionWindowDays,
    preventDestroy,
    eventRulesPublish: publishers.ownRules,
    eventPublisherAccounts: publishers.sourceAccounts,
  }).keyArn;
}

export interface AlarmDelivery {
  readonly topicArn: string;
  readonly configurationArn: string;
  /** The channel configuration's ARN, written out (not a reference): what CloudTrail records of a call on it. */
  readonly configurationLiteralArn: string;
}

/** The topic every alarm of the stack notifies, and the Chatbot channel configuration that carries it to Slack. */
export function alarmDelivery(
  stack: Construct,
  target: StackPlace,
  kmsKeyArn: string | undefined,
  /** Chatbot's log provider (addProviders): the channel's log group is made through it unless logging is off. */
  chatbotLogs: TerraformProvider,
  /** Who publishes to the topic: the stack's alarms, and EventBridge rules (the stack's own, or source accounts'). */
  publishers: TopicPublishers,
): AlarmDelivery {
  const topic = new AlarmTopic(stack, SCOPE.alarmTopic, {
    topicName: AWS_NAMES.topic(target.name),
    accountId: target.accountId,
    region: target.region,
    partition: target.partition,
    kmsKeyArn,
    alarmNamePrefix: publishers.alarmNamePrefix,
    eventRuleArns: publishers.ownRules ? publishers.ownRuleArns : undefined,
    eventPublisherRoleArns: publishers.deliveryRoleArns,
    publisherRoleArns: publishers.roleArns,
  });
  const slack = new SlackAlertChannel(stack, SCOPE.slack, {
    configurationName: target.slack.configurationName,
    slackTeamId: target.slack.teamId,
    slackChannelId: target.slack.channelId,
    snsTopicArns: [topic.topicArn],
    guardrailPolicyArns: target.slack.guardrailPolicyArns,
    loggingLevel: target.slack.loggingLevel,
    userAuthorizationRequired: target.slack.userAuthorizationRequired,
    logRetentionDays: target.slack.logRetentionDays,
    accountId: target.accountId,
    partition: target.partition,
    region: target.region,
    logGroupProvider: target.slack.loggingLevel === 'NONE' ? undefined : chatbotLogs,
  });
  return {
    topicArn: topic.topicArn,
    configurationArn: slack.configurationArn,
    configurationLiteralArn: chatbotConfigurationArn(target.partition, target.accountId, target.slack.configurationName),
  };
}

/** The topic, the channel, and a command that sends a test alarm through them, for the first source with a detection. */
export function deliveryOutputs(
  stack: TerraformStack,
  delivery: AlarmDelivery,
  region: string,
  sources: ReadonlyArray<{ accountId: string; clusters: readonly ClusterModel[] }>,
): void {
  new TerraformOutput(stack, 'alarm_topic_arn', { value: delivery.topicArn, description: 'SNS topic every alarm notifies' });
  new TerraformOutput(stack, 'slack_channel_configuration_arn', { value: delivery.configurationArn });
  for (const source of sources) {
    const first = source.clusters.find((c) => c.detections.length > 0);
    if (!first) continue;
    new TerraformOutput(stack, 'test_alarm_command', {
      description: 'Sends a test alarm to Slack end to end',
      value: `aws cloudwatch set-alarm-state --region ${region} --alarm-name '${AWS_NAMES.alarm(source.accountId, region, first.identifier, first.detections[0].definition.id)}' --state-value ALARM --state-reason "aurora-audit delivery test"`,
    });
    return;
  }
}

/** What the Terraform owning an external cluster sets, and the reboot a person does: outputs named by the cluster. */
function clusterOutputs(stack: TerraformStack, cluster: ClusterModel, parameterGroupName: string): void {
  const key = cluster.identifier.replace(/-/g, '_');
  const external = cluster.attach === 'external';
  new TerraformOutput(stack, `${key}_parameter_group`, {
    value: parameterGroupName,
    description: `Cluster parameter group with auditing for ${cluster.identifier}${external ? ': set it as db_cluster_parameter_group_name in the Terraform that owns the cluster' : ''}`,
  });
  new TerraformOutput(stack, `${key}_log_exports`, {
    value: cluster.audit.logTypes,
    description: `Log types ${cluster.identifier} exports${external ? ': set them as enabled_cloudwatch_logs_exports in the Terraform that owns the cluster' : ''}`,
  });
  new TerraformOutput(stack, `${key}_reboot_required`, { value: rebootNote(cluster), description: 'Manual step: a reboot applies the new parameter group' });
}

export function configureBackend(stack: TerraformStack, props: { backend: BackendModel; target: { name: string }; localStatePath: string }): void {
  const { backend, target } = props;
  if (backend.type === 'local') {
    new LocalBackend(stack, { path: props.localStatePath });
    return;
  }
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    // One state per stack: never two stacks in one state file.
    key: `${backend.keyPrefix}/${target.name}.tfstate`,
    region: backend.region,
    encrypt: true,
    kmsKeyId: backend.kmsKeyArn,
    dynamodbTable: backend.locking === 'dynamodb' ? backend.dynamodbTable : undefined,
    assumeRole: backend.roleArn ? { roleArn: backend.roleArn } : undefined,
  });
  // S3-native locking (Terraform 1.10+); cdktf 0.21's S3Backend predates the option.
  if (backend.locking === 'lockfile') s3.addOverride('use_lockfile', true);
}
