/**
 * A terminal a test types into: key presses go to the prompt's input stream, and what the prompt draws is read
 * back, without ANSI codes, to wait for each question before answering it.
 */
import { PassThrough } from 'node:stream';
import type { Terminal } from '../../cli/init/prompter';

export const KEY = {
  enter: '\r',
  up: '\x1b[A',
  down: '\x1b[B',
  space: ' ',
  ctrlC: '\x03',
  backspace: '\x7f',
} as const;

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]/g;

/**
 * Each prompt pipes into the output and ends its pipe when it is answered; a terminal stays open for the next
 * question, as process.stdout does.
 */
class TerminalOutput extends PassThrough {
  /** A wide terminal, so that lines are not wrapped mid-word. */
  readonly columns = 200;
  readonly rows = 50;

  override end(...args: unknown[]): this {
    const chunk = args.find((a) => typeof a === 'string' || Buffer.isBuffer(a));
    if (chunk !== undefined) this.write(chunk as string);
    return this;
  }
}

export class ScriptedTerminal implements Terminal {
  readonly input = new PassThrough();
  readonly output = new TerminalOutput();
  private raw = '';
  private cursor = 0;

  constructor() {
    this.output.on('data', (chunk: Buffer) => {
      this.raw += chunk.toString('utf8');
    });
  }

  /** Everything drawn so far, as plain text. */
  get screen(): string {
    return this.raw.replace(ANSI, '');
  }

  /** Waits until `pattern` is drawn after the last thing waited for; returns what was drawn up to it. */
  async waitFor(pattern: string | RegExp, timeoutMs = 300_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.screen;
      const rest = text.slice(this.cursor);
      const match = typeof pattern === 'string' ? (rest.includes(pattern) ? { index: rest.indexOf(pattern), 0: pattern } : null) : pattern.exec(rest);
      if (match) {
        this.cursor += match.index + match[0].length;
        return rest.slice(0, match.index + match[0].length);
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen ends with:\n${text.slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Presses keys one after another, as a person would. */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) {
      this.input.write(key);
      await new Promise((r) => setTimeout(r, 15));
    }
  }

  /** Types text, then Enter. */
  async type(text: string): Promise<void> {
    await this.press(...text.split(''), KEY.enter);
  }
}
