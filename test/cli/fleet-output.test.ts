/**
 * What validate and synth print for a fleet: a line a stack and the totals by default, each cluster behind --verbose,
 * only the stacks synth --stack wrote, and no warning about what a stack does not have.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { cli } from '../support/cli';
import { ROOT, tempDir, writeConfig, type Json } from '../support/fixtures';

/** The shipped fleet template, cut to its first accounts that make exactly `stacks` account-region stacks. */
function fleetOf(stacks: number): Json {
  const config = parse(fs.readFileSync(path.join(ROOT, 'templates/fleet.yaml'), 'utf8'));
  const kept: Json[] = [];
  let count = 0;
  // Production and staging accounts alternately, so that both the common settings and a group's own are there.
  const prod = config.accounts.filter((a: Json) => !a.group);
  const staging = config.accounts.filter((a: Json) => a.group);
  for (let i = 0; count < stacks && i < config.accounts.length; i++) {
    for (const account of [prod[i], staging[i]]) {
      const regions = account ? Object.keys(account.regions).length : 0;
      if (!account || count + regions > stacks) continue;
      kept.push(account);
      count += regions;
    }
  }
  expect(count).toBe(stacks);
  return { ...config, accounts: kept };
}

const stackNames = (config: Json): string[] => config.accounts.flatMap((a: Json) => Object.keys(a.regions).map((r) => `${a.name}-${r}`));
const clusterCount = (config: Json): number => config.accounts.reduce((n: number, a: Json) => n + Object.values(a.regions).reduce((k: number, r) => k + Object.keys(r as object).length, 0), 0);

describe('a fleet of 50 stacks', () => {
  const config = fleetOf(50);
  const names = stackNames(config);

  test('validate prints at most 8 KB: a line a stack, the totals, and no cluster of its own', async () => {
    const dir = tempDir();
    writeConfig(dir, config);
    const { code, stdout } = await cli(['validate'], dir);
    expect(code).toBe(0);
    expect(Buffer.byteLength(stdout)).toBeLessThanOrEqual(8 * 1024);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`50 stacks, ${clusterCount(config)} clusters, and ${config.accounts.length} account stacks, from aurora-audit.yaml`);
    // Each stack on exactly one line of its own, starting with its name and account.
    for (const name of names) {
      const account = config.accounts.find((a: Json) => name.startsWith(`${a.name}-`)).id;
      expect(lines.filter((l) => l.startsWith(`  ${name} `))).toEqual([expect.stringMatching(new RegExp(`^  ${name} +${account} +\\d+`))]);
    }
    // A staging stack says what differs from the rest: its settings and its channel.
    expect(lines.find((l) => l.startsWith('  payments-staging-eu-west-1 '))).toMatch(/ 1 {2}own settings, Slack C0STAGE0001$/);
    expect(lines.find((l) => l.startsWith('  payments-prod-eu-west-1 '))).toMatch(/100000000001 {2}2$/);
    expect(stdout).toMatch(/^ {2}50 stacks: ≈ \$[\d.]+\/month in all/m);
    // No cluster's own line: those are --verbose.
    expect(stdout).not.toMatch(/^ {2}\S+: aurora-(mysql|postgresql) /m);
    expect(stdout).toContain('--verbose shows each cluster');
  });

  test('validate --verbose gives every cluster its line, with its settings where they differ', async () => {
    const dir = tempDir();
    writeConfig(dir, config);
    const { code, stdout } = await cli(['validate', '--verbose'], dir);
    expect(code).toBe(0);
    expect(stdout.match(/^ {2}\S+: aurora-(mysql|postgresql) /gm)).toHaveLength(clusterCount(config));
    for (const name of names) expect(stdout).toContain(`stack ${name}: account `);
    expect(stdout).toMatch(/^ {4}exports audit 90d/m);
  });

  test('synth --stack reports the stacks it wrote and no other', async () => {
    const dir = tempDir();
    writeConfig(dir, config);
    const { code, stdout } = await cli(['synth', '--stack', 'ledger-prod-us-east-1,account-100000000002'], dir);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('1 stack, 1 cluster, and 1 account stack, from aurora-audit.yaml');
    expect(stdout).toContain('stack ledger-prod-us-east-1: account 100000000002, us-east-1');
    expect(stdout).toContain('account stack account-100000000002:');
    for (const other of names.filter((n) => n !== 'ledger-prod-us-east-1')) expect(stdout).not.toContain(other);
    expect(stdout).not.toMatch(/account-1000000000(0[13-9]|[1-9]\d)/);
    // Its next steps are that stack's: the one account to authorize, its one cluster to reboot.
    expect(stdout).toContain('T0000000000 in account 100000000002');
    expect(stdout).toMatch(/Nothing reboots on its own\. ledger-us:/);

    const json = await cli(['synth', '--stack', 'ledger-prod-us-east-1', '--json'], dir);
    expect(JSON.parse(json.stdout).stacks.map((s: Json) => s.name)).toEqual(['ledger-prod-us-east-1']);
  });

  test('an account stack alone is reported without stacks, costs or Slack steps it does not have', async () => {
    const dir = tempDir();
    writeConfig(dir, config);
    const { code, stdout } = await cli(['synth', '--stack', 'account-100000000002'], dir);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('1 account stack, from aurora-audit.yaml');
    expect(stdout).not.toContain('Audit:');
    expect(stdout).not.toContain('Estimated cost');
    expect(stdout).not.toContain('Authorize the Slack workspace');
  });
});

describe('monitoring-account mode: warnings only about what a stack has', () => {
  function monitored(): Json {
    const config = parse(fs.readFileSync(path.join(ROOT, 'templates/monitoring-account.yaml'), 'utf8'));
    config.encryption = { mode: 'none' };
    config.accounts = Array.from({ length: 12 }, (_, i) => ({
      id: String(300000000000 + i),
      name: `service-${i}`,
      regions: { 'eu-west-1': { [`svc${i}`]: 'aurora-mysql8.0' } },
    }));
    return config;
  }

  test('the unencrypted topic is named only in the monitoring stack, which has one', async () => {
    const dir = tempDir();
    writeConfig(dir, monitored());
    const { code, stdout } = await cli(['validate'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('The alarm topic is not encrypted in monitoring-eu-west-1 (Security Hub SNS.1).');
    expect(stdout).toContain('their alarms in monitoring-<region> unless they say otherwise');
    expect(stdout).not.toContain('alarms in monitoring-eu-west-1\n');
  });

  test('a source stack synthesized alone: no Slack placeholder, no Slack authorization, no Chatbot trail regions', async () => {
    const dir = tempDir();
    writeConfig(dir, monitored());
    const { code, stdout } = await cli(['synth', '--stack', 'service-3-eu-west-1'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('metric filters here, alarms in monitoring-eu-west-1 (account 999999999999)');
    expect(stdout).not.toMatch(/Slack workspace|Slack channel|topic is not encrypted/);
    expect(stdout).toContain('check one logs in 300000000003/eu-west-1 (aws cloudtrail describe-trails, then get-trail-status).');
  });
});

describe('lists in a fleet summary', () => {
  test('a list that is nearly everything is said by what it leaves out', async () => {
    const dir = tempDir();
    const config = fleetOf(12);
    // Every cluster is adopted but one, which other Terraform owns.
    config.accounts[0].regions['eu-west-1']['payments-reports'] = { family: 'aurora-postgresql16', attach: 'external' };
    writeConfig(dir, stringify(config));
    const { stdout } = await cli(['validate'], dir);
    expect(stdout).toContain(`Nothing reboots on its own. All ${clusterCount(config)} clusters but payments-reports (100000000001/eu-west-1): it moves`);
    expect(stdout).toContain(`if RDS already made /aws/rds/cluster/<id>/<type>, the first apply fails with "already exists" (all ${clusterCount(config)} clusters but payments-reports (100000000001/eu-west-1)).`);
    expect(stdout).toContain('check one logs in every account-region of the config (12)');
  });
});
