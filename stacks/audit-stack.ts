import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { CHATBOT_LOG_REGION, ENGINES } from '../config/aws';
import type { BackendModel, StackModel } from '../config/model';
import { AdoptedCluster } from '../modules/adopted-cluster';
import { AlarmTopic } from '../modules/alarm-topic';
import { AuditLogGroups } from '../modules/audit-log-groups';
import { AuditParameterGroup } from '../modules/audit-parameter-group';
import { alarmName, DetectionAlarms } from '../modules/detection-alarms';
import { AlarmEncryptionKey } from '../modules/encryption-key';
import { snake } from '../modules/names';
import { SlackAlertChannel } from '../modules/slack-alert-channel';
import { ADDRESS, forget, retiredClusterAddresses } from './addresses';
import { rebootNote } from './reboot-note';

/** Terraform 1.7 brought removed blocks (retired clusters); 1.5 brought the import blocks adopted clusters use. */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.7.0';

export interface AuditStackProps {
  readonly target: StackModel;
  readonly backend: BackendModel;
  /** For a local backend: the state file, relative to the stack's output directory or absolute. */
  readonly localStatePath: string;
}

/** Tags on every resource the stack creates, so aurora-audit's footprint can be found and attributed. */
export function defaultTags(target: StackModel): Record<string, string> {
  return { ...target.tags, ManagedBy: 'aurora-audit', 'aurora-audit:stack': target.name };
}

/**
 * One AWS account and region: its provider and state, the alarm topic and its key, the Slack channel, and for each
 * cluster the audit parameter group, log groups, metric filters and alarms.
 */
export class AuditStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: AuditStackProps) {
    super(scope, id);
    const { target } = props;
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    configureBackend(this, props);

    const assumeRole = target.roleArn ? [{ roleArn: target.roleArn, sessionName: 'aurora-audit' }] : undefined;
    const providerBase = {
      allowedAccountIds: [target.accountId],
      assumeRole,
      defaultTags: [{ tags: defaultTags(target) }],
    };
    new AwsProvider(this, 'aws', { ...providerBase, region: target.region });
    const logGroupProvider =
      target.slack.loggingLevel === 'NONE'
        ? undefined
        : new AwsProvider(this, 'aws-chatbot-logs', { ...providerBase, region: CHATBOT_LOG_REGION, alias: 'chatbot_logs' });

    let kmsKeyArn: string | undefined;
    if (target.encryption.mode === 'create') {
      const key = new AlarmEncryptionKey(this, 'encryption-key', {
        accountId: target.accountId,
        region: target.region,
        partition: target.partition,
        stackName: target.name,
        deletionWindowDays: target.encryption.deletionWindowDays,
        // Audit log groups that outlive the stack stay readable only while their key exists.
        preventDestroy: target.clusters.some((c) => c.audit.keepLogsOnDestroy),
      });
      key.key.overrideLogicalId(ADDRESS.key().name);
      key.alias.overrideLogicalId(ADDRESS.keyAlias().name);
      kmsKeyArn = key.keyArn;
    } else if (target.encryption.mode === 'key') {
      kmsKeyArn = target.encryption.keyArn;
    }

    const topic = new AlarmTopic(this, 'alarm-topic', {
      topicName: `aurora-audit-${target.name}-alarms`,
      accountId: target.accountId,
      region: target.region,
      partition: target.partition,
      kmsKeyArn,
    });

    const slack = new SlackAlertChannel(this, 'slack', {
      configurationName: target.slack.configurationName,
      slackTeamId: target.slack.teamId,
      slackChannelId: target.slack.channelId,
      snsTopicArns: [topic.topicArn],
      guardrailPolicyArns: target.slack.guardrailPolicyArns,
      loggingLevel: target.slack.loggingLevel,
      userAuthorizationRequired: target.slack.userAuthorizationRequired,
      logRetentionDays: target.slack.logRetentionDays,
      region: target.region,
      logGroupProvider,
    });

    for (const cluster of target.clusters) {
      const parameterGroup = new AuditParameterGroup(this, `${cluster.identifier}-parameter-group`, {
        name: cluster.parameterGroup.name,
        clusterIdentifier: cluster.identifier,
        family: cluster.family,
        parameters: cluster.parameterGroup.parameters,
        adoptExisting: cluster.parameterGroup.mode === 'adopt',
      });
      parameterGroup.group.overrideLogicalId(ADDRESS.parameterGroup(cluster.identifier).name);
      const auditLog = ENGINES[cluster.engine].auditLogType;
      const logGroups = new AuditLogGroups(this, `${cluster.identifier}-log-groups`, {
        clusterIdentifier: cluster.identifier,
        logTypes: cluster.audit.logTypes,
        retentionDays: cluster.audit.retentionDays,
        kmsKeyArn,
        existing: cluster.existingLogGroups,
        keepOnDestroy: cluster.audit.keepLogsOnDestroy ? [auditLog] : [],
      });
      for (const [type, group] of logGroups.groups) group.overrideLogicalId(ADDRESS.logGroup(cluster.identifier, type).name);
      if (cluster.attach === 'adopt') {
        const adopted = new AdoptedCluster(this, `${cluster.identifier}-cluster`, {
          clusterIdentifier: cluster.identifier,
          engine: cluster.engine,
          parameterGroupName: parameterGroup.parameterGroupName,
          logTypes: cluster.audit.logTypes,
          logGroups: [...logGroups.groups.values()],
        });
        adopted.cluster.overrideLogicalId(ADDRESS.cluster(cluster.identifier).name);
      }
      new DetectionAlarms(this, `${cluster.identifier}-detections`, {
        clusterIdentifier: cluster.identifier,
        accountId: target.accountId,
        region: target.region,
        logGroupNames: new Map([...logGroups.groups].map(([type, group]) => [type, group.name])),
        detections: cluster.detections,
        actionArns: [topic.topicArn],
      });

      const key = snake(cluster.identifier);
      new TerraformOutput(this, `${key}_parameter_group`, {
        value: parameterGroup.parameterGroupName,
        description: `Cluster parameter group with Advanced Auditing for ${cluster.identifier}${cluster.attach === 'external' ? ': set it as db_cluster_parameter_group_name in the Terraform that owns the cluster' : ''}`,
      });
      new TerraformOutput(this, `${key}_log_exports`, {
        value: cluster.audit.logTypes,
        description: `Log types ${cluster.identifier} exports${cluster.attach === 'external' ? ': set them as enabled_cloudwatch_logs_exports in the Terraform that owns the cluster' : ''}`,
      });
      new TerraformOutput(this, `${key}_reboot_required`, { value: rebootNote(cluster), description: 'Manual step: a reboot applies the new parameter group' });
    }

    // Clusters that left the config: Terraform forgets them, and what stays attached to them, and leaves it standing.
    const forgotten = target.retiredClusters.flatMap((id) => retiredClusterAddresses(id, target.keepRetiredAuditLogs));
    if (forgotten.length > 0) this.addOverride('removed', forget(forgotten));

    new TerraformOutput(this, 'alarm_topic_arn', { value: topic.topicArn, description: 'SNS topic every alarm notifies' });
    new TerraformOutput(this, 'slack_channel_configuration_arn', { value: slack.configurationArn });
    const first = target.clusters.find((c) => c.detections.length > 0);
    if (first) {
      new TerraformOutput(this, 'test_alarm_command', {
        description: 'Sends a test alarm to Slack end to end',
        value: `aws cloudwatch set-alarm-state --region ${target.region} --alarm-name ${alarmName(target.accountId, target.region, first.identifier, first.detections[0].definition.id)} --state-value ALARM --state-reason "aurora-audit delivery test"`,
      });
    }
  }
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
