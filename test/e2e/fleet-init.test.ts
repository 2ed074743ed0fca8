/**
 * Re-running `init --yes` on a config in the fleet shape, against the local fake AWS with two accounts reached through
 * the role the config names: it keeps the shape, the comments, the anchors and aliases, writes nothing the levels
 * above already say, adds a new cluster to its region on one line, and takes out one that is gone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { fakeAwsEnv, useEnv } from '../support/aws-env';
import { cli } from '../support/cli';
import { startFakeAws, type FakeAws, type FakeCluster } from '../support/fake-aws';
import { tempDir } from '../support/fixtures';

const HOME = '111111111111';
const OTHER = '222222222222';

const FLEET = `# The fleet, by hand.
version: 1
role: aurora-audit-deploy
attach: adopt
detections: &strict
  failed-connections: { threshold: 3 }
notifications:
  slack: { teamId: T07EA123LEP, channelId: C07EZ1ABC23 }
groups:
  pci:
    detections: *strict   # the same strict thresholds, said once
    notifications: { slack: { channelId: C0PCI000001 } }
accounts:
  - { id: "${HOME}", name: cards, group: pci, regions: { eu-west-1: { cards: { family: aurora-mysql8.0, existingLogGroups: [] } } } }
  # the web team
  - id: "${OTHER}"
    name: web
    regions:
      eu-west-1: { web: { family: aurora-mysql8.4, existingLogGroups: [] }, shop: { family: aurora-postgresql16, existingLogGroups: [] } }
`;

let aws: FakeAws;
let restore: () => void;

function fakeWith(otherClusters: FakeCluster[]): Promise<FakeAws> {
  return startFakeAws({
    accounts: [
      { accountId: HOME, slackWorkspaces: [{ id: 'T07EA123LEP', name: 'acme' }], regions: { 'eu-west-1': { clusters: [{ identifier: 'cards', engineVersion: '8.0.mysql_aurora.3.05.2' }] } } },
      { accountId: OTHER, regions: { 'eu-west-1': { clusters: otherClusters } } },
    ],
  });
}

async function initAgain(configText: string, otherClusters: FakeCluster[], extra: string[] = []): Promise<{ code: number; stderr: string; text: string }> {
  aws = await fakeWith(otherClusters);
  restore = useEnv(fakeAwsEnv(aws, HOME, { AWS_REGION: 'eu-west-1', CI: 'true' }));
  const project = tempDir();
  const file = path.join(project, 'aurora-audit.yaml');
  fs.writeFileSync(file, configText);
  const { code, stderr } = await cli(['init', '--yes', '--config', file, ...extra], project);
  return { code, stderr, text: fs.readFileSync(file, 'utf8') };
}

afterEach(async () => {
  restore?.();
  await aws?.close();
});

const WEB_AND_SHOP: FakeCluster[] = [
  { identifier: 'web', engineVersion: '8.4.mysql_aurora.8.4.7' },
  { identifier: 'shop', engine: 'aurora-postgresql', engineVersion: '16.4' },
];

describe('init --yes on a fleet config', () => {
  test('with nothing changed in AWS, the file is byte for byte the same', async () => {
    const { code, stderr, text } = await initAgain(FLEET, WEB_AND_SHOP);
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(text).toBe(FLEET);
    // The next steps name each cluster with its account and region: an identifier is unique only there.
    expect(stderr).toContain('need their writer rebooted before auditing starts (aurora-audit plan says why): cards (111111111111/eu-west-1), web (222222222222/eu-west-1), shop (222222222222/eu-west-1).');
    expect(stderr).toContain('in every database of shop (222222222222/eu-west-1): CREATE EXTENSION');
  });

  test('a new cluster joins its region on the same line, by its family and what init found; the rest is untouched', async () => {
    const { code, text } = await initAgain(FLEET, [...WEB_AND_SHOP, { identifier: 'search', engineVersion: '8.0.mysql_aurora.3.05.2' }], ['--clusters', 'all']);
    expect(code).toBe(0);
    const before = FLEET.split('\n');
    const after = text.split('\n');
    const changed = after.filter((l, i) => l !== before[i]);
    expect(changed).toEqual([
      '      eu-west-1: { web: { family: aurora-mysql8.4, existingLogGroups: [] }, shop: { family: aurora-postgresql16, existingLogGroups: [] }, search: { family: aurora-mysql8.0, existingLogGroups: [] } }',
    ]);
    expect(after.length).toBe(before.length);
  });

  test('a cluster gone from AWS leaves its region and is retired; anchors, aliases and comments stay', async () => {
    const { code, text } = await initAgain(FLEET, [WEB_AND_SHOP[0]], ['--clusters', 'all']);
    expect(code).toBe(0);
    expect(text).toContain('detections: &strict');
    expect(text).toContain('detections: *strict   # the same strict thresholds, said once');
    expect(text).toContain('# the web team');
    const written = parseYaml(text);
    expect(written.accounts[1].regions['eu-west-1']).toEqual({ web: { family: 'aurora-mysql8.4', existingLogGroups: [] } });
    expect(written.retired).toEqual([expect.objectContaining({ accountId: OTHER, region: 'eu-west-1', identifier: 'shop', stack: 'web-eu-west-1' })]);
    expect(written.targets).toBeUndefined();
    expect(written.accounts[0]).toEqual({ id: HOME, name: 'cards', group: 'pci', regions: { 'eu-west-1': { cards: { family: 'aurora-mysql8.0', existingLogGroups: [] } } } });
  });

  test('no role is written per account while the top level gives it', async () => {
    const { text } = await initAgain(FLEET, [...WEB_AND_SHOP, { identifier: 'search', engineVersion: '8.0' }], ['--clusters', 'all']);
    expect(text).not.toMatch(/roleArn|role: arn/);
    expect(text).not.toMatch(/attach: adopt\b.*attach: adopt/s);
  });
});

describe('sync rewrites only the lines whose value changed', () => {
  /** A fleet written by hand: odd spacing in flow collections, quoting of every kind, comments at line ends. */
  const HAND = `# Our fleet.  Written by hand.
version: 1
role:   aurora-audit-deploy     # the deploy role, in every account
attach: adopt
discovery:
  tags: {audit: required}
notifications:
  slack: {teamId: T07EA123LEP,   channelId: "C07EZ1ABC23"}   # #db-security
audit:
  retentionDays: { audit: 400 ,postgresql: 400 }
accounts:
  - {id: "${HOME}", name: cards, regions: {eu-west-1: {cards: aurora-mysql8.0, ledger: aurora-mysql8.0}}}   # cards team

  # the web team
  - id: '${OTHER}'
    name: web       # storefront
    regions:
      eu-west-1:
        web:   { family: aurora-mysql8.0,  existingLogGroups: [] }   # the storefront
        shop: {family: aurora-postgresql16, existingLogGroups: []}
`;

  test('one cluster added, one retired, one upgraded: git diff shows those lines and nothing else', async () => {
    const tagged = { audit: 'required' };
    aws = await startFakeAws({
      accounts: [
        {
          accountId: HOME,
          slackWorkspaces: [{ id: 'T07EA123LEP', name: 'acme' }],
          regions: {
            'eu-west-1': {
              clusters: [
                { identifier: 'cards', engineVersion: '8.0.mysql_aurora.3.05.2', tags: tagged },
                { identifier: 'payments', engineVersion: '8.0.mysql_aurora.3.05.2', tags: tagged },
              ],
            },
          },
        },
        {
          accountId: OTHER,
          regions: { 'eu-west-1': { clusters: [{ identifier: 'web', engineVersion: '8.4.mysql_aurora.8.4.7' }, { identifier: 'shop', engine: 'aurora-postgresql', engineVersion: '16.4' }] } },
        },
      ],
    });
    restore = useEnv(fakeAwsEnv(aws, HOME, { AWS_REGION: 'eu-west-1', CI: 'true' }));
    const project = tempDir();
    const file = path.join(project, 'aurora-audit.yaml');
    fs.writeFileSync(file, HAND);
    const { code, stderr } = await cli(['sync', '--config', file], project);
    expect({ code, stderr: stderr.split('\n').filter((l) => l.startsWith('sync:')) }).toEqual({
      code: 3,
      stderr: [expect.stringContaining(`1 cluster(s) added (${HOME}/eu-west-1/payments), 1 retired (${HOME}/eu-west-1/ledger)`)],
    });
    const after = fs.readFileSync(file, 'utf8');
    const [was, now] = [HAND.split('\n'), after.split('\n')];
    // Every line of the file is still there, byte for byte, but the two whose value changed.
    const changed = was.filter((line) => !now.includes(line));
    expect(changed).toEqual([
      `  - {id: "${HOME}", name: cards, regions: {eu-west-1: {cards: aurora-mysql8.0, ledger: aurora-mysql8.0}}}   # cards team`,
      '        web:   { family: aurora-mysql8.0,  existingLogGroups: [] }   # the storefront',
    ]);
    // Each changed line keeps its place and its comment; what is new is appended.
    expect(now.indexOf('  # the web team')).toBe(was.indexOf('  # the web team'));
    // In that line's own style (no spaces inside braces), with what sync now records of each cluster.
    expect(now.find((l) => l.includes('# cards team'))).toBe(
      `  - {id: "${HOME}", name: cards, regions: {eu-west-1: {cards: {family: aurora-mysql8.0, existingLogGroups: []}, payments: {family: aurora-mysql8.0, existingLogGroups: []}}}}   # cards team`,
    );
    expect(now.find((l) => l.includes('# the storefront'))).toBe('        web:   { family: aurora-mysql8.4, existingLogGroups: [] }   # the storefront');
    expect(now.slice(was.length - 1).join('\n')).toMatch(/^retired:\n {2}- /);
    expect(parseYaml(after).retired).toEqual([expect.objectContaining({ accountId: HOME, region: 'eu-west-1', identifier: 'ledger', stack: 'cards-eu-west-1' })]);
  });
});
