import { createHash } from 'node:crypto';

/**
 * A name that fits AWS's length limit and stays deterministic: cut to size, with a short hash of the full name
 * appended, so two long names that share a prefix still differ.
 */
export function boundedName(name: string, maxLength: number): string {
  if (name.length <= maxLength) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, maxLength - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** Identifier-safe form of a name, for Terraform output names: orders-db → orders_db. */
export function snake(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}
