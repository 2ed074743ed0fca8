import { stackNames, type AuditModel } from '../config/model';
import { closest } from '../config/problems';
import { UsageError } from './output';

/** The stacks `--stack a,b` names, each checked against the config's stacks. */
export function stackSelection(model: AuditModel, list: string): Set<string> {
  const known = stackNames(model);
  const names = list.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !known.includes(n));
  if (names.length === 0) throw new UsageError(['--stack: name at least one stack']);
  if (unknown.length > 0) {
    const shown = known.length > 12 ? `${known.slice(0, 12).join(', ')}, … (${known.length} in all)` : known.join(', ');
    throw new UsageError(
      unknown.map((n) => {
        const near = closest(n, known);
        return `--stack: ${JSON.stringify(n)} is not a stack of the config${near ? ` (did you mean ${near}?)` : ''}; its stacks are ${shown}`;
      }),
    );
  }
  return new Set(names);
}
