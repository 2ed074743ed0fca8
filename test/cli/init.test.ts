/**
 * `aurora-audit init`, driven the way a person answers it: scripted key presses into the prompts, with discovery
 * going through the real AWS SDK to the local fake AWS server.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { initCommand } from '../../cli/init/command';
import type { Output } from '../../cli/output';
import { parseConfig } from '../../config/load';
import { fakeAwsEnv, useEnv } from '../support/aws-env';
import { dbaAccount, startFakeAws, type FakeAws } from '../support/fake-aws';
import { listFiles, tempDir } from '../support/fixtures';
import { KEY, ScriptedTerminal } from '../support/scripted-terminal';


const ACCOUNT = '123456789012';
const OTHER = '210987654321';
let aws: FakeAws;
let restore: () => void;

beforeAll(async () => {
  aws = await startFakeAws({ accounts: [dbaAccount(ACCOUNT), { accountId: OTHER, regions: { 'us-east-2': { clusters: [{ identifier: 'shared-db' }] } } }] });
  restore = useEnv(fakeAwsEnv(aws, ACCOUNT, { CI: undefined }));
});

afterAll(async () => {
  restore();
  await aws.close();
});

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

/** Starts init on a scripted terminal; returns the terminal and the exit code to come. */
function startInit(configPath: string, flags: Record<string, unknown> = {}) {
  const terminal = new ScriptedTerminal();
  const io = capture();
  const done = initCommand({ config: configPath, ...flags }, io, process.env, { terminal });
  return { terminal, io, done };
}

/** The wizard's questions in order, each with the keys that take its default (the clusters: orders-db and billing). */
const QUESTIONS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['Which regions of 123456789012', [KEY.enter]],
  ['Add another AWS account?', [KEY.enter]],
  ['Which clusters should aurora-audit audit?', [KEY.space, KEY.down, KEY.space, KEY.enter]],
  ['How should aurora-audit attach', [KEY.enter]],
  ['Which events should Advanced Auditing log', [KEY.enter]],
  ['Which logs should each cluster export', [KEY.enter]],
  ['How long should the audit records', [KEY.enter]],
  ['And the other logs?', [KEY.enter]],
  ['Which detections should alarm in Slack?', [KEY.enter]],
  ['Keep these alarm thresholds', [KEY.enter]],
  ['How should the alarm topic and log groups be encrypted?', [KEY.enter]],
  ['Where should Terraform keep state', [KEY.enter]],
  ['Which Slack workspace should receive the alarms?', [KEY.enter]],
];

/**
 * Answers every question with its default, picking orders-db and billing, then types the channel id. `answers`
 * replaces the default answer of a question, named as in QUESTIONS.
 */
async function answerWithDefaults(t: ScriptedTerminal, answers: Readonly<Record<string, () => Promise<void>>> = {}): Promise<void> {
  for (const [question, keys] of QUESTIONS) {
    await t.waitFor(question);
    await (answers[question]?.() ?? t.press(...keys));
  }
  await t.waitFor('Slack channel id');
  await t.type('C07EZ1ABC23');
}

describe('init in a terminal', () => {
  test('goes from discovered clusters to a valid config with the defaults', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'aurora-audit.yaml');
    const { terminal: t, done } = startInit(file);
    await t.waitFor(`AWS identity: default credential chain → arn:aws:iam::${ACCOUNT}:user/dba (account ${ACCOUNT})`);
    await answerWithDefaults(t);
    // A new file is summarized, not printed whole.
    const review = await t.waitFor('Write aurora-audit.yaml?');
    expect(review).toMatch(/a new file of \d+ lines:/);
    expect(review).toContain('2 cluster(s): orders-db, billing');
    expect(review).not.toContain('identifier: orders-db');
    await t.press(KEY.enter);
    expect(await done).toBe(0);

    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatchSnapshot();
    const model = parseConfig(text, file);
    expect(model.stacks[0].clusters.map((c) => [c.identifier, c.family, c.attach])).toEqual([
      ['orders-db', 'aurora-mysql8.0', 'adopt'],
      ['billing', 'aurora-mysql5.7', 'adopt'],
    ]);
    expect(t.screen).toContain('Next steps:');
    expect(t.screen).toContain('aurora-audit synth');
    expect(t.screen).toContain('These clusters need their writer rebooted before auditing starts (aurora-audit plan says why): billing.');
  });

  test('shows each cluster with its engine, parameter group, auditing and exports; other engines disabled with the reason', async () => {
    const { terminal: t, done } = startInit(path.join(tempDir(), 'aurora-audit.yaml'));
    await t.waitFor('Which regions');
    await t.press(KEY.enter);
    await t.waitFor('Add another AWS account?');
    await t.press(KEY.enter);
    const list = await t.waitFor('catalog');
    expect(list).toContain('orders-db  eu-west-1  aurora-mysql 8.0.mysql_aurora.3.05.2  params orders-params (custom)  auditing off  exports error');
    // In columns: identifier, region, engine and version.
    expect(list).toContain('billing    eu-west-1  aurora-mysql 5.7.mysql_aurora.2.11.2  params default.aurora-mysql5.7 (default)  auditing off  exports none');
    expect(list).toContain('reports    eu-west-1  aurora-postgresql 16.4                params default.aurora-postgresql16 (default)  auditing off  exports none');
    await t.waitFor('docdb is not Aurora MySQL or Aurora PostgreSQL');
    await t.press(KEY.ctrlC);
    expect(await done).toBe(130);
  });

  test('a detection the audit events above leave dead is unticked, and ticking it is refused at that question, keeping every answer', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'aurora-audit.yaml');
    const { terminal: t, done } = startInit(file);
    await answerWithDefaults(t, {
      'Which clusters should aurora-audit audit?': () => t.press(KEY.space, KEY.enter),
      // CONNECT is the first event: untick it.
      'Which events should Advanced Auditing log': () => t.press(KEY.space, KEY.enter),
      'Which detections should alarm in Slack?': async () => {
        // Unticked by default: it could never fire.
        await t.waitFor('◯ failed-connections');
        // failed-connections is second: tick it, and the question says why not, here.
        await t.press(KEY.down, KEY.space, KEY.enter);
        await t.waitFor('failed-connections can only fire with CONNECT audited, which the events chosen above leave out');
        await t.press(KEY.space, KEY.enter);
      },
    });
    await t.waitFor('Write aurora-audit.yaml?');
    await t.press(KEY.enter);
    expect(await done).toBe(0);
    const model = parseConfig(fs.readFileSync(file, 'utf8'), file);
    expect(model.stacks[0].clusters[0].audit.events).toEqual(['QUERY_DCL', 'QUERY_DDL']);
    expect(model.stacks[0].clusters[0].detections.map((d) => d.definition.id)).not.toContain('failed-connections');
  });

  test('attach mode cluster by cluster: one adopted, the other owned by other Terraform', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'aurora-audit.yaml');
    const { terminal: t, done } = startInit(file);
    await answerWithDefaults(t, {
      'How should aurora-audit attach': async () => {
        await t.waitFor('cluster by cluster');
        // The third choice, then each cluster on its own: the first adopted, the second external.
        await t.press(KEY.down, KEY.down, KEY.enter);
        await t.waitFor('How should aurora-audit attach orders-db?');
        await t.press(KEY.enter);
        await t.waitFor('How should aurora-audit attach billing?');
        await t.press(KEY.down, KEY.enter);
      },
    });
    await t.waitFor('Write aurora-audit.yaml?');
    await t.press(KEY.enter);
    expect(await done).toBe(0);
    const model = parseConfig(fs.readFileSync(file, 'utf8'), file);
    expect(model.stacks[0].clusters.map((c) => [c.identifier, c.attach])).toEqual([
      ['orders-db', 'adopt'],
      ['billing', 'external'],
    ]);
  });

  test("offers only the regions of the identity's partition", async () => {
    const dir = tempDir();
    const { terminal: t, done } = startInit(path.join(dir, 'aurora-audit.yaml'));
    await t.waitFor('Which regions of 123456789012');
    // Up from the first wraps to the last: us-west-2, not a GovCloud or China region.
    await t.press(KEY.up);
    const screen = await t.waitFor('❯◯ us-west-2');
    expect(screen).not.toMatch(/us-gov-|cn-north/);
    await t.press(KEY.ctrlC);
    expect(await done).toBe(130);
  });

  test('regions narrow as you type; what is picked stays picked while the filter hides it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'aurora-audit.yaml');
    const { terminal: t, done } = startInit(file);
    await t.waitFor('Which regions of 123456789012');
    await t.press('a', 'p', '-', 's');
    await t.waitFor('filter: ap-s; 1 picked: eu-west-1');
    const list = await t.waitFor('ap-southeast-1');
    expect(list).toMatch(/❯◯ ap-south-1/);
    expect(list).not.toMatch(/us-east-1|eu-central-1|eu-west-1/);
    await t.press(KEY.space);
    await t.waitFor('2 picked: eu-west-1, ap-south-1');
    await t.press('z', 'z');
    await t.waitFor('no region matches');
    await t.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
    await t.waitFor('filter: (none); 2 picked');
    await t.press(KEY.enter);
    await t.waitFor('Add another AWS account?');
    await t.press(KEY.ctrlC);
    expect(await done).toBe(130);
  });

  test('refuses a bad answer with the reason, then takes a good one', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'aurora-audit.yaml');
    const { terminal: t, done } = startInit(file);
    await t.waitFor('Which regions');
    await t.press(KEY.enter);
    await t.waitFor('Add another AWS account?');
    await t.type('y');
    await t.waitFor('AWS account id');
    await t.type('12345');
    await t.waitFor('"12345" is not an AWS account id');
    await t.press(...Array(5).fill(KEY.backspace));
    await t.type(OTHER);
    await t.waitFor(`IAM role to assume in ${OTHER}`);
    await t.type(`arn:aws:iam::${ACCOUNT}:role/wrong-account`);
    await t.waitFor(`that role is in account ${ACCOUNT}, not ${OTHER}`);
    await t.press(...Array(`arn:aws:iam::${ACCOUNT}:role/wrong-account`.length).fill(KEY.backspace));
    await t.type(`arn:aws:iam::${OTHER}:role/aurora-audit`);
    await t.waitFor(`Which regions of ${OTHER}?`);
    await t.press(KEY.enter);
    await t.waitFor('Add another AWS account?');
    await t.press(KEY.ctrlC);
    expect(await done).toBe(130);
    expect(listFiles(dir)).toEqual([]);
  });

  test('Ctrl+C at any prompt: exit 130, nothing written, no stack trace', async () => {
    const dir = tempDir();
    const { terminal: t, io, done } = startInit(path.join(dir, 'aurora-audit.yaml'));
    await t.waitFor('Which regions');
    await t.press(KEY.ctrlC);
    expect(await done).toBe(130);
    expect(io.stderr).toEqual(['Cancelled; nothing was written.']);
    expect(listFiles(dir)).toEqual([]);
  });

  test('re-running offers the current values, and with no change rewrites nothing, comments included', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'aurora-audit.yaml');
    const first = startInit(file);
    await answerWithDefaults(first.terminal);
    await first.terminal.waitFor('Write aurora-audit.yaml?');
    await first.terminal.press(KEY.enter);
    expect(await first.done).toBe(0);
    const edited = fs
      .readFileSync(file, 'utf8')
      .replace('  events: [CONNECT, QUERY_DCL, QUERY_DDL]', '  events: [CONNECT, QUERY_DCL, QUERY_DDL] # agreed with security, ticket SEC-42')
      .concat('# owned by the DBA team\n');
    fs.writeFileSync(file, edited);

    const { terminal: t, done } = startInit(file);
    await t.waitFor('Updating');
    await t.waitFor('Which regions of 123456789012');
    await t.press(KEY.enter);
    await t.waitFor('Add another AWS account?');
    await t.press(KEY.enter);
    const clusters = await t.waitFor('Which clusters should aurora-audit audit?');
    expect(clusters).toBeDefined();
    await t.waitFor('◉ orders-db');
    await t.press(KEY.enter);
    const rest = ['Which events', 'Which logs', 'How long', 'And the other logs?', 'Which detections', 'Keep these alarm thresholds', 'How should the alarm topic', 'Where should Terraform keep state', 'Which Slack workspace'];
    for (const question of rest) {
      await t.waitFor(question);
      await t.press(KEY.enter);
    }
    await t.waitFor('Slack channel id');
    await t.waitFor('C07EZ1ABC23');
    await t.press(KEY.enter);
    await t.waitFor('(no changes)');
    await t.press(KEY.enter);
    expect(await done).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(edited);
  });

  test('re-running keeps comments and unmanaged keys when an answer changes', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'aurora-audit.yaml');
    fs.writeFileSync(
      file,
      [
        '# our audit config',
        'version: 1',
        'audit:',
        '  events: [CONNECT, QUERY_DCL, QUERY_DDL] # agreed with security',
        '  excludeUsers: [rdsadmin, etl_batch]',
        'notifications:',
        '  slack:',
        '    teamId: T07EA123LEP',
        '    channelId: C07EZ1ABC23',
        '    loggingLevel: INFO',
        'tags:',
        '  CostCenter: dba # billing code',
        'targets:',
        '  - accountId: "123456789012"',
        '    region: eu-west-1',
        '    clusters:',
        '      - identifier: orders-db # the main one',
        '        engine: aurora-mysql',
        '        engineVersion: 8.0.mysql_aurora.3.05.2',
        '        attach: adopt',
        '',
      ].join('\n'),
    );
    const io = capture();
    const code = await initCommand({ config: file, yes: true, events: 'CONNECT,QUERY_DCL,QUERY_DDL,TABLE' }, io, { ...process.env });
    expect(code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    for (const kept of ['# our audit config', '# agreed with security', 'excludeUsers: [rdsadmin, etl_batch]', 'loggingLevel: INFO', 'CostCenter: dba # billing code', '- identifier: orders-db # the main one']) {
      expect(text).toContain(kept);
    }
    expect(text).toContain('events: [CONNECT, QUERY_DCL, QUERY_DDL, TABLE] # agreed with security');
  });
});

describe('init records what it found, and what leaves the config', () => {
  test("records the cluster's parameter group and its user parameters, so synthesis keeps them offline", async () => {
    const io = capture();
    const code = await initCommand({ regions: 'eu-west-1', clusters: 'orders-db,reports', slackChannelId: 'C07EZ1ABC23', yes: true }, io, { ...process.env });
    expect(code).toBe(0);
    const model = parseConfig(io.stdout.join('\n'), 'stdout');
    const [orders, reports] = model.stacks[0].clusters;
    expect(orders.parameterGroup).toMatchObject({ mode: 'adopt', name: 'orders-params', rebootReasons: [] });
    expect(reports.engine).toBe('aurora-postgresql');
    expect(reports.parameterGroup.parameters.find((p) => p.name === 'shared_preload_libraries')?.value).toBe('pg_stat_statements,pgaudit');
    expect(io.stdout.join('\n')).toContain('pgauditLog: [ddl, role]');
  });

  test('a cluster dropped on a re-run moves to retired, and comes back out when chosen again', async () => {
    const file = path.join(tempDir(), 'aurora-audit.yaml');
    const flags = { config: file, regions: 'eu-west-1', slackChannelId: 'C07EZ1ABC23', yes: true };
    expect(await initCommand({ ...flags, clusters: 'orders-db,billing' }, capture(), { ...process.env })).toBe(0);
    expect(await initCommand({ ...flags, clusters: 'orders-db' }, capture(), { ...process.env })).toBe(0);
    const model = parseConfig(fs.readFileSync(file, 'utf8'), file);
    expect(model.stacks[0].clusters.map((c) => c.identifier)).toEqual(['orders-db']);
    // What the stack must forget is recorded with it: the stack it was in, and the group it used.
    expect(model.stacks[0].retiredClusters).toEqual([expect.objectContaining({ identifier: 'billing', attach: 'adopt' })]);
    expect(parseYaml(fs.readFileSync(file, 'utf8')).retired).toEqual([
      expect.objectContaining({ accountId: '123456789012', region: 'eu-west-1', identifier: 'billing', stack: '123456789012-eu-west-1' }),
    ]);
    expect(fs.readFileSync(file, 'utf8')).toContain('retired:');
    expect(await initCommand({ ...flags, clusters: 'orders-db,billing' }, capture(), { ...process.env })).toBe(0);
    const again = parseConfig(fs.readFileSync(file, 'utf8'), file);
    expect(again.stacks[0].retiredClusters).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('retired:');
  });
});

describe('init from flags, as a pipeline runs it', () => {
  const flags = {
    regions: 'eu-west-1',
    clusters: 'orders-db,billing',
    attach: 'adopt',
    slackChannelId: 'C07EZ1ABC23',
  };

  test('the same answers as flags give the same config as the prompts', async () => {
    const dir = tempDir();
    const interactive = path.join(dir, 'interactive.yaml');
    const { terminal: t, done } = startInit(interactive);
    await answerWithDefaults(t);
    await t.waitFor('Write interactive.yaml?');
    await t.press(KEY.enter);
    expect(await done).toBe(0);

    const io = capture();
    const code = await initCommand({ ...flags, yes: true }, io, { ...process.env });
    expect(code).toBe(0);
    expect(`${io.stdout.join('\n')}\n`).toBe(fs.readFileSync(interactive, 'utf8'));
  });

  test('with --config it writes the file instead of printing it', async () => {
    const file = path.join(tempDir(), 'audit.yaml');
    const io = capture();
    expect(await initCommand({ ...flags, config: file, yes: true }, io, { ...process.env })).toBe(0);
    expect(io.stdout).toEqual([]);
    expect(parseConfig(fs.readFileSync(file, 'utf8'), file).stacks[0].clusters).toHaveLength(2);
  });

  test('missing answers are exit 2, naming the flags to pass, and nothing is written', async () => {
    const dir = tempDir();
    const io = capture();
    const code = await initCommand({ config: path.join(dir, 'aurora-audit.yaml'), yes: true }, io, { ...process.env });
    expect(code).toBe(2);
    expect(io.stderr.join('\n')).toContain('these have no answer yet: --clusters <id,...> --slack-channel-id <C...>');
    expect(listFiles(dir)).toEqual([]);
  });

  test('bad flags are refused with the same words as a bad config', async () => {
    const io = capture();
    const code = await initCommand({ ...flags, regions: 'eu-wst-1', events: 'connect', yes: true }, io, { ...process.env });
    expect(code).toBe(2);
    expect(io.stderr).toEqual([
      '--regions: "eu-wst-1" is not a known AWS region; did you mean eu-west-1?',
      '--events: "connect" must be in capitals, as Aurora requires: write CONNECT',
    ]);
  });

  test('a number that is not a number says so, in words, for every numeric flag', async () => {
    const io = capture();
    const code = await initCommand({ ...flags, threshold: ['drop-statements=abc'], period: ['failed-connections=5m'], auditRetentionDays: 'a year', yes: true }, io, { ...process.env });
    expect(code).toBe(2);
    expect(io.stderr).toEqual([
      '--audit-retention-days: "a year" is not a number; type one, such as 5',
      '--threshold: drop-statements="abc" is not a number; type one, such as 5',
      '--period: failed-connections="5m" is not a number; type one, such as 5',
    ]);
  });

  test('an audit retention under 90 days is refused at the flag: the wizard never offers one, and a short one is written by hand with its acceptance', async () => {
    const io = capture();
    const dir = process.cwd();
    const before = listFiles(dir);
    const code = await initCommand({ ...flags, auditRetentionDays: '30', yes: true }, io, { ...process.env });
    expect(code).toBe(2);
    expect(io.stderr).toEqual([
      '--audit-retention-days: "30" is under 90 days, which PCI DSS v4.0 (requirement 10.5.1) and OMB M-21-31 do not allow for audit records; use 90 or more (365 for a year). To keep fewer on purpose, write audit.retentionDays and audit.shortRetentionAccepted: true in the config by hand',
    ]);
    expect(listFiles(dir)).toEqual(before);
  });

  test('a cluster that is not there is refused', async () => {
    const io = capture();
    expect(await initCommand({ ...flags, clusters: 'orders-db,nope', yes: true }, io, { ...process.env })).toBe(2);
    expect(io.stderr.join('\n')).toContain('"nope" was not found in 123456789012/eu-west-1');
  });

  test('a typo in a name gets the name it is nearest: a cluster, a detection, a region; a threshold is a whole number', async () => {
    const typo = capture();
    expect(await initCommand({ ...flags, clusters: 'orders-dbb', yes: true }, typo, { ...process.env })).toBe(2);
    expect(typo.stderr.join('\n')).toContain('--clusters: "orders-dbb" was not found in 123456789012/eu-west-1 (did you mean orders-db?)');
    const detection = capture();
    expect(await initCommand({ ...flags, detections: 'drop-statement', yes: true }, detection, { ...process.env })).toBe(2);
    expect(detection.stderr.join('\n')).toContain('--detections: "drop-statement" is not a detection (did you mean drop-statements?)');
    const region = capture();
    expect(await initCommand({ ...flags, regions: 'us-east1', yes: true }, region, { ...process.env })).toBe(2);
    expect(region.stderr.join('\n')).toContain('"us-east1" is not an AWS region name; did you mean us-east-1?');
    const threshold = capture();
    expect(await initCommand({ ...flags, threshold: ['drop-statements=2.5'], yes: true }, threshold, { ...process.env })).toBe(2);
    expect(threshold.stderr.join('\n')).toContain('--threshold: "2.5" must be a whole number greater than 0 (matching lines)');
  });

  test('several accounts, each with its role and regions, are discovered and become targets', async () => {
    const io = capture();
    const code = await initCommand(
      {
        ...flags,
        clusters: 'orders-db,us-east-2/shared-db:external',
        account: [`id=${OTHER};role=arn:aws:iam::${OTHER}:role/aurora-audit;regions=us-east-2`],
        yes: true,
      },
      io,
      { ...process.env },
    );
    expect(code).toBe(0);
    const model = parseConfig(io.stdout.join('\n'), 'stdout');
    expect(model.stacks.map((s) => [s.accountId, s.region, s.roleArn, s.clusters.map((c) => `${c.identifier}:${c.attach}`)])).toEqual([
      [ACCOUNT, 'eu-west-1', undefined, ['orders-db:adopt']],
      [OTHER, 'us-east-2', `arn:aws:iam::${OTHER}:role/aurora-audit`, ['shared-db:external']],
    ]);
    // The workspace was seen authorized in the first account only: the next steps name the other, and only it.
    expect(io.stderr.join('\n')).toContain(`Authorize Slack workspace T07EA123LEP in account ${OTHER} before deploying`);
  });
});

describe('a Slack channel per account', () => {
  test('from flags: an account with slack= alarms to its own channel, the others to the top-level one', async () => {
    const io = capture();
    const code = await initCommand(
      {
        regions: 'eu-west-1',
        attach: 'adopt',
        slackChannelId: 'C07EZ1ABC23',
        clusters: 'orders-db,us-east-2/shared-db:external',
        account: [`id=${OTHER};role=arn:aws:iam::${OTHER}:role/aurora-audit;regions=us-east-2;slack=C0OTHER0001`],
        yes: true,
      },
      io,
      { ...process.env },
    );
    expect(code).toBe(0);
    const model = parseConfig(io.stdout.join('\n'), 'stdout');
    expect(model.stacks.map((s) => [s.accountId, s.slack.channelId])).toEqual([
      [ACCOUNT, 'C07EZ1ABC23'],
      [OTHER, 'C0OTHER0001'],
    ]);
  });

  test('in the wizard: asked once there are two accounts, per account, defaulting to the top-level channel; kept on a re-run', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'aurora-audit.yaml');
    // Accounts and clusters from flags; every other question asked, and answered with its default.
    const { terminal: t, done } = startInit(file, {
      regions: 'eu-west-1',
      account: [`id=${OTHER};role=arn:aws:iam::${OTHER}:role/aurora-audit;regions=us-east-2`],
      clusters: 'orders-db,us-east-2/shared-db:external',
      attach: 'adopt',
    });
    for (const [question, keys] of QUESTIONS.slice(4)) {
      await t.waitFor(question);
      if (question === 'Where should Terraform keep state') {
        // Two accounts are a fleet: S3 state is offered first. Local files are chosen here, to keep the test offline.
        // The cursor starts on S3 (waitFor times out otherwise).
        await t.waitFor('❯ an S3 bucket');
        await t.press(KEY.up, KEY.enter);
        continue;
      }
      await t.press(...keys);
    }
    await t.waitFor('Slack channel id');
    await t.type('C07EZ1ABC23');
    await t.waitFor("Send each account's alarms to a Slack channel of its own?");
    await t.type('y');
    await t.waitFor(`Slack channel id for account ${ACCOUNT}`);
    await t.press(KEY.enter);
    await t.waitFor(`Slack channel id for account ${OTHER}`);
    await t.press(...Array('C07EZ1ABC23'.length).fill(KEY.backspace));
    await t.type('C0OTHER0001');
    await t.waitFor('Write aurora-audit.yaml?');
    await t.press(KEY.enter);
    expect(await done).toBe(0);
    const model = parseConfig(fs.readFileSync(file, 'utf8'), file);
    expect(model.stacks.map((s) => [s.accountId, s.slack.channelId])).toEqual([
      [ACCOUNT, 'C07EZ1ABC23'],
      [OTHER, 'C0OTHER0001'],
    ]);
    const written = fs.readFileSync(file, 'utf8');
    const again = await initCommand({ config: file, yes: true }, capture(), { ...process.env });
    expect(again).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(written);
  });
});

describe('a Slack channel per target, as written by hand', () => {
  test('two targets of one account, only one with a channel of its own: a re-run leaves the other on the top-level channel', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'aurora-audit.yaml');
    const first = await initCommand({ regions: 'eu-west-1', attach: 'adopt', slackChannelId: 'C07EZ1ABC23', clusters: 'orders-db', config: file, yes: true }, capture(), { ...process.env });
    expect(first).toBe(0);
    const doc = parseYaml(fs.readFileSync(file, 'utf8'));
    doc.targets.push({ ...doc.targets[0], region: 'us-east-2', clusters: [{ ...doc.targets[0].clusters[0], identifier: 'orders-us' }] });
    doc.targets[0].notifications = { slack: { channelId: 'C0ORDERS001' } };
    fs.writeFileSync(file, stringify(doc));
    const written = fs.readFileSync(file, 'utf8');
    const model = (text: string) => parseConfig(text, file).stacks.map((s) => [s.region, s.slack.channelId]);
    expect(model(written)).toEqual([['eu-west-1', 'C0ORDERS001'], ['us-east-2', 'C07EZ1ABC23']]);
    // The account has two different answers (a channel, and none): neither becomes the account's; both stay as written.
    const again = await initCommand({ config: file, yes: true, regions: 'eu-west-1,us-east-2' }, capture(), { ...process.env });
    expect(again).toBe(0);
    expect(model(fs.readFileSync(file, 'utf8'))).toEqual([['eu-west-1', 'C0ORDERS001'], ['us-east-2', 'C07EZ1ABC23']]);
  });
});

describe('init and other accounts', () => {
  test('never discovers another account with the identity of this one; it asks for a role instead', async () => {
    const io = capture();
    const code = await initCommand({ accountId: OTHER, regions: 'us-east-2', clusters: 'shared-db', slackChannelId: 'C07EZ1ABC23', yes: true }, io, { ...process.env });
    expect(code).toBe(2);
    expect(io.stderr.join('\n')).toContain(`Not looking in ${OTHER}: the identity is in ${ACCOUNT}, so give a role to assume`);
    expect(io.stderr.join('\n')).toContain('--engine-version shared-db=<version>');
  });
});

describe('init without AWS', () => {
  test('no credentials: says so once, in one line, and takes typed entries', async () => {
    const undo = useEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: undefined });
    try {
      const dir = tempDir();
      const file = path.join(dir, 'aurora-audit.yaml');
      const { terminal: t, done } = startInit(file);
      await t.waitFor('AWS: no AWS credentials found');
      await t.waitFor('AWS account id');
      await t.type(ACCOUNT);
      await t.waitFor('Which regions');
      await t.press(KEY.enter);
      await t.waitFor('Add another AWS account?');
      await t.press(KEY.enter);
      await t.waitFor(`Cluster identifiers in ${ACCOUNT}/eu-west-1`);
      await t.type('orders-db');
      await t.waitFor('Engine version of orders-db');
      await t.type('9.1');
      await t.waitFor('"9.1" is not a supported Aurora MySQL version');
      await t.press(KEY.backspace, KEY.backspace, KEY.backspace);
      await t.type('8.0');
      await t.waitFor('How should aurora-audit attach orders-db?');
      await t.press(KEY.enter);
      for (const question of ['Which events', 'Which logs', 'How long', 'And the other logs?', 'Which detections', 'Keep these alarm thresholds', 'How should the alarm topic', 'Where should Terraform keep state']) {
        await t.waitFor(question);
        await t.press(KEY.enter);
      }
      await t.waitFor('Slack workspace id');
      await t.type('T07EA123LEP');
      await t.waitFor('Slack channel id');
      await t.type('C07EZ1ABC23');
      await t.waitFor('Write aurora-audit.yaml?');
      await t.press(KEY.enter);
      expect(await done).toBe(0);
      expect(t.screen.match(/no AWS credentials found/g)).toHaveLength(1);
      expect(t.screen).not.toMatch(/^\s+at /m);
      expect(t.screen).toContain('Authorize Slack workspace T07EA123LEP');
      expect(parseConfig(fs.readFileSync(file, 'utf8'), file).stacks[0].clusters[0]).toMatchObject({ identifier: 'orders-db', family: 'aurora-mysql8.0' });
    } finally {
      undo();
    }
  });
});

describe('init and a parameter group that other clusters use', () => {
  test('records the clusters outside the config that use the kept group; the model names them', async () => {
    const shared = await startFakeAws({
      accounts: [
        {
          accountId: ACCOUNT,
          slackWorkspaces: [{ id: 'T07EA123LEP', name: 'acme' }],
          regions: {
            'eu-west-1': {
              clusters: [
                { identifier: 'orders-db', parameterGroup: 'orders-params' },
                { identifier: 'orders-replica', parameterGroup: 'orders-params' },
                { identifier: 'billing' },
              ],
              parameterGroups: { 'orders-params': { max_connections: '500' } },
            },
          },
        },
      ],
    });
    const undo = useEnv(fakeAwsEnv(shared, ACCOUNT, { CI: undefined }));
    try {
      const io = capture();
      expect(await initCommand({ regions: 'eu-west-1', clusters: 'orders-db,billing', slackChannelId: 'C07EZ1ABC23', yes: true }, io, { ...process.env })).toBe(0);
      const written = parseYaml(io.stdout.join('\n'));
      expect(written.targets[0].clusters[0].parameterGroup).toEqual({ name: 'orders-params', parameters: { max_connections: '500' }, alsoUsedBy: ['orders-replica'] });
      // A default group is every cluster's on that engine: nothing to record.
      expect(written.targets[0].clusters[1].parameterGroup).not.toHaveProperty('alsoUsedBy');
      const model = parseConfig(io.stdout.join('\n'), 'stdout');
      expect(model.stacks[0].clusters[0].parameterGroup).toMatchObject({ mode: 'adopt', alsoUsedBy: ['orders-replica'], sharedWith: [] });
    } finally {
      undo();
      await shared.close();
    }
  });
});
