/**
 * IAM's limits on what bootstrap writes (docs/facts.md, IAM quotas): a managed policy holds at most 6,144 characters,
 * white space not counted; a role has at most 10 managed policies attached by default.
 */
export const MANAGED_POLICY_MAX_CHARACTERS = 6144;
export const MANAGED_POLICIES_PER_ROLE = 10;

/** A policy's size as IAM counts it: its JSON without white space. */
export function policySize(document: unknown): number {
  return JSON.stringify(document).length;
}
