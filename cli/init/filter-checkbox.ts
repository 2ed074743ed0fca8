/**
 * A checkbox list that narrows as you type: the region question, where a partition offers some thirty regions. Letters,
 * digits and hyphens edit the filter (backspace removes one), up and down move, space picks, enter confirms. What is
 * picked stays picked while the filter hides it, and the line above the list says how many are.
 */
import { createPrompt, isBackspaceKey, isDownKey, isEnterKey, isSpaceKey, isUpKey, useKeypress, usePagination, usePrefix, useState } from '@inquirer/core';

export interface FilterCheckboxConfig {
  readonly message: string;
  readonly choices: ReadonlyArray<{ readonly name: string; readonly value: string; readonly checked?: boolean }>;
  readonly pageSize?: number;
  readonly validate?: (values: readonly string[]) => string | true;
}

export const filterCheckbox = createPrompt<string[], FilterCheckboxConfig>((config, done) => {
  const [status, setStatus] = useState<'idle' | 'done'>('idle');
  const [filter, setFilter] = useState('');
  const [picked, setPicked] = useState<readonly string[]>(config.choices.filter((c) => c.checked).map((c) => c.value));
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | undefined>(undefined);
  const prefix = usePrefix({ status });
  const shown = config.choices.filter((c) => c.name.toLowerCase().includes(filter.toLowerCase()));

  useKeypress((key, rl) => {
    if (isEnterKey(key)) {
      const verdict = config.validate?.(picked) ?? true;
      if (verdict === true) {
        setStatus('done');
        done([...picked]);
      } else setError(verdict);
      return;
    }
    setError(undefined);
    if (isUpKey(key) || isDownKey(key)) {
      if (shown.length > 0) setActive((active + (isUpKey(key) ? shown.length - 1 : 1)) % shown.length);
    } else if (isSpaceKey(key)) {
      const choice = shown[active];
      if (choice) setPicked(picked.includes(choice.value) ? picked.filter((v) => v !== choice.value) : [...picked, choice.value]);
    } else if (isBackspaceKey(key)) {
      setFilter(filter.slice(0, -1));
      setActive(0);
    } else {
      // readline's key events carry the character typed, which inquirer's type leaves out.
      const typed = (key as { sequence?: string }).sequence ?? '';
      if (/^[a-z0-9-]$/i.test(typed)) {
        setFilter(filter + typed.toLowerCase());
        setActive(0);
      }
    }
    // The line editor keeps what was typed; the filter is ours.
    rl.clearLine(0);
  });

  if (status === 'done') return `${prefix} ${config.message} ${picked.join(', ')}`;
  const page = usePagination({
    items: shown,
    active: Math.min(active, Math.max(0, shown.length - 1)),
    pageSize: config.pageSize ?? 12,
    loop: false,
    renderItem: ({ item, isActive }) => `${isActive ? '❯' : ' '}${picked.includes(item.value) ? '◉' : '◯'} ${item.name}`,
  });
  const header = `${prefix} ${config.message} (type to filter, space to pick, enter to confirm)`;
  const state = `  filter: ${filter || '(none)'}; ${picked.length} picked${picked.length ? `: ${picked.join(', ')}` : ''}`;
  const body = shown.length > 0 ? page : '  no region matches; backspace to widen the filter';
  return [`${header}\n${state}\n${body}`, error ? `> ${error}` : ''];
});
