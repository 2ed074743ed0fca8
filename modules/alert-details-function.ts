/**
 * The alert-details function of a stack (alert-details/handler.ts), packaged at build time (scripts/build-lambda.ts)
 * and wired to the alarm topic beside Chatbot, never in front of it: the alarm reaches Slack whether or not the
 * function works.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { ALERT_DETAILS_FUNCTION, servicePrincipal } from '../config/aws';
import { ALARM_NAME_PREFIX, AWS_NAMES, METRIC_NAMESPACE } from '../config/names';


export interface AlertDetailsFunctionProps {
  readonly functionName: string;
  readonly topicArn: string;
  readonly kmsKeyArn?: string;
  /**
   * What it reads: its own stack's detection log groups (the only ones it may read), or, in the monitoring account,
   * the source accounts' lines through the reader role each lends it (modules/alert-details-reader-role.ts).
   */
  readonly reads: OwnLogGroups | SourceAccounts;
  readonly logRetentionDays: number;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** The built package: its path, what Lambda's source_code_hash compares, and the asset's folder name. */
  readonly package: { readonly zipPath: string; readonly sha256: string; readonly assetHash: string };
}

export interface OwnLogGroups {
  readonly logGroupNames: readonly string[];
  readonly redactStringLiterals: boolean;
}

export interface SourceAccounts {
  readonly sources: ReadonlyArray<{ readonly accountId: string; readonly redactStringLiterals: boolean }>;
  /** The reader role's name, the same in every source account of the region. */
  readonly readerRoleName: string;
}

export class AlertDetailsFunction extends Construct {
  /** The function's role: the one identity besides the stack's alarms and rules that may publish to the topic. */
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: AlertDetailsFunctionProps) {
    super(scope, id);
    const { accountId, region, partition } = props;
    const logGroupArn = (name: string) => `arn:${partition}:logs:${region}:${accountId}:log-group:${name}`;
    const { zipPath, sha256, assetHash } = props.package;

    const logGroup = new CloudwatchLogGroup(this, 'log-group', { name: `/aws/lambda/${props.functionName}`, retentionInDays: props.logRetentionDays });

    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: [servicePrincipal('lambda', region)] }] }],
    });
    const { reads } = props;
    const across = 'sources' in reads;
    const role = new IamRole(this, 'role', {
      name: props.functionName,
      assumeRolePolicy: trust.json,
      description: across
        ? 'aurora-audit alert details: reads the source accounts\' audit logs through their reader roles, publishes to its alarm topic'
        : 'aurora-audit alert details: reads its stack\'s audit logs, publishes to its alarm topic',
    });
    const permissions = new DataAwsIamPolicyDocument(this, 'permissions', {
      statement: [
        across
          ? { sid: 'AssumeReaderRoles', actions: ['sts:AssumeRole'], resources: reads.sources.map((s) => `arn:${partition}:iam::${s.accountId}:role/${reads.readerRoleName}`) }
          : { sid: 'ReadAuditLogs', actions: ['logs:DescribeMetricFilters', 'logs:FilterLogEvents'], resources: reads.logGroupNames.flatMap((n) => [logGroupArn(n), `${logGroupArn(n)}:*`]) },
        // It verifies each alarm before it acts (alert-details/handler.ts): only this account's and region's aurora-audit
        // alarms, by ARN (DescribeAlarms takes alarm ARNs; docs/facts.md, The alert path's integrity). In the monitoring
        // account those are the alarms of every source stack of the region, under the one prefix.
        {
          sid: 'VerifyAlarms',
          actions: ['cloudwatch:DescribeAlarms'],
          resources: [`arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${across ? ALARM_NAME_PREFIX : AWS_NAMES.alarmPrefix(accountId, region)}*`],
        },
        { sid: 'PublishDetails', actions: ['sns:Publish'], resources: [props.topicArn] },
        ...(props.kmsKeyArn ? [{ sid: 'UseTopicKey', actions: ['kms:GenerateDataKey*', 'kms:Decrypt'], resources: [props.kmsKeyArn] }] : []),
        { sid: 'OwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroupArn(logGroup.name)}:*`] },
      ],
    });
    const policy = new IamRolePolicy(this, 'policy', { name: 'alert-details', role: role.id, policy: permissions.json });
    this.roleArn = role.arn;

    const asset = new TerraformAsset(this, 'package', { path: zipPath, type: AssetType.FILE, assetHash });
    const fn = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: 'aurora-audit: answers each detection alarm with the log lines that raised it',
      role: role.arn,
      runtime: ALERT_DETAILS_FUNCTION.runtime,
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: sha256,
      timeout: ALERT_DETAILS_FUNCTION.timeoutSeconds,
      memorySize: ALERT_DETAILS_FUNCTION.memoryMb,
      environment: {
        variables: across
          ? {
              TOPIC_ARN: props.topicArn,
              ACCOUNT_ID: accountId,
              SOURCE_ACCOUNTS: reads.sources.map((s) => s.accountId).join(','),
              REDACT_ACCOUNTS: reads.sources.filter((s) => s.redactStringLiterals).map((s) => s.accountId).join(','),
              READER_ROLE: reads.readerRoleName,
            }
          : {
              TOPIC_ARN: props.topicArn,
              ACCOUNT_ID: accountId,
              LOG_GROUPS: JSON.stringify(reads.logGroupNames),
              REDACT_LITERALS: String(reads.redactStringLiterals),
            },
      },
      loggingConfig: { logFormat: 'Text', logGroup: logGroup.name },
      dependsOn: [logGroup, policy],
    });
    // One retry for a throttle; a detail message older than ten minutes is no longer worth sending.
    new LambdaFunctionEventInvokeConfig(this, 'invoke-config', { functionName: fn.functionName, maximumRetryAttempts: 1, maximumEventAgeInSeconds: 600 });
    new LambdaPermission(this, 'topic-invokes', { action: 'lambda:InvokeFunction', functionName: fn.functionName, principal: 'sns.amazonaws.com', sourceArn: props.topicArn });
    new SnsTopicSubscription(this, 'subscription', {
      topicArn: props.topicArn,
      protocol: 'lambda',
      endpoint: fn.arn,
      // Only a detection alarm going to ALARM wakes it: not its own detail messages (which go to the same topic for
      // Chatbot), not OK, not the silence alarm, and not the tamper or GuardDuty notifications, which have no lines to add.
      // A monitoring account's alarms read their metric through a metric query, whose notification's Trigger has no
      // Namespace of its own (docs/facts.md, Alert details): there the function itself passes over an alarm on
      // another namespace, after reading it back.
      filterPolicy: JSON.stringify(across ? { NewStateValue: ['ALARM'] } : { NewStateValue: ['ALARM'], Trigger: { Namespace: [METRIC_NAMESPACE] } }),
      filterPolicyScope: 'MessageBody',
    });
  }
}
