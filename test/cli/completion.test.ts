/**
 * `aurora-audit completion`: the bash script completes in a real bash (commands, flags, and the config's stacks and
 * clusters, asked of the built CLI as you type); zsh runs the same function through bashcompinit; fish's lines name
 * every command and flag. zsh and fish need not be on the machine that runs the suite, so their scripts are checked as
 * text here (they were tried by hand in both shells: zsh completes `--stack pr` to the stacks' common prefix; fish's
 * `complete -C` offers the stacks after --stack, and no file names beside them).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from '../support/cli';
import { baseConfig, ROOT, tempDir, writeConfig } from '../support/fixtures';

/** What bash completes for `words` (the last one being completed), in `cwd`, with aurora-audit on the PATH. */
function complete(script: string, words: readonly string[], cwd: string): string[] {
  const bin = tempDir();
  fs.writeFileSync(path.join(bin, 'aurora-audit'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin', 'aurora-audit.js')}" "$@"\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'completion.bash'), script);
  const program = [`source ${JSON.stringify(path.join(bin, 'completion.bash'))}`, `COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')})`, `COMP_CWORD=${words.length - 1}`, '_aurora_audit', 'printf "%s\\n" "${COMPREPLY[@]}"'].join('\n');
  const result = spawnSync('bash', ['-c', program], { cwd, env: { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME, CI: 'true' }, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter(Boolean).sort();
}

describe('aurora-audit completion', () => {
  let script: string;
  beforeAll(async () => {
    const { code, stdout } = await cli(['completion', 'bash'], tempDir());
    expect(code).toBe(0);
    script = stdout;
  });

  test('bash completes the commands, a command\'s own flags, and paths after --config', () => {
    const dir = tempDir();
    expect(complete(script, ['aurora-audit', 've'], dir)).toEqual(['verify']);
    expect(complete(script, ['aurora-audit', 'synth', '--st'], dir)).toEqual(['--stack']);
    expect(complete(script, ['aurora-audit', 'verify', '--dr'], dir)).toEqual(['--drill', '--drill-timeout']);
    fs.writeFileSync(path.join(dir, 'my-config.yaml'), '');
    expect(complete(script, ['aurora-audit', 'validate', '--config', 'my-'], dir)).toEqual(['my-config.yaml']);
  });

  test('bash completes --stack with the config\'s stacks and --cluster with its clusters, as they are now', () => {
    const dir = tempDir();
    writeConfig(dir, baseConfig());
    expect(complete(script, ['aurora-audit', 'synth', '--stack', ''], dir)).toEqual(['account-123456789012', 'prod']);
    expect(complete(script, ['aurora-audit', 'test-patterns', '--cluster', 'o'], dir)).toEqual(['orders-db']);
    // No config: nothing to offer, and no error on the terminal.
    expect(complete(script, ['aurora-audit', 'synth', '--stack', ''], tempDir())).toEqual([]);
  });

  test('every command and flag of the command line is in each script', async () => {
    const zsh = (await cli(['completion', 'zsh'], tempDir())).stdout;
    const fish = (await cli(['completion', 'fish'], tempDir())).stdout;
    expect(zsh).toContain('autoload -U +X bashcompinit && bashcompinit');
    expect(zsh).toContain(script.split('\n').filter((l) => l.startsWith('_aurora_audit()'))[0]);
    const help = (await cli(['--help'], tempDir())).stdout;
    const commands = [...help.matchAll(/^ {2}([a-z-]+)(?: \[[^\]]+\])?(?: \[options\])? /gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThan(10);
    for (const command of commands) {
      expect(fish).toContain(`-n __fish_use_subcommand -a ${command}`);
      // A flag that takes the config's stacks or clusters offers those alone (-f: no file names beside them).
      expect(fish).not.toMatch(/ -r -a "\(aurora-audit completion --names/);
      const flags = [...(await cli([command, '--help'], tempDir())).stdout.matchAll(/--([a-z-]+)/g)].map((m) => m[1]);
      for (const flag of new Set(flags)) {
        expect({ command, flag, bash: script.includes(`--${flag}`) }).toEqual({ command, flag, bash: true });
        expect({ command, flag, fish: fish.includes(`"__fish_seen_subcommand_from ${command}" -l ${flag}`) }).toEqual({ command, flag, fish: true });
      }
    }
  });

  test('an unknown shell or kind of name is a usage error', async () => {
    expect(await cli(['completion', 'tcsh'], tempDir())).toMatchObject({ code: 2, stderr: expect.stringContaining('"tcsh" is not supported; use bash, zsh, fish') });
    expect(await cli(['completion', '--names', 'regions'], tempDir())).toMatchObject({ code: 2, stderr: expect.stringContaining('--names: "regions" is not allowed; use stacks or clusters') });
  });
});
