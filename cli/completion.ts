/**
 * `aurora-audit completion bash|zsh|fish`: a completion script for the commands and their flags, read from the
 * command line's own definition, so that it never falls behind; and, for --stack, --cluster and --clusters, the names
 * of the config at hand, asked at completion time (`aurora-audit completion --names stacks|clusters`, which prints
 * nothing when there is no readable config).
 */
import type { Command } from 'commander';
import { loadConfig } from '../config/load';
import { stackNames } from '../config/model';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Flags whose value is a file or directory, and flags whose value is a name of the config. */
const PATH_FLAGS = ['--config', '--log', '--out', '--since'];
const NAME_FLAGS: Record<string, 'stacks' | 'clusters'> = { '--stack': 'stacks', '--cluster': 'clusters', '--clusters': 'clusters' };

interface CommandSpec {
  readonly name: string;
  readonly flags: ReadonlyArray<{ readonly long: string; readonly short?: string; readonly takesValue: boolean }>;
}

function commandsOf(program: Command): CommandSpec[] {
  return program.commands
    .filter((c) => c.name() !== 'help')
    .map((c) => ({
      name: c.name(),
      flags: [...c.options.map((o) => ({ long: o.long ?? '', short: o.short, takesValue: o.required || o.optional })), { long: '--help', short: '-h', takesValue: false }].filter((f) => f.long),
    }));
}

/** The names a flag completes to: the config's stacks, or its clusters; none without a readable config. */
export function configNames(kind: 'stacks' | 'clusters', env: NodeJS.ProcessEnv): string[] {
  try {
    const { model } = loadConfig({ env });
    return kind === 'stacks' ? stackNames(model) : [...new Set(model.stacks.flatMap((s) => s.clusters.map((c) => c.identifier)))];
  } catch {
    return [];
  }
}

export function completionScript(shell: Shell, program: Command): string {
  const commands = commandsOf(program);
  return shell === 'fish' ? fish(commands) : bash(commands, shell === 'zsh');
}

function bash(commands: readonly CommandSpec[], zsh: boolean): string {
  const cases = commands.map((c) => `    ${c.name}) opts=${JSON.stringify(c.flags.flatMap((f) => [f.long, ...(f.short ? [f.short] : [])]).join(' '))} ;;`).join('\n');
  const names = Object.entries(NAME_FLAGS)
    .map(([flag, kind]) => `    ${flag}) COMPREPLY=( $(compgen -W "$(aurora-audit completion --names ${kind} 2>/dev/null)" -- "$cur") ); return ;;`)
    .join('\n');
  return [
    '# aurora-audit completion (bash): source it from ~/.bashrc: source <(aurora-audit completion bash)',
    ...(zsh ? ['# zsh: source <(aurora-audit completion zsh) in ~/.zshrc; it runs the bash completion through bashcompinit.', 'autoload -U +X bashcompinit && bashcompinit'] : []),
    '_aurora_audit() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" opts',
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    COMPREPLY=( $(compgen -W ${JSON.stringify([...commands.map((c) => c.name), '--help', '--version'].join(' '))} -- "$cur") )`,
    '    return',
    '  fi',
    '  case "$prev" in',
    names,
    `    ${PATH_FLAGS.join('|')}|-c|-o) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;`,
    '  esac',
    '  case "${COMP_WORDS[1]}" in',
    cases,
    '    *) opts="" ;;',
    '  esac',
    '  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )',
    '}',
    'complete -F _aurora_audit aurora-audit',
    '',
  ].join('\n');
}

function fish(commands: readonly CommandSpec[]): string {
  const lines = ['# aurora-audit completion (fish): aurora-audit completion fish > ~/.config/fish/completions/aurora-audit.fish', 'complete -c aurora-audit -f'];
  for (const c of commands) lines.push(`complete -c aurora-audit -n __fish_use_subcommand -a ${c.name}`);
  for (const c of commands) {
    for (const f of c.flags) {
      const short = f.short ? ` -s ${f.short.slice(1)}` : '';
      const kind = NAME_FLAGS[f.long];
      const values = kind ? ` -r -f -a "(aurora-audit completion --names ${kind} 2>/dev/null)"` : PATH_FLAGS.includes(f.long) ? ' -r -F' : f.takesValue ? ' -r' : '';
      lines.push(`complete -c aurora-audit -n "__fish_seen_subcommand_from ${c.name}" -l ${f.long.slice(2)}${short}${values}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
