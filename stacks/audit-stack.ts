import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, S3Backend, TerraformOutput, type TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { CHATBOT_LOG_REGION, rdsLogGroupName, ENGINES } from '../config/aws';
import type { BackendModel, ClusterModel, StackModel } from '../config/model';
import { AWS_NAMES } from '../config/names';
import { AdoptedCluster } from '../modules/adopted-cluster';
import { AlarmTopic } from '../modules/alarm-topic';
import { AlertDetailsFunction } from '../modules/alert-details-function';
import { AuditLogGroups } from '../modules/audit-log-groups';
import { AuditParameterGroup } from '../modules/audit-parameter-group';
import { DetectionAlarms } from '../modules/detection-alarms';
import { AlarmEncryptionKey } from '../modules/encryption-key';
import { SlackAlertChannel } from '../modules/slack-alert-channel';
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
export function defaultTags(target: StackModel): Record<string, string> {
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

    const assumeRole = target.roleArn ? [{ roleArn: target.roleArn, sessionName: 'aurora-audit' }] : undefined;
    const providerBase = {
      allowedAccountIds: [target.accountId],
      assumeRole,
      defaultTags: [{ tags: defaultTags(target) }],
    };
    new AwsProvider(this, 'aws', { ...providerBase, region: target.region });
    // Declared even when Chatbot logging is off: a log group made while it was on can only be removed through it.
    const chatbotLogs = new AwsProvider(this, 'aws-chatbot-logs', { ...providerBase, region: CHATBOT_LOG_REGION, alias: CHATBOT_LOG_PROVIDER_ALIAS });
    const logGroupProvider = target.slack.loggingLevel === 'NONE' ? undefined : chatbotLogs;

    let kmsKeyArn: string | undefined;
    if (target.encryption.mode === 'create') {
      const key = new AlarmEncryptionKey(this, SCOPE.alarmKey, {
        accountId: target.accountId,
        region: target.region,
        partition: target.partition,
        stackName: target.name,
        aliasName: AWS_NAMES.keyAlias(target.name),
        deletionWindowDays: target.encryption.deletionWindowDays,
        // Log groups that outlive the stack (audit records kept, groups that existed before, retired clusters')
        // stay readable only while their key exists.
        preventDestroy:
          target.clusters.some((c) => c.audit.keepLogsOnDestroy || c.existingLogGroups.some((t) => c.audit.logTypes.includes(t))) ||
          target.retiredClusters.length > 0,
      });
      kmsKeyArn = key.keyArn;
    } else if (target.encryption.mode === 'key') {
      kmsKeyArn = target.encryption.keyArn;
    }

    const topic = new AlarmTopic(this, SCOPE.alarmTopic, {
      topicName: AWS_NAMES.topic(target.name),
      accountId: target.accountId,
      region: target.region,
      partition: target.partition,
      kmsKeyArn,
    });

    const slack = new SlackAlertChannel(this, SCOPE.slack, {
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
      logGroupProvider,
    });

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
        actionArns: [topic.topicArn],
      });
      clusterOutputs(this, cluster, parameterGroup.parameterGroupName);
    }

    if (target.alertDetails && detectionLogGroups.size > 0) {
      new AlertDetailsFunction(this, SCOPE.alertDetails, {
        functionName: AWS_NAMES.alertDetailsFunction(target.name),
        topicArn: topic.topicArn,
        kmsKeyArn,
        logGroupNames: [...detectionLogGroups].sort(),
        redactStringLiterals: target.alertDetails.redactStringLiterals,
        logRetentionDays: target.alertDetails.logRetentionDays,
        accountId: target.accountId,
        region: target.region,
        partition: target.partition,
      });
    }

    this.declareAddresses(promisedAddresses(target), liveStackTransitions(target));

    new TerraformOutput(this, 'alarm_topic_arn', { value: topic.topicArn, description: 'SNS topic every alarm notifies' });
    new TerraformOutput(this, 'slack_channel_configuration_arn', { value: slack.configurationArn });
    const first = target.clusters.find((c) => c.detections.length > 0);
    if (first) {
      new TerraformOutput(this, 'test_alarm_command', {
        description: 'Sends a test alarm to Slack end to end',
        value: `aws cloudwatch set-alarm-state --region ${target.region} --alarm-name '${AWS_NAMES.alarm(target.accountId, target.region, first.identifier, first.detections[0].definition.id)}' --state-value ALARM --state-reason "aurora-audit delivery test"`,
      });
    }
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
