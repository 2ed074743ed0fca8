/**
 * One stack per account for what exists once per account (config/model.ts AccountStackModel), resolved from the
 * account's other stacks. Its name is the account's alone, and it exists while any stack of the account does, so that
 * a region arriving or leaving never moves what it holds.
 */
import { chatbotForwardingRegions, iamRegion } from './aws';
import type { AccountStackModel, MonitoringStackModel, RetiredStackModel, StackModel } from './model';
import { accountStackName } from './names';
import { parsePath, show, type PathSegment } from './problems';
import type { MonitoringInput } from './schema';

type Report = (path: readonly PathSegment[], message: string) => void;

interface AccountStackInputs {
  readonly stacks: readonly StackModel[];
  readonly retiredStacks: readonly RetiredStackModel[];
  readonly monitoringStacks: readonly MonitoringStackModel[];
  readonly monitoring?: MonitoringInput;
  readonly tags?: Readonly<Record<string, string>>;
}

export function resolveAccountStacks({ stacks, retiredStacks, monitoringStacks, monitoring, tags = {} }: AccountStackInputs, report: Report): AccountStackModel[] {
  const accounts = [...new Set([...stacks, ...retiredStacks, ...monitoringStacks].map((s) => s.accountId))].sort();
  const taken = new Map<string, string>([
    ...stacks.map((s) => [s.name, s.configPath] as const),
    ...retiredStacks.map((s) => [s.name, `the retired stack ${s.name}`] as const),
    ...monitoringStacks.map((s) => [s.name, 'monitoring'] as const),
  ]);
  return accounts.map((accountId): AccountStackModel => {
    const name = accountStackName(accountId);
    const clash = taken.get(name);
    const live = stacks.filter((s) => s.accountId === accountId).sort(byName);
    const own = monitoringStacks.filter((s) => s.accountId === accountId).sort(byName);
    const retired = retiredStacks.filter((s) => s.accountId === accountId).sort(byName);
    if (clash) report(pathOf(clash), `${show(name)} is the name of the stack aurora-audit keeps for account ${accountId} (what exists once per account); name this one otherwise`);
    // Any stack of the account reaches it the same way; the first by name is as good as any, and stays put.
    const reach = [...own, ...live, ...retired][0];
    // Regions with a Slack channel watched for tampering: the stack's own channel, or the monitoring account's.
    const watchedChannels = [...live.filter((s) => s.tamperAlerts && !s.monitoredBy), ...own.filter((s) => s.tamperAlerts)].map((s) => s.region);
    const chatbotForwarding = [...new Set(watchedChannels)]
      .sort()
      .flatMap((to) => chatbotForwardingRegions(to).map((from) => ({ from, to })))
      .sort((a, b) => (a.from === b.from ? a.to.localeCompare(b.to) : a.from.localeCompare(b.from)));
    // Every region with tamper rules watches the account's roles and trails, whose calls IAM's region records.
    const iam = iamRegion(reach.partition);
    const accountEventRegions = [...new Set([...live.filter((s) => s.tamperAlerts), ...own.filter((s) => s.tamperAlerts)].map((s) => s.region))].filter((r) => r !== iam).sort();
    const mode = monitoring?.sharingRole ?? 'create';
    const shares = monitoring !== undefined && accountId !== monitoring.accountId && mode !== 'existing' && live.some((s) => s.monitoredBy);
    return {
      name,
      configPath: (live[0] ?? own[0])?.configPath ?? 'retired',
      accountId,
      partition: reach.partition,
      region: iam,
      roleArn: reach.roleArn,
      tags: { ...tags, ...(own.length ? own[0].tags : {}) },
      chatbotForwarding,
      accountEventRegions,
      ...(shares ? { sharingRole: { monitoringAccountId: monitoring!.accountId, adopt: mode === 'adopt' } } : {}),
    };
  });
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Where a clashing stack is written; a retired stack is written under retired. */
function pathOf(configPath: string): PathSegment[] {
  return configPath.startsWith('the retired stack') ? ['retired'] : parsePath(configPath);
}
