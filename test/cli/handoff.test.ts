/**
 * `aurora-audit handoff`: the sheet a SIEM's collection job is set up from, per stack of a multi-account config, as
 * text and as JSON, with names that match what synthesis writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../config/load';
import { cli } from '../support/cli';
import { tempDir, writeConfig, type Json } from '../support/fixtures';
import { resources, synthAll } from '../support/synth';

const FLEET = {
  version: 1,
  role: 'aurora-audit-deploy',
  attach: 'adopt',
  notifications: { slack: { teamId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' } },
  siem: { collector: { principal: 'arn:aws:iam::999988887777:role/usm-sensor', externalId: 'usm-7f3a' } },
  accounts: [
    {
      id: '111122223333',
      name: 'payments',
      archive: { enabled: true, objectLock: { years: 10 } },
      siem: { pullSchedule: 'every 15 minutes' },
      regions: {
        'eu-west-1': { ledger: 'aurora-mysql8.0', 'ledger-pg': 'aurora-postgresql16' },
        'us-east-1': { 'ledger-us': 'aurora-mysql8.0' },
      },
    },
    {
      id: '444455556666',
      name: 'analytics',
      siem: { collector: { principal: 'arn:aws:iam::999988887777:role/usm-sensor-analytics', externalId: 'usm-analytics' }, push: { to: 'logDestination', destinationArn: 'arn:aws:logs:eu-west-1:777788889999:destination:central' } },
      regions: { 'eu-west-1': { warehouse: { family: 'aurora-mysql8.0', audit: { logTypes: ['error'] } }, events: 'aurora-mysql8.0' } },
    },
  ],
};

describe('aurora-audit handoff', () => {
  let dir: string;
  let sheets: Json[];
  beforeAll(async () => {
    dir = tempDir();
    writeConfig(dir, FLEET);
    const run = await cli(['handoff', '--json'], dir);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    sheets = JSON.parse(run.stdout);
  });

  test('one sheet per stack, each naming only its own account, region, log groups and role', () => {
    expect(sheets.map((s) => s.stack)).toEqual(['payments-eu-west-1', 'payments-us-east-1', 'analytics-eu-west-1']);
    for (const sheet of sheets) {
      for (const job of sheet.pull.jobs) {
        expect(job.region).toBe(sheet.region);
        expect(job.logGroup).toMatch(new RegExp(`^/aws/rds/cluster/${job.cluster}/(audit|postgresql)$`));
        expect(job).toMatchObject({ logStream: '*', sourceFormat: 'raw' });
      }
      expect(sheet.pull.collectorRole.arn).toBe(`arn:aws:iam::${sheet.accountId}:role/aurora-audit-${sheet.stack}-siem-collector`);
    }
    expect(sheets[0].pull.jobs.map((j: Json) => j.logGroup)).toEqual(['/aws/rds/cluster/ledger/audit', '/aws/rds/cluster/ledger-pg/postgresql']);
    expect(sheets[0].pull.jobs[0].schedule).toBe('every 15 minutes');
    expect(sheets[2].pull.jobs[0].schedule).toBe('hourly');
    // warehouse exports no audit log: nothing to collect there.
    expect(sheets[2].pull.jobs.map((j: Json) => j.cluster)).toEqual(['events']);
    expect(sheets[2].pull.collectorRole).toMatchObject({ trustedPrincipal: 'arn:aws:iam::999988887777:role/usm-sensor-analytics', externalId: 'usm-analytics' });
    expect(sheets[0].pull.collectorRole.externalId).toBe('usm-7f3a');
    expect(sheets[0].pull.fieldLabelsUnconfirmed).toBe(true);
  });

  test('push and archive are on the sheets of the stacks that have them, with the filters they use', () => {
    expect(sheets[0].archive).toMatchObject({ bucket: 'aurora-audit-archive-111122223333-eu-west-1', objectLock: 'GOVERNANCE 10 years', subscriptionFilter: 'aurora-audit-archive' });
    expect(sheets[0].push).toBeNull();
    expect(sheets[2].push).toMatchObject({ to: 'logDestination', destination: 'arn:aws:logs:eu-west-1:777788889999:destination:central', deliveryStream: null });
    expect(sheets.map((s) => s.subscriptionFiltersUsed)).toEqual([1, 1, 1]);
  });

  test('the names on the sheets are the ones synthesis writes', () => {
    const file = path.join(dir, 'aurora-audit.yaml');
    const stacks = synthAll(parseConfig(fs.readFileSync(file, 'utf8'), file), path.join(tempDir(), 'cdktf.out'));
    for (const sheet of sheets) {
      const json = stacks.get(sheet.stack);
      const [[, role]] = resources(json, 'aws_iam_role').filter(([id]) => id.startsWith('siem-collector_'));
      expect(sheet.pull.collectorRole.arn.endsWith(`:role/${role.name}`)).toBe(true);
      const filters = resources(json, 'aws_cloudwatch_log_subscription_filter').map(([, f]) => f.name);
      for (const name of [sheet.push?.subscriptionFilter, sheet.archive?.subscriptionFilter].filter(Boolean)) expect(filters).toContain(name);
      if (sheet.archive) expect(resources(json, 'aws_s3_bucket').map(([, b]) => b.bucket)).toEqual([sheet.archive.bucket]);
    }
  });

  test('as text: the job fields under their labels, marked unconfirmed, and what aurora-audit leaves to the SIEM', async () => {
    const { code, stdout } = await cli(['handoff', '--stack', 'payments-eu-west-1'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('stack payments-eu-west-1: account 111122223333, eu-west-1');
    expect(stdout).toContain('      Log Group Name: /aws/rds/cluster/ledger-pg/postgresql');
    expect(stdout).toContain('      Source Format: raw');
    expect(stdout).toContain('Object Lock GOVERNANCE 10 years');
    expect(stdout).not.toContain('payments-us-east-1');
    expect(stdout).toContain('no public USM Anywhere page reachable here confirms them');
    expect(stdout).toContain('it does not create the SIEM\'s job');
  });

  test('an unknown stack, or a bad config, exits 2 and prints no sheet', async () => {
    const unknown = await cli(['handoff', '--stack', 'nope'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--stack: "nope" is not a stack of the config');
    expect(unknown.stdout).toBe('');
    const bad = tempDir();
    writeConfig(bad, { ...FLEET, siem: { collector: { principal: 'usm' } } });
    const run = await cli(['handoff'], bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('siem.collector.principal: "usm" is not an IAM principal ARN');
    expect(run.stdout).toBe('');
  });
});
