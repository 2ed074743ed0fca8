/**
 * Whether stacks take the fast synthesis path (this folder) or cdktf's own. Fast unless the start-up self-check
 * (stacks/fast-synthesis/self-check.ts) found cdktf's internals moved, or the fast path writing other text than cdktf on a
 * probe stack: then every stack is synthesized the way cdktf itself does it, slower and byte for byte the same.
 */
let fast = true;

export function fastSynthesis(): boolean {
  return fast;
}

export function useFastSynthesis(on: boolean): void {
  fast = on;
}
