import { Construct } from 'constructs';
import type { BackendModel, MonitoringStackModel } from '../config/model';
import { ENGINES, rdsLogGroupName } from '../config/aws';
import { AlertDetailsFunction } from '../modules/alert-details-function';
import { CrossAccountAlarms } from '../modules/cross-account-alarms';
import { DeliveryAlarm } from '../modules/delivery-alarm';
import { SilenceAlarm } from '../modules/silence-alarm';
import { TamperAlerts } from '../modules/tamper-alerts';
import { accountStackName, ALARM_NAME_PREFIX, AWS_NAMES } from '../config/names';
import { ADDRESS, CLUSTER_CHILD, DEFAULT_ID, MONITORED_CLUSTER_CHILD, SCOPE, type Address } from './addresses';
import { AddressedStack, REQUIRED_TERRAFORM_VERSION } from './addressed-stack';
import { addProviders, alarmDelivery, alarmKeyArn, configureBackend, defaultTags, deliveryOutputs } from './audit-stack';
import { alertDetailsPackage } from './alert-details-package';
import { terraformLiteral, terraformLiterals } from './terraform-literal';

export interface MonitoringStackProps {
  readonly monitoring: MonitoringStackModel;
  readonly backend: BackendModel;
  readonly localStatePath: string;
}

/**
 * The monitoring account in one region: every alarm of the fleet's stacks in that region, on the metrics their metric
 * filters publish in their own accounts, with one topic, its key, and one Chatbot channel configuration: a single
 * Slack authorization for the fleet; and the alert-details function, which reads the lines behind an alarm in their
 * own account, through a role there, and holds none of them.
 */
export class MonitoringStack extends AddressedStack {
  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id);
    const monitoring = terraformLiterals(props.monitoring);
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    configureBackend(this, { backend: terraformLiterals(props.backend), target: monitoring, localStatePath: terraformLiteral(props.localStatePath) });
    const providers = addProviders(this, monitoring, defaultTags(monitoring));
    // The key encrypts the topic only: no log group depends on it, so it may go with the stack.
    const ownRuleArns: string[] = [];
    const publishers = { sourceAccounts: monitoring.eventSourceAccounts, deliveryRoleArns: monitoring.eventDeliveryRoleArns, ownRules: monitoring.tamperAlerts, ownRuleArns };
    const keyArn = alarmKeyArn(this, monitoring, false, publishers);
    // Every aurora-audit alarm of this account notifies the topic: the alarms of all the source stacks of the region.
    // The alert-details function's role is named after it (modules/alert-details-function.ts).
    const functionName = AWS_NAMES.alertDetailsFunction(monitoring.name);
    const functionRoleArns = monitoring.alertDetails ? [`arn:${monitoring.partition}:iam::${monitoring.accountId}:role/${functionName}`] : [];
    const delivery = alarmDelivery(this, monitoring, keyArn, providers.chatbotLogs, { ...publishers, alarmNamePrefix: ALARM_NAME_PREFIX, roleArns: functionRoleArns });
    if (monitoring.tamperAlerts) {
      // What the source stacks' rules cannot see: the alarms, the topic and the key live here.
      const tamper = new TamperAlerts(this, SCOPE.tamperAlerts, {
        stackName: monitoring.name,
        accountId: monitoring.accountId,
        region: monitoring.region,
        partition: monitoring.partition,
        deployRoleArn: monitoring.roleArn,
        watch: {
          alarmNamePrefix: ALARM_NAME_PREFIX,
          keyArn,
          topicArn: delivery.topicArn,
          chatbotConfigurationArn: delivery.configurationLiteralArn,
          policyArns: monitoring.slack.guardrailPolicyArns ? [] : [`arn:${monitoring.partition}:iam::${monitoring.accountId}:policy/${AWS_NAMES.chatbotGuardrailPolicy(monitoring.slack.configurationName)}`],
          roleNames: [
            AWS_NAMES.chatbotRole(monitoring.slack.configurationName),
            AWS_NAMES.tamperForwardingRole(accountStackName(monitoring.accountId)),
            ...(monitoring.alertDetails ? [functionName] : []),
          ].sort(),
          ...(monitoring.alertDetails ? { functionName } : {}),
          trails: true,
        },
        topicArn: delivery.topicArn,
      });
      ownRuleArns.push(...tamper.ruleArns);
    }
    for (const source of monitoring.sources) {
      const sourceScope = new Construct(this, SCOPE.monitoredStack(source.stack));
      for (const stream of source.firehoseStreams) {
        new DeliveryAlarm(sourceScope, SCOPE.deliveryAlarm(stream.purpose), {
          stackName: source.stack,
          accountId: source.accountId,
          region: monitoring.region,
          stream,
          actionArns: [delivery.topicArn],
          alarmAccountId: monitoring.accountId,
        });
      }
      for (const cluster of source.clusters) {
        const clusterScope = new Construct(sourceScope, SCOPE.cluster(cluster.identifier));
        new CrossAccountAlarms(clusterScope, DEFAULT_ID, {
          monitoringAccountId: monitoring.accountId,
          region: monitoring.region,
          sourceAccountId: source.accountId,
          cluster,
          actionArns: [delivery.topicArn],
        });
        if (cluster.silence) {
          new SilenceAlarm(new Construct(clusterScope, MONITORED_CLUSTER_CHILD.auditLog), CLUSTER_CHILD.silence, {
            clusterIdentifier: cluster.identifier,
            accountId: source.accountId,
            region: monitoring.region,
            logGroupName: rdsLogGroupName(cluster.identifier, ENGINES[cluster.engine].auditLogType),
            silence: cluster.silence,
            actionArns: [delivery.topicArn],
            alarmAccountId: monitoring.accountId,
          });
        }
      }
    }
    if (monitoring.alertDetails) {
      // One function for the region's fleet: it reads each source account's lines through the role that account lends
      // it (modules/alert-details-reader-role.ts), taking the account from the alarm it has read back.
      new AlertDetailsFunction(this, SCOPE.alertDetails, {
        functionName,
        topicArn: delivery.topicArn,
        kmsKeyArn: keyArn,
        reads: { sources: monitoring.alertDetails.sources, readerRoleName: AWS_NAMES.alertDetailsReader(monitoring.region) },
        logRetentionDays: monitoring.alertDetails.logRetentionDays,
        accountId: monitoring.accountId,
        region: monitoring.region,
        partition: monitoring.partition,
        package: alertDetailsPackage(),
      });
    }
    this.declareAddresses(monitoringAddresses(props.monitoring), { moved: [], forgotten: [] });
    deliveryOutputs(this, delivery, monitoring.region, monitoring.sources);
  }
}

function monitoringAddresses(m: MonitoringStackModel): Address[] {
  const promised = [ADDRESS.topic(), ADDRESS.topicPolicy(), ADDRESS.chatbotRole(), ADDRESS.chatbotRolePolicy(), ADDRESS.chatbotChannel()];
  if (m.encryption.mode === 'create') promised.push(ADDRESS.key(), ADDRESS.keyAlias());
  for (const s of m.sources) for (const c of s.clusters) for (const d of c.detections) promised.push(ADDRESS.monitoredAlarm(s.stack, c.identifier, d.definition.id));
  return promised;
}
