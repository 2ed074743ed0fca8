/**
 * What left the config between an earlier version of it and this one, and whether each departure is recorded so that
 * Terraform forgets instead of destroying: a cluster that left needs a `retired` entry naming the stack that holds it
 * (its state), the group of its own that it kept and the log groups that existed before aurora-audit; a stack keeps
 * its name, which is where its state is. The config alone cannot tell (a deleted line leaves no trace);
 * the earlier config can, which is what a pipeline has (`changed --since <ref>`).
 */
import { stringify } from 'yaml';
import { allStacks, type AuditModel, type ClusterModel, type RetiredClusterModel, type StackModel } from './model';
import type { Problem } from './problems';
import type { RetiredInput } from './schema';

/** A retired entry, as one line of YAML a person can paste under `retired:`. */
export function retiredEntryText(entry: RetiredInput): string {
  return stringify(entry, { collectionStyle: 'flow', lineWidth: 0, flowCollectionPadding: true }).trim();
}

/** The retired entry that records everything the earlier config knew of a cluster that left it. */
export function retiredEntryFor(stack: StackModel, cluster: ClusterModel, { wholeStackLeft }: { wholeStackLeft: boolean }): RetiredInput {
  const group = cluster.parameterGroup;
  return {
    accountId: stack.accountId,
    region: stack.region,
    identifier: cluster.identifier,
    stack: stack.name,
    attach: cluster.attach,
    // The role reaches the account only when no live stack of the account and region does any more.
    ...(wholeStackLeft && stack.roleArn ? { roleArn: stack.roleArn } : {}),
    ...(group.mode === 'adopt' ? { parameterGroup: group.name } : {}),
    ...(cluster.existingLogGroups.length ? { existingLogGroups: [...cluster.existingLogGroups] } : {}),
  };
}

interface RetiredPlace {
  readonly stackName: string;
  readonly roleArn?: string;
  readonly cluster: RetiredClusterModel;
}

/** Where the new config retires a cluster: the stack that forgets it, and what its entry recorded. */
function retiredIn(model: AuditModel, accountId: string, region: string, identifier: string): RetiredPlace | undefined {
  for (const s of model.stacks) {
    if (s.accountId !== accountId || s.region !== region) continue;
    const cluster = s.retiredClusters.find((c) => c.identifier === identifier);
    if (cluster) return { stackName: s.name, roleArn: s.roleArn, cluster };
  }
  for (const s of model.retiredStacks) {
    if (s.accountId !== accountId || s.region !== region) continue;
    const cluster = s.clusters.find((c) => c.identifier === identifier);
    if (cluster) return { stackName: s.name, roleArn: s.roleArn, cluster };
  }
  return undefined;
}

const sameGroup = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/**
 * Problems, one per departure the new config does not record, each with the entry to write, filled in from the
 * earlier config. Paths are the new config's.
 */
export function unrecordedDepartures(before: AuditModel, after: AuditModel): Problem[] {
  const problems: Problem[] = [];
  const live = (s: { accountId: string; region: string }) => after.stacks.find((n) => n.accountId === s.accountId && n.region === s.region);
  for (const stack of before.stacks) {
    // The same name in another account or region: the state under that name holds what the stack made where it was.
    const moved = after.stacks.find((n) => n.name === stack.name && (n.accountId !== stack.accountId || n.region !== stack.region));
    if (moved) {
      problems.push({
        path: moved.configPath,
        message: `the stack ${stack.name} was in account ${stack.accountId}, ${stack.region} and the new config puts it in account ${moved.accountId}, ${moved.region}: a stack's name is where Terraform keeps its state, which holds what it made in ${stack.region}. Give the target in ${moved.region} a name of its own; the retired entries for ${stack.name} then record what the old place holds.`,
      });
    }
  }
  for (const stack of before.stacks) {
    const now = live(stack);
    for (const cluster of stack.clusters) {
      const where = `${cluster.identifier} (account ${stack.accountId}, ${stack.region}, stack ${stack.name})`;
      if (now?.clusters.some((c) => c.identifier === cluster.identifier)) continue;
      const wanted = retiredEntryFor(stack, cluster, { wholeStackLeft: now === undefined });
      const entry = retiredEntryText(wanted);
      const retired = retiredIn(after, stack.accountId, stack.region, cluster.identifier);
      if (!retired) {
        problems.push({
          path: 'retired',
          message: `${where} left the config without a retired entry, so Terraform would plan to destroy what aurora-audit adopted or made for it, or never plan its stack again. To stop managing it, add under retired: ${entry} (aurora-audit init and sync write it). To keep managing it, put it back.`,
        });
        continue;
      }
      const lacking: string[] = [];
      if (retired.stackName !== stack.name) lacking.push(`its stack is ${stack.name}, where its state is, not ${retired.stackName}`);
      if (cluster.parameterGroup.mode === 'adopt' && !sameGroup(retired.cluster.parameterGroup, cluster.parameterGroup.name)) {
        lacking.push(`it kept its own parameter group ${cluster.parameterGroup.name}, which would be destroyed unless the entry names it`);
      }
      const missingLogs = cluster.existingLogGroups.filter((t) => !retired.cluster.existingLogGroups.includes(t));
      if (missingLogs.length) lacking.push(`its ${missingLogs.join(', ')} log group${missingLogs.length === 1 ? '' : 's'} existed before aurora-audit and must be recorded, or a retirement that does not keep logs deletes them`);
      if (!now && stack.roleArn && retired.roleArn !== stack.roleArn) lacking.push(`its stack reached the account through ${stack.roleArn}, which only the entry can still say`);
      if (lacking.length) {
        problems.push({
          path: retired.cluster.configPath,
          message: `${where} is retired, but the entry lacks what the earlier config recorded: ${lacking.join('; ')}. Write it as ${entry}.`,
        });
      }
    }
  }
  const names = new Set(allStacks(after).map((s) => s.name));
  for (const stack of before.stacks) {
    if (names.has(stack.name)) continue;
    // A stack has at least one cluster, so one that left entirely is named by its clusters' problems above, unless
    // the account and region live on under another name.
    const movedTo = live(stack);
    if (movedTo) {
      problems.push({
        path: movedTo.configPath,
        message: `the stack of account ${stack.accountId}, ${stack.region} was named ${stack.name} and is now ${movedTo.name}: a stack's name is where Terraform keeps its state, so the new one would adopt again what the old state still holds, and the old state would never be planned. Keep name: ${stack.name}.`,
      });
    }
  }
  return problems;
}

/**
 * Stacks the earlier config had and this one has in no form: once the departures are recorded, only a monitoring-account
 * stack whose every source left, and an account stack whose account left with its retired entries. What they hold stays
 * deployed until destroyed by hand.
 */
export function goneStacks(before: AuditModel, after: AuditModel): string[] {
  const names = new Set(allStacks(after).map((s) => s.name));
  return allStacks(before).map((s) => s.name).filter((n) => !names.has(n));
}
