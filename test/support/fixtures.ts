/**
 * A typical valid config, so each test states only what differs from it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { parseConfig } from '../../config/load';
import type { AuditModel } from '../../config/model';
import { ConfigError, formatProblem } from '../../config/problems';

export const ROOT = path.resolve(__dirname, '..', '..');
export const TEMPLATES = fs
  .readdirSync(path.join(ROOT, 'templates'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => path.join(ROOT, 'templates', f));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export function baseConfig(): Json {
  return {
    version: 1,
    notifications: { slack: { teamId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' } },
    targets: [
      {
        name: 'prod',
        accountId: '123456789012',
        region: 'eu-west-1',
        clusters: [
          { identifier: 'orders-db', engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.05.2', attach: 'adopt' },
          { identifier: 'billing', engine: 'aurora-mysql', engineVersion: '5.7', attach: 'external' },
        ],
      },
    ],
  };
}

/** The base config with `change` applied to a deep copy. */
export function configWith(change: (config: Json) => void): Json {
  const config = structuredClone(baseConfig());
  change(config);
  return config;
}

export function modelOf(config: Json): AuditModel {
  return parseConfig(stringify(config), 'test.yaml');
}

/** The problems a config (an object, or the text of a file) gets, each as `path: message`; fails if it is accepted. */
export function problemsOf(config: Json | string, file = 'test.yaml'): string[] {
  try {
    parseConfig(typeof config === 'string' ? config : stringify(config), file);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => formatProblem(p));
    throw e;
  }
  throw new Error('the config was accepted');
}

const created: string[] = [];

/** A fresh temporary directory, removed when the test file ends (test/setup.ts). */
export function tempDir(prefix = 'aurora-audit-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every directory tempDir made in this test file, and what processes left beside them. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function writeConfig(dir: string, config: Json | string, name = 'aurora-audit.yaml'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof config === 'string' ? config : stringify(config));
  return file;
}

/** Every file under a directory, relative, sorted: to prove that nothing was written. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')).sort();
}
