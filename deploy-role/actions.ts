/**
 * What the deploy role may do, by the Terraform resource type it does it for: the API actions the hashicorp/aws
 * provider calls to create, read, update, tag and delete a resource of that type (and to read it back in each plan),
 * and which of aurora-audit's resources each action acts on (a `Scope`, made into ARNs by ./policy.ts).
 *
 * An action that names no resource in IAM's Service Authorization Reference takes `any` (Resource "*"): the Describe
 * and List calls that filter by nothing, and the few creates IAM cannot scope (kms:CreateKey, Chatbot's calls, Logs
 * Insights query definitions); one that names a resource type never does. test/deploy-role/policy.test.ts keeps this table covering every resource type the stacks
 * of every template synthesize, and checks each grant against the reference with a policy simulator.
 */

/** The families of resources the role acts on; ./policy.ts makes each into ARNs of the config's names. */
export type Scope =
  | 'any'
  | 'clusters'
  | 'ownParameterGroups'
  | 'adoptedParameterGroups'
  | 'clusterLogGroups'
  | 'serviceLogGroups'
  | 'alarms'
  | 'dashboards'
  | 'rules'
  | 'topics'
  | 'keys'
  | 'aliases'
  | 'roles'
  | 'policies'
  | 'functions'
  | 'streams'
  | 'archiveBucket'
  | 'slackChannels'
  | 'detectors';

export interface Grant {
  readonly actions: readonly string[];
  /** Where the actions act: a call on two resources (kms:CreateAlias, on an alias and its key) has a grant for each. */
  readonly on: readonly Scope[];
}

const TAGS = (service: string, tag = 'TagResource', untag = 'UntagResource', list = 'ListTagsForResource') => [`${service}:${tag}`, `${service}:${untag}`, `${service}:${list}`];

/** The grants of each resource type the stacks synthesize. */
export const DEPLOY_GRANTS: Readonly<Record<string, readonly Grant[]>> = {
  // Adopted clusters: Terraform reads them, and changes only their log exports and parameter group (ignore_changes
  // holds every other argument). Deleting a cluster or an instance is denied outright (./policy.ts).
  aws_rds_cluster: [
    { actions: ['rds:ModifyDBCluster'], on: ['clusters', 'ownParameterGroups'] },
    { actions: ['rds:ModifyDBCluster'], on: ['clusters', 'adoptedParameterGroups'] },
    { actions: ['rds:AddTagsToResource', 'rds:RemoveTagsFromResource', 'rds:ListTagsForResource'], on: ['clusters'] },
    { actions: ['rds:DescribeDBClusters'], on: ['clusters'] },
  ],
  aws_rds_cluster_parameter_group: [
    {
      actions: ['rds:CreateDBClusterParameterGroup', 'rds:DeleteDBClusterParameterGroup', 'rds:ModifyDBClusterParameterGroup', 'rds:ResetDBClusterParameterGroup', 'rds:DescribeDBClusterParameterGroups', 'rds:DescribeDBClusterParameters', 'rds:AddTagsToResource', 'rds:RemoveTagsFromResource', 'rds:ListTagsForResource'],
      on: ['ownParameterGroups'],
    },
    // A group the cluster already had is adopted: its audit parameters change, it is never deleted.
    { actions: ['rds:ModifyDBClusterParameterGroup', 'rds:DescribeDBClusterParameterGroups', 'rds:DescribeDBClusterParameters', 'rds:AddTagsToResource', 'rds:RemoveTagsFromResource', 'rds:ListTagsForResource'], on: ['adoptedParameterGroups'] },
  ],
  aws_cloudwatch_log_group: [
    {
      actions: ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:AssociateKmsKey', 'logs:DisassociateKmsKey', ...TAGS('logs'), 'logs:TagLogGroup', 'logs:UntagLogGroup', 'logs:ListTagsLogGroup'],
      on: ['clusterLogGroups'],
    },
    {
      actions: ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:AssociateKmsKey', 'logs:DisassociateKmsKey', ...TAGS('logs'), 'logs:TagLogGroup', 'logs:UntagLogGroup', 'logs:ListTagsLogGroup'],
      on: ['serviceLogGroups'],
    },
    { actions: ['logs:DescribeLogGroups'], on: ['any'] },
  ],
  aws_cloudwatch_log_metric_filter: [{ actions: ['logs:PutMetricFilter', 'logs:DeleteMetricFilter', 'logs:DescribeMetricFilters'], on: ['clusterLogGroups'] }],
  aws_cloudwatch_log_subscription_filter: [
    { actions: ['logs:PutSubscriptionFilter', 'logs:DeleteSubscriptionFilter', 'logs:DescribeSubscriptionFilters'], on: ['clusterLogGroups'] },
    { actions: ['iam:PassRole'], on: ['roles'] },
  ],
  aws_cloudwatch_query_definition: [{ actions: ['logs:PutQueryDefinition', 'logs:DeleteQueryDefinition', 'logs:DescribeQueryDefinitions'], on: ['any'] }],
  aws_cloudwatch_metric_alarm: [
    { actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms', ...TAGS('cloudwatch')], on: ['alarms'] },
  ],
  aws_cloudwatch_dashboard: [{ actions: ['cloudwatch:PutDashboard', 'cloudwatch:GetDashboard', 'cloudwatch:DeleteDashboards'], on: ['dashboards'] }],
  aws_cloudwatch_event_rule: [
    { actions: ['events:PutRule', 'events:DeleteRule', 'events:DescribeRule', 'events:EnableRule', 'events:DisableRule', ...TAGS('events')], on: ['rules'] },
  ],
  aws_cloudwatch_event_target: [
    { actions: ['events:PutTargets', 'events:RemoveTargets', 'events:ListTargetsByRule'], on: ['rules'] },
    { actions: ['iam:PassRole'], on: ['roles'] },
  ],
  aws_sns_topic: [
    { actions: ['sns:CreateTopic', 'sns:DeleteTopic', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', ...TAGS('sns')], on: ['topics'] },
  ],
  aws_sns_topic_policy: [{ actions: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes'], on: ['topics'] }],
  aws_sns_topic_subscription: [
    { actions: ['sns:Subscribe', 'sns:Unsubscribe', 'sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes'], on: ['topics'] },
  ],
  // A key's ARN holds an id AWS chooses: the key's own statement (./policy.ts) admits the keys tagged as aurora-audit's.
  aws_kms_key: [
    { actions: ['kms:CreateKey'], on: ['any'] },
    {
      actions: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:EnableKeyRotation', 'kms:ListResourceTags', 'kms:TagResource', 'kms:UntagResource', 'kms:UpdateKeyDescription'],
      on: ['keys'],
    },
  ],
  // An alias call acts on the alias and on its key, each authorized apart: the key must be one of aurora-audit's.
  aws_kms_alias: [
    { actions: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'], on: ['aliases'] },
    { actions: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'], on: ['keys'] },
    { actions: ['kms:ListAliases'], on: ['any'] },
  ],
  aws_iam_role: [
    {
      actions: ['iam:CreateRole', 'iam:DeleteRole', 'iam:GetRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy', 'iam:TagRole', 'iam:UntagRole', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
      on: ['roles'],
    },
  ],
  aws_iam_role_policy: [{ actions: ['iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy'], on: ['roles'] }],
  aws_iam_policy: [
    {
      actions: ['iam:CreatePolicy', 'iam:DeletePolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions', 'iam:CreatePolicyVersion', 'iam:DeletePolicyVersion', 'iam:TagPolicy', 'iam:UntagPolicy', 'iam:ListPolicyTags'],
      on: ['policies'],
    },
  ],
  aws_lambda_function: [
    {
      actions: ['lambda:CreateFunction', 'lambda:DeleteFunction', 'lambda:GetFunction', 'lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:ListVersionsByFunction', 'lambda:GetFunctionCodeSigningConfig', 'lambda:TagResource', 'lambda:UntagResource', 'lambda:ListTags'],
      on: ['functions'],
    },
    { actions: ['iam:PassRole'], on: ['roles'] },
  ],
  aws_lambda_permission: [{ actions: ['lambda:AddPermission', 'lambda:RemovePermission', 'lambda:GetPolicy'], on: ['functions'] }],
  aws_lambda_function_event_invoke_config: [
    { actions: ['lambda:PutFunctionEventInvokeConfig', 'lambda:UpdateFunctionEventInvokeConfig', 'lambda:GetFunctionEventInvokeConfig', 'lambda:DeleteFunctionEventInvokeConfig'], on: ['functions'] },
  ],
  aws_kinesis_firehose_delivery_stream: [
    {
      actions: ['firehose:CreateDeliveryStream', 'firehose:DeleteDeliveryStream', 'firehose:DescribeDeliveryStream', 'firehose:UpdateDestination', 'firehose:StartDeliveryStreamEncryption', 'firehose:StopDeliveryStreamEncryption', 'firehose:TagDeliveryStream', 'firehose:UntagDeliveryStream', 'firehose:ListTagsForDeliveryStream'],
      on: ['streams'],
    },
    { actions: ['iam:PassRole'], on: ['roles'] },
  ],
  // The archive bucket: created, configured and read; deleting it, or weakening its lock, is denied (./policy.ts).
  aws_s3_bucket: [
    {
      actions: ['s3:CreateBucket', 's3:ListBucket', 's3:GetBucketTagging', 's3:PutBucketTagging', 's3:GetBucketAcl', 's3:GetBucketCORS', 's3:GetBucketWebsite', 's3:GetBucketLogging', 's3:GetBucketLocation', 's3:GetBucketRequestPayment', 's3:GetAccelerateConfiguration', 's3:GetReplicationConfiguration', 's3:GetLifecycleConfiguration', 's3:GetEncryptionConfiguration', 's3:GetBucketObjectLockConfiguration', 's3:GetBucketVersioning', 's3:GetBucketPolicy'],
      on: ['archiveBucket'],
    },
  ],
  aws_s3_bucket_versioning: [{ actions: ['s3:GetBucketVersioning', 's3:PutBucketVersioning'], on: ['archiveBucket'] }],
  aws_s3_bucket_object_lock_configuration: [{ actions: ['s3:GetBucketObjectLockConfiguration', 's3:PutBucketObjectLockConfiguration'], on: ['archiveBucket'] }],
  aws_s3_bucket_lifecycle_configuration: [{ actions: ['s3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration'], on: ['archiveBucket'] }],
  aws_s3_bucket_ownership_controls: [{ actions: ['s3:GetBucketOwnershipControls', 's3:PutBucketOwnershipControls'], on: ['archiveBucket'] }],
  // The policy is replaced, never deleted: without it the bucket's own denies go (./policy.ts denies deleting it).
  aws_s3_bucket_policy: [{ actions: ['s3:GetBucketPolicy', 's3:PutBucketPolicy'], on: ['archiveBucket'] }],
  aws_s3_bucket_public_access_block: [{ actions: ['s3:GetBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock'], on: ['archiveBucket'] }],
  aws_s3_bucket_server_side_encryption_configuration: [{ actions: ['s3:GetEncryptionConfiguration', 's3:PutEncryptionConfiguration'], on: ['archiveBucket'] }],
  // Creating a channel, listing channels and reading tags name no resource in IAM; the rest name the configuration.
  aws_chatbot_slack_channel_configuration: [
    { actions: ['chatbot:CreateSlackChannelConfiguration', 'chatbot:DescribeSlackChannelConfigurations', 'chatbot:ListTagsForResource'], on: ['any'] },
    { actions: ['chatbot:UpdateSlackChannelConfiguration', 'chatbot:DeleteSlackChannelConfiguration', 'chatbot:TagResource', 'chatbot:UntagResource'], on: ['slackChannels'] },
    { actions: ['iam:PassRole'], on: ['roles'] },
  ],
  aws_guardduty_detector_feature: [
    { actions: ['guardduty:UpdateDetector', 'guardduty:GetDetector'], on: ['detectors'] },
    { actions: ['guardduty:ListDetectors'], on: ['any'] },
  ],
};

/** Calls the provider makes for every stack, whatever it holds: who it is. */
export const PROVIDER_GRANTS: readonly Grant[] = [{ actions: ['sts:GetCallerIdentity'], on: ['any'] }];
