/**
 * The checks `aurora-audit verify` runs on one deployed stack, against what its synthesized Terraform promises
 * (./promised.ts) and what its config says of each cluster:
 * - deployed as synthesized: log groups (with their retention), metric filters (with their pattern), alarms (with
 *   their actions), topic subscriptions, rules (enabled, with their targets);
 * - auditing is live: each cluster on its parameter group, in sync, with the audit parameters set, no instance's own
 *   parameter group overriding them, its logs exported, and audit events arriving;
 * - AWS agrees with our patterns: TestMetricFilter, CloudWatch Logs' own engine, on every deployed pattern with the
 *   catalog's samples and the group's recent lines, beside aurora-audit's engine;
 * - the path delivers (--drill): one detection alarm set to ALARM, then the topic's deliveries, the detail function's
 *   run and Chatbot's log, waited for within a bound;
 * - the watchers watch: trails recording management writes where the rules need them, GuardDuty's RDS Protection.
 * A check that cannot read AWS says what it could not read; it never passes.
 */
import { AUDIT_PARAMETER_PREFIXES, ENGINES, rdsLogGroupName, type Engine } from '../../config/aws';
import type { ClusterModel, StackModel } from '../../config/model';
import { AWS_NAMES, METRIC_NAMESPACE } from '../../config/names';
import { UNCONFIRMED } from '../../config/unconfirmed';
import { DETECTIONS } from '../../detections';
import { compileFilterPattern } from '../../detections/filter-pattern';
import type { DeployedMetricFilter, DeployedReader } from '../../discovery/deployed';
import { classifyAwsError } from '../../discovery/session';
import type { Promised } from './promised';

export type Status = 'PASS' | 'WARN' | 'FAIL' | 'UNREAD';

export type CheckGroup = 'deployed' | 'auditing' | 'patterns' | 'drill' | 'watchers';

export interface CheckLine {
  readonly stack: string;
  readonly group: CheckGroup;
  readonly check: string;
  readonly status: Status;
  readonly detail: string;
  /** What to do about a WARN, a FAIL or an UNREAD. */
  readonly fix?: string;
}

export interface VerifyOptions {
  readonly drill: boolean;
  /** How long a drill waits for its evidence. */
  readonly drillTimeoutMs: number;
  /** How often it looks again meanwhile. */
  readonly pollMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** At most this many of a log group's recent lines go to TestMetricFilter. */
  readonly realLines: number;
  /** The engine aurora-audit compares AWS's answers with; replaceable so that tests can make them disagree. */
  readonly engine: (pattern: string) => { matches(line: string): boolean };
}

export const DEFAULT_VERIFY_OPTIONS: VerifyOptions = {
  drill: false,
  drillTimeoutMs: 300_000,
  pollMs: 20_000,
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  realLines: 200,
  engine: (pattern) => compileFilterPattern(pattern),
};

/** Reads AWS for one stack, by region: the same reader for every call in a region. */
export type ReaderFor = (region: string) => DeployedReader;

const MAX_NAMED = 5;
const listed = (items: readonly string[]) => (items.length > MAX_NAMED ? `${items.slice(0, MAX_NAMED).join(', ')}, … (${items.length} in all)` : items.join(', '));

class StackChecks {
  readonly lines: CheckLine[] = [];
  /** The metric filters read from AWS, by region and log group: the patterns that are deployed. */
  readonly deployedFilters = new Map<string, DeployedMetricFilter[]>();

  constructor(
    readonly promised: Promised,
    readonly readerFor: ReaderFor,
  ) {}

  add(group: CheckGroup, check: string, status: Status, detail: string, fix?: string): void {
    this.lines.push({ stack: this.promised.stack, group, check, status, detail, ...(fix ? { fix } : {}) });
  }

  /** Runs a check; what it could not read becomes an UNREAD line naming the call and the account-region. */
  async guard(group: CheckGroup, check: string, what: string, region: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      const problem = classifyAwsError(error);
      this.add(group, check, 'UNREAD', `could not read ${what} in ${this.promised.accountId}/${region}: ${problem.message}`, 'give the role verify runs as the read permissions of `aurora-audit verify --policy`');
    }
  }

  get apply(): string {
    return `apply the stack again (cdktf deploy ${this.promised.stack}), then find who changed it (the tamper alerts, CloudTrail)`;
  }
}

/** Every check of one stack. `stack` is its config model when it has clusters (a region stack). */
export async function verifyStack(promised: Promised, stack: StackModel | undefined, readerFor: ReaderFor, options: VerifyOptions): Promise<CheckLine[]> {
  const c = new StackChecks(promised, readerFor);
  await deployed(c);
  if (stack) for (const cluster of stack.clusters) await auditing(c, cluster, options);
  await patterns(c, options);
  if (options.drill) await drill(c, options);
  await watchers(c, stack);
  return c.lines;
}

async function deployed(c: StackChecks): Promise<void> {
  const p = c.promised;
  if (p.logGroups.length > 0) {
    const problems: string[] = [];
    let weakened = false;
    await c.guard('deployed', 'log-groups', 'logs:DescribeLogGroups', p.region, async () => {
      for (const g of p.logGroups) {
        const found = await c.readerFor(g.region).logGroup(g.name);
        if (!found) {
          problems.push(`${g.name} (${g.region}) is missing`);
          weakened = true;
        } else if (found.retentionDays !== g.retentionDays) {
          const cut = g.retentionDays === undefined || (found.retentionDays !== undefined && found.retentionDays < g.retentionDays);
          weakened ||= cut;
          problems.push(`${g.name} keeps ${found.retentionDays === undefined ? 'forever' : `${found.retentionDays} days`}, the stack says ${g.retentionDays === undefined ? 'forever' : `${g.retentionDays} days`}`);
        }
      }
      if (problems.length === 0) c.add('deployed', 'log-groups', 'PASS', `${p.logGroups.length} log groups, each with the stack's retention`);
      else c.add('deployed', 'log-groups', weakened ? 'FAIL' : 'WARN', listed(problems), c.apply);
    });
  }

  if (p.metricFilters.length > 0) {
    const problems: string[] = [];
    await c.guard('deployed', 'metric-filters', 'logs:DescribeMetricFilters', p.region, async () => {
      for (const f of p.metricFilters) {
        const key = `${f.region}/${f.logGroupName}`;
        if (!c.deployedFilters.has(key)) c.deployedFilters.set(key, await c.readerFor(f.region).metricFilters(f.logGroupName));
        const found = c.deployedFilters.get(key)!.find((d) => d.name === f.name);
        if (!found) problems.push(`${f.name} on ${f.logGroupName} is missing`);
        else if (found.pattern !== f.pattern) problems.push(`${f.name} on ${f.logGroupName} has another pattern than the stack's`);
        else if (found.metricName !== f.metricName || found.metricNamespace !== f.metricNamespace) problems.push(`${f.name} on ${f.logGroupName} publishes ${found.metricNamespace}/${found.metricName}, not ${f.metricNamespace}/${f.metricName}`);
      }
      if (problems.length === 0) c.add('deployed', 'metric-filters', 'PASS', `${p.metricFilters.length} metric filters, each with the stack's pattern and metric`);
      else c.add('deployed', 'metric-filters', 'FAIL', listed(problems), c.apply);
    });
  }

  if (p.alarms.length > 0) {
    const problems: string[] = [];
    await c.guard('deployed', 'alarms', 'cloudwatch:DescribeAlarms', p.region, async () => {
      for (const region of new Set(p.alarms.map((a) => a.region))) {
        const mine = p.alarms.filter((a) => a.region === region);
        const found = await c.readerFor(region).alarms(mine.map((a) => a.name));
        for (const a of mine) {
          const d = found.get(a.name);
          if (!d) problems.push(`${a.name} is missing`);
          else if (!d.actionsEnabled) problems.push(`${a.name} has its actions disabled`);
          else {
            const lost = a.actions.filter((x) => !d.actions.includes(x));
            if (lost.length > 0) problems.push(`${a.name} no longer notifies ${lost.join(', ')}`);
          }
        }
      }
      if (problems.length === 0) c.add('deployed', 'alarms', 'PASS', `${p.alarms.length} alarms, each notifying what the stack says`);
      else c.add('deployed', 'alarms', 'FAIL', listed(problems), c.apply);
    });
  }

  const topics = new Set([...p.subscriptions.map((s) => s.topicArn), ...p.chatbotTopics.map((t) => t.topicArn)]);
  for (const topicArn of topics) {
    const region = topicArn.split(':')[3] ?? p.region;
    await c.guard('deployed', 'subscriptions', 'sns:ListSubscriptionsByTopic', region, async () => {
      const found = await c.readerFor(region).subscriptions(topicArn);
      const missing = p.subscriptions.filter((s) => s.topicArn === topicArn && !found.some((f) => f.protocol === s.protocol && f.endpoint === s.endpoint));
      const topicName = topicArn.split(':').pop();
      if (missing.length > 0) c.add('deployed', 'subscriptions', 'FAIL', `${topicName} lost its subscription${missing.length > 1 ? 's' : ''}: ${missing.map((s) => `${s.protocol} ${s.endpoint}`).join(', ')}`, c.apply);
      else c.add('deployed', 'subscriptions', 'PASS', `${topicName} has the stack's subscriptions`);
      // Chatbot subscribes the topic itself, over HTTPS to one of its own endpoints: the host is UNCONFIRMED.
      const byChatbot = (endpoint: string) => {
        const host = /^https:\/\/([^/:]+)/.exec(endpoint)?.[1] ?? '';
        return host === UNCONFIRMED.chatbotSubscriptionHost || host.endsWith(`.${UNCONFIRMED.chatbotSubscriptionHost}`);
      };
      if (p.chatbotTopics.some((t) => t.topicArn === topicArn) && !found.some((f) => f.protocol === 'https' && byChatbot(f.endpoint))) {
        c.add('deployed', 'chatbot-subscription', 'WARN', `${topicName} has no subscription by Chatbot that verify recognizes (an https endpoint of ${UNCONFIRMED.chatbotSubscriptionHost})`, 'run verify --drill to see whether Chatbot gets the alarms; re-create the channel configuration (cdktf deploy) if not');
      }
    });
  }

  if (p.rules.length > 0) {
    const problems: string[] = [];
    await c.guard('deployed', 'rules', 'events:DescribeRule', p.region, async () => {
      for (const r of p.rules) {
        const found = await c.readerFor(r.region).rule(r.name, r.eventBusName);
        if (!found) problems.push(`${r.name} (${r.region}) is missing`);
        else if (r.enabled && found.state !== 'ENABLED') problems.push(`${r.name} (${r.region}) is ${found.state}`);
        else {
          const lost = r.targets.filter((t) => !found.targets.includes(t));
          if (lost.length > 0) problems.push(`${r.name} (${r.region}) no longer targets ${lost.join(', ')}`);
        }
      }
      if (problems.length === 0) c.add('deployed', 'rules', 'PASS', `${p.rules.length} rules, enabled, with their targets`);
      else c.add('deployed', 'rules', 'FAIL', listed(problems), c.apply);
    });
  }
}

/** Parameter values as sets: `CONNECT,QUERY_DCL` and `query_dcl, connect` are the same setting. */
const valueSet = (v: string | undefined) => new Set((v ?? '').split(',').map((x) => x.trim().toLowerCase()).filter(Boolean));

async function auditing(c: StackChecks, cluster: ClusterModel, options: VerifyOptions): Promise<void> {
  const p = c.promised;
  const reader = c.readerFor(p.region);
  const check = `cluster ${cluster.identifier}`;
  await c.guard('auditing', check, 'rds:DescribeDBClusters', p.region, async () => {
    const found = await reader.cluster(cluster.identifier);
    if (!found) {
      c.add('auditing', check, 'FAIL', `${cluster.identifier} is not in ${p.accountId}/${p.region}`, `correct the config (${cluster.configPath}), or retire the cluster`);
      return;
    }
    const group = cluster.parameterGroup.name;
    if (found.parameterGroup?.toLowerCase() !== group.toLowerCase()) {
      c.add('auditing', `${check} parameter group`, 'FAIL', `uses ${found.parameterGroup ?? 'no group'}, not ${group}, which holds the audit settings`, `apply the stack (cdktf deploy ${p.stack}); then reboot the writer`);
    } else {
      const pending = found.members.filter((m) => m.parameterGroupStatus !== 'in-sync');
      const writer = found.members.find((m) => m.writer)?.instance ?? found.members[0]?.instance ?? `${cluster.identifier}-writer`;
      if (pending.length > 0) {
        c.add(
          'auditing',
          `${check} parameter group`,
          'FAIL',
          `${group} is ${pending.map((m) => `${m.parameterGroupStatus ?? 'unknown'} on ${m.instance}`).join(', ')}: the audit settings wait for a reboot`,
          `aws rds reboot-db-instance --db-instance-identifier ${writer} --region ${p.region} (in a maintenance window)`,
        );
      } else {
        c.add('auditing', `${check} parameter group`, 'PASS', `on ${group}, in sync`);
      }
      const wrong = await auditParameterProblems(reader, cluster, found.parameterGroup ?? group);
      if (wrong.length > 0) {
        c.add('auditing', `${check} audit parameters`, 'FAIL', wrong.join('; '), `apply the stack (cdktf deploy ${p.stack})`);
      } else {
        c.add('auditing', `${check} audit parameters`, 'PASS', cluster.engine === 'aurora-postgresql' ? 'pgaudit preloaded, pgaudit.log as the stack sets it' : 'server_audit_logging on, events as the stack sets them');
      }
    }
    await instanceOverrides(c, cluster, found.parameterGroup ?? group);
    await blueGreen(c, cluster);
    const notExported = cluster.audit.logTypes.filter((t) => !found.exports.includes(t));
    if (notExported.length > 0) c.add('auditing', `${check} exports`, 'FAIL', `does not export ${notExported.join(', ')} to CloudWatch Logs`, `apply the stack (cdktf deploy ${p.stack})`);
    else c.add('auditing', `${check} exports`, 'PASS', `exports ${cluster.audit.logTypes.join(', ')}`);
  });
  const auditLog = rdsLogGroupName(cluster.identifier, ENGINES[cluster.engine].auditLogType);
  await c.guard('auditing', `${check} audit events`, 'cloudwatch:GetMetricData', p.region, async () => {
    const now = options.now();
    const events = await reader.metricSum({ namespace: 'AWS/Logs', metricName: 'IncomingLogEvents', dimensions: { LogGroupName: auditLog } }, now - 3_600_000, now);
    if (events > 0) c.add('auditing', `${check} audit events`, 'PASS', `${auditLog} received ${events} events in the last hour`);
    else {
      c.add('auditing', `${check} audit events`, 'WARN', `${auditLog} received no event in the last hour`, 'a quiet cluster, or auditing does not reach the log: connect once and look again');
    }
  });
}

/** How a cluster parameter group's audit parameters differ from what the stack sets on the cluster; empty when they do not. */
async function auditParameterProblems(reader: DeployedReader, cluster: ClusterModel, group: string): Promise<string[]> {
  const expected = cluster.parameterGroup.changes;
  const values = await reader.clusterParameters(group, expected.map((x) => x.name));
  return expected
    .filter((x) => {
      // A preload list may hold more libraries; every other value is the stack's exactly.
      if (x.name !== 'shared_preload_libraries') return !sameSetting(values[x.name], x.after);
      const have = valueSet(values[x.name]);
      return ![...valueSet(x.after)].every((w) => have.has(w));
    })
    .map((x) => `${x.name} is ${values[x.name] ?? 'unset'}, the stack sets ${x.after}`);
}

/** A blue/green deployment in these states has no green cluster left to take over. */
const BLUE_GREEN_DONE: ReadonlySet<string> = new Set(['SWITCHOVER_COMPLETED', 'DELETING']);

/**
 * A blue/green deployment of the cluster: at switchover its green cluster becomes the production cluster, with the
 * parameter group and log exports it has then (docs/facts.md, Tampering and GuardDuty), and no call the other checks
 * or the clusters tamper rule see. Each green cluster still waiting is held to what the stack sets on the cluster: its
 * group's audit parameters, its instances' own groups (which override the cluster group's) and its exports. A green
 * cluster that cannot be found fails: what cannot be read is unsafe.
 */
async function blueGreen(c: StackChecks, cluster: ClusterModel): Promise<void> {
  const p = c.promised;
  const reader = c.readerFor(p.region);
  const check = `cluster ${cluster.identifier} blue/green deployments`;
  await c.guard('auditing', check, 'rds:DescribeBlueGreenDeployments and the green clusters (rds:DescribeDBClusters, rds:DescribeDBInstances, rds:DescribeDBParameters)', p.region, async () => {
    const waiting = (await reader.blueGreenDeployments(`arn:${p.partition}:rds:${p.region}:${p.accountId}:cluster:${cluster.identifier}`)).filter((d) => !BLUE_GREEN_DONE.has(d.status));
    if (waiting.length === 0) {
      c.add('auditing', check, 'PASS', 'none waits to take over the cluster');
      return;
    }
    const problems: string[] = [];
    let instanceGroups = false;
    for (const d of waiting) {
      if (!d.green) {
        problems.push(`${d.name} (${d.status}) names no green cluster yet`);
        continue;
      }
      const green = await reader.cluster(d.green);
      const where = `${d.name} (${d.status}), green cluster ${d.green}`;
      if (!green) {
        problems.push(`${where} could not be found`);
        continue;
      }
      const wrong = green.parameterGroup ? await auditParameterProblems(reader, cluster, green.parameterGroup) : ['it has no parameter group'];
      const notExported = cluster.audit.logTypes.filter((t) => !green.exports.includes(t));
      // The green cluster's instances are the switched-over cluster's instances, their own groups included.
      const { overriding } = await instanceOverrideFindings(reader, cluster, d.green, green.parameterGroup ?? cluster.parameterGroup.name, p.region);
      if (wrong.length > 0) problems.push(`${where} on ${green.parameterGroup ?? 'no group'}: ${wrong.join('; ')}`);
      if (overriding.length > 0) {
        instanceGroups = true;
        problems.push(`${where}: an instance's own group overrides the audit settings: ${overriding.join('; ')}`);
      }
      if (notExported.length > 0) problems.push(`${where} does not export ${notExported.join(', ')}`);
    }
    const deletes = waiting.map((d) => `aws rds delete-blue-green-deployment --blue-green-deployment-identifier ${d.identifier} --region ${p.region}`);
    if (problems.length > 0) {
      const reset = instanceGroups ? ", reset them in its instances' own groups" : '';
      c.add(
        'auditing',
        check,
        'FAIL',
        `a switchover would change auditing: ${listed(problems)}`,
        `before switching over, set the stack's audit parameters in the green cluster's group${reset} and turn on its log exports; or ${deletes.slice(0, MAX_NAMED).join('; ')}`,
      );
    } else {
      c.add('auditing', check, 'PASS', `${waiting.length} waiting (${waiting.map((d) => d.name).join(', ')}); each green cluster audits as the stack sets`);
    }
  });
}

/**
 * An audit parameter set in an instance's own DB parameter group overrides the cluster group's for that instance
 * (docs/facts.md, Tampering and GuardDuty): auditing there is what the instance group says. A value other than the
 * stack's (or, for one the stack leaves alone, the cluster group's) fails; the same value warns, since a later change
 * of the config would not reach that instance.
 */
async function instanceOverrides(c: StackChecks, cluster: ClusterModel, clusterGroup: string): Promise<void> {
  const p = c.promised;
  const check = `cluster ${cluster.identifier} instance parameter groups`;
  await c.guard('auditing', check, 'rds:DescribeDBInstances and rds:DescribeDBParameters', p.region, async () => {
    const { overriding, pinned, fixes, groups } = await instanceOverrideFindings(c.readerFor(p.region), cluster, cluster.identifier, clusterGroup, p.region);
    // One command per parameter, as many as the problems name.
    const fix = fixes.slice(0, MAX_NAMED).join('; ');
    if (overriding.length > 0) c.add('auditing', check, 'FAIL', `an instance's own group overrides the audit settings: ${listed(overriding)}`, fix);
    else if (pinned.length > 0) c.add('auditing', check, 'WARN', `an instance's own group repeats the audit settings, so a change of the config would not reach it: ${listed(pinned)}`, fix);
    else c.add('auditing', check, 'PASS', `no instance's own group sets an audit parameter (${groups} group${groups === 1 ? '' : 's'})`);
  });
}

/**
 * The audit parameters that the own DB parameter groups of the instances of `clusterIdentifier` set, held to what the
 * stack sets on `cluster` (or, for a parameter the stack leaves alone, to `clusterGroup`'s value): the instances of
 * the cluster itself, or of a blue/green deployment's green cluster, which `cluster`'s settings must reach too.
 */
async function instanceOverrideFindings(
  reader: DeployedReader,
  cluster: ClusterModel,
  clusterIdentifier: string,
  clusterGroup: string,
  region: string,
): Promise<{ overriding: string[]; pinned: string[]; fixes: string[]; groups: number }> {
  const prefix = AUDIT_PARAMETER_PREFIXES[cluster.engine];
  const managed = new Map(cluster.parameterGroup.changes.map((x) => [x.name.toLowerCase(), x.after]));
  const isAudit = (name: string) => name.toLowerCase().startsWith(prefix) || managed.has(name.toLowerCase());
  const byGroup = new Map<string, string[]>();
  for (const { instance, group } of await reader.instanceParameterGroups(clusterIdentifier)) byGroup.set(group, [...(byGroup.get(group) ?? []), instance]);
  const overriding: string[] = [];
  const pinned: string[] = [];
  const fixes: string[] = [];
  for (const [group, instances] of byGroup) {
    const set = (await reader.instanceParameters(group)).filter((x) => isAudit(x.name));
    if (set.length === 0) continue;
    const unmanaged = set.filter((x) => !managed.has(x.name.toLowerCase())).map((x) => x.name);
    const clusterValues = unmanaged.length > 0 ? await reader.clusterParameters(clusterGroup, unmanaged) : {};
    for (const x of set) {
      const want = managed.get(x.name.toLowerCase()) ?? clusterValues[x.name];
      const where = `${group} (${instances.join(', ')}) sets ${x.name} to ${x.value ?? 'nothing'}`;
      if (want !== undefined && sameSetting(x.value, want)) pinned.push(where);
      else overriding.push(`${where}, over the cluster's ${want ?? 'default'}`);
      fixes.push(`aws rds reset-db-parameter-group --db-parameter-group-name ${group} --parameters ParameterName=${x.name},ApplyMethod=${x.dynamic ? 'immediate' : 'pending-reboot'} --region ${region}${x.dynamic ? '' : ' (then reboot those instances)'}`);
    }
  }
  return { overriding, pinned, fixes, groups: byGroup.size };
}

/** Parameter values as sets: `CONNECT,QUERY_DCL` and `query_dcl, connect` are the same setting. */
function sameSetting(a: string | undefined, b: string | undefined): boolean {
  const x = valueSet(a);
  const y = valueSet(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
}

/** The catalog's detection behind a metric filter, by its name and its log group's type. */
function detectionOf(filterName: string, logGroupName: string) {
  const id = filterName.startsWith('aurora-audit-') ? filterName.slice('aurora-audit-'.length) : filterName;
  const engine: Engine = logGroupName.endsWith('/postgresql') ? 'aurora-postgresql' : 'aurora-mysql';
  return DETECTIONS[engine].find((d) => AWS_NAMES.metricFilter(d.id) === filterName || d.id === id);
}

async function patterns(c: StackChecks, options: VerifyOptions): Promise<void> {
  const p = c.promised;
  if (p.metricFilters.length === 0) return;
  const recent = new Map<string, string[]>();
  let compared = 0;
  let disagreements = 0;
  await c.guard('patterns', 'patterns', 'logs:TestMetricFilter', p.region, async () => {
    for (const f of p.metricFilters) {
      const reader = c.readerFor(f.region);
      // The pattern AWS holds, when it could be read: that is what counts lines.
      const deployed = c.deployedFilters.get(`${f.region}/${f.logGroupName}`)?.find((d) => d.name === f.name);
      const pattern = deployed?.pattern ?? f.pattern;
      const detection = detectionOf(f.name, f.logGroupName);
      const counted = (detection?.samples.match ?? []).map(([line]) => line);
      const quiet = (detection?.samples.noMatch ?? []).map(([line]) => line);
      if (!recent.has(f.logGroupName)) {
        const since = options.now() - 24 * 3_600_000;
        recent.set(f.logGroupName, await reader.recentLines(f.logGroupName, since, options.realLines).catch(() => []));
      }
      const lines = [...new Set([...counted, ...quiet, ...recent.get(f.logGroupName)!])];
      if (lines.length === 0) continue;
      const aws = await reader.testMetricFilter(pattern, lines);
      const ours = options.engine(pattern);
      compared += lines.length;
      lines.forEach((line, i) => {
        const [theirs, mine] = [aws.has(i), ours.matches(line)];
        if (theirs !== mine) {
          disagreements += 1;
          c.add(
            'patterns',
            `${f.name} on ${f.logGroupName}`,
            'FAIL',
            `AWS ${theirs ? 'counts' : 'does not count'} a line aurora-audit's engine ${mine ? 'counts' : 'does not'}: ${JSON.stringify(line)} with pattern ${JSON.stringify(pattern)}`,
            'make the line a test case (test/detections) and report it: the two engines must agree',
          );
        } else if (counted.includes(line) && !theirs) {
          disagreements += 1;
          c.add('patterns', `${f.name} on ${f.logGroupName}`, 'FAIL', `misses a line its detection must count: ${JSON.stringify(line)}`, c.apply);
        }
      });
    }
    if (disagreements === 0) c.add('patterns', 'patterns', 'PASS', `AWS's engine and aurora-audit's agree on ${compared} line${compared === 1 ? '' : 's'} over ${p.metricFilters.length} patterns`);
  });
}

async function drill(c: StackChecks, options: VerifyOptions): Promise<void> {
  const p = c.promised;
  const alarm = [...p.alarms].filter((a) => a.metricNamespace === METRIC_NAMESPACE && a.actions.length > 0).sort((a, b) => a.name.localeCompare(b.name))[0];
  if (!alarm) return;
  const topicArn = alarm.actions[0];
  const topicName = topicArn.split(':').pop() ?? topicArn;
  const reader = c.readerFor(alarm.region);
  const fn = p.subscriptions.find((s) => s.topicArn === topicArn && s.protocol === 'lambda');
  const chatbot = p.chatbotTopics.find((t) => t.topicArn === topicArn);
  const start = options.now();
  let set = false;
  await c.guard('drill', 'drill', 'cloudwatch:SetAlarmState', alarm.region, async () => {
    await reader.setAlarmState(alarm.name);
    set = true;
    c.add('drill', 'drill', 'PASS', `set ${alarm.name} to ALARM (it returns to OK at its next evaluation)`);
  });
  if (!set) return;

  const evidence = { delivered: 0, failed: 0, invocations: 0, errors: 0, chatbotLines: 0 };
  const look = async () => {
    const now = options.now();
    const sns = (metricName: string) => reader.metricSum({ namespace: 'AWS/SNS', metricName, dimensions: { TopicName: topicName } }, start, now);
    evidence.delivered = await sns('NumberOfNotificationsDelivered');
    evidence.failed = await sns('NumberOfNotificationsFailed');
    if (fn) {
      const name = fn.endpoint.split(':').pop() ?? fn.endpoint;
      const lambda = (metricName: string) => reader.metricSum({ namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: name } }, start, now);
      evidence.invocations = await lambda('Invocations');
      evidence.errors = await lambda('Errors');
    }
    if (chatbot?.logGroupName) evidence.chatbotLines = (await c.readerFor('us-east-1').recentLines(chatbot.logGroupName, start, 1).catch(() => [])).length;
  };
  const complete = () => evidence.delivered > 0 && (!fn || evidence.invocations > 0) && (!chatbot?.logGroupName || evidence.chatbotLines > 0);
  await c.guard('drill', 'drill evidence', 'cloudwatch:GetMetricData', alarm.region, async () => {
    for (;;) {
      await look();
      if (complete() || options.now() - start >= options.drillTimeoutMs) break;
      await options.sleep(Math.min(options.pollMs, Math.max(0, options.drillTimeoutMs - (options.now() - start))));
    }
    const waited = `${Math.round((options.now() - start) / 1000)} s`;
    if (evidence.delivered > 0) c.add('drill', 'alarm → topic', evidence.failed > 0 ? 'FAIL' : 'PASS', `${topicName} delivered ${evidence.delivered} notification${evidence.delivered === 1 ? '' : 's'}${evidence.failed > 0 ? ` and failed ${evidence.failed}` : ''}`, evidence.failed > 0 ? 'a subscriber refuses the topic\'s messages: check its endpoint and the topic key\'s policy' : undefined);
    else c.add('drill', 'alarm → topic', 'FAIL', `${topicName} delivered nothing in ${waited}: the alarm's action or the topic's policy stops it`, `check ${alarm.name}'s actions and the topic policy (cdktf deploy ${p.stack}); metrics can lag a minute: run the drill again`);
    if (fn) {
      const name = fn.endpoint.split(':').pop();
      if (evidence.invocations > 0 && evidence.errors === 0) c.add('drill', 'topic → detail function', 'PASS', `${name} ran ${evidence.invocations} time${evidence.invocations === 1 ? '' : 's'}`);
      else if (evidence.invocations > 0) c.add('drill', 'topic → detail function', 'FAIL', `${name} ran and failed ${evidence.errors} time${evidence.errors === 1 ? '' : 's'}`, `read its log group /aws/lambda/${name}`);
      else c.add('drill', 'topic → detail function', 'FAIL', `${name} did not run in ${waited}`, 'check its subscription\'s filter policy and its permission to be invoked by the topic (cdktf deploy)');
    }
    if (chatbot?.logGroupName) {
      if (evidence.chatbotLines > 0) c.add('drill', 'topic → Chatbot', 'PASS', `Chatbot logged the delivery in ${chatbot.logGroupName} (us-east-1)`);
      else c.add('drill', 'topic → Chatbot', 'FAIL', `Chatbot logged nothing in ${chatbot.logGroupName} (us-east-1) in ${waited}`, 'check that the Slack workspace is authorized and the Amazon Q app is in the channel; then look in Slack');
    } else if (chatbot) {
      c.add('drill', 'topic → Chatbot', 'WARN', `Chatbot logging is off for ${chatbot.configurationName}: verify cannot see the message reach Slack`, 'look in the Slack channel, or set notifications.slack.loggingLevel to INFO');
    }
  });
}

/** Trails must record management writes where the stack's rules read CloudTrail events; GuardDuty's RDS Protection where its findings are routed. */
async function watchers(c: StackChecks, stack: StackModel | undefined): Promise<void> {
  const p = c.promised;
  if (p.rules.length > 0) {
    for (const region of p.regions) {
      await c.guard('watchers', `trail ${region}`, 'cloudtrail:DescribeTrails', region, async () => {
        const trails = await c.readerFor(region).trails();
        const good = trails.filter((t) => t.logging && t.managementWrites);
        if (good.length > 0) c.add('watchers', `trail ${region}`, 'PASS', `${good.map((t) => t.name).join(', ')} records management writes in ${region}`);
        else {
          const why = trails.length === 0 ? 'no trail covers it' : trails.map((t) => `${t.name} ${t.logging ? 'records no management writes' : 'is not logging'}`).join(', ');
          const stopped = trails.find((t) => !t.logging);
          const narrow = trails.find((t) => t.logging && !t.managementWrites);
          const fix = stopped
            ? `aws cloudtrail start-logging --name ${stopped.name}`
            : narrow
              ? `aws cloudtrail put-event-selectors --trail-name ${narrow.name} --event-selectors '[{"ReadWriteType":"All","IncludeManagementEvents":true}]' (or an advanced selector on eventCategory Management)`
              : 'aws cloudtrail create-trail --name aurora-audit --s3-bucket-name <bucket> --is-multi-region-trail, then aws cloudtrail start-logging --name aurora-audit';
          c.add('watchers', `trail ${region}`, 'FAIL', `${region}: ${why}; the tamper alerts that read CloudTrail events there see nothing`, fix);
        }
      });
    }
  }
  if (stack?.guardDuty) {
    await c.guard('watchers', 'guardduty', 'guardduty:GetDetector', p.region, async () => {
      const state = await c.readerFor(p.region).guardDuty();
      if (state === 'rds-on') c.add('watchers', 'guardduty', 'PASS', 'GuardDuty RDS Protection is on; its findings are routed to Slack');
      else c.add('watchers', 'guardduty', 'FAIL', `GuardDuty ${state === 'no-detector' ? 'has no detector here' : 'RDS Protection is off'}: no finding will be routed`, stack.guardDuty!.enableRdsProtection ? `apply the stack (cdktf deploy ${p.stack})` : 'turn on RDS Protection in GuardDuty, or set guardDuty.enableRdsProtection: true');
    });
  }
}
