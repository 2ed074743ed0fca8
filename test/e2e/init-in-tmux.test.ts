/**
 * A person at a real terminal: `aurora-audit init` runs in tmux, answered with key presses (send-keys) while the
 * screen is read back (capture-pane). Discovery goes to the fake AWS server. The config it writes must pass
 * `validate`, and `synth` must turn it into stacks that Terraform validates.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fakeAwsEnv } from '../support/aws-env';
import { dbaAccount, startFakeAws, type FakeAws } from '../support/fake-aws';
import { ROOT, tempDir } from '../support/fixtures';
import { required, status as terraformStatus, validateStack, removeTerraformHome } from '../support/terraform';


const ACCOUNT = '123456789012';
const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', 'aurora-audit-test', ...args], { encoding: 'utf8' });

async function waitForScreen(session: string, text: string | RegExp, timeoutMs = 300_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const screen = tmux('capture-pane', '-p', '-J', '-t', session, '-S', '-300');
    if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
    if (Date.now() > deadline) throw new Error(`"${text}" did not appear; the terminal shows:\n${screen}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The line the shell prints once aurora-audit has exited (not the echo command itself). */
const FINISHED = /^EXIT=\d+/m;

const keys = async (session: string, ...k: string[]) => {
  for (const key of k) {
    tmux('send-keys', '-t', session, key);
    await new Promise((r) => setTimeout(r, 60));
  }
};

if (!hasTmux) {
  describe('terminal', () => {
    if (process.env.AURORA_AUDIT_REQUIRE_TERRAFORM) test('tmux is installed', () => expect(hasTmux).toBe(true));
    else test.todo('aurora-audit init in a real terminal under tmux (tmux not found)');
  });
} else {
  describe('terminal: aurora-audit init under tmux, as a person types it', () => {
    let aws: FakeAws;
    const session = `init-${process.pid}`;

    beforeAll(async () => {
      aws = await startFakeAws({ accounts: [dbaAccount(ACCOUNT)] });
    });

    /** Opens a terminal in `dir` and starts `aurora-audit init` in it, as the user would type it. */
    async function startInit(name: string, dir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<void> {
      const env = { ...fakeAwsEnv(aws, ACCOUNT), CI: '', ...extraEnv };
      const exports = Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(' ');
      tmux('new-session', '-d', '-s', name, '-x', '220', '-y', '60', '-c', dir);
      await keys(name, `env ${exports} node ${path.join(ROOT, 'bin', 'aurora-audit.js')} init; echo "EXIT=$?"`, 'Enter');
    }

    afterAll(async () => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
      removeTerraformHome();
      await aws.close();
    });

    test('from nothing to a config that validates and synthesizes into stacks Terraform accepts', async () => {
      const dir = tempDir();
      const bin = path.join(ROOT, 'bin', 'aurora-audit.js');
      await startInit(session, dir);

      await waitForScreen(session, 'Which regions of 123456789012');
      await keys(session, 'Enter');
      await waitForScreen(session, 'Add another AWS account?');
      await keys(session, 'Enter');
      const list = await waitForScreen(session, 'Which clusters should aurora-audit audit?');
      expect(list).toContain('docdb is not Aurora MySQL or Aurora PostgreSQL');
      await keys(session, 'Space', 'Down', 'Space', 'Enter');
      await waitForScreen(session, 'How should aurora-audit attach orders-db, billing?');
      await keys(session, 'Down', 'Enter'); // external
      await waitForScreen(session, 'Which events should Advanced Auditing log');
      await keys(session, 'Enter');
      for (const question of ['Which logs should each cluster export', 'How long should the audit records', 'And the other logs?', 'Which detections should alarm', 'Keep these alarm thresholds', 'How should the alarm topic', 'Where should Terraform keep state', 'Which Slack workspace']) {
        await waitForScreen(session, question);
        await keys(session, 'Enter');
      }
      await waitForScreen(session, 'Slack channel id');
      await keys(session, 'general', 'Enter');
      await waitForScreen(session, 'is not a Slack channel id');
      await keys(session, 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'C07EZ1ABC23', 'Enter');
      await waitForScreen(session, 'Write aurora-audit.yaml?');
      await keys(session, 'Enter');
      const end = await waitForScreen(session, FINISHED);
      expect(end).toContain('EXIT=0');
      expect(end).toContain('Next steps:');

      const config = path.join(dir, 'aurora-audit.yaml');
      expect(fs.readFileSync(config, 'utf8')).toContain('attach: external');
      const node = (args: string[]) => execFileSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } });
      expect(node(['validate'])).toContain('1 stack, 2 clusters, and 1 account stack, from aurora-audit.yaml');
      expect(node(['synth'])).toContain('Terraform written to cdktf.out/stacks/{123456789012-eu-west-1,account-123456789012}/cdk.tf.json');

      const stackDir = path.join(dir, 'cdktf.out', 'stacks', '123456789012-eu-west-1');
      if (!terraformStatus.available) {
        if (required) throw new Error(`Terraform checks cannot run: ${terraformStatus.reason}`);
        process.stderr.write(`!!! terraform validate of the init-written config did NOT run: ${terraformStatus.reason}\n`);
        return;
      }
      const validate = await validateStack(stackDir);
      expect({ valid: validate.valid, diagnostics: validate.diagnostics }).toEqual({ valid: true, diagnostics: [] });
    });

    test('with CI=true it never asks, even in a terminal', async () => {
      const dir = tempDir();
      await startInit(`${session}-ci`, dir, { CI: 'true' });
      const end = await waitForScreen(`${session}-ci`, FINISHED);
      // A terminal is there: what turned prompting off is CI, and the way to ask anyway is said.
      expect(end).toContain('does not ask while CI=true is set, which says a pipeline runs it; these have no answer yet: --clusters <id,...> --slack-channel-id <C...>');
      expect(end).toContain('ask anyway: CI= aurora-audit init');
      expect(end).toContain('EXIT=2');
      expect(end).not.toContain('? ');
    });

    test('Ctrl+C at a prompt: exit 130 and nothing written', async () => {
      const dir = tempDir();
      await startInit(`${session}-c`, dir);
      await waitForScreen(`${session}-c`, 'Which regions');
      await keys(`${session}-c`, 'C-c');
      const end = await waitForScreen(`${session}-c`, FINISHED);
      expect(end).toContain('Cancelled; nothing was written.');
      expect(end).toContain('EXIT=130');
      expect(end).not.toMatch(/^\s+at /m);
      expect(fs.readdirSync(dir)).toEqual([]);
    });
  });
}
