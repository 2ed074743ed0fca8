import { CloudwatchLogSubscriptionFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-subscription-filter';
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import {
  KinesisFirehoseDeliveryStream,
  type KinesisFirehoseDeliveryStreamConfig,
  type KinesisFirehoseDeliveryStreamHttpEndpointConfigurationProcessingConfiguration,
} from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { FIREHOSE_BUFFERING, FIREHOSE_DECOMPRESSION, servicePrincipal } from '../config/aws';
import { AWS_NAMES, type LogDeliveryPurpose } from '../config/names';
import { UNCONFIRMED } from '../config/unconfirmed';
import { DeliveryAlarm } from './delivery-alarm';

/** Where a Firehose stream of the stack delivers. */
export type FirehoseDestination =
  /** A bucket: the CloudWatch Logs batches as they come, gzip-compressed. */
  | { readonly kind: 's3'; readonly bucketArn: string; readonly prefix: string; readonly kmsKeyArn?: string }
  /** Splunk HEC, its token read from Secrets Manager; what it refuses goes to the backup bucket. */
  | { readonly kind: 'splunk'; readonly endpoint: string; readonly endpointType: 'Raw' | 'Event'; readonly secretArn: string; readonly backupBucketArn: string }
  /** An HTTP endpoint, its access key (if any) read from Secrets Manager; what it refuses goes to the backup bucket. */
  | { readonly kind: 'http'; readonly url: string; readonly name: string; readonly secretArn?: string; readonly backupBucketArn: string };

export interface LogDeliveryProps {
  readonly purpose: LogDeliveryPurpose;
  readonly stackName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /**
   * The audit log groups whose every record is delivered, by cluster (the filter's construct id, so that a cluster
   * leaving the config touches no other cluster's filter). Pass the log group resource's name, so the filter waits
   * for the group.
   */
  readonly logGroups: ReadonlyArray<{ readonly clusterIdentifier: string; readonly logGroupName: string }>;
  /** A Firehose stream of the stack, or a CloudWatch Logs destination in another account (no stream, no role here). */
  readonly to: FirehoseDestination | { readonly kind: 'logDestination'; readonly destinationArn: string };
  /** Resources the subscription filters must wait for (a bucket's policy and encryption). */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Where the stream's stalled-delivery alarm notifies (the stack's alarm topic). @default - no alarm here: in
   * monitoring-account mode the monitoring stack holds it
   */
  readonly alarmActionArns?: readonly string[];
}

/** Where Firehose writes what it could not deliver or decompress, under the delivery's own prefix. */
const ERROR_PREFIX = 'errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/';

/**
 * Every record of the audit log groups, delivered as it arrives: a subscription filter on each group (CloudWatch
 * Logs allows two per group; a push and the archive take one each), into a Firehose stream of the stack, which
 * writes to S3, Splunk or an HTTP endpoint. Two roles, each allowed one thing:
 * - CloudWatch Logs may put records into this stream only, and only for log groups of this account and region
 *   (aws:SourceArn, as the CloudWatch Logs user guide's Firehose example has it);
 * - Firehose may write to its destination (and read its one secret) only, and only for this stream (sts:ExternalId,
 *   as the Firehose developer guide has it; aws:SourceAccount and aws:SourceArn, UNCONFIRMED).
 * A CloudWatch Logs destination in a central account needs neither: its own access policy admits this account.
 */
export class LogDelivery extends Construct {
  /** The stream, when there is one. */
  readonly streamArn?: string;

  constructor(scope: Construct, id: string, props: LogDeliveryProps) {
    super(scope, id);
    const { accountId, region, partition, purpose } = props;
    const filterName = AWS_NAMES.subscriptionFilter(purpose);

    if (props.to.kind === 'logDestination') {
      const destinationArn = props.to.destinationArn;
      for (const { clusterIdentifier, logGroupName } of props.logGroups) {
        new CloudwatchLogSubscriptionFilter(this, filterId(clusterIdentifier), {
          name: filterName,
          logGroupName,
          filterPattern: '',
          destinationArn,
          dependsOn: props.dependsOn?.length ? [...props.dependsOn] : undefined,
        });
      }
      return;
    }

    const streamName = AWS_NAMES.deliveryStream(props.stackName, purpose);
    const streamArn = `arn:${partition}:firehose:${region}:${accountId}:deliverystream/${streamName}`;
    const destination = props.to;

    const firehoseTrust = new DataAwsIamPolicyDocument(this, 'firehose-trust', {
      statement: [
        {
          principals: [{ type: 'Service', identifiers: [servicePrincipal('firehose', region)] }],
          actions: ['sts:AssumeRole'],
          condition: [
            { test: 'StringEquals', variable: 'sts:ExternalId', values: [accountId] },
            ...(UNCONFIRMED.firehoseSendsSourceConditions
              ? [
                  { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
                  { test: 'ArnLike', variable: 'aws:SourceArn', values: [streamArn] },
                ]
              : []),
          ],
        },
      ],
    });
    const firehoseRole = new IamRole(this, 'firehose-role', {
      name: AWS_NAMES.deliveryRole(props.stackName, purpose, 'firehose'),
      description: `aurora-audit ${props.stackName}: Firehose writes the audit logs (${purpose}) to their destination`,
      assumeRolePolicy: firehoseTrust.json,
    });
    const firehosePolicy = new DataAwsIamPolicyDocument(this, 'firehose-policy', { statement: destinationStatements(destination, region) });
    const firehoseRolePolicy = new IamRolePolicy(this, 'firehose-role-policy', { name: `write-${purpose}`, role: firehoseRole.name, policy: firehosePolicy.json });

    const stream = new KinesisFirehoseDeliveryStream(this, 'stream', {
      name: streamName,
      // Encrypted at rest with a key Firehose owns: a customer managed key here would need the deploy role to grant
      // Firehose on it, for records that stay at most a buffering interval.
      serverSideEncryption: { enabled: true, keyType: 'AWS_OWNED_CMK' },
      ...streamDestination(destination, firehoseRole.arn),
      dependsOn: [firehoseRolePolicy],
    });
    this.streamArn = stream.arn;
    if (props.alarmActionArns) {
      new DeliveryAlarm(this, 'stalled', { stackName: props.stackName, accountId, region, stream: { purpose, destination: destination.kind }, actionArns: props.alarmActionArns });
    }

    const logsTrust = new DataAwsIamPolicyDocument(this, 'logs-trust', {
      statement: [
        {
          principals: [{ type: 'Service', identifiers: [servicePrincipal('logs', region)] }],
          actions: ['sts:AssumeRole'],
          condition: [{ test: 'StringLike', variable: 'aws:SourceArn', values: [`arn:${partition}:logs:${region}:${accountId}:*`] }],
        },
      ],
    });
    const logsRole = new IamRole(this, 'logs-role', {
      name: AWS_NAMES.deliveryRole(props.stackName, purpose, 'logs'),
      description: `aurora-audit ${props.stackName}: CloudWatch Logs sends the audit logs (${purpose}) to Firehose`,
      assumeRolePolicy: logsTrust.json,
    });
    const logsPolicy = new DataAwsIamPolicyDocument(this, 'logs-policy', {
      statement: [{ sid: 'PutIntoThisStream', actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'], resources: [stream.arn] }],
    });
    const logsRolePolicy = new IamRolePolicy(this, 'logs-role-policy', { name: `send-${purpose}`, role: logsRole.name, policy: logsPolicy.json });

    for (const { clusterIdentifier, logGroupName } of props.logGroups) {
      new CloudwatchLogSubscriptionFilter(this, filterId(clusterIdentifier), {
        name: filterName,
        logGroupName,
        // Every record: an empty pattern matches all log events.
        filterPattern: '',
        destinationArn: stream.arn,
        roleArn: logsRole.arn,
        // PutSubscriptionFilter tests the role at once: it must be able to put records before the filter exists.
        dependsOn: [logsRolePolicy, ...(props.dependsOn ?? [])],
      });
    }
  }
}

/** The construct id of a cluster's subscription filter (its Terraform address, stacks/addresses.ts). */
export function filterId(clusterIdentifier: string): string {
  return `filter-${clusterIdentifier}`;
}

/** What Firehose's role may do: write to the one bucket (and its key, through S3), read the one secret. */
function destinationStatements(destination: FirehoseDestination, region: string): DataAwsIamPolicyDocumentStatement[] {
  const bucketArn = destination.kind === 's3' ? destination.bucketArn : destination.backupBucketArn;
  const statements: DataAwsIamPolicyDocumentStatement[] = [
    {
      sid: 'WriteToBucket',
      actions: ['s3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:PutObject'],
      resources: [bucketArn, `${bucketArn}/*`],
    },
  ];
  if (destination.kind === 's3' && destination.kmsKeyArn) {
    statements.push({
      sid: 'EncryptThroughS3',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [destination.kmsKeyArn],
      condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`s3.${region}.amazonaws.com`] }],
    });
  }
  if (destination.kind !== 's3' && destination.secretArn) {
    statements.push({ sid: 'ReadEndpointSecret', actions: ['secretsmanager:GetSecretValue'], resources: [destination.secretArn] });
  }
  return statements;
}

/** CloudWatch Logs sends gzip batches; a SIEM gets them decompressed, each batch still naming its group and stream. */
const DECOMPRESS: KinesisFirehoseDeliveryStreamHttpEndpointConfigurationProcessingConfiguration = {
  enabled: true,
  processors: [{ type: FIREHOSE_DECOMPRESSION.type, parameters: [{ parameterName: FIREHOSE_DECOMPRESSION.parameterName, parameterValue: FIREHOSE_DECOMPRESSION.value }] }],
};

function streamDestination(destination: FirehoseDestination, roleArn: string): Partial<KinesisFirehoseDeliveryStreamConfig> & Pick<KinesisFirehoseDeliveryStreamConfig, 'destination'> {
  const backup = (bucketArn: string) => ({ bucketArn, roleArn, prefix: 'failed/', errorOutputPrefix: ERROR_PREFIX, compressionFormat: 'GZIP' });
  switch (destination.kind) {
    case 's3':
      return {
        destination: 'extended_s3',
        extendedS3Configuration: {
          bucketArn: destination.bucketArn,
          roleArn,
          prefix: destination.prefix,
          errorOutputPrefix: `${destination.prefix}${ERROR_PREFIX}`,
          // Already gzip-compressed by CloudWatch Logs: compressing again would only cost.
          compressionFormat: 'UNCOMPRESSED',
          fileExtension: '.json.gz',
          bufferingSize: 64,
          bufferingInterval: FIREHOSE_BUFFERING.maxSeconds / 3,
          kmsKeyArn: destination.kmsKeyArn,
        },
      };
    case 'splunk':
      return {
        destination: 'splunk',
        splunkConfiguration: {
          hecEndpoint: destination.endpoint,
          hecEndpointType: destination.endpointType,
          secretsManagerConfiguration: { enabled: true, secretArn: destination.secretArn, roleArn },
          s3BackupMode: 'FailedEventsOnly',
          s3Configuration: backup(destination.backupBucketArn),
          processingConfiguration: DECOMPRESS,
        },
      };
    case 'http':
      return {
        destination: 'http_endpoint',
        httpEndpointConfiguration: {
          url: destination.url,
          name: destination.name,
          roleArn,
          s3BackupMode: 'FailedDataOnly',
          s3Configuration: backup(destination.backupBucketArn),
          secretsManagerConfiguration: destination.secretArn ? { enabled: true, secretArn: destination.secretArn, roleArn } : undefined,
          processingConfiguration: DECOMPRESS,
          requestConfiguration: { contentEncoding: 'GZIP' },
        },
      };
  }
}
