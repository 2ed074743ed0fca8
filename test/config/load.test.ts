import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { bundledExample, loadConfig, locateConfig, parseConfig } from '../../config/load';
import { ConfigError } from '../../config/problems';
import { baseConfig, configWith, modelOf, problemsOf, tempDir, TEMPLATES, writeConfig } from '../support/fixtures';

describe('templates', () => {
  test.each(TEMPLATES.map((t) => [path.basename(t), t]))('%s is a valid config', (_name, file) => {
    const model = parseConfig(fs.readFileSync(file, 'utf8'), file);
    expect(model.stacks.length).toBeGreaterThan(0);
  });
});

describe('defaults', () => {
  const model = modelOf(baseConfig());
  const cluster = model.stacks[0].clusters[0];

  test('audit: CONNECT, QUERY_DCL and QUERY_DDL; rdsadmin excluded; the four logs RDS.9 expects; a year of audit log', () => {
    expect(cluster.audit).toEqual({
      events: ['CONNECT', 'QUERY_DCL', 'QUERY_DDL'],
      pgauditLog: [],
      pgauditRole: undefined,
      logConnections: false,
      includeUsers: [],
      excludeUsers: ['rdsadmin'],
      logTypes: ['audit', 'error', 'general', 'slowquery'],
      retentionDays: { audit: 365, error: 90, general: 30, slowquery: 30 },
      keepLogsOnDestroy: true,
    });
  });

  test('a detection on only by default that could never fire is left out, with the reason', () => {
    const m = modelOf(configWith((c) => (c.audit = { events: ['QUERY_DDL'], logTypes: ['audit', 'error'] })));
    const cluster = m.stacks[0].clusters[0];
    expect(cluster.detections.map((d) => d.definition.id)).toEqual(['drop-statements', 'truncate-statements']);
    expect(cluster.skippedDetections).toEqual([
      { id: 'failed-connections', reason: 'which can only fire with CONNECT audited, but audit.events is ["QUERY_DDL"]; add CONNECT or disable the detection' },
      { id: 'privilege-changes', reason: 'which can only fire with QUERY_DCL or QUERY audited, but audit.events is ["QUERY_DDL"]; add QUERY_DCL or disable the detection' },
      { id: 'slow-query-volume', reason: 'which reads the slowquery log, but audit.logTypes ["audit","error"] does not export it; add slowquery or disable the detection' },
    ]);
  });

  test('custom detections join the catalog, and are tuned per cluster like any other', () => {
    const m = modelOf(
      configWith((c) => {
        c.customDetections = [{ id: 'sleep-calls', title: 'SLEEP() calls', logType: 'audit', pattern: '%[Ss][Ll][Ee][Ee][Pp]\\x28%', threshold: 3 }];
        c.targets[0].clusters[1].detections = { 'sleep-calls': { enabled: false } };
      }),
    );
    const [orders, billing] = m.stacks[0].clusters;
    expect(orders.detections.find((d) => d.definition.id === 'sleep-calls')).toMatchObject({ threshold: 3, periodSeconds: 300, definition: { title: 'SLEEP() calls', logType: 'audit' } });
    expect(billing.detections.map((d) => d.definition.id)).not.toContain('sleep-calls');
  });

  test('detections: any DROP within a minute; 5 or more failed connections in 5 minutes', () => {
    const d = Object.fromEntries(cluster.detections.map((x) => [x.definition.id, x]));
    expect(d['drop-statements']).toMatchObject({ threshold: 1, periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 });
    expect(d['failed-connections']).toMatchObject({ threshold: 5, periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1 });
  });

  test('stack, encryption, Slack and backend', () => {
    const stack = model.stacks[0];
    expect(stack.encryption).toEqual({ mode: 'create', deletionWindowDays: 30 });
    expect(stack.slack).toMatchObject({
      configurationName: 'aurora-audit-prod',
      // Unset: the stack creates a notifications-only guardrail policy.
      guardrailPolicyArns: undefined,
      loggingLevel: 'ERROR',
      userAuthorizationRequired: true,
      logRetentionDays: 90,
    });
    expect(model.backend).toEqual({ type: 'local', directory: 'terraform-state' });
  });

  test('engine version gives the parameter group family', () => {
    expect(model.stacks[0].clusters.map((c) => c.family)).toEqual(['aurora-mysql8.0', 'aurora-mysql5.7']);
  });

  test('a target without a name is named for its account and region', () => {
    const unnamed = modelOf(configWith((c) => delete c.targets[0].name));
    expect(unnamed.stacks[0].name).toBe('123456789012-eu-west-1');
  });

  test('GovCloud targets get their partition', () => {
    const gov = modelOf(configWith((c) => (c.targets[0].region = 'us-gov-west-1')));
    expect(gov.stacks[0].partition).toBe('aws-us-gov');
  });
});

describe('mixed engines', () => {
  const model = modelOf(
    configWith((c) => {
      c.audit = { events: ['CONNECT', 'QUERY_DDL', 'QUERY_DCL'], logTypes: ['audit', 'error', 'postgresql'], pgauditLog: ['ddl'] };
      c.targets[0].clusters.push({ identifier: 'reports', engine: 'aurora-postgresql', engineVersion: '16.4', attach: 'adopt' });
    }),
  );
  const [orders, , reports] = model.stacks[0].clusters;

  test('top-level settings apply to the clusters of the engine they belong to', () => {
    expect(orders.audit).toMatchObject({ events: ['CONNECT', 'QUERY_DDL', 'QUERY_DCL'], pgauditLog: [], logTypes: ['audit', 'error'] });
    expect(reports.audit).toMatchObject({ events: [], pgauditLog: ['ddl'], logTypes: ['postgresql'], excludeUsers: [] });
    expect(reports.family).toBe('aurora-postgresql16');
  });

  test('connection logging set at the top applies to PostgreSQL clusters and is no error on MySQL ones', () => {
    expect([orders.audit.logConnections, reports.audit.logConnections]).toEqual([false, true]);
    const off = modelOf(
      configWith((c) => {
        c.audit = { logConnections: false };
        c.targets[0].clusters.push({ identifier: 'reports', engine: 'aurora-postgresql', engineVersion: '16.4', attach: 'adopt' });
      }),
    ).stacks[0].clusters;
    expect(off.map((cl) => cl.audit.logConnections)).toEqual([false, false, false]);
  });

  test('each engine gets its own detections: PostgreSQL reads pgAudit lines in the postgresql log', () => {
    expect(reports.detections.map((d) => [d.definition.id, d.definition.logType])).toEqual([
      ['drop-statements', 'postgresql'],
      ['failed-connections', 'postgresql'],
    ]);
    expect(reports.skippedDetections).toEqual([
      { id: 'privilege-changes', reason: 'which can only fire with role or all audited, but audit.pgauditLog is ["ddl"]; add role or disable the detection' },
      // pgAudit logs TRUNCATE in its WRITE class: on by default, it waits for write in audit.pgauditLog.
      { id: 'truncate-statements', reason: 'which can only fire with write or all audited, but audit.pgauditLog is ["ddl"]; add write or disable the detection' },
    ]);
  });

  // A detection turned on above the cluster reaches both engines' clusters, as audit settings do: it applies where it
  // can fire, and is an error only where it fires nowhere; turned on at a cluster, it must fire there.
  const pgCluster = { identifier: 'reports', engine: 'aurora-postgresql', engineVersion: '16.4', attach: 'adopt' };
  test('turned on at the top, TRUNCATE alarms on MySQL and is left out, with why, where pgAudit does not log write', () => {
    const mixed = modelOf(
      configWith((c) => {
        c.detections = { 'truncate-statements': { enabled: true } };
        c.targets[0].clusters.push(pgCluster);
      }),
    ).stacks[0].clusters;
    expect(mixed.map((cl) => [cl.identifier, cl.detections.some((d) => d.definition.id === 'truncate-statements')])).toEqual([
      ['orders-db', true],
      ['billing', true],
      ['reports', false],
    ]);
    expect(mixed[2].skippedDetections.map((d) => d.id)).toContain('truncate-statements');
  });

  test('turned on at the top where it fires on no cluster, or at a cluster where it cannot fire, it is an error', () => {
    const onlyPostgres = configWith((c) => {
      c.detections = { 'truncate-statements': { enabled: true } };
      c.targets[0].clusters = [pgCluster];
    });
    expect(problemsOf(onlyPostgres)).toEqual([
      'targets[0].clusters[0]: targets[0].clusters[0] enables the truncate-statements detection, which can only fire with write or all audited, but audit.pgauditLog is ["ddl","role"]; add write or disable the detection',
    ]);
    const onTheCluster = configWith((c) => c.targets[0].clusters.push({ ...pgCluster, detections: { 'truncate-statements': { enabled: true } } }));
    expect(problemsOf(onTheCluster)).toEqual([
      'targets[0].clusters[2]: targets[0].clusters[2] enables the truncate-statements detection, which can only fire with write or all audited, but audit.pgauditLog is ["ddl","role"]; add write or disable the detection',
    ]);
    // With write audited it fires, wherever it was turned on.
    const withWrite = modelOf(configWith((c) => c.targets[0].clusters.push({ ...pgCluster, audit: { pgauditLog: ['ddl', 'role', 'write'] } }))).stacks[0].clusters[2];
    expect(withWrite.detections.map((d) => d.definition.id)).toContain('truncate-statements');
  });
});

describe('overrides: cluster, then target, then top level, then default, field by field', () => {
  const model = modelOf(
    configWith((c) => {
      c.audit = { events: ['CONNECT', 'QUERY_DDL'], retentionDays: { audit: 400, error: 30 } };
      c.detections = { 'failed-connections': { threshold: 10 } };
      c.tags = { Team: 'dba', CostCenter: 'top' };
      c.targets[0].tags = { CostCenter: 'target' };
      c.targets[0].audit = { retentionDays: { audit: 731 } };
      c.targets[0].detections = { 'failed-connections': { periodSeconds: 600 } };
      c.targets[0].notifications = { slack: { channelId: 'C0TARGET01' } };
      c.targets[0].clusters[0].audit = { excludeUsers: ['rdsadmin', 'etl'] };
      c.targets[0].clusters[0].detections = { 'failed-connections': { threshold: 3 }, 'drop-statements': { enabled: false } };
    }),
  );
  const [adopted, external] = model.stacks[0].clusters;

  test('audit fields merge across levels', () => {
    expect(adopted.audit.events).toEqual(['CONNECT', 'QUERY_DDL']);
    expect(adopted.audit.excludeUsers).toEqual(['rdsadmin', 'etl']);
    expect(external.audit.excludeUsers).toEqual(['rdsadmin']);
    expect(adopted.audit.retentionDays).toEqual({ audit: 731, error: 30, general: 30, slowquery: 30 });
  });

  test('detection settings merge per field, and a cluster can turn one off', () => {
    expect(adopted.detections.map((d) => d.definition.id)).toEqual(['failed-connections', 'truncate-statements', 'slow-query-volume']);
    expect(adopted.detections[0]).toMatchObject({ threshold: 3, periodSeconds: 600 });
    expect(external.detections.find((d) => d.definition.id === 'failed-connections')).toMatchObject({ threshold: 10, periodSeconds: 600 });
  });

  test('Slack settings merge per field; tags merge with the target winning', () => {
    expect(model.stacks[0].slack).toMatchObject({ teamId: 'T07EA123LEP', channelId: 'C0TARGET01' });
    expect(model.stacks[0].tags).toEqual({ Team: 'dba', CostCenter: 'target' });
  });

  test('encryption set in a target replaces the top-level one', () => {
    const m = modelOf(
      configWith((c) => {
        c.encryption = { mode: 'none' };
        c.targets[0].encryption = { mode: 'key', keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' };
      }),
    );
    expect(m.stacks[0].encryption).toEqual({ mode: 'key', keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
  });
});

describe('finding the config', () => {
  const dir = tempDir();
  const local = writeConfig(dir, baseConfig());
  const other = writeConfig(dir, configWith((c) => (c.targets[0].name = 'from-env')), 'other.yaml');
  const flagged = writeConfig(dir, configWith((c) => (c.targets[0].name = 'from-flag')), 'flag.yaml');

  test('--config wins over AURORA_AUDIT_CONFIG, which wins over ./aurora-audit.yaml', () => {
    const env = { AURORA_AUDIT_CONFIG: other };
    expect(locateConfig({ configFlag: 'flag.yaml', env, cwd: dir }).path).toBe(flagged);
    expect(locateConfig({ env, cwd: dir }).path).toBe(other);
    expect(locateConfig({ env: {}, cwd: dir }).path).toBe(local);
    expect(loadConfig({ env, cwd: dir }).model.stacks[0].name).toBe('from-env');
  });

  test('a named file that does not exist is an error, never a fallback', () => {
    expect(() => locateConfig({ configFlag: 'missing.yaml', env: {}, cwd: dir, allowBundledExample: true })).toThrow(ConfigError);
    expect(() => locateConfig({ env: { AURORA_AUDIT_CONFIG: 'missing.yaml' }, cwd: dir, allowBundledExample: true })).toThrow(
      /AURORA_AUDIT_CONFIG names "missing.yaml", which does not exist/,
    );
  });

  test('with no config, the CLI falls back to the bundled example and the cdktf app does not', () => {
    const empty = tempDir();
    expect(locateConfig({ env: {}, cwd: empty, allowBundledExample: true })).toMatchObject({ path: bundledExample(), isBundledExample: true });
    expect(() => locateConfig({ env: {}, cwd: empty })).toThrow(ConfigError);
  });

  test('the config file is read as written, comments and all', () => {
    const text = `# a comment\n${stringify(baseConfig())}`;
    expect(parseConfig(text, 'x.yaml').stacks).toHaveLength(1);
  });
});
