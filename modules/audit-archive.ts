import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import type { ArchiveModel } from '../config/model';
import { ARCHIVE_PREFIX } from '../config/names';
import { ARCHIVE_CHILD } from '../stacks/addresses';
import { LogDelivery } from './log-delivery';

export interface AuditArchiveProps {
  readonly archive: ArchiveModel;
  readonly stackName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** The stack's key (or the one the config names): objects are encrypted with it. Without one, SSE-S3. */
  readonly kmsKeyArn?: string;
  /** The audit log groups to archive, by cluster. */
  readonly logGroups: ReadonlyArray<{ readonly clusterIdentifier: string; readonly logGroupName: string }>;
  /** Where the archive stream's stalled-delivery alarm notifies. @default - none here (monitoring-account mode) */
  readonly alarmActionArns?: readonly string[];
}

/**
 * Audit records kept for years in S3, more cheaply than in CloudWatch Logs: a bucket with Object Lock (write once,
 * for the configured years, in governance or compliance mode), versioning (which Object Lock needs), lifecycle moves
 * to colder classes, default encryption with the stack's key, no public access and TLS only. A Firehose stream of
 * the stack fills it from a subscription filter on each audit log group.
 *
 * The bucket is never destroyed from here: prevent_destroy makes any plan that would destroy it fail, and turning the
 * archive off forgets it (stacks/transitions.ts), leaving it and its records standing.
 */
export class AuditArchive extends Construct {
  readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: AuditArchiveProps) {
    super(scope, id);
    const { archive } = props;
    const bucket = new S3Bucket(this, ARCHIVE_CHILD.bucket, {
      bucket: archive.bucketName,
      objectLockEnabled: true,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    const versioning = new S3BucketVersioningA(this, ARCHIVE_CHILD.versioning, {
      bucket: bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketObjectLockConfigurationA(this, ARCHIVE_CHILD.objectLock, {
      bucket: bucket.id,
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: archive.objectLockMode, years: archive.retentionYears } },
      dependsOn: [versioning],
    });
    const encryption = new S3BucketServerSideEncryptionConfigurationA(this, ARCHIVE_CHILD.encryption, {
      bucket: bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: props.kmsKeyArn ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn } : { sseAlgorithm: 'AES256' },
          // One data key per bucket rather than per object: far fewer KMS requests.
          bucketKeyEnabled: props.kmsKeyArn ? true : undefined,
        },
      ],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, ARCHIVE_CHILD.publicAccess, {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, ARCHIVE_CHILD.ownership, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    // Exempt from the record-keeping deny: the break-glass role, when the config names one; otherwise nobody.
    const exempt = archive.breakGlassRoleArn ? [{ test: 'ArnNotEquals', variable: 'aws:PrincipalArn', values: [archive.breakGlassRoleArn] }] : [];
    const document = new DataAwsIamPolicyDocument(this, 'policy-document', {
      statement: [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['s3:*'],
          resources: [bucket.arn, `${bucket.arn}/*`],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
        {
          // In GOVERNANCE mode anyone allowed s3:BypassGovernanceRetention may delete a locked version or shorten its
          // retention (S3 user guide, "Object Lock", governance mode); an explicit deny here holds against every
          // identity policy, an administrator's included (docs/facts.md, The alert path's integrity). Firehose only
          // puts objects, and lifecycle transitions are not requests, so nothing of aurora-audit's needs these.
          sid: 'NobodyRemovesOrShortensRecords',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['s3:BypassGovernanceRetention', 's3:DeleteObjectVersion', 's3:PutObjectRetention'],
          resources: [`${bucket.arn}/*`],
          condition: exempt.length ? exempt : undefined,
        },
        {
          // Without its policy the bucket would have no deny: only the break-glass role may remove it. Replacing it
          // is how a deployment changes it, and raises a tamper alert when anyone else does (modules/tamper-alerts.ts).
          sid: 'NobodyDeletesThePolicy',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['s3:DeleteBucketPolicy'],
          resources: [bucket.arn],
          condition: exempt.length ? exempt : undefined,
        },
      ],
    });
    const policy = new S3BucketPolicy(this, ARCHIVE_CHILD.policy, { bucket: bucket.id, policy: document.json, dependsOn: [publicAccess] });
    // Transitions only: the lifecycle never expires an object or a version, so it never ends a record before (or
    // after) its lock; records leave only by a person's decision, through the break-glass role.
    if (archive.transitions.length > 0) {
      new S3BucketLifecycleConfiguration(this, ARCHIVE_CHILD.lifecycle, {
        bucket: bucket.id,
        rule: [
          {
            id: 'colder-storage',
            status: 'Enabled',
            filter: [{ prefix: '' }],
            transition: archive.transitions.map((t) => ({ days: t.afterDays, storageClass: t.storageClass })),
            // A version can only become noncurrent by an overwrite Object Lock allows: it moves alike.
            noncurrentVersionTransition: archive.transitions.map((t) => ({ noncurrentDays: t.afterDays, storageClass: t.storageClass })),
          },
        ],
        dependsOn: [versioning],
      });
    }

    new LogDelivery(this, ARCHIVE_CHILD.delivery, {
      purpose: 'archive',
      stackName: props.stackName,
      accountId: props.accountId,
      region: props.region,
      partition: props.partition,
      logGroups: props.logGroups,
      to: { kind: 's3', bucketArn: bucket.arn, prefix: ARCHIVE_PREFIX, kmsKeyArn: props.kmsKeyArn },
      // No record may reach the bucket before it encrypts and refuses plain HTTP.
      dependsOn: [encryption, policy],
      alarmActionArns: props.alarmActionArns,
    });
    this.bucketArn = bucket.arn;
  }
}
