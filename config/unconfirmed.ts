/**
 * Every AWS behaviour aurora-audit relies on that no primary AWS source confirms.
 *
 * docs/facts.md marks these UNCONFIRMED. They live here, and only here, so that when a live
 * account (`aws logs test-metric-filter`, a real apply) settles one, a single edit changes the product.
 * Nothing else in the code base may restate these values.
 */
export const UNCONFIRMED = {
  /**
   * Chatbot reads a topic through a subscription of its own, over HTTPS to an endpoint under this host
   * (https://global.sns-api.chatbot.amazonaws.com as consoles and community posts show it; no AWS page states it).
   * `verify` only warns when it finds none: its drill is what proves delivery (docs/facts.md, Verify).
   */
  chatbotSubscriptionHost: 'chatbot.amazonaws.com',

  /**
   * Slack channel ids start with C (public) or G (older private channels). AWS documents only the
   * pattern `[A-Za-z0-9]+` and an example `C07EZ1ABC23` (docs/facts.md, Chatbot, SNS and KMS). A channel id with another
   * prefix is refused, so that a pasted channel *name* or a user id is caught before deploy.
   */
  slackChannelIdPrefixes: ['C', 'G'] as readonly string[],

  /**
   * `server_audit_*` parameters are dynamic and take `apply_method = immediate` (docs/facts.md, Advanced Auditing: third-party
   * automation uses it; the exact ApplyType from describe-db-cluster-parameters was not retrieved).
   */
  auditParameterApplyMethod: 'immediate' as const,

  /**
   * Metric-filter metrics are published at one-minute resolution, so alarm periods are multiples of 60 s
   * (docs/facts.md, Alarms on metric-filter metrics).
   */
  metricFilterResolutionSeconds: 60,

  /**
   * CloudWatch Logs publishes its own metrics (AWS/Logs IncomingLogEvents, by LogGroupName) once a minute, so a silence
   * alarm's period is a multiple of 60 s. Widely repeated (aws-cdk-lib's LogsMetrics, CloudWatch Logs "Monitoring
   * with CloudWatch metrics"); not confirmed here against the current page.
   */
  logsMetricResolutionSeconds: 60,

  /**
   * How many log groups one Logs Insights query (and so one saved query definition) may name. 50 in the Logs Insights
   * docs as widely quoted; later pages speak of more through log group criteria. A stack with more audit log groups of
   * one engine gets its queries in parts.
   */
  insightsLogGroupsPerQuery: 50,

  /**
   * How CloudTrail names RDS request parameters: the API member name with its first letter lower-cased, as in the RDS
   * user guide's CloudTrail example (`dBInstanceIdentifier`). The cluster calls' own examples were not retrieved here,
   * and whether the changed parameter values appear at all is UNCONFIRMED (docs/facts.md, Tampering and GuardDuty).
   */
  /**
   * Prices the summary's cost estimate uses: US East (N. Virginia), before free tiers, as recorded on the date given.
   * The CloudWatch free tier (3 dashboards, 10 alarm metrics, 5 GB of logs) is from aws.amazon.com/cloudwatch/pricing;
   * the rates are as third-party guides quote that page (cloudburn.io and signoz.io, February 2026), except the
   * alarm, log storage and KMS rates, which are as aurora-audit recorded them without a page at hand. Other regions
   * cost up to about a quarter more.
   */
  prices: {
    recorded: '2026-11-30',
    region: 'us-east-1',
    source: 'aws.amazon.com/cloudwatch/pricing and aws.amazon.com/kms/pricing',
    alarmMetricMonth: 0.1,
    customMetricMonth: 0.3,
    dashboardMonth: 3,
    logsIngestGb: 0.5,
    logsStorageGbMonth: 0.03,
    kmsKeyMonth: 1,
  },

  guardDutyRdsFindingFields: {
    /**
     * Where an RDS Protection finding names its database: `resource.resourceType` RDSDBInstance, with
     * `rdsDbInstanceDetails.dbClusterIdentifier` and `rdsDbUserDetails.user`, as GuardDuty's finding format is quoted
     * by secondary sources; the finding types themselves are partly confirmed (docs/facts.md, Tampering and GuardDuty).
     */
    resourceType: 'RDSDBInstance',
    instanceDetails: 'rdsDbInstanceDetails',
    clusterIdentifier: 'dbClusterIdentifier',
  },

  rdsCloudTrailRequestKeys: {
    clusterIdentifier: 'dBClusterIdentifier',
    parameterGroupName: 'dBClusterParameterGroupName',
    logExports: 'cloudwatchLogsExportConfiguration',
    disableLogTypes: 'disableLogTypes',
    newClusterIdentifier: 'newDBClusterIdentifier',
    /** ModifyDBParameterGroup's list of changed parameters, and each one's name in it. */
    parameters: 'parameters',
    parameterName: 'parameterName',
    /** The DB (instance) parameter group ModifyDBInstance and CreateDBInstance give an instance. */
    instanceParameterGroupName: 'dBParameterGroupName',
    /**
     * ModifyDBCluster's (and ModifyGlobalCluster's) consent to a major version upgrade, and the DB parameter group
     * ModifyDBCluster may give every instance with it.
     */
    allowMajorVersionUpgrade: 'allowMajorVersionUpgrade',
    clusterInstanceParameterGroupName: 'dBInstanceParameterGroupName',
    /** CreateBlueGreenDeployment's source: the ARN of the cluster the green copy is made from. */
    blueGreenSource: 'source',
  },

  /**
   * The `requestParameters` keys CloudTrail records for the calls the tamper rules watch on other services, taken to be
   * the API's own parameter names with a lower-case first letter, as CloudTrail's record documentation describes and
   * each service's published sample records show for some of them (docs/facts.md, The alert path's integrity); not
   * confirmed call by call. A key CloudTrail spells otherwise would leave that call unwatched, so every one is here.
   */
  cloudTrailRequestKeys: {
    logGroupName: 'logGroupName',
    logGroupIdentifier: 'logGroupIdentifier',
    alarmNames: 'alarmNames',
    alarmName: 'alarmName',
    /** SetAlarmState's StateValue. */
    stateValue: 'stateValue',
    topicArn: 'topicArn',
    subscriptionArn: 'subscriptionArn',
    /** SNS's PutDataProtectionPolicy names its topic so (as TagResource does, which the topic rule leaves out). */
    resourceArn: 'resourceArn',
    ruleName: 'name',
    targetRule: 'rule',
    functionName: 'functionName',
    deliveryStreamName: 'deliveryStreamName',
    bucketName: 'bucketName',
    roleName: 'roleName',
    policyArn: 'policyArn',
  },

  /**
   * AWS does not document combining a `%regex%` term with other terms in an unstructured pattern. The
   * filter-pattern engine refuses the combination rather than guess how CloudWatch evaluates it.
   */
  regexCombinesWithTerms: false,

  /**
   * Chatbot delivers messages from an SNS topic encrypted with a customer managed key once CloudWatch
   * may use the key (docs/facts.md, Chatbot, SNS and KMS: a 2025 write-up shows it working; older Chatbot docs said encrypted topics
   * never reach chat). The summary asks for an end-to-end test with `aws cloudwatch set-alarm-state`.
   */
  chatbotReadsEncryptedTopics: true,

  /**
   * What the CloudWatch-CrossAccountSharingRole of a source account must allow for the monitoring account's alarms to
   * read its metrics. PutMetricAlarm names the role and the monitoring account's service-linked role
   * AWSServiceRoleForCloudWatchCrossAccount (docs/facts.md, Cross-account alarms) but not the permissions; the console's "Share your
   * CloudWatch data" attaches wider read-only policies. aurora-audit grants reading metrics and nothing else.
   */
  crossAccountSharingActions: ['cloudwatch:GetMetricData', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics'] as readonly string[],

  /**
   * In the China partition, service principals end in `.amazonaws.com.cn` (seen in third-party policies; no AWS
   * page was retrieved for CloudWatch or CloudWatch Logs). Only the China regions use this suffix.
   */
  chinaServicePrincipalSuffix: '.cn',

  /**
   * pgaudit.log and pgaudit.role are dynamic on Aurora PostgreSQL, so `immediate` applies them without a reboot.
   * AWS's CLI walkthrough sets them with pending-reboot (docs/facts.md, pgAudit); shared_preload_libraries is static and
   * always takes pending-reboot.
   */
  pgauditParameterApplyMethod: 'immediate' as const,

  /**
   * The engine default of shared_preload_libraries in Aurora PostgreSQL's default cluster parameter groups, used when
   * discovery could not read it. pgaudit is added to it, never put in its place (a value that dropped
   * pg_stat_statements would turn off query statistics).
   */
  auroraPostgresqlDefaultPreloadLibraries: ['pg_stat_statements'] as readonly string[],

  /**
   * log_connections and log_disconnections are dynamic on Aurora PostgreSQL 13 to 18 (PostgreSQL's backend context:
   * new sessions pick them up without a restart), so `immediate` applies them without a reboot. AWS's parameter
   * table (docs/facts.md, pgAudit) describes them but the ApplyType was not retrieved.
   */
  pgConnectionLogApplyMethod: 'immediate' as const,

  /**
   * Aurora MySQL 8.4 "supports the same Aurora features as the latest Aurora MySQL version 3 releases" but fast insert
   * (Aurora User Guide, "Aurora MySQL version 8.4 compatible with MySQL 8.4"), yet the Advanced Auditing page names no
   * version. Taken as: the same four server_audit_* parameters, the same events, the same audit log line. Set false
   * and 8.4 clusters are refused with the reason, until a live cluster settles it.
   */
  auroraMysql84AdvancedAuditing: true,

  /**
   * The value that turns log_connections on, by Aurora PostgreSQL major. PostgreSQL 18 made it a list of aspects
   * (receipt, authentication, authorization, setup_durations, all) and still accepts the old booleans (PostgreSQL
   * commit 9219093, "Modularize log_connections output"); a third-party runbook for Aurora PostgreSQL 18 reports
   * that its parameter groups refuse `1` and take `all`. No AWS page was found.
   */
  pgLogConnectionsOn: (major: number): string => (major >= 18 ? 'all' : '1'),

  /**
   * Whether Aurora PostgreSQL 18 reads shared_preload_libraries from the cluster parameter group, as 13 to 17 do
   * (docs/facts.md, pgAudit). Third-party notes disagree: one says it became instance-level on aurora-postgresql18, another
   * sets it on the cluster group. The summary asks for `SHOW shared_preload_libraries` after the reboot.
   */
  pg18PreloadLibrariesInClusterGroup: true,

  /**
   * Support dates no primary AWS page retrieved here confirms: AWS's release calendars as endoflife.date copied them
   * (products/amazon-aurora-postgresql.md at a70eca3, 2026-08-22; amazon-aurora-mysql.md at 3cba8ac, 2026-06-08).
   * Aurora MySQL version 2's Extended Support end is derived: "up to 3 years past the Aurora end of standard support
   * date ... (3 years and 4 months for Aurora MySQL version 2)" (Aurora User Guide, "Using Amazon RDS Extended
   * Support") after 2024-10-31; third-party copies of the calendar say 2027-02-28 or 2029-06-30.
   */
  supportDates: {
    'aurora-mysql': {
      '5.7': { extendedSupportEnds: '2028-02-29' },
      '8.0': { standardSupportEnds: '2028-04-30' },
      '8.4': {},
    },
    'aurora-postgresql': {
      '13': { standardSupportEnds: '2026-02-28', extendedSupportEnds: '2029-02-28' },
      '14': { standardSupportEnds: '2027-02-28' },
      '15': { standardSupportEnds: '2028-02-29' },
      '16': { standardSupportEnds: '2029-02-28' },
      '17': { standardSupportEnds: '2030-02-28' },
      '18': { standardSupportEnds: '2031-02-28' },
    },
  } as Readonly<Record<string, Readonly<Record<string, { readonly standardSupportEnds?: string; readonly extendedSupportEnds?: string }>>>>,

  /**
   * Whether CloudWatch sends aws:SourceAccount and aws:SourceArn (the alarm's ARN) when it uses the topic's KMS key to
   * publish an alarm. The SNS developer guide's grant ("Enable compatibility between event sources from AWS services and
   * encrypted topics") has no conditions, and no AWS page says CloudWatch sets them on the KMS call; only third-party
   * constructs claim it (docs/facts.md, Chatbot, SNS and KMS). A condition the service does not send would silence every alarm, so the
   * key policy carries none while this is false.
   */
  cloudwatchSendsSourceConditionsToKms: false,

  /**
   * Whether Chatbot (Amazon Q Developer in chat applications) sends aws:SourceAccount / aws:SourceArn when it assumes
   * the channel role. Its admin guide's trust policy has no conditions and no confused-deputy page names them, so the
   * trust policy carries none while this is false.
   */
  chatbotSendsSourceConditions: false,

  /**
   * The CloudWatch console's deep link to a Logs Insights query. AWS does not document the fragment; this is the
   * shape the console itself writes and community tools rebuild (docs/facts.md, Alert details: community-observed, fragile):
   * `#logsV2:logs-insights` + the URI-encoded `?queryDetail=~(end~'<iso>~start~'<iso>~timeType~'ABSOLUTE~tz~'UTC~
   * editorString~'<query>~source~(~'<log group>))`, with `%` written `$`, and each string's own escapes written
   * with `*` for `%`. Used by alert-details/insights-link.ts only.
   */
  logsInsightsFragment: 'logsV2:logs-insights',

  /**
   * Chatbot's per-field limits on custom notifications are not documented (docs/facts.md, Alert details). Slack truncates a
   * message section at 3,000 characters; the description stays below that.
   */
  chatbotDescriptionMaxChars: 2900,

  /**
   * The fields of a USM Anywhere (LevelBlue, formerly AT&T Cybersecurity) "AWS Log Discovery and Collection" job, as
   * issue 13 describes the seed's job: a region (or * for all), the log group, the log stream, the source format
   * (syslog or raw) and a schedule. LevelBlue's public pages describe scheduled log collection jobs
   * (user-guide/scheduler/scheduler-best-practices) but no page reachable here names these console fields, so the
   * hand-off sheet uses these labels.
   */
  usmJobFields: {
    region: 'Region',
    logGroup: 'Log Group Name',
    logStream: 'Log Stream Name',
    sourceFormat: 'Source Format',
    schedule: 'Schedule',
  },
  /**
   * Whether a USM Anywhere job accepts a wildcard for its stream. Aurora writes one stream per DB instance, named after
   * it (docs/facts.md, AWS), so a job per stream would need updating whenever an instance is added. The sheet offers `*`
   * and lists the instance-named streams it expects beside it.
   */
  usmStreamWildcard: '*',
  /**
   * Whether Firehose sends aws:SourceAccount and aws:SourceArn (its delivery stream) when it assumes the role that writes
   * to the destination. Firehose's developer guide shows sts:ExternalId set to the account id; the global condition
   * keys are documented for service principals in general. With false, the trust keeps only sts:ExternalId.
   */
  firehoseSendsSourceConditions: true,
  /**
   * Prices for the SIEM hand-off and the archive, US East (N. Virginia), recorded 2026-11-30 from
   * aws.amazon.com/firehose/pricing and aws.amazon.com/s3/pricing: Firehose ingestion per GB (first 500 TB, 5 KB
   * rounding ignored), S3 storage per GB-month by class.
   */
  archivePrices: {
    recorded: '2026-11-30',
    region: 'us-east-1',
    source: 'aws.amazon.com/firehose/pricing and aws.amazon.com/s3/pricing',
    firehoseIngestGb: 0.029,
    s3GbMonth: { STANDARD: 0.023, STANDARD_IA: 0.0125, INTELLIGENT_TIERING: 0.023, GLACIER_IR: 0.004, GLACIER: 0.0036, DEEP_ARCHIVE: 0.00099 },
  },

  /**
   * The regions whose CloudTrail records Chatbot API calls: "AWS Chatbot APIs are currently available in ... us-east-2,
   * us-west-2, ap-southeast-1, eu-west-1 ... Your AWS CloudTrail events are logged in whatever Region you call from"
   * (AWS Chatbot API Reference, Welcome, last published 2024-07-16; the console runs in us-east-2). Amazon Q
   * Developer in chat applications may have added regions since. Each account's stack forwards Chatbot's events from
   * each of these to the regions of its stacks with a Slack channel, where their tamper rules read them.
   */
  chatbotApiRegions: ['us-east-2', 'us-west-2', 'ap-southeast-1', 'eu-west-1'] as readonly string[],
  /**
   * How CloudTrail spells the channel configuration's ARN in a Chatbot call's requestParameters. The API's request
   * body names it ChatConfigurationArn; CloudTrail usually records request parameters in camel case. No captured
   * event was reachable, so the tamper rule matches either spelling.
   */
  chatbotCloudTrailArnKeys: ['chatConfigurationArn', 'ChatConfigurationArn'] as readonly string[],

  /**
   * Where IAM's control plane (and so an account stack's default provider) is outside the aws partition: us-gov-west-1
   * for aws-us-gov and cn-north-1 for aws-cn, as commonly documented for their global endpoints; not confirmed here
   * against a current AWS page. (us-east-1 for aws is confirmed: docs/facts.md.)
   */
  iamRegionOfPartition: { 'aws-us-gov': 'us-gov-west-1', 'aws-cn': 'cn-north-1' } as Readonly<Record<string, string>>,

  /**
   * Whether CloudFormation's AWS::IAM::OIDCProvider may be made without ThumbprintList. IAM verifies GitHub's and
   * other providers' certificates through its own trusted CA library, and the current aws-cdk-lib marks the property
   * optional where its v1 required it; not confirmed here against the current CloudFormation reference. When false,
   * bootstrap's StackSet template takes the thumbprint as a parameter (OidcThumbprint) instead of leaving it out.
   */
  oidcProviderThumbprintOptional: true,
} as const;
