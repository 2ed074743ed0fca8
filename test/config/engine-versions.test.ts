/**
 * Engine versions, as a DBA writes them and as AWS reports them, to the major and family aurora-audit uses; and a
 * major it does not know refused with what it supports.
 */
import { stringify } from 'yaml';
import { ENGINES } from '../../config/aws';
import { resolveEngineVersion, supportStatus } from '../../config/engine-versions';
import { parseConfig } from '../../config/load';
import { baseConfig, configWith } from '../support/fixtures';

describe('engine versions a DBA or AWS writes', () => {
  test.each([
    ['aurora-mysql', '5.7', 'aurora-mysql5.7'],
    ['aurora-mysql', '5.7.mysql_aurora.2.12.6', 'aurora-mysql5.7'],
    ['aurora-mysql', '8.0', 'aurora-mysql8.0'],
    ['aurora-mysql', '8.0.mysql_aurora.3.05.2', 'aurora-mysql8.0'],
    // A minor version newer than any this release was written against.
    ['aurora-mysql', '8.0.mysql_aurora.3.99.0', 'aurora-mysql8.0'],
    ['aurora-mysql', '8.4', 'aurora-mysql8.4'],
    ['aurora-mysql', '8.4.7', 'aurora-mysql8.4'],
    ['aurora-mysql', '8.4.mysql_aurora.8.4.7', 'aurora-mysql8.4'],
    ['aurora-mysql', '8.4.12', 'aurora-mysql8.4'],
    ['aurora-postgresql', '13.20', 'aurora-postgresql13'],
    ['aurora-postgresql', '16.4', 'aurora-postgresql16'],
    ['aurora-postgresql', '17', 'aurora-postgresql17'],
    ['aurora-postgresql', '18.3', 'aurora-postgresql18'],
  ] as const)('%s %s → %s', (engine, version, family) => {
    const verdict = resolveEngineVersion(engine, version);
    expect(verdict.ok && verdict.major.family).toBe(family);
  });

  test('a family AWS reported decides, and vouches for a version written in a way this release has not seen', () => {
    const verdict = resolveEngineVersion('aurora-mysql', '8.4.mysql_aurora.4.0.0', 'aurora-mysql8.4');
    expect(verdict.ok && verdict.major.family).toBe('aurora-mysql8.4');
    // Without AWS's word the same text is refused: the Aurora part does not belong to 8.4.
    expect(resolveEngineVersion('aurora-mysql', '8.4.mysql_aurora.4.0.0')).toMatchObject({ ok: false, field: 'engineVersion' });
  });

  test.each([
    ['aurora-mysql', '9.1', undefined, 'engineVersion', '9.1 is a major version this release of aurora-audit does not know'],
    ['aurora-mysql', '9.7.mysql_aurora.9.7.0', 'aurora-mysql9.7', 'engineVersion', 'Aurora MySQL 9.7, or leave the cluster out'],
    ['aurora-mysql', '5.6.10a', undefined, 'engineVersion', 'not an Aurora MySQL engine version'],
    ['aurora-mysql', '5.6', undefined, 'engineVersion', 'Aurora MySQL version 1'],
    ['aurora-mysql', '8.0.32', undefined, 'engineVersion', "MySQL's community version"],
    ['aurora-mysql', '8.4.mysql_aurora.3.05.2', undefined, 'engineVersion', 'mixes MySQL 8.4 with Aurora version 3.05.2'],
    ['aurora-mysql', '8.0.mysql_aurora.3.05.2', 'aurora-mysql8.4', 'family', 'is 8.0'],
    ['aurora-postgresql', '12.22', undefined, 'engineVersion', 'past the end of Aurora standard support'],
    ['aurora-postgresql', '19.1', undefined, 'engineVersion', '13, 14, 15, 16, 17 and 18'],
    ['aurora-postgresql', '16.4', 'aurora-mysql8.0', 'family', 'not an Aurora PostgreSQL cluster parameter group family'],
  ] as const)('%s %s (family %s) is refused at %s', (engine, version, family, field, words) => {
    const verdict = resolveEngineVersion(engine, version, family);
    expect(verdict).toEqual({ ok: false, field, problem: expect.stringContaining(words), brief: expect.any(String) });
    if (!verdict.ok) expect(verdict.problem).toContain(JSON.stringify(field === 'family' ? family : version));
  });

  test('every major aurora-audit supports names its own family, and no two share one', () => {
    for (const [engine, facts] of Object.entries(ENGINES)) {
      const families = facts.versions.map((v) => v.family);
      expect(new Set(families).size).toBe(families.length);
      for (const v of facts.versions) expect(v.family).toBe(`${engine}${v.major}`);
    }
  });
});

describe('the config takes an 8.4 cluster, with or without the family init records', () => {
  test.each([
    [{ engineVersion: '8.4.mysql_aurora.8.4.7', family: 'aurora-mysql8.4' }],
    [{ engineVersion: '8.4.7' }],
    [{ engineVersion: '8.4' }],
  ])('%j', (cluster) => {
    const model = parseConfig(stringify(configWith((c) => Object.assign(c.targets[0].clusters[0], cluster))), 'test.yaml');
    const c = model.stacks[0].clusters[0];
    expect({ family: c.family, major: c.majorVersion }).toEqual({ family: 'aurora-mysql8.4', major: '8.4' });
    // Its own group is named for the family, and carries the four Advanced Auditing parameters.
    expect(c.parameterGroup.name).toBe(`aurora-audit-${c.identifier}-aurora-mysql8-4`);
    expect(c.parameterGroup.parameters.map((p) => p.name)).toEqual(['server_audit_events', 'server_audit_excl_users', 'server_audit_logging']);
  });

  test('the base config is unchanged by the new field: without it the family comes from the version', () => {
    const model = parseConfig(stringify(baseConfig()), 'test.yaml');
    expect(model.stacks[0].clusters[0].family).toBe('aurora-mysql8.0');
  });
});

describe('support status, by the day', () => {
  const major = (engine: 'aurora-mysql' | 'aurora-postgresql', m: string) => ENGINES[engine].versions.find((v) => v.major === m)!;
  test('Aurora MySQL 5.7 left standard support on 2024-10-31', () => {
    expect(supportStatus('aurora-mysql', major('aurora-mysql', '5.7'), '2024-10-30').phase).toBe('standard');
    expect(supportStatus('aurora-mysql', major('aurora-mysql', '5.7'), '2026-11-30')).toMatchObject({ phase: 'extended', standardSupportEnds: '2024-10-31' });
    expect(supportStatus('aurora-mysql', major('aurora-mysql', '5.7'), '2030-01-01').phase).toBe('ended');
  });
  test('Aurora MySQL 8.4 and Aurora PostgreSQL 18 are in standard support today', () => {
    expect(supportStatus('aurora-mysql', major('aurora-mysql', '8.4'), '2026-11-30').phase).toBe('standard');
    expect(supportStatus('aurora-postgresql', major('aurora-postgresql', '18'), '2026-11-30').phase).toBe('standard');
    expect(supportStatus('aurora-postgresql', major('aurora-postgresql', '13'), '2026-11-30').phase).toBe('extended');
  });
});
