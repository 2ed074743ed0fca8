/** The one line the CLI says when synthesis gives up the fast path (stacks/fast-synthesis/self-check.ts). */
export function fallbackWarning(reason: string): string {
  return `aurora-audit: synthesizing the way cdktf itself does, more slowly, because ${reason}; the output is the same.`;
}
