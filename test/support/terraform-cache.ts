/**
 * Terraform's answers, kept between test runs outside the clone: the suite asks Terraform the same questions run after
 * run (most commits change nothing that reaches the synthesized JSON), and each costs a provider start or two.
 *
 * The key is every file given to Terraform (path and bytes), the command, Terraform's version, and the provider's
 * version and binary (its size and modification time). Any difference is a different key, so a cached answer is only
 * ever one Terraform gave to exactly these inputs. Only answers Terraform gave without failing are kept.
 *
 * Two test processes asking the same question at once (two files building the same base state) ask Terraform once:
 * the second waits for the first's answer.
 *
 * Where: AURORA_AUDIT_TF_CACHE names the directory, `off` turns it off; else $XDG_CACHE_HOME/aurora-audit/terraform
 * (~/.cache/aurora-audit/terraform). Entries unused for 30 days are removed when a run starts. Clearing it is
 * `rm -rf` of that directory.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROVIDER_VERSION, terraformStatus } from './terraform-env';

/** Bumped when what is stored, or how the key is made, changes. */
const FORMAT = 1;
const UNUSED_DAYS = 30;
/** Longer than any one Terraform command takes here: a claim older than this was left by a killed run. */
const STALE_CLAIM_MS = 10 * 60 * 1000;

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = env.AURORA_AUDIT_TF_CACHE;
  if (named === 'off') return undefined;
  if (named) return path.resolve(named);
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'aurora-audit', 'terraform');
}

/** Files Terraform is not given but makes itself, or that the tests write from its answer. */
const NOT_INPUT = new Set(['.terraform', '.terraform.lock.hcl', 'plan.bin', 'plan.json']);

/** Every file under `dir` that Terraform reads, as [relative path, sha256], in a stable order. */
export function filesOf(dir: string): Array<[string, string]> {
  const files: Array<[string, string]> = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      if (NOT_INPUT.has(entry.name) && relative === '') continue;
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(name);
      else files.push([name, createHash('sha256').update(fs.readFileSync(path.join(dir, name))).digest('hex')]);
    }
  };
  walk('');
  return files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

let versions: string | undefined;

/** Terraform's version and the provider binary's identity: part of every key. */
function toolVersions(): string {
  if (versions) return versions;
  const status = terraformStatus();
  const dir = path.join(status.mirror ?? '', 'registry.terraform.io', 'hashicorp', 'aws', PROVIDER_VERSION);
  const binaries = fs.existsSync(dir)
    ? fs.readdirSync(dir).flatMap((platform) =>
        fs.readdirSync(path.join(dir, platform)).map((f) => {
          const stat = fs.statSync(path.join(dir, platform, f));
          return `${platform}/${f}:${stat.size}:${stat.mtimeMs}`;
        }),
      )
    : [];
  versions = JSON.stringify({ terraform: status.version, provider: PROVIDER_VERSION, binaries });
  return versions;
}

export function answerKey(command: readonly string[], files: ReadonlyArray<[string, string]>): string {
  return createHash('sha256').update(JSON.stringify({ format: FORMAT, tools: toolVersions(), command, files })).digest('hex');
}

/** The answer to `command` over `files`: from the cache when Terraform gave it before, else from `ask`, then kept. */
export async function cachedAnswer(command: readonly string[], files: ReadonlyArray<[string, string]>, ask: () => Promise<string>): Promise<string> {
  const dir = cacheDir();
  if (!dir) return ask();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${answerKey(command, files)}.json`);
  const kept = readAnswer(file);
  if (kept !== undefined) return kept;
  // Another test process asking the same question (two files building the same base state) is waited for.
  const pending = `${file}.pending`;
  if (!claim(pending)) {
    const answer = await answerOf(file, pending);
    if (answer !== undefined) return answer;
  }
  try {
    const answer = await ask();
    // Written whole, then renamed: a reader in another test process sees the whole answer or none.
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, answer);
    fs.renameSync(partial, file);
    return answer;
  } finally {
    fs.rmSync(pending, { force: true });
  }
}

function readAnswer(file: string): string | undefined {
  try {
    const answer = fs.readFileSync(file, 'utf8');
    const now = new Date();
    fs.utimesSync(file, now, now);
    return answer;
  } catch {
    return undefined;
  }
}

/** Whether this process may ask: no other is asking, or the one that was left its claim behind long ago. */
function claim(pending: string): boolean {
  try {
    fs.closeSync(fs.openSync(pending, 'wx'));
    return true;
  } catch {
    try {
      if (fs.statSync(pending).mtimeMs < Date.now() - STALE_CLAIM_MS) {
        fs.writeFileSync(pending, '');
        return true;
      }
    } catch {
      return claim(pending);
    }
    return false;
  }
}

/** The answer another process is getting: undefined when it gave up (its claim went without an answer). */
async function answerOf(file: string, pending: string): Promise<string | undefined> {
  for (;;) {
    const answer = readAnswer(file);
    if (answer !== undefined) return answer;
    let claimed: number;
    try {
      claimed = fs.statSync(pending).mtimeMs;
    } catch {
      return readAnswer(file);
    }
    if (claimed < Date.now() - STALE_CLAIM_MS) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Removes answers unused for 30 days, and partial files a killed run left. */
export function pruneCache(env: NodeJS.ProcessEnv = process.env): void {
  const dir = cacheDir(env);
  if (!dir || !fs.existsSync(dir)) return;
  const oldest = Date.now() - UNUSED_DAYS * 24 * 3600 * 1000;
  for (const f of fs.readdirSync(dir)) {
    const file = path.join(dir, f);
    try {
      const stat = fs.statSync(file);
      const leftOver = (f.endsWith('.partial') || f.endsWith('.pending')) && stat.mtimeMs < Date.now() - STALE_CLAIM_MS;
      if (stat.mtimeMs < oldest || leftOver) fs.rmSync(file, { force: true });
    } catch {
      // Removed meanwhile by another run.
    }
  }
}
