/**
 * Where init looks: the AWS identity, the accounts and regions (one by one, or every account of the organization), and
 * what discovery finds there, with the account-regions it could not read.
 */
import { KNOWN_REGIONS, partitionOf } from '../../config/aws';
import { checkValue } from '../../config/check';
import * as schema from '../../config/schema';
import type { DiscoveredCluster, RegionDiscovery } from '../../discovery/clusters';
import type { AwsProblem, AwsSession } from '../../discovery/session';
import { EnvironmentError } from '../output';
import type { AccountAnswer } from './answers';
import type { WizardStep } from './context';
import type { Prompter } from './prompter';

export interface WhereToLook {
  readonly profile?: string;
  readonly organizationRole?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly accounts: AccountAnswer[];
  /** The account of the identity, when AWS answered. */
  readonly identityAccount?: string;
  /** Why AWS could not be asked (no credentials, or no account-region answered): the user types the clusters in. */
  readonly offline?: AwsProblem;
  readonly found: readonly DiscoveredCluster[];
  /** `<account>/<region>` of every account-region that answered. */
  readonly reachable: ReadonlySet<string>;
  /** The account-regions discovery could not read, each with why. */
  readonly unread: string[];
}

/** The identity can only see its own account; another account needs a role to assume there. */
export function canSee(where: Pick<WhereToLook, 'identityAccount'>, a: AccountAnswer): boolean {
  return a.accountId === where.identityAccount || Boolean(a.roleArn);
}

export async function whereToLook({ flags, prompter, aws, prior, say, need, ask }: WizardStep): Promise<WhereToLook> {
  // --- identity -----------------------------------------------------------------------------------------------
  let profile = flags.profile ?? prior.profile;
  if (flags.profile === undefined && prompter) {
    const profiles = await aws.listProfiles();
    if (profiles.length > 0) {
      const fromEnv = process.env.AWS_PROFILE;
      profile = await prompter.select<string | undefined>(
        'Which AWS identity should look for clusters?',
        [{ name: 'the default credential chain (environment, SSO, instance role)', value: undefined }, ...profiles.map((p) => ({ name: `profile ${p}`, value: p }))],
        profile ?? (fromEnv && profiles.includes(fromEnv) ? fromEnv : undefined),
      );
    }
  }
  const session: AwsSession = { profile };
  const currentRegion = (await aws.defaultRegion(profile)) ?? undefined;
  const identity = await aws.callerIdentity(session, currentRegion ?? 'us-east-1');
  let offline: AwsProblem | undefined;
  if ('problem' in identity) {
    offline = identity.problem;
    say(`AWS: ${identity.problem.message}. Carrying on without discovery: type the cluster details in.`);
  } else {
    say(`AWS identity: ${profile ? `profile ${profile}` : 'default credential chain'} → ${identity.arn} (account ${identity.accountId})`);
  }
  const identityAccount = 'problem' in identity ? undefined : identity.accountId;
  // The identity's partition (arn:aws-us-gov:...) decides which regions it can reach: only those are offered.
  const partition = 'problem' in identity ? undefined : identity.arn.split(':')[1];

  // --- accounts and regions -----------------------------------------------------------------------------------
  const organizationRole = flags.organizationRole ?? prior.organizationRole;
  const tags = flags.tags ? Object.fromEntries(flags.tags) : prior.tags;
  const accounts: AccountAnswer[] = [];
  if (organizationRole) {
    if (offline) throw new EnvironmentError(`cannot walk the organization: ${offline.message}`);
    const org = await aws.organizationAccounts(session, currentRegion ?? 'us-east-1');
    if ('problem' in org) throw new EnvironmentError(`cannot list the organization's accounts: ${org.problem.message}`);
    for (const line of org.skipped) say(`Leaving out ${line}.`);
    const defaultRegions = [...new Set(prior.accounts?.flatMap((a) => a.regions) ?? [])];
    const regions = await ask<readonly string[]>(flags.regions, defaultRegions.length ? defaultRegions : currentRegion ? [currentRegion] : [], (def) =>
      askRegions(prompter!, `Which regions should aurora-audit look in, in each of the ${org.accounts.length} accounts?`, def, partition),
    );
    if (!regions.length) need('regions', '<list>');
    const names = stackNamePrefixes(org.accounts);
    say(`Organization: ${org.accounts.length} active account(s); looking in each through the role ${organizationRole}.`);
    // Every account is looked at in every region asked for: a cluster new in a region its account had none in yet
    // is found too. The channel an account has of its own is kept.
    for (const a of org.accounts) {
      const before = prior.accounts?.find((p) => p.accountId === a.id);
      accounts.push({ accountId: a.id, roleArn: `arn:${partition ?? 'aws'}:iam::${a.id}:role/${organizationRole}`, regions, name: names.get(a.id), slackChannelId: before?.slackChannelId });
    }
  }

  if (!organizationRole) {
    const primaryId = flags.accountId ?? prior.accounts?.[0]?.accountId ?? identityAccount ?? (prompter ? await askAccountId(prompter) : undefined);
    if (!primaryId) need('accountId', '<id>');
    const primaryRole =
      flags.roleArn ??
      prior.accounts?.[0]?.roleArn ??
      (prompter && primaryId && identityAccount && primaryId !== identityAccount ? await askRole(prompter, primaryId) : undefined);
    const defaultRegions = prior.accounts?.[0]?.regions ?? (currentRegion ? [currentRegion] : []);
    const primaryRegions = await ask<readonly string[]>(flags.regions, defaultRegions, (def) => askRegions(prompter!, `Which regions of ${primaryId} should aurora-audit look in?`, def, partition));
    if (!primaryRegions?.length) need('regions', '<list>');
    if (primaryId) accounts.push({ accountId: primaryId, roleArn: primaryRole, regions: primaryRegions ?? [] });

    for (const a of flags.accounts) accounts.push({ accountId: a.accountId, roleArn: a.roleArn, regions: a.regions ?? primaryRegions ?? [], slackChannelId: a.slackChannelId });
    if (flags.accounts.length === 0) {
      for (const a of prior.accounts?.slice(1) ?? []) {
        accounts.push(a);
        say(`Keeping account ${a.accountId} (${a.regions.join(', ')}) from the config.`);
      }
    }
    if (prompter && flags.accounts.length === 0) {
      while (await prompter.confirm('Add another AWS account?', false)) {
        const accountId = await askAccountId(prompter);
        const roleArn = await askRole(prompter, accountId);
        const regions = await askRegions(prompter, `Which regions of ${accountId}?`, primaryRegions ?? [], partition);
        accounts.push({ accountId, roleArn, regions });
      }
    }
  }

  const visible = (a: AccountAnswer) => canSee({ identityAccount }, a);

  // --- discovery ----------------------------------------------------------------------------------------------
  const found: DiscoveredCluster[] = [];
  const reachable = new Set<string>();
  const unread: string[] = [];
  if (offline) for (const a of accounts) for (const r of a.regions) unread.push(`${a.accountId}/${r} (${offline.message})`);
  if (!offline && accounts.length > 0) {
    const blind = accounts.filter((a) => !visible(a));
    for (const a of blind) for (const r of a.regions) unread.push(`${a.accountId}/${r} (no role to assume there)`);
    if (blind.length > 0) say(`Not looking in ${blind.map((a) => a.accountId).join(', ')}: the identity is in ${identityAccount}, so give a role to assume (--role-arn or --account ...;role=...).`);
    const targets = accounts
      .filter((a) => !blind.includes(a))
      .map((a) => ({ accountId: a.accountId, regions: a.regions, session: { profile, roleArn: a.roleArn } }));
    say(`Looking for Aurora clusters in ${targets.reduce((n, t) => n + t.regions.length, 0)} account-region(s)...`);
    const results = await aws.discover(targets, (event) => {
      if (event.kind === 'slow') say(`Still reading ${event.accountId}/${event.region} after ${event.seconds} s: waiting for ${event.waitingFor}.`);
    });
    reportProblems(results, say);
    for (const r of results) {
      found.push(...r.clusters);
      if (!r.problem) reachable.add(`${r.accountId}/${r.region}`);
      else unread.push(`${r.accountId}/${r.region} (${r.problem.message})`);
    }
    if (reachable.size === 0) offline = results[0]?.problem;
    const supported = found.filter((c) => !c.unsupported).length;
    say(`Found ${found.length} cluster(s), ${supported} of which aurora-audit can audit.`);
  }

  return { profile, organizationRole, tags, accounts, identityAccount, offline, found, reachable, unread };
}

/**
 * A stack name prefix for each account, from its name in the organization (Payments Prod → payments-prod), unique
 * across the organization; an account whose name gives nothing usable keeps its id.
 */
export function stackNamePrefixes(accounts: ReadonlyArray<{ id: string; name: string }>): Map<string, string | undefined> {
  const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  const counts = new Map<string, number>();
  for (const a of accounts) counts.set(slug(a.name), (counts.get(slug(a.name)) ?? 0) + 1);
  return new Map(
    accounts.map((a) => {
      const s = slug(a.name);
      if (!s || !/^[a-z0-9]/.test(s)) return [a.id, undefined];
      return [a.id, counts.get(s)! > 1 ? `${s}-${a.id.slice(-4)}` : s];
    }),
  );
}

async function askAccountId(prompter: Prompter): Promise<string> {
  // An answer, not YAML: no advice about quotes here (the config writer quotes it).
  return prompter.input('AWS account id (12 digits):', { validate: (v) => (/^\d{12}$/.test(v) ? true : `"${v}" is not an AWS account id: type its 12 digits, such as 012345678901`) });
}

async function askRole(prompter: Prompter, accountId: string): Promise<string | undefined> {
  const role = await prompter.input(`IAM role to assume in ${accountId} (blank: use the current identity):`, {
    validate: (v) => {
      if (v === '') return true;
      const problem = checkValue(schema.roleArn, v);
      if (problem) return problem;
      return v.split(':')[4] === accountId || `that role is in account ${v.split(':')[4]}, not ${accountId}`;
    },
  });
  return role || undefined;
}

/** The regions to pick from: the current ones first, then the others of the identity's partition (all when unknown). */
async function askRegions(prompter: Prompter, message: string, defaults: readonly string[], partition?: string): Promise<string[]> {
  const offered = KNOWN_REGIONS.filter((r) => !defaults.includes(r) && (!partition || partitionOf(r) === partition));
  return prompter.filterCheckbox(
    message,
    [...defaults, ...offered].map((r) => ({ name: r, value: r, checked: defaults.includes(r) })),
    (v) => v.length > 0 || 'Pick at least one region.',
  );
}

function reportProblems(results: readonly RegionDiscovery[], say: (text: string) => void): void {
  const byMessage = new Map<string, string[]>();
  for (const r of results) if (r.problem) byMessage.set(r.problem.message, [...(byMessage.get(r.problem.message) ?? []), `${r.accountId}/${r.region}`]);
  for (const [message, where] of byMessage) say(`Could not read ${where.join(', ')}: ${message}`);
}
