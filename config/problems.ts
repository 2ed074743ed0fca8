/**
 * Config problems: one line each, `<path>: <bad value> <what is wrong>; <what is allowed>`.
 */
import type { z } from 'zod';

export interface Problem {
  /** Where in the config: `targets[1].clusters[0].engineVersion`; empty for the file as a whole. */
  readonly path: string;
  readonly message: string;
  /** 1-based line in the YAML file, when known. */
  readonly line?: number;
}

/** What a ConfigError is about: the config's content, the flag or variable that names it, or no config at all. */
export type ConfigErrorSubject = 'config' | '--config' | '$AURORA_AUDIT_CONFIG' | 'no config';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
    readonly subject: ConfigErrorSubject = 'config',
  ) {
    super(problems.map((p) => formatProblem(p, file)).join('\n'));
  }
}

export type PathSegment = string | number;

export function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/** The path formatPath wrote, back as segments: `targets[2].clusters[0]`, `accounts[0].regions.eu-west-1`. */
export function parsePath(configPath: string): PathSegment[] {
  return configPath.split(/\.|(?=\[)/).map((part): PathSegment => {
    const m = /^\[(\d+)\]$/.exec(part);
    return m ? Number(m[1]) : part;
  });
}

/** A value as it appears in a message: strings quoted, long values cut. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Items as prose: `5.7, 8.0 and 8.4`. */
export function andList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `aurora-audit.yaml:12: targets[0].region: "EU-west-1" is not an AWS region name; ...` */
export function formatProblem(p: Problem, file?: string): string {
  const location = file ? `${file}${p.line ? `:${p.line}` : ''}: ` : '';
  return `${location}${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** What the loader knows about the YAML text, to say a value as the user wrote it. */
export interface SourceLookup {
  /** The value as written in the file (`8.0`, where YAML read the number 8). */
  textAt(path: readonly PathSegment[]): string | undefined;
  lineAt(path: readonly PathSegment[]): number | undefined;
}

/** Turns zod issues into problems. `allowedKeysAt` lists the keys an object at a path accepts. */
export function problemsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  source: SourceLookup,
  allowedKeysAt: (path: readonly PathSegment[]) => readonly string[],
): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path as PathSegment[];
    const input = (issue as { input?: unknown }).input;
    const line = source.lineAt(path);
    const add = (p: readonly PathSegment[], message: string) => problems.push({ path: formatPath(p), message, line: source.lineAt(p) ?? line });
    const custom = !/^(Invalid|Too (small|big)|Unrecognized)/.test(issue.message);

    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = allowedKeysAt(path);
        for (const key of issue.keys) {
          const near = closest(key, allowed);
          add([...path, key], `is not a known key${near ? ` (did you mean ${near}?)` : ''}; allowed here: ${allowed.join(', ')}`);
        }
        break;
      }
      case 'invalid_type': {
        if (input === undefined) {
          add(path, `is required${custom ? `: ${issue.message}` : ` (${issue.expected})`}`);
        } else if (issue.expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')) {
          const written = source.textAt(path) ?? String(input);
          add(path, `${written} reads as a ${typeof input} in YAML; quote it ("${written}") to keep it as text${custom ? `. ${capitalize(issue.message)}` : ''}`);
        } else {
          const got = input === null ? 'empty' : Array.isArray(input) ? 'a list' : typeof input === 'object' ? 'a mapping' : `a ${typeof input}`;
          add(path, `${show(input)} is ${got}; ${custom ? issue.message : `expected ${article(issue.expected)}`}`);
        }
        break;
      }
      case 'invalid_key': {
        // A key of a record (a tag key, a parameter name) that its own rule refuses: say that rule's words.
        const inner = (issue as { issues?: Array<{ message: string }> }).issues ?? [];
        add(path, `${show(input)} ${inner.map((i) => i.message).join('; ') || 'is not an allowed key'}`);
        break;
      }
      case 'invalid_value':
        // A missing value has nothing to show: the rule's own words say what is required.
        if (input === undefined) add(path, custom ? issue.message : `is required; use ${issue.values.map((v) => String(v)).join(', ')}`);
        else add(path, `${show(input)} ${custom ? issue.message : `is not allowed; use ${issue.values.map((v) => String(v)).join(', ')}`}`);
        break;
      case 'invalid_union': {
        // A discriminated union whose discriminator is missing or unknown (encryption.mode, backend.type).
        const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
        if (discriminator && options) {
          const value = (input as Record<string, unknown> | undefined)?.[discriminator];
          const allowed = options.map(String).join(', ');
          add(path, value === undefined ? `is required; use one of ${allowed}` : `${show(value)} is not allowed; use one of ${allowed}`);
        } else {
          add(path, `${show(input)} ${issue.message}`);
        }
        break;
      }
      default:
        add(path, `${show(input)} ${custom ? issue.message : issue.message.toLowerCase()}`);
    }
  }
  return problems;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function article(type: string): string {
  if (type === 'array') return 'a list';
  if (type === 'object') return 'a mapping';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The allowed word nearest to `word`, if it is a plausible typo of it. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
