/**
 * The alert-details function of a stack (alert-details/handler.ts), packaged at synth and wired to the alarm topic
 * beside Chatbot, never in front of it: the alarm reaches Slack whether or not the function works.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { crc32, deflateRawSync } from 'node:zlib';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { AssetType, TerraformAsset } from 'cdktf';
// cdktf's own asset hash, so that the folder is named as cdktf would name it. Not part of its index, but cdktf 0.21.0 is
// the last release, so the module stays where it is.
import { hashPath } from 'cdktf/lib/private/fs';
import { Construct } from 'constructs';
import { ALERT_DETAILS_FUNCTION, servicePrincipal } from '../config/aws';
import { AWS_NAMES } from '../config/names';
import { METRIC_NAMESPACE } from './detection-alarms';


export interface AlertDetailsFunctionProps {
  readonly functionName: string;
  readonly topicArn: string;
  readonly kmsKeyArn?: string;
  /** The stack's log groups that detections read: the only ones it may read. */
  readonly logGroupNames: readonly string[];
  readonly redactStringLiterals: boolean;
  readonly logRetentionDays: number;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

export class AlertDetailsFunction extends Construct {
  /** The function's role: the one identity besides the stack's alarms and rules that may publish to the topic. */
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: AlertDetailsFunctionProps) {
    super(scope, id);
    const { accountId, region, partition } = props;
    const logGroupArn = (name: string) => `arn:${partition}:logs:${region}:${accountId}:log-group:${name}`;
    const { zipPath, sha256, assetHash } = alertDetailsPackage();

    const logGroup = new CloudwatchLogGroup(this, 'log-group', { name: `/aws/lambda/${props.functionName}`, retentionInDays: props.logRetentionDays });

    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: [servicePrincipal('lambda', region)] }] }],
    });
    const role = new IamRole(this, 'role', { name: props.functionName, assumeRolePolicy: trust.json, description: 'aurora-audit alert details: reads its stack\'s audit logs, publishes to its alarm topic' });
    const permissions = new DataAwsIamPolicyDocument(this, 'permissions', {
      statement: [
        { sid: 'ReadAuditLogs', actions: ['logs:DescribeMetricFilters', 'logs:FilterLogEvents'], resources: props.logGroupNames.flatMap((n) => [logGroupArn(n), `${logGroupArn(n)}:*`]) },
        // It verifies each alarm before it acts (alert-details/handler.ts): only this account's and region's aurora-audit
        // alarms, by ARN (DescribeAlarms takes alarm ARNs; docs/facts.md, The alert path's integrity).
        { sid: 'VerifyAlarms', actions: ['cloudwatch:DescribeAlarms'], resources: [`arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${AWS_NAMES.alarmPrefix(accountId, region)}*`] },
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
        variables: {
          TOPIC_ARN: props.topicArn,
          ACCOUNT_ID: accountId,
          LOG_GROUPS: JSON.stringify(props.logGroupNames),
          REDACT_LITERALS: String(props.redactStringLiterals),
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
      filterPolicy: JSON.stringify({ NewStateValue: ['ALARM'], Trigger: { Namespace: [METRIC_NAMESPACE] } }),
      filterPolicyScope: 'MessageBody',
    });
  }
}

/** The repository root: where alert-details/ and detections/ live, whether running from TypeScript or dist/. */
function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'alert-details', 'handler.ts'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('alert-details/handler.ts not found beside the aurora-audit install');
    dir = parent;
  }
  return dir;
}

interface AlertDetailsPackage {
  readonly zipPath: string;
  /** What Lambda's source_code_hash compares: base64 SHA-256. */
  readonly sha256: string;
  /** The name cdktf gives the asset's folder, from the file's contents (its own hashPath, which reads the file). */
  readonly assetHash: string;
  readonly code: string;
}

let built: AlertDetailsPackage | undefined;

/**
 * The function's code, bundled by esbuild from alert-details/handler.ts (and the detections it shares) into one
 * index.js, zipped with fixed times and modes: the same source gives the same bytes, so Terraform sees no change
 * until the code changes. Built once per process (every stack shares it), into a file named by its hash.
 */
export function alertDetailsPackage(): AlertDetailsPackage {
  built ??= buildPackage();
  return built;
}

function buildPackage(): AlertDetailsPackage {
  // esbuild is loaded only when a stack has the function, so other commands do not pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const result = esbuild.buildSync({
    absWorkingDir: projectRoot(),
    entryPoints: ['alert-details/handler.ts'],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  const zip = deterministicZip('index.js', Buffer.from(code, 'utf8'));
  // Named by its hash, so every synth of the same code reuses one file instead of leaving another behind.
  const dir = path.join(os.tmpdir(), `aurora-audit-package-${createHash('sha256').update(zip).digest('hex').slice(0, 16)}`);
  fs.mkdirSync(dir, { recursive: true });
  const zipPath = path.join(dir, 'alert-details.zip');
  // Threads of one synthesis share the process id, and each builds the package.
  const partial = `${zipPath}.${process.pid}.${threadId}.tmp`;
  fs.writeFileSync(partial, zip);
  fs.renameSync(partial, zipPath);
  return { zipPath, sha256: createHash('sha256').update(zip).digest('base64'), assetHash: hashPath(zipPath), code };
}

/** A zip of one file, deflated, with the DOS epoch as its time and 0644 as its mode: no input but the bytes varies it. */
export function deterministicZip(name: string, data: Buffer): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const compressed = deflateRawSync(data, { level: 9 });
  // The fields the local header and the central directory entry share, from "version needed" to the name length.
  const common = Buffer.alloc(26);
  common.writeUInt16LE(20, 0); // version needed: 2.0
  common.writeUInt16LE(0x0800, 2); // the name is UTF-8
  common.writeUInt16LE(8, 4); // deflate
  common.writeUInt16LE(0, 6); // time 00:00:00
  common.writeUInt16LE((1 << 5) | 1, 8); // date 1980-01-01
  common.writeUInt32LE(crc32(data), 10);
  common.writeUInt32LE(compressed.length, 14);
  common.writeUInt32LE(data.length, 18);
  common.writeUInt16LE(nameBytes.length, 22);
  common.writeUInt16LE(0, 24); // no extra field
  const signature = (value: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value, 0);
    return b;
  };
  const local = Buffer.concat([signature(0x04034b50), common, nameBytes, compressed]);
  const madeBy = Buffer.alloc(2);
  madeBy.writeUInt16LE((3 << 8) | 20, 0); // Unix, 2.0
  const tail = Buffer.alloc(14); // comment length, disk, internal attributes, external attributes, local header offset 0
  tail.writeUInt32LE((0o100644 << 16) >>> 0, 6); // a regular file, rw-r--r--
  const central = Buffer.concat([signature(0x02014b50), madeBy, common, tail, nameBytes]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(local.length, 16);
  return Buffer.concat([local, central, end]);
}
