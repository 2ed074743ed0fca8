/**
 * A local HTTP server that answers the AWS APIs aurora-audit's discovery calls, in their real wire protocols, so
 * the real AWS SDK v3 clients can be pointed at it (AWS_ENDPOINT_URL) in tests and benchmarks:
 * - RDS (query protocol, XML): DescribeDBClusters, DescribeDBClusterParameters, paginated with Marker;
 *   DescribeDBInstances by cluster (the db-cluster-id filter), DescribeDBParameters of an instance's group;
 *   DescribeBlueGreenDeployments (every deployment of the region);
 *   DescribeDBEngineVersions, answering the family AWS names each version with (`engineFamilies`);
 * - STS (query protocol, XML): GetCallerIdentity, AssumeRole;
 * - CloudWatch Logs (JSON 1.1): DescribeLogGroups, DescribeMetricFilters, DescribeSubscriptionFilters, FilterLogEvents
 *   (the pattern run by detections/filter-pattern.ts, paginated with nextToken);
 * - SNS (query protocol, XML): Publish, recorded in `published`;
 * - CloudWatch (query protocol, XML): DescribeAlarms by AlarmNames, answering the region's `alarms`;
 * - Chatbot (REST JSON): DescribeSlackWorkspaces;
 * - Organizations (JSON 1.1): ListAccounts, paginated with NextToken, answered to the management account only.
 * - CloudTrail (JSON 1.1): DescribeTrails, GetTrailStatus; GuardDuty (REST JSON): ListDetectors, GetDetector. A region
 *   that says nothing of them answers AccessDenied, as to a role without those permissions.
 * Callers are told apart by the access key in the SigV4 Authorization header (AKIA<account-id>...), and the region
 * and service by its credential scope.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileFilterPattern } from '../../detections/filter-pattern';

export interface FakeCluster {
  readonly identifier: string;
  readonly engine?: string;
  readonly engineVersion?: string;
  readonly parameterGroup?: string;
  readonly exports?: readonly string[];
  readonly parameterGroupStatus?: 'in-sync' | 'pending-reboot';
  /** The cluster's tags, as DescribeDBClusters lists them (TagList). */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Its instances, each with its own DB parameter group; @default - one writer, `<identifier>-1`, on the default
   * group of the cluster's family
   */
  readonly instances?: ReadonlyArray<{ readonly identifier: string; readonly writer?: boolean; readonly parameterGroup?: string }>;
}

export type FakeParameter = string | { readonly value: string; readonly applyMethod?: 'immediate' | 'pending-reboot'; readonly source?: 'user' | 'engine-default' | 'system' };

export interface FakeRegion {
  readonly clusters?: readonly FakeCluster[];
  /**
   * Cluster parameter groups and their parameters: a plain value is user-set and applied immediately. Default groups
   * need no entry: they answer with engine defaults (shared_preload_libraries for Aurora PostgreSQL).
   */
  readonly parameterGroups?: Readonly<Record<string, Readonly<Record<string, FakeParameter>>>>;
  /** DB (instance) parameter groups and their parameters, as parameterGroups; a default group sets nothing. */
  readonly dbParameterGroups?: Readonly<Record<string, Readonly<Record<string, FakeParameter>>>>;
  /**
   * The parameter group family DescribeDBEngineVersions gives an engine version, where it differs from AWS's naming
   * (aurora-mysql<MySQL major>, aurora-postgresql<major>); null: the version is unknown to RDS (an empty answer).
   */
  readonly engineFamilies?: Readonly<Record<string, string | null>>;
  /** Log groups and their retention (null: never expire). */
  readonly logGroups?: Readonly<Record<string, number | null>>;
  /** Subscription filters by log group: their names (DescribeSubscriptionFilters); a group left out has none. */
  readonly subscriptionFilters?: Readonly<Record<string, readonly string[]>>;
  /** DescribeSubscriptionFilters answers AccessDenied here. */
  readonly subscriptionFiltersDenied?: boolean;
  /** Metric filters, as PutMetricFilter made them. */
  readonly metricFilters?: ReadonlyArray<{ readonly logGroupName: string; readonly filterName: string; readonly filterPattern: string; readonly metricName: string; readonly metricNamespace: string }>;
  /** Log events by log group. */
  readonly logEvents?: Readonly<Record<string, ReadonlyArray<{ readonly timestamp: number; readonly message: string }>>>;
  /** FilterLogEvents answers this error (as CloudWatch Logs would on a missing permission). */
  readonly filterLogEventsError?: string;
  /** Log groups the caller may not read: DescribeMetricFilters and FilterLogEvents answer AccessDenied on them. */
  readonly deniedLogGroups?: readonly string[];
  /** The first N RDS calls in this region answer Throttling. */
  readonly throttleFirst?: number;
  /** RDS answers AccessDenied in this region. */
  readonly accessDenied?: boolean;
  /**
   * Blue/green deployments (DescribeBlueGreenDeployments): the source and green clusters by identifier (the green one
   * is one of `clusters` once made); RDS gives them as ARNs.
   */
  readonly blueGreenDeployments?: ReadonlyArray<{ readonly identifier: string; readonly name: string; readonly source: string; readonly green?: string; readonly status: string }>;
  /** RDS answers AccessDenied to these actions only (DescribeDBInstances, say), as to a role missing them. */
  readonly deniedRdsActions?: readonly string[];
  /** CloudTrail trails that DescribeTrails lists here (with shadow trails): whether each logs. */
  readonly trails?: ReadonlyArray<{
    readonly name: string;
    readonly logging: boolean;
    readonly multiRegion?: boolean;
    readonly homeRegion?: string;
    /** GetEventSelectors: all management events (the default), read-only ones, none, or advanced selectors of management events. */
    readonly selectors?: 'all' | 'read-only' | 'none' | 'advanced-management';
  }>;
  /** GuardDuty here: no detector, or one with its RDS_LOGIN_EVENTS feature on or off. */
  readonly guardDuty?: 'no-detector' | { readonly rdsLoginEvents: boolean };
  /** Metric alarms as DescribeAlarms describes them (the metric's statistic is Sum). */
  readonly alarms?: ReadonlyArray<{
    readonly name: string;
    readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
    /** When the state last changed (StateUpdatedTimestamp and StateTransitionedTimestamp), ISO 8601. */
    readonly stateChanged: string;
    readonly metricName: string;
    readonly namespace: string;
    readonly period?: number;
    readonly evaluationPeriods?: number;
    readonly actions?: readonly string[];
    /**
     * The alarm reads its metric through one metric query (a monitoring account's alarm), naming the metric's account
     * when it is another's; @default - the alarm's own metric, as MetricName and Namespace
     */
    readonly metricQuery?: { readonly accountId?: string };
  }>;
  /** Services (rds, logs) whose endpoint in this region accepts a request and never answers it. */
  readonly hangs?: readonly string[];
  /**
   * SNS topics by ARN: their subscriptions (ListSubscriptionsByTopic), whether deliveries fail, and the log group
   * (us-east-1) of a Chatbot channel reading the topic, which logs each delivery.
   */
  readonly topics?: Readonly<Record<string, { readonly subscriptions: ReadonlyArray<{ readonly protocol: string; readonly endpoint: string }>; readonly failDeliveries?: boolean; readonly chatbotLogGroup?: string }>>;
  /** EventBridge rules on the default bus, by name: state and target ARNs (DescribeRule, ListTargetsByRule). */
  readonly rules?: Readonly<Record<string, { readonly state: 'ENABLED' | 'DISABLED'; readonly targets: readonly string[] }>>;
  /** Metric data GetMetricData sums at any time: one value per metric (namespace, name and dimensions). */
  readonly metrics?: ReadonlyArray<{ readonly namespace: string; readonly metricName: string; readonly dimensions: Readonly<Record<string, string>>; readonly value: number }>;
}

export interface FakeAccount {
  readonly accountId: string;
  readonly regions: Readonly<Record<string, FakeRegion>>;
  readonly slackWorkspaces?: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly chatbotAccessDenied?: boolean;
  /** The role names AssumeRole may assume in this account; @default - any */
  readonly roles?: readonly string[];
}

export interface FakeOrganization {
  readonly managementAccountId: string;
  /** Every account of the organization, the management one included, as ListAccounts lists them. */
  readonly accounts: ReadonlyArray<{ readonly id: string; readonly name: string; readonly status?: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' }>;
}

export interface FakeAwsOptions {
  readonly accounts: readonly FakeAccount[];
  /**
   * The filter-pattern engine TestMetricFilter answers with; @default - aurora-audit's own (detections/filter-pattern.ts).
   * A test gives a deliberately different one to see a disagreement reported.
   */
  readonly testMetricFilterEngine?: (pattern: string) => { matches(line: string): boolean };
  readonly organization?: FakeOrganization;
  /** Delay before every answer, to model network latency. */
  readonly latencyMs?: number;
  /** Records per page for paginated APIs. */
  readonly pageSize?: number;
}

export interface FakeAwsCall {
  readonly service: string;
  readonly action: string;
  readonly region: string;
  readonly accountId: string;
  /** The role an AssumeRole call asked for. */
  readonly roleArn?: string;
}

export interface FakeAws {
  readonly endpoint: string;
  readonly calls: FakeAwsCall[];
  /** What SNS Publish received. */
  readonly published: Array<{ readonly topicArn: string; readonly message: string; readonly attributes: Record<string, string>; readonly accountId: string; readonly region: string }>;
  close(): Promise<void>;
}

/** Credentials the fake server maps to an account: use them as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. */
export function fakeCredentials(accountId: string): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: `AKIA${accountId}`, secretAccessKey: 'fake-secret' };
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const tag = (name: string, value: string | number | boolean | undefined) => (value === undefined ? '' : `<${name}>${typeof value === 'string' ? xmlEscape(value) : value}</${name}>`);

export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const calls: FakeAwsCall[] = [];
  const published: FakeAws['published'] = [];
  const rdsCalls = new Map<string, number>();
  const pageSize = options.pageSize ?? 100;
  const accounts = new Map(options.accounts.map((a) => [a.accountId, a]));
  let requestId = 0;
  // What calls change: alarm states (SetAlarmState), metric data points and log events its deliveries leave.
  const alarmStates = new Map<string, { state: string; changed: string }>();
  const metricPoints: Array<{ accountId: string; region: string; namespace: string; metricName: string; dimensions: Record<string, string>; value: number; timestamp: number }> = [];
  const addedEvents = new Map<string, Array<{ timestamp: number; message: string }>>();
  const eventsOf = (accountId: string, region: string, group: string) => [...(accounts.get(accountId)?.regions[region]?.logEvents?.[group] ?? []), ...(addedEvents.get(`${accountId}/${region}/${group}`) ?? [])];
  const groupExists = (accountId: string, region: string, group: string) => accounts.get(accountId)?.regions[region]?.logEvents?.[group] !== undefined || addedEvents.has(`${accountId}/${region}/${group}`);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const respond = (status: number, contentType: string, payload: string, headers: Record<string, string> = {}) => {
        const send = () => {
          res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': `req-${++requestId}`, ...headers });
          res.end(payload);
        };
        if (options.latencyMs) setTimeout(send, options.latencyMs);
        else send();
      };
      const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\//.exec(req.headers.authorization ?? '');
      if (!scope) return respond(403, 'text/plain', 'missing SigV4 signature');
      const [, accessKey, region, service] = scope;
      const accountId = /^A[SK]IA(\d{12})/.exec(accessKey)?.[1] ?? '';
      const account = accounts.get(accountId);

      if (account?.regions[region]?.hangs?.includes(service)) {
        calls.push({ service, action: 'hung', region, accountId });
        return;
      }
      if (service === 'sts') return sts(new URLSearchParams(body));
      if (service === 'rds') return rds(new URLSearchParams(body));
      if (service === 'logs') return logs(String(req.headers['x-amz-target'] ?? ''), JSON.parse(body || '{}'));
      if (service === 'chatbot') return chatbot(req.url ?? '');
      if (service === 'sns') return sns(new URLSearchParams(body));
      if (service === 'monitoring') return cloudwatch(new URLSearchParams(body));
      if (service === 'organizations') return organizations(String(req.headers['x-amz-target'] ?? ''), JSON.parse(body || '{}'));
      if (service === 'cloudtrail') return cloudtrail(String(req.headers['x-amz-target'] ?? ''), JSON.parse(body || '{}'));
      if (service === 'guardduty') return guardduty(req.url ?? '');
      if (service === 'events') return events(String(req.headers['x-amz-target'] ?? ''), JSON.parse(body || '{}'));
      return respond(400, 'text/plain', `unknown service ${service}`);

      function organizations(target: string, input: { NextToken?: string }) {
        const action = target.split('.').pop() ?? '';
        calls.push({ service, action, region, accountId });
        const jsonError = (type: string, message: string) => respond(400, 'application/x-amz-json-1.1', JSON.stringify({ __type: type, message }));
        const org = options.organization;
        if (!org) return jsonError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
        if (accountId !== org.managementAccountId) return jsonError('AccessDeniedException', "You don't have permissions to access this resource.");
        if (action !== 'ListAccounts') return jsonError('UnknownOperationException', action);
        const start = Number(input.NextToken ?? 0);
        const page = org.accounts.slice(start, start + pageSize);
        const next = start + pageSize < org.accounts.length ? String(start + pageSize) : undefined;
        return respond(
          200,
          'application/x-amz-json-1.1',
          JSON.stringify({
            Accounts: page.map((a) => ({ Id: a.id, Arn: `arn:aws:organizations::${org.managementAccountId}:account/o-example/${a.id}`, Name: a.name, Email: `${a.id}@example.com`, Status: a.status ?? 'ACTIVE', JoinedMethod: 'CREATED' })),
            ...(next ? { NextToken: next } : {}),
          }),
        );
      }

      function cloudtrail(target: string, input: { Name?: string }) {
        const action = target.split('.').pop() ?? '';
        calls.push({ service, action, region, accountId });
        const trails = account?.regions[region]?.trails;
        if (!trails) return respond(400, 'application/x-amz-json-1.1', JSON.stringify({ __type: 'AccessDeniedException', message: `not authorized to perform cloudtrail:${action}` }));
        const arn = (name: string, home: string) => `arn:aws:cloudtrail:${home}:${accountId}:trail/${name}`;
        if (action === 'DescribeTrails') {
          return respond(200, 'application/x-amz-json-1.1', JSON.stringify({ trailList: trails.map((t) => ({ Name: t.name, TrailARN: arn(t.name, t.homeRegion ?? region), HomeRegion: t.homeRegion ?? region, IsMultiRegionTrail: Boolean(t.multiRegion) })) }));
        }
        if (action === 'GetTrailStatus') {
          const trail = trails.find((t) => input.Name === t.name || input.Name === arn(t.name, t.homeRegion ?? region));
          if (!trail) return respond(400, 'application/x-amz-json-1.1', JSON.stringify({ __type: 'TrailNotFoundException', message: `Unknown trail: ${input.Name}` }));
          return respond(200, 'application/x-amz-json-1.1', JSON.stringify({ IsLogging: trail.logging }));
        }
        if (action === 'GetEventSelectors') {
          const trail = trails.find((t) => (input as { TrailName?: string }).TrailName === t.name || (input as { TrailName?: string }).TrailName === arn(t.name, t.homeRegion ?? region));
          if (!trail) return respond(400, 'application/x-amz-json-1.1', JSON.stringify({ __type: 'TrailNotFoundException', message: 'Unknown trail' }));
          const kind = trail.selectors ?? 'all';
          if (kind === 'advanced-management') {
            return respond(200, 'application/x-amz-json-1.1', JSON.stringify({ TrailARN: arn(trail.name, trail.homeRegion ?? region), AdvancedEventSelectors: [{ Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] }));
          }
          const selector = { ReadWriteType: kind === 'read-only' ? 'ReadOnly' : 'All', IncludeManagementEvents: kind !== 'none', DataResources: [] };
          return respond(200, 'application/x-amz-json-1.1', JSON.stringify({ TrailARN: arn(trail.name, trail.homeRegion ?? region), EventSelectors: [selector] }));
        }
        return respond(400, 'application/x-amz-json-1.1', JSON.stringify({ __type: 'UnknownOperationException', message: action }));
      }

      function events(target: string, input: { Name?: string; Rule?: string }) {
        const action = target.split('.').pop() ?? '';
        calls.push({ service, action, region, accountId });
        const jsonError = (type: string, message: string) => respond(400, 'application/x-amz-json-1.1', JSON.stringify({ __type: type, message }));
        if (!account) return jsonError('UnrecognizedClientException', 'The security token included in the request is invalid.');
        const name = input.Name ?? input.Rule ?? '';
        const rule = account.regions[region]?.rules?.[name];
        if (!rule) return jsonError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus default.`);
        if (action === 'DescribeRule') return respond(200, 'application/x-amz-json-1.1', JSON.stringify({ Name: name, Arn: `arn:aws:events:${region}:${accountId}:rule/${name}`, State: rule.state, EventBusName: 'default' }));
        if (action === 'ListTargetsByRule') return respond(200, 'application/x-amz-json-1.1', JSON.stringify({ Targets: rule.targets.map((arn, i) => ({ Id: `t${i}`, Arn: arn })) }));
        return jsonError('UnknownOperationException', action);
      }

      function guardduty(url: string) {
        const detectorId = /^\/detector\/([^/?]+)/.exec(url)?.[1];
        calls.push({ service, action: detectorId ? 'GetDetector' : 'ListDetectors', region, accountId });
        const state = account?.regions[region]?.guardDuty;
        if (!state) return respond(403, 'application/json', JSON.stringify({ message: 'not authorized to perform guardduty:ListDetectors' }), { 'x-amzn-errortype': 'AccessDeniedException' });
        const id = '12abc34d567e8fa901bc2d34e56789f0';
        if (!detectorId) return respond(200, 'application/json', JSON.stringify({ detectorIds: state === 'no-detector' ? [] : [id] }));
        if (state === 'no-detector' || detectorId !== id) return respond(400, 'application/json', JSON.stringify({ message: 'The request is rejected because the input detectorId is not owned by the current account.' }), { 'x-amzn-errortype': 'BadRequestException' });
        return respond(200, 'application/json', JSON.stringify({ status: 'ENABLED', serviceRole: `arn:aws:iam::${accountId}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`, features: [{ name: 'RDS_LOGIN_EVENTS', status: state.rdsLoginEvents ? 'ENABLED' : 'DISABLED' }] }));
      }

      function queryError(status: number, code: string, message: string) {
        respond(status, 'text/xml', `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>req-${requestId}</RequestId></ErrorResponse>`);
      }

      function sts(params: URLSearchParams) {
        const action = params.get('Action') ?? '';
        calls.push({ service, action, region, accountId, ...(action === 'AssumeRole' ? { roleArn: params.get('RoleArn') ?? '' } : {}) });
        if (!account) return queryError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
        const meta = `<ResponseMetadata><RequestId>req-${requestId}</RequestId></ResponseMetadata>`;
        if (action === 'GetCallerIdentity') {
          return respond(
            200,
            'text/xml',
            `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>${tag('Arn', `arn:aws:iam::${accountId}:user/dba`)}${tag('UserId', `AIDA${accountId}`)}${tag('Account', accountId)}</GetCallerIdentityResult>${meta}</GetCallerIdentityResponse>`,
          );
        }
        if (action === 'AssumeRole') {
          const [, target, roleName] = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(params.get('RoleArn') ?? '') ?? [];
          const allowed = accounts.get(target)?.roles;
          if (!target || !accounts.has(target) || (allowed && !allowed.includes(roleName))) return queryError(403, 'AccessDenied', `not authorized to perform sts:AssumeRole on ${params.get('RoleArn')}`);
          const expiration = new Date(Date.now() + 3600_000).toISOString();
          return respond(
            200,
            'text/xml',
            `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>${tag('AccessKeyId', `ASIA${target}`)}${tag('SecretAccessKey', 'fake-secret')}${tag('SessionToken', 'fake-token')}${tag('Expiration', expiration)}</Credentials><AssumedRoleUser>${tag('Arn', `arn:aws:sts::${target}:assumed-role/r/aurora-audit`)}${tag('AssumedRoleId', 'AROA:aurora-audit')}</AssumedRoleUser></AssumeRoleResult>${meta}</AssumeRoleResponse>`,
          );
        }
        return queryError(400, 'InvalidAction', action);
      }

      function rds(params: URLSearchParams) {
        const action = params.get('Action') ?? '';
        calls.push({ service, action, region, accountId });
        if (!account) return queryError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
        const data = account.regions[region] ?? {};
        const key = `${accountId}/${region}`;
        const n = (rdsCalls.get(key) ?? 0) + 1;
        rdsCalls.set(key, n);
        if (data.throttleFirst && n <= data.throttleFirst) return queryError(400, 'Throttling', 'Rate exceeded');
        if (data.accessDenied || data.deniedRdsActions?.includes(action)) {
          return queryError(403, 'AccessDenied', `User: arn:aws:iam::${accountId}:user/dba is not authorized to perform: rds:${action}`);
        }
        const marker = Number(params.get('Marker') ?? 0);
        const meta = `<ResponseMetadata><RequestId>req-${requestId}</RequestId></ResponseMetadata>`;
        /** An RDS answer: the call's result element, in RDS's envelope. */
        const rdsAnswer = (call: string, result: string) =>
          respond(200, 'text/xml', `<${call}Response xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><${call}Result>${result}</${call}Result>${meta}</${call}Response>`);
        const page = <T>(items: readonly T[]) => ({ items: items.slice(marker, marker + pageSize), next: marker + pageSize < items.length ? String(marker + pageSize) : undefined });
        /** A group's parameters (those of one Source, when the call names one), a page at a time: both calls answer alike. */
        const parametersAnswer = (call: string, group: Readonly<Record<string, FakeParameter>>) => {
          const wantedSource = params.get('Source');
          const all = Object.entries(group).map(([p, v]) => ({ name: p, ...(typeof v === 'string' ? { value: v } : v) }));
          const { items, next } = page(all.filter((p) => !wantedSource || (p.source ?? 'user') === wantedSource));
          const parameters = items
            .map(
              (p) =>
                `<Parameter>${tag('ParameterName', p.name)}${tag('ParameterValue', p.value)}${tag('Source', p.source ?? 'user')}${tag('ApplyMethod', p.applyMethod ?? 'immediate')}${tag('ApplyType', p.applyMethod === 'pending-reboot' ? 'static' : 'dynamic')}${tag('IsModifiable', true)}</Parameter>`,
            )
            .join('');
          return rdsAnswer(call, `<Parameters>${parameters}</Parameters>${tag('Marker', next)}`);
        };
        /** The engine's default group of the cluster's family: a cluster's, or an instance's, when none is given. */
        const defaultGroup = (c: FakeCluster) => `default.${awsFamily(data, c.engine ?? 'aurora-mysql', c.engineVersion ?? '8.0.mysql_aurora.3.05.2') ?? c.engine}`;
        const instancesOf = (c: FakeCluster) =>
          (c.instances ?? [{ identifier: `${c.identifier}-1`, writer: true }]).map((i) => ({
            identifier: i.identifier,
            writer: i.writer ?? false,
            parameterGroup: i.parameterGroup ?? defaultGroup(c),
          }));
        if (action === 'DescribeDBClusters') {
          const { items, next } = page(data.clusters ?? []);
          const clusters = items
            .map((c) =>
              [
                '<DBCluster>',
                tag('DBClusterIdentifier', c.identifier),
                tag('Engine', c.engine ?? 'aurora-mysql'),
                tag('EngineVersion', c.engineVersion ?? '8.0.mysql_aurora.3.05.2'),
                tag('EngineMode', 'provisioned'),
                tag('Status', 'available'),
                tag('DBClusterParameterGroup', c.parameterGroup ?? defaultGroup(c)),
                `<EnabledCloudwatchLogsExports>${(c.exports ?? []).map((e) => tag('member', e)).join('')}</EnabledCloudwatchLogsExports>`,
                `<DBClusterMembers>${instancesOf(c)
                  .map((i) => `<DBClusterMember>${tag('DBInstanceIdentifier', i.identifier)}${tag('IsClusterWriter', i.writer)}${tag('DBClusterParameterGroupStatus', c.parameterGroupStatus ?? 'in-sync')}</DBClusterMember>`)
                  .join('')}</DBClusterMembers>`,
                tag('DBClusterArn', `arn:aws:rds:${region}:${accountId}:cluster:${c.identifier}`),
                `<TagList>${Object.entries(c.tags ?? {}).map(([k, v]) => `<Tag>${tag('Key', k)}${tag('Value', v)}</Tag>`).join('')}</TagList>`,
                '</DBCluster>',
              ].join(''),
            )
            .join('');
          return rdsAnswer('DescribeDBClusters', `<DBClusters>${clusters}</DBClusters>${tag('Marker', next)}`);
        }
        if (action === 'DescribeDBInstances') {
          // By cluster (Filters.Filter.1: db-cluster-id), as verify asks; any other filter is not modelled.
          const filter = params.get('Filters.Filter.1.Name');
          if (filter !== null && filter !== 'db-cluster-id') return queryError(400, 'InvalidParameterValue', `filter ${filter} is not modelled`);
          const wanted = filter ? params.get('Filters.Filter.1.Values.Value.1') : undefined;
          const all = (data.clusters ?? []).filter((c) => !wanted || c.identifier === wanted).flatMap((c) => instancesOf(c).map((i) => ({ cluster: c, ...i })));
          const { items, next } = page(all);
          const instances = items
            .map(
              (i) =>
                `<DBInstance>${tag('DBInstanceIdentifier', i.identifier)}${tag('DBClusterIdentifier', i.cluster.identifier)}${tag('Engine', i.cluster.engine ?? 'aurora-mysql')}${tag('DBInstanceStatus', 'available')}<DBParameterGroups><DBParameterGroup>${tag('DBParameterGroupName', i.parameterGroup)}${tag('ParameterApplyStatus', 'in-sync')}</DBParameterGroup></DBParameterGroups></DBInstance>`,
            )
            .join('');
          return rdsAnswer('DescribeDBInstances', `<DBInstances>${instances}</DBInstances>${tag('Marker', next)}`);
        }
        if (action === 'DescribeBlueGreenDeployments') {
          // Every deployment of the region, as verify asks: a filter is not modelled.
          if (params.get('Filters.Filter.1.Name') !== null) return queryError(400, 'InvalidParameterValue', 'filters are not modelled');
          const arn = (id: string) => `arn:aws:rds:${region}:${accountId}:cluster:${id}`;
          const { items, next } = page(data.blueGreenDeployments ?? []);
          const deployments = items
            .map(
              (d) =>
                `<member>${tag('BlueGreenDeploymentIdentifier', d.identifier)}${tag('BlueGreenDeploymentName', d.name)}${tag('Source', arn(d.source))}${d.green ? tag('Target', arn(d.green)) : ''}${tag('Status', d.status)}</member>`,
            )
            .join('');
          return rdsAnswer('DescribeBlueGreenDeployments', `<BlueGreenDeployments>${deployments}</BlueGreenDeployments>${tag('Marker', next)}`);
        }
        if (action === 'DescribeDBParameters') {
          const name = params.get('DBParameterGroupName') ?? '';
          const group = data.dbParameterGroups?.[name] ?? (name.startsWith('default.') ? {} : undefined);
          if (!group) return queryError(404, 'DBParameterGroupNotFound', `DBParameterGroup not found: ${name}`);
          return parametersAnswer(action, group);
        }
        if (action === 'DescribeDBEngineVersions') {
          const engine = params.get('Engine') ?? '';
          const version = params.get('EngineVersion') ?? '';
          const family = awsFamily(data, engine, version);
          const found = family
            ? `<DBEngineVersion>${tag('Engine', engine)}${tag('EngineVersion', version)}${tag('DBParameterGroupFamily', family)}${tag('MajorEngineVersion', family.replace(/^aurora-(mysql|postgresql)/, ''))}</DBEngineVersion>`
            : '';
          return rdsAnswer('DescribeDBEngineVersions', `<DBEngineVersions>${found}</DBEngineVersions>`);
        }
        if (action === 'DescribeDBClusterParameters') {
          const name = params.get('DBClusterParameterGroupName') ?? '';
          const engineDefaults: Record<string, FakeParameter> = name.startsWith('default.aurora-postgresql')
            ? { shared_preload_libraries: { value: 'pg_stat_statements', applyMethod: 'pending-reboot', source: 'engine-default' } }
            : {};
          const group = data.parameterGroups?.[name] ?? (name.startsWith('default.') ? engineDefaults : undefined);
          if (!group) return queryError(404, 'DBParameterGroupNotFound', `DBClusterParameterGroup not found: ${name}`);
          return parametersAnswer(action, group);
        }
        return queryError(400, 'InvalidAction', action);
      }

      function sns(params: URLSearchParams) {
        const action = params.get('Action') ?? '';
        calls.push({ service, action, region, accountId });
        if (!account) return queryError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
        if (action === 'ListSubscriptionsByTopic') {
          const topicArn = params.get('TopicArn') ?? '';
          const topic = account.regions[region]?.topics?.[topicArn];
          if (!topic) return queryError(404, 'NotFound', 'Topic does not exist');
          const members = topic.subscriptions
            .map((sub, i) => `<member>${tag('TopicArn', topicArn)}${tag('Protocol', sub.protocol)}${tag('SubscriptionArn', `${topicArn}:sub-${i}`)}${tag('Owner', accountId)}${tag('Endpoint', sub.endpoint)}</member>`)
            .join('');
          return respond(200, 'text/xml', `<ListSubscriptionsByTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ListSubscriptionsByTopicResult><Subscriptions>${members}</Subscriptions></ListSubscriptionsByTopicResult><ResponseMetadata><RequestId>req-${requestId}</RequestId></ResponseMetadata></ListSubscriptionsByTopicResponse>`);
        }
        if (action !== 'Publish') return queryError(400, 'InvalidAction', action);
        const message = params.get('Message') ?? '';
        if (Buffer.byteLength(message) > 256 * 1024) return queryError(400, 'InvalidParameter', 'Invalid parameter: Message too long');
        const attributes: Record<string, string> = {};
        for (let i = 1; params.has(`MessageAttributes.entry.${i}.Name`); i++) {
          attributes[params.get(`MessageAttributes.entry.${i}.Name`)!] = params.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '';
        }
        published.push({ topicArn: params.get('TopicArn') ?? '', message, attributes, accountId, region });
        respond(200, 'text/xml', `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>${tag('MessageId', `msg-${published.length}`)}</PublishResult><ResponseMetadata><RequestId>req-${requestId}</RequestId></ResponseMetadata></PublishResponse>`);
      }

      function cloudwatch(params: URLSearchParams) {
        const action = params.get('Action') ?? '';
        calls.push({ service, action, region, accountId });
        if (!account) return queryError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
        const meta = `<ResponseMetadata><RequestId>req-${requestId}</RequestId></ResponseMetadata>`;
        if (action === 'GetMetricData') {
          const start = Date.parse(params.get('StartTime') ?? '');
          const end = Date.parse(params.get('EndTime') ?? '');
          const results: string[] = [];
          for (let q = 1; params.has(`MetricDataQueries.member.${q}.Id`); q++) {
            const at = `MetricDataQueries.member.${q}.MetricStat.Metric`;
            const dimensions: Record<string, string> = {};
            for (let d = 1; params.has(`${at}.Dimensions.member.${d}.Name`); d++) dimensions[params.get(`${at}.Dimensions.member.${d}.Name`)!] = params.get(`${at}.Dimensions.member.${d}.Value`) ?? '';
            const same = (m: { namespace: string; metricName: string; dimensions: Readonly<Record<string, string>> }) =>
              m.namespace === params.get(`${at}.Namespace`) && m.metricName === params.get(`${at}.MetricName`) && JSON.stringify(Object.entries(m.dimensions).sort()) === JSON.stringify(Object.entries(dimensions).sort());
            const values = [
              ...(account.regions[region]?.metrics ?? []).filter(same).map((m) => m.value),
              ...metricPoints.filter((m) => m.accountId === accountId && m.region === region && same(m) && m.timestamp >= start && m.timestamp < end).map((m) => m.value),
            ];
            const sum = values.reduce((a, b) => a + b, 0);
            results.push(`<member>${tag('Id', params.get(`MetricDataQueries.member.${q}.Id`)!)}${tag('StatusCode', 'Complete')}<Timestamps>${values.length ? tag('member', new Date(start).toISOString()) : ''}</Timestamps><Values>${values.length ? tag('member', sum) : ''}</Values></member>`);
          }
          return respond(200, 'text/xml', `<GetMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><GetMetricDataResult><MetricDataResults>${results.join('')}</MetricDataResults><Messages></Messages></GetMetricDataResult>${meta}</GetMetricDataResponse>`);
        }
        if (action === 'SetAlarmState') {
          const name = params.get('AlarmName') ?? '';
          const alarm = (account.regions[region]?.alarms ?? []).find((a) => a.name === name);
          if (!alarm) return queryError(404, 'ResourceNotFound', `Alarm ${name} does not exist`);
          const now = Date.now();
          alarmStates.set(`${accountId}/${region}/${name}`, { state: params.get('StateValue') ?? '', changed: new Date(now).toISOString() });
          // Going to ALARM, the alarm notifies its topics: each delivers to its subscribers, and leaves its metrics.
          if (params.get('StateValue') === 'ALARM') {
            for (const topicArn of alarm.actions ?? []) {
              const topic = account.regions[region]?.topics?.[topicArn];
              if (!topic) continue;
              const point = (namespace: string, metricName: string, dimensions: Record<string, string>, value = 1) => metricPoints.push({ accountId, region, namespace, metricName, dimensions, value, timestamp: now });
              const topicName = topicArn.split(':').pop()!;
              point('AWS/SNS', topic.failDeliveries ? 'NumberOfNotificationsFailed' : 'NumberOfNotificationsDelivered', { TopicName: topicName }, topic.subscriptions.length);
              if (topic.failDeliveries) continue;
              for (const sub of topic.subscriptions.filter((x) => x.protocol === 'lambda')) point('AWS/Lambda', 'Invocations', { FunctionName: sub.endpoint.split(':').pop()! });
              if (topic.chatbotLogGroup) {
                const key = `${accountId}/us-east-1/${topic.chatbotLogGroup}`;
                addedEvents.set(key, [...(addedEvents.get(key) ?? []), { timestamp: now, message: JSON.stringify({ message: 'Sending notification', topic: topicArn }) }]);
              }
            }
          }
          return respond(200, 'text/xml', `<SetAlarmStateResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">${meta}</SetAlarmStateResponse>`);
        }
        if (action !== 'DescribeAlarms') return queryError(400, 'InvalidAction', action);
        const names: string[] = [];
        for (let i = 1; params.has(`AlarmNames.member.${i}`); i++) names.push(params.get(`AlarmNames.member.${i}`)!);
        const found = (account.regions[region]?.alarms ?? []).filter((a) => names.includes(a.name));
        const members = found
          .map((a) =>
            [
              '<member>',
              tag('AlarmName', a.name),
              tag('AlarmArn', `arn:aws:cloudwatch:${region}:${accountId}:alarm:${a.name}`),
              tag('StateValue', alarmStates.get(`${accountId}/${region}/${a.name}`)?.state ?? a.state),
              tag('StateUpdatedTimestamp', alarmStates.get(`${accountId}/${region}/${a.name}`)?.changed ?? a.stateChanged),
              tag('StateTransitionedTimestamp', alarmStates.get(`${accountId}/${region}/${a.name}`)?.changed ?? a.stateChanged),
              a.metricQuery
                ? `<Metrics><member>${tag('Id', 'matches')}<MetricStat><Metric>${tag('Namespace', a.namespace)}${tag('MetricName', a.metricName)}<Dimensions></Dimensions></Metric>${tag('Period', a.period ?? 60)}${tag('Stat', 'Sum')}</MetricStat>${tag('ReturnData', true)}${a.metricQuery.accountId ? tag('AccountId', a.metricQuery.accountId) : ''}</member></Metrics>`
                : [tag('MetricName', a.metricName), tag('Namespace', a.namespace), tag('Statistic', 'Sum'), tag('Period', a.period ?? 60)].join(''),
              tag('EvaluationPeriods', a.evaluationPeriods ?? 1),
              `<AlarmActions>${(a.actions ?? []).map((x) => tag('member', x)).join('')}</AlarmActions>`,
              tag('ActionsEnabled', true),
              '</member>',
            ].join(''),
          )
          .join('');
        respond(
          200,
          'text/xml',
          `<DescribeAlarmsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><DescribeAlarmsResult><MetricAlarms>${members}</MetricAlarms><CompositeAlarms></CompositeAlarms></DescribeAlarmsResult><ResponseMetadata><RequestId>req-${requestId}</RequestId></ResponseMetadata></DescribeAlarmsResponse>`,
        );
      }

      function logs(target: string, input: { logGroupNamePrefix?: string; nextToken?: string; [key: string]: unknown }) {
        const action = target.split('.').pop() ?? '';
        calls.push({ service, action, region, accountId });
        const jsonError = (status: number, type: string, message: string) =>
          respond(status, 'application/x-amz-json-1.1', JSON.stringify({ __type: type, message }));
        if (!account) return jsonError(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
        const data = account.regions[region] ?? {};
        if ((action === 'DescribeMetricFilters' || action === 'FilterLogEvents') && data.deniedLogGroups?.includes(String(input.logGroupName))) {
          return jsonError(400, 'AccessDeniedException', `User is not authorized to perform: logs:${action} on resource: log-group:${String(input.logGroupName)}`);
        }
        if (action === 'DescribeMetricFilters') {
          const filters = (data.metricFilters ?? []).filter(
            (f) =>
              (input.logGroupName === undefined || f.logGroupName === input.logGroupName) &&
              (input.metricName === undefined || (f.metricName === input.metricName && f.metricNamespace === input.metricNamespace)),
          );
          return respond(
            200,
            'application/x-amz-json-1.1',
            JSON.stringify({ metricFilters: filters.map((f) => ({ filterName: f.filterName, filterPattern: f.filterPattern, logGroupName: f.logGroupName, metricTransformations: [{ metricName: f.metricName, metricNamespace: f.metricNamespace, metricValue: '1' }] })) }),
          );
        }
        if (action === 'TestMetricFilter') {
          const engine = (options.testMetricFilterEngine ?? compileFilterPattern)(String(input.filterPattern ?? ''));
          const messages = (input.logEventMessages as string[] | undefined) ?? [];
          if (messages.length < 1 || messages.length > 50) return jsonError(400, 'InvalidParameterException', 'logEventMessages: 1 to 50 messages');
          const matches = messages.flatMap((m, i) => (engine.matches(m) ? [{ eventNumber: i + 1, eventMessage: m, extractedValues: {} }] : []));
          return respond(200, 'application/x-amz-json-1.1', JSON.stringify({ matches }));
        }
        if (action === 'FilterLogEvents') {
          if (data.filterLogEventsError) return jsonError(400, 'AccessDeniedException', data.filterLogEventsError);
          const name = String(input.logGroupName ?? '');
          if (!groupExists(accountId, region, name)) return jsonError(400, 'ResourceNotFoundException', 'The specified log group does not exist.');
          const pattern = compileFilterPattern(String(input.filterPattern ?? ''));
          const start = Number(input.startTime ?? 0);
          const end = Number(input.endTime ?? Number.MAX_SAFE_INTEGER);
          const matching = eventsOf(accountId, region, name).filter((e) => e.timestamp >= start && e.timestamp <= end && pattern.matches(e.message));
          const from = Number(input.nextToken ?? 0);
          const limit = Math.min(Number(input.limit ?? 10_000), 10_000);
          const page = matching.slice(from, from + limit);
          return respond(
            200,
            'application/x-amz-json-1.1',
            JSON.stringify({
              events: page.map((e, i) => ({ logStreamName: 'db-instance-1', timestamp: e.timestamp, message: e.message, ingestionTime: e.timestamp + 1000, eventId: String(from + i) })),
              ...(from + limit < matching.length ? { nextToken: String(from + limit) } : {}),
            }),
          );
        }
        if (action === 'DescribeSubscriptionFilters') {
          const here = account.regions[region];
          if (here?.subscriptionFiltersDenied) return jsonError(400, 'AccessDeniedException', 'User is not authorized to perform: logs:DescribeSubscriptionFilters');
          const logGroupName = String(input.logGroupName);
          if (!(logGroupName in (here?.logGroups ?? {}))) return jsonError(400, 'ResourceNotFoundException', 'The specified log group does not exist.');
          const names: readonly string[] = here?.subscriptionFilters?.[logGroupName] ?? [];
          return respond(
            200,
            'application/x-amz-json-1.1',
            JSON.stringify({
              subscriptionFilters: names.map((filterName) => ({ filterName, logGroupName, filterPattern: '', destinationArn: `arn:aws:lambda:${region}:${accountId}:function:${filterName}`, distribution: 'ByLogStream', creationTime: 0 })),
            }),
          );
        }
        if (action !== 'DescribeLogGroups') return jsonError(400, 'UnknownOperationException', action);
        const groups = Object.entries(account.regions[region]?.logGroups ?? {}).filter(([name]) => name.startsWith(input.logGroupNamePrefix ?? ''));
        const start = Number(input.nextToken ?? 0);
        const slice = groups.slice(start, start + pageSize);
        respond(
          200,
          'application/x-amz-json-1.1',
          JSON.stringify({
            logGroups: slice.map(([name, retention]) => ({
              logGroupName: name,
              arn: `arn:aws:logs:${region}:${accountId}:log-group:${name}:*`,
              ...(retention === null ? {} : { retentionInDays: retention }),
            })),
            ...(start + pageSize < groups.length ? { nextToken: String(start + pageSize) } : {}),
          }),
        );
      }

      function chatbot(url: string) {
        calls.push({ service, action: url.replace(/^\//, ''), region, accountId });
        if (!account || account.chatbotAccessDenied) {
          return respond(403, 'application/json', JSON.stringify({ Message: 'User is not authorized to perform: chatbot:DescribeSlackWorkspaces' }), {
            'x-amzn-errortype': 'AccessDeniedException',
          });
        }
        if (url !== '/describe-slack-workspaces') return respond(404, 'application/json', '{}');
        respond(200, 'application/json', JSON.stringify({ SlackWorkspaces: (account.slackWorkspaces ?? []).map((w) => ({ SlackTeamId: w.id, SlackTeamName: w.name })) }));
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    published,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Requests a hanging endpoint never answered.
        server.closeAllConnections();
      }),
  };
}

/**
 * The family RDS names an engine version with, the way AWS does: aurora-mysql plus the MySQL major (8.0.mysql_aurora.3.05.2
 * → aurora-mysql8.0, 8.4.7 → aurora-mysql8.4), aurora-postgresql plus the major (16.4 → aurora-postgresql16); a region's
 * `engineFamilies` overrides it. Written apart from config/engine-versions.ts, so that tests check one against the other.
 */
function awsFamily(region: FakeRegion, engine: string, version: string): string | undefined {
  const override = region.engineFamilies?.[version];
  if (override !== undefined) return override ?? undefined;
  if (engine === 'aurora-mysql') return `aurora-mysql${version.split('.').slice(0, 2).join('.')}`;
  if (engine === 'aurora-postgresql') return `aurora-postgresql${version.split('.')[0]}`;
  return undefined;
}

/** A typical account for init tests: two Aurora MySQL clusters, one Aurora PostgreSQL, an authorized Slack workspace. */
export function dbaAccount(accountId: string): FakeAccount {
  return {
    accountId,
    slackWorkspaces: [{ id: 'T07EA123LEP', name: 'acme' }],
    regions: {
      'eu-west-1': {
        clusters: [
          { identifier: 'orders-db', parameterGroup: 'orders-params', exports: ['error'] },
          { identifier: 'billing', engineVersion: '5.7.mysql_aurora.2.11.2' },
          { identifier: 'reports', engine: 'aurora-postgresql', engineVersion: '16.4' },
          { identifier: 'catalog', engine: 'docdb', engineVersion: '5.0.0' },
        ],
        parameterGroups: { 'orders-params': { server_audit_logging: '0' } },
      },
    },
  };
}
