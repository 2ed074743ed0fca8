/** Where the CLI writes, so tests can run commands in-process and read what a user would see. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** A problem with the machine, not the config or a bug: said in one line, exit 1, no stack trace. */
export class EnvironmentError extends Error {}
