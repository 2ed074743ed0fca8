/**
 * An audit log is never kept short by accident: below a year validate warns, naming the frameworks that ask for one;
 * below 90 days the config must say it means it.
 */
import { cli } from '../support/cli';
import { configWith, listFiles, modelOf, problemsOf, tempDir, writeConfig } from '../support/fixtures';

const postgres = { identifier: 'ledger', engine: 'aurora-postgresql', engineVersion: '16.4', attach: 'external' };

describe('audit log retention below the floor', () => {
  test('1 day at the top is refused at that line, once, naming the value, the frameworks and the way to accept it', () => {
    const problems = problemsOf(configWith((c) => (c.audit = { retentionDays: { audit: 1 } })));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^audit\.retentionDays\.audit: is 1 day: CloudWatch Logs would delete audit records after that/);
    expect(problems[0]).toContain('PCI DSS v4.0 (requirement 10.5.1) and OMB M-21-31 ask for a year (365 days)');
    expect(problems[0]).toContain('set audit.shortRetentionAccepted: true');
  });

  test('on a cluster, the path is the cluster\'s; PostgreSQL\'s audit log is the postgresql type', () => {
    expect(problemsOf(configWith((c) => (c.targets[0].clusters[1].audit = { retentionDays: { audit: 60 } })))).toEqual([
      expect.stringMatching(/^targets\[0\]\.clusters\[1\]\.audit\.retentionDays\.audit: is 60 days: CloudWatch Logs would delete audit records/),
    ]);
    expect(problemsOf(configWith((c) => { c.targets[0].clusters.push(postgres); c.audit = { retentionDays: { postgresql: 30 } }; }))).toEqual([
      expect.stringMatching(/^audit\.retentionDays\.postgresql: is 30 days: CloudWatch Logs would delete audit records/),
    ]);
    // Other log types are not audit records.
    expect(() => modelOf(configWith((c) => (c.audit = { retentionDays: { general: 1, error: 7 } })))).not.toThrow();
  });

  test('accepted at any level, the nearest winning; 90 days needs no acceptance', () => {
    const accepted = modelOf(configWith((c) => (c.audit = { retentionDays: { audit: 1 }, shortRetentionAccepted: true })));
    expect(accepted.stacks[0].clusters[0].audit.retentionDays.audit).toBe(1);
    expect(problemsOf(configWith((c) => {
      c.audit = { retentionDays: { audit: 1 }, shortRetentionAccepted: true };
      c.targets[0].clusters[0].audit = { shortRetentionAccepted: false };
    }))).toEqual([expect.stringMatching(/^audit\.retentionDays\.audit: is 1 day: CloudWatch Logs would delete audit records/)]);
    expect(() => modelOf(configWith((c) => (c.audit = { retentionDays: { audit: 90 } })))).not.toThrow();
    expect(problemsOf(configWith((c) => (c.audit = { shortRetentionAccepted: 'yes' })))).toEqual([expect.stringMatching(/^audit\.shortRetentionAccepted: "yes"/)]);
  });

  test('validate warns below a year, naming the frameworks and the clusters, exits 0 and writes nothing', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => (c.audit = { retentionDays: { audit: 180 } })));
    const before = listFiles(dir);
    const run = await cli(['validate'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/The audit log is kept 180 days in CloudWatch Logs, less than the year PCI DSS v4\.0 \(requirement 10\.5\.1\) and OMB M-21-31 ask for \(all 2 clusters\)|\(orders-db, billing\)|\(prod\/orders-db/);
    expect(listFiles(dir)).toEqual(before);
    const year = await cli(['validate'], (writeConfig(dir, configWith((c) => (c.audit = { retentionDays: { audit: 365 } }))), dir));
    expect(year.stdout).not.toContain('The audit log is kept');
  });
});
