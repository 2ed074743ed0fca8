/**
 * `discover` reads, for each account-region, whether a CloudTrail trail is logging (the tamper alerts see nothing
 * otherwise) and GuardDuty's detector and RDS Protection, through the real SDK against the fake AWS server; and warns
 * where they fall short of what the config turns on.
 */
import { fakeAwsEnv, useEnv } from '../support/aws-env';
import { cli } from '../support/cli';
import { startFakeAws, type FakeAws } from '../support/fake-aws';
import { configWith, tempDir, writeConfig, type Json } from '../support/fixtures';

const ACCOUNT = '123456789012';
const cluster = { identifier: 'orders-db', exports: ['audit'] };
let aws: FakeAws;
let restore: () => void;

beforeAll(async () => {
  aws = await startFakeAws({
    accounts: [
      {
        accountId: ACCOUNT,
        regions: {
          // A multi-region trail made in another region covers this one (DescribeTrails lists it as a shadow trail).
          'eu-west-1': { clusters: [cluster], trails: [{ name: 'org-trail', logging: true, multiRegion: true, homeRegion: 'us-east-1' }], guardDuty: { rdsLoginEvents: true } },
          // A trail that was stopped, and a single-region trail of another region, which covers nothing here.
          'eu-central-1': { clusters: [cluster], trails: [{ name: 'stopped', logging: false }, { name: 'elsewhere', logging: true, homeRegion: 'us-west-2' }], guardDuty: 'no-detector' },
          'eu-north-1': { clusters: [cluster], trails: [], guardDuty: { rdsLoginEvents: false } },
          // Permissions the discovery role lacks: neither is readable, and the region is read all the same.
          'eu-south-1': { clusters: [cluster] },
        },
      },
    ],
  });
  restore = useEnv(fakeAwsEnv(aws, ACCOUNT));
});

afterAll(async () => {
  restore();
  await aws.close();
});

async function discover(config: Json): Promise<{ code: number; stdout: string; json: Json }> {
  const dir = tempDir();
  writeConfig(dir, config);
  const text = await cli(['discover'], dir, process.env);
  const json = await cli(['discover', '--json'], dir, process.env);
  return { code: text.code, stdout: text.stdout, json: JSON.parse(json.stdout) };
}

const targets = (regions: string[], extra: Json = {}) =>
  configWith((c) => (c.targets = regions.map((region, i) => ({ name: `t${i}`, accountId: ACCOUNT, region, clusters: [{ identifier: 'orders-db', engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.05.2', attach: 'adopt' }], ...extra }))));

describe('CloudTrail and GuardDuty in discover', () => {
  test('each account-region: whether a trail logs there and what GuardDuty has, as data', async () => {
    const { json } = await discover(targets(['eu-west-1', 'eu-central-1', 'eu-north-1', 'eu-south-1']));
    const byRegion = Object.fromEntries(json.watchers.map((w: Json) => [w.region, [w.cloudTrail, w.trails, w.guardDuty]]));
    expect(byRegion).toEqual({
      'eu-west-1': ['logging', ['org-trail'], 'rds-on'],
      'eu-central-1': ['not-logging', [], 'no-detector'],
      'eu-north-1': ['not-logging', [], 'rds-off'],
      'eu-south-1': ['unknown', [], 'unknown'],
    });
    // Unreadable permissions never cost the region its clusters.
    expect(json.clusters.map((c: Json) => c.region).sort()).toEqual(['eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-west-1']);
    expect(json.problems).toEqual([]);
  });

  test('the tamper alerts need a logging trail: said where none logs, on the line of that account-region', async () => {
    const { stdout } = await discover(targets(['eu-west-1', 'eu-central-1']));
    expect(stdout).toContain('CloudTrail and GuardDuty:');
    expect(stdout).toContain(`  ${ACCOUNT}/eu-west-1: CloudTrail logging (org-trail); GuardDuty RDS Protection on`);
    expect(stdout).toContain(`  ${ACCOUNT}/eu-central-1: no CloudTrail trail is logging here, so the tamper alerts will see nothing`);
    expect(stdout).not.toContain(`${ACCOUNT}/eu-west-1: no CloudTrail trail is logging`);
    // Turned off in the config, nothing to warn of.
    const off = await discover(targets(['eu-central-1'], { tampering: { enabled: false } }));
    expect(off.stdout).not.toContain('tamper alerts will see nothing');
  });

  test('guardDuty in the config: a missing detector and RDS Protection off are said, with what to do', async () => {
    const { stdout } = await discover(targets(['eu-central-1', 'eu-north-1'], { guardDuty: { enabled: true } }));
    expect(stdout).toContain(`${ACCOUNT}/eu-central-1: guardDuty is on in the config, but GuardDuty has no detector here: the plan will fail (aurora-audit never creates one)`);
    expect(stdout).toContain(`${ACCOUNT}/eu-north-1: guardDuty is on in the config, but RDS Protection is off on the detector`);
    const enabling = await discover(targets(['eu-north-1'], { guardDuty: { enabled: true, enableRdsProtection: true } }));
    expect(enabling.stdout).not.toContain('RDS Protection is off on the detector');
  });

  test('an account-region where neither can be read is named, per check, in the text too', async () => {
    const { stdout } = await discover(targets(['eu-south-1']));
    expect(stdout).toContain('CloudTrail and GuardDuty:');
    expect(stdout).toMatch(/\d{12}\/eu-south-1: CloudTrail not readable; GuardDuty not readable/);
  });
});
