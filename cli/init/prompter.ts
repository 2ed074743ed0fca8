/**
 * The questions init asks, behind a small interface so the wizard reads the same whether it talks to a terminal
 * (@inquirer/prompts) or to a test that types keys into streams.
 */
import type { Readable, Writable } from 'node:stream';

export interface Choice<T> {
  readonly name: string;
  /** What the answer line shows once picked. @default - the name */
  readonly short?: string;
  readonly value: T;
  readonly description?: string;
  readonly checked?: boolean;
  /** A reason shown beside a choice that cannot be picked. */
  readonly disabled?: string | false;
}

export interface Prompter {
  select<T>(message: string, choices: ReadonlyArray<Choice<T>>, defaultValue?: T): Promise<T>;
  checkbox<T>(message: string, choices: ReadonlyArray<Choice<T>>, validate?: (values: readonly T[]) => string | true): Promise<T[]>;
  /** A checkbox list that narrows as the person types (for long lists of short names: regions). */
  filterCheckbox(message: string, choices: ReadonlyArray<Choice<string>>, validate?: (values: readonly string[]) => string | true): Promise<string[]>;
  input(message: string, options?: { default?: string; validate?: (value: string) => string | true }): Promise<string>;
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
  /** Prints a line to the person. */
  say(text: string): void;
}

export interface Terminal {
  readonly input: Readable;
  readonly output: Writable;
}

/** A prompter on a terminal (a TTY, or streams a test drives). Loaded only when init runs interactively. */
export async function inquirerPrompter(terminal: Terminal): Promise<Prompter> {
  const [{ checkbox, confirm, input, select }, { filterCheckbox }] = await Promise.all([import('@inquirer/prompts'), import('./filter-checkbox')]);
  const context = { input: terminal.input, output: terminal.output, clearPromptOnDone: false };
  return {
    select: (message, choices, defaultValue) =>
      select({ message, choices: choices.map((c) => ({ name: c.name, short: c.short, value: c.value, description: c.description, disabled: c.disabled ?? false })), default: defaultValue, pageSize: 12 }, context),
    checkbox: (message, choices, validate) =>
      checkbox(
        {
          message,
          choices: choices.map((c) => ({ name: c.name, short: c.short, value: c.value, description: c.description, checked: c.checked ?? false, disabled: c.disabled ?? false })),
          pageSize: 12,
          validate: validate ? (items) => validate(items.map((i) => i.value)) : undefined,
        },
        context,
      ),
    filterCheckbox: (message, choices, validate) =>
      filterCheckbox({ message, choices: choices.map((c) => ({ name: c.name, value: c.value, checked: c.checked })), pageSize: 12, validate }, context),
    input: (message, options = {}) => input({ message, default: options.default, validate: options.validate }, context),
    confirm: (message, defaultValue) => confirm({ message, default: defaultValue }, context),
    say: (text) => terminal.output.write(`${text}\n`),
  };
}
