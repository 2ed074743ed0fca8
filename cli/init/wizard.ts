/**
 * `aurora-audit init`: from the user's AWS account to a config file. Every question has a flag; a flag answers its
 * question without asking. Otherwise the answer comes from the existing config, then from what discovery found,
 * then from the default. Without a terminal (or with --yes, or CI=true) it never asks: what no source answers is
 * listed as the flags to pass.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Document, parseDocument } from 'yaml';
import { AUDIT_RETENTION_FLOOR_DAYS, AURORA_MYSQL_AUDIT_EVENTS, ENGINES, KNOWN_REGIONS, LOG_RETENTION_DAYS, PGAUDIT_CLASSES, partitionOf, type AuditEvent, type LogType } from '../../config/aws';
import { checkNumberText, checkValue } from '../../config/check';
import { CONFIG_FILE_NAME, parseConfig } from '../../config/load';
import { alarmingStacks, type AuditModel } from '../../config/model';
import { OWN_PARAMETER_GROUP_PREFIX } from '../../config/names';
import { ConfigError } from '../../config/problems';
import { resolveEngineVersion } from '../../config/engine-versions';
import * as schema from '../../config/schema';
import { DETECTIONS } from '../../detections';
import { detectionNeeds, pgauditClassesAudited } from '../../detections/catalog';
import type { DiscoveredCluster, DiscoveryProgress, RegionDiscovery } from '../../discovery/clusters';
import type { OrganizationAccounts } from '../../discovery/organization';
import type { AwsProblem, AwsSession } from '../../discovery/session';
import { clusterLabel, EnvironmentError, nameList } from '../output';
import { packageVersion } from '../../config/package-root';
import { isEmptyProject, scaffoldProject } from './scaffold';
import { PGAUDIT_EXTENSION_SQL } from '../pgaudit-sql';
import { writeFileAtomic } from '../write-file';
import { lineDiff, newConfigSummary } from './review';
import {
  answersFromConfig,
  configFromAnswers,
  DEFAULT_ANSWERS,
  withDefaultSettings,
  withoutUnwrittenDefaults,
  defaultDetectionAnswer,
  type AccountAnswer,
  type ClusterAnswer,
  type DetectionAnswer,
  type InitAnswers,
} from './answers';
import { flagLong, type FlagName, type ParsedFlags } from './flags';
import type { RetiredInput } from '../../config/schema';
import type { Choice, Prompter } from './prompter';
import { inFleetShape } from './fleet-shape';
import { ITEM_IDENTITY, keepCommentAlignment, keepTrailingCommentSpacing, mergeIntoDocument, newDocument } from './yaml-merge';
import { patchYaml } from './yaml-patch';

/** What the wizard needs from AWS; the real one calls the SDK, tests may pass their own. */
export interface AwsAccess {
  listProfiles(): Promise<string[]>;
  defaultRegion(profile: string | undefined): Promise<string | undefined>;
  callerIdentity(session: AwsSession, region: string): Promise<{ accountId: string; arn: string } | { problem: AwsProblem }>;
  discover(targets: ReadonlyArray<{ session: AwsSession; accountId: string; regions: readonly string[] }>, onProgress?: (event: DiscoveryProgress) => void): Promise<RegionDiscovery[]>;
  slackWorkspaces(session: AwsSession, region: string): Promise<{ workspaces: ReadonlyArray<{ id: string; name: string }> } | { problem: AwsProblem }>;
  organizationAccounts(session: AwsSession, region: string): Promise<OrganizationAccounts>;
}

export async function realAwsAccess(): Promise<AwsAccess> {
  const [identity, clusters, slack, organization] = await Promise.all([
    import('../../discovery/identity'),
    import('../../discovery/clusters'),
    import('../../discovery/slack'),
    import('../../discovery/organization'),
  ]);
  return {
    listProfiles: identity.listProfiles,
    defaultRegion: (profile) => identity.defaultRegion(profile),
    callerIdentity: identity.callerIdentity,
    discover: (targets, onProgress) => clusters.discoverClusters(targets, undefined, onProgress),
    slackWorkspaces: slack.describeSlackWorkspaces,
    organizationAccounts: organization.organizationAccounts,
  };
}

export interface InitContext {
  readonly flags: ParsedFlags;
  /** Where the config is read from and written to. */
  readonly configPath: string;
  /** Whether --config was given: without a terminal, init then writes instead of printing. */
  readonly configGiven: boolean;
  readonly aws: AwsAccess;
  /** Undefined when init must not ask (no TTY, --yes, CI). */
  readonly prompter?: Prompter;
  /** Where notes go when nobody is asked (stderr), so stdout carries only the config. */
  readonly note: (text: string) => void;
  readonly out: (text: string) => void;
  /**
   * sync: the config's clusters, each as AWS reports it now, plus new ones its tag selector matches; a cluster gone
   * from a region that answered is retired (one in a region that did not answer is kept as it is).
   */
  readonly sync?: boolean;
}

export class MissingAnswers extends Error {
  constructor(readonly flags: readonly string[]) {
    super(`missing answers: ${flags.join(', ')}`);
  }
}

export class NotWritten extends Error {}

export interface InitResult {
  readonly model: AuditModel;
  readonly written?: string;
  readonly text: string;
  /** The account-regions of the config that discovery could not read, each with why: what they hold was kept. */
  readonly unread: readonly string[];
}

export async function runInit(ctx: InitContext): Promise<InitResult> {
  const { flags, prompter, aws } = ctx;
  const say = (text: string) => (prompter ? prompter.say(text) : ctx.note(text));
  const missing: string[] = [];
  const need = (name: FlagName, placeholder: string) => missing.push(`${flagLong(name)} ${placeholder}`);
  // A flag answers without asking; otherwise ask, offering the config's value (or the default), or take it as is.
  const ask = async <T>(flag: T | undefined, fallback: T, question: (fallback: T) => Promise<T>): Promise<T> =>
    flag !== undefined ? flag : prompter ? question(fallback) : fallback;

  // --- the existing config, if any: its values are the defaults, and its comments survive --------------------
  const existing = readExisting(ctx.configPath);
  const prior = existing ? answersFromConfig(existing.config) : {};
  if (existing) say(`Updating ${path.relative(process.cwd(), ctx.configPath) || ctx.configPath}: its current values are the defaults.`);

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

  // The identity can only see its own account; another account needs a role to assume there.
  const canSee = (a: AccountAnswer) => a.accountId === identityAccount || Boolean(a.roleArn);

  // --- discovery ----------------------------------------------------------------------------------------------
  const found: DiscoveredCluster[] = [];
  const reachable = new Set<string>();
  const unread: string[] = [];
  if (offline) for (const a of accounts) for (const r of a.regions) unread.push(`${a.accountId}/${r} (${offline.message})`);
  if (!offline && accounts.length > 0) {
    const blind = accounts.filter((a) => !canSee(a));
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

  // --- clusters -----------------------------------------------------------------------------------------------
  const clusters = await chooseClusters({ ctx, accounts, found, reachable, prior, need, offline: Boolean(offline), tags });

  // --- audit settings -----------------------------------------------------------------------------------------
  const engines = new Set(clusters.map((c) => c.engine));
  const hasMysql = engines.has('aurora-mysql') || engines.size === 0;
  const hasPostgres = engines.has('aurora-postgresql');
  const events = hasMysql
    ? await ask(flags.events, prior.events ?? DEFAULT_ANSWERS.events, (def) =>
        prompter!.checkbox<AuditEvent>(
          'Which events should Advanced Auditing log (Aurora MySQL)?',
          Object.entries(AURORA_MYSQL_AUDIT_EVENTS).map(([e, text]) => ({ name: `${e.padEnd(9)} ${text}`, short: e, value: e as AuditEvent, checked: def.includes(e as AuditEvent) })),
          (v) => v.length > 0 || 'Pick at least one: with none, Aurora audits nothing.',
        ),
      )
    : (flags.events ?? prior.events ?? DEFAULT_ANSWERS.events);
  if (hasMysql && (events.includes('QUERY') || events.includes('QUERY_DML'))) {
    say('Note: QUERY and QUERY_DML log every statement they cover: expect much more log volume and cost, and personal data in statement text.');
  }
  const pgauditLog = hasPostgres
    ? await ask<readonly string[]>(undefined, prior.pgauditLog ?? DEFAULT_ANSWERS.pgauditLog, (def) =>
        prompter!.checkbox(
          'Which statement classes should pgAudit log (Aurora PostgreSQL)?',
          PGAUDIT_CLASSES.filter((c) => c !== 'none').map((c) => ({ name: c, value: c, checked: def.includes(c) })),
          (v) => v.length > 0 || 'Pick at least one: with none, pgAudit logs nothing.',
        ),
      )
    : prior.pgauditLog;
  if (hasPostgres && pgauditLog?.some((c) => c === 'read' || c === 'write' || c === 'all')) {
    say('Note: pgAudit READ and WRITE log every SELECT or data change: expect much more log volume and cost, and personal data in statement text.');
  }

  const chosenEngines = (engines.size ? [...engines] : ['aurora-mysql']) as Array<keyof typeof ENGINES>;
  const engineLogTypes = [...new Set(chosenEngines.flatMap((e) => ENGINES[e].logTypes as readonly LogType[]))];
  const auditLogTypes = chosenEngines.map((e) => ENGINES[e].auditLogType as LogType);
  const logTypes = await ask(flags.logTypes, prior.logTypes ?? [...new Set(chosenEngines.flatMap((e) => ENGINES[e].defaultLogTypes as readonly LogType[]))], (def) =>
    prompter!.checkbox<LogType>(
      'Which logs should each cluster export to CloudWatch Logs?',
      engineLogTypes.map((t) => ({ name: t, value: t, checked: def.includes(t) })),
      (v) => auditLogTypes.every((t) => v.includes(t)) || `${auditLogTypes.join(' and ')} hold the audit records the detections look at; keep ${auditLogTypes.length > 1 ? 'them' : 'it'}.`,
    ),
  );

  const auditRetentionDays = await ask(flags.auditRetentionDays, prior.auditRetentionDays ?? DEFAULT_ANSWERS.auditRetentionDays, (def) =>
    prompter!.select(`How long should the audit records (${auditLogTypes.join(', ')} log) be kept?`, retentionChoices(AUDIT_RETENTION_FLOOR_DAYS, def), def),
  );
  const otherRetentionDays =
    flags.otherRetentionDays ??
    (prompter && logTypes.some((t) => !auditLogTypes.includes(t))
      ? await prompter.select<number | undefined>(
          'And the other logs?',
          [{ name: 'the defaults (error and iam-db-auth-error 90 days; general, slowquery and instance 30 days)', short: 'the defaults', value: undefined }, ...retentionChoices()],
          prior.otherRetentionDays,
        )
      : prior.otherRetentionDays);

  // --- detections ---------------------------------------------------------------------------------------------
  // One question per detection id, whatever the engines: each engine has its own pattern for the id.
  const catalog = [...new Map(chosenEngines.flatMap((e) => DETECTIONS[e]).map((d) => [d.id, d])).values()];
  const current = (id: string) => prior.detections?.[id] ?? defaultDetectionAnswer(id);
  // Why a detection could never fire with the answers above, said here rather than as a config error at the end.
  const cannotFire = (id: string): string | undefined => {
    for (const engine of chosenEngines) {
      const definition = DETECTIONS[engine].find((d) => d.id === id);
      if (!definition) continue;
      const mysql = engine === 'aurora-mysql';
      const needs = detectionNeeds(definition, { logTypes, audited: mysql ? events : pgauditClassesAudited(pgauditLog ?? DEFAULT_ANSWERS.pgauditLog) });
      if (needs.logType) return `${id} reads the ${needs.logType} log, which the logs chosen above leave out: untick it, or run init again and export ${needs.logType}`;
      if (needs.eventGroups.length) {
        return `${id} can only fire with ${needs.eventGroups[0].join(' or ')} audited, which the ${mysql ? 'events' : 'pgAudit classes'} chosen above leave out: untick it, or run init again and add ${needs.eventGroups[0][0]}`;
      }
    }
    return undefined;
  };
  const enabled = await ask(flags.detections, catalog.filter((d) => current(d.id).enabled && !cannotFire(d.id)).map((d) => d.id), (def) =>
    prompter!.checkbox(
      'Which detections should alarm in Slack?',
      catalog.map((d) => ({ name: `${d.id}: ${d.title}`, short: d.id, value: d.id, checked: def.includes(d.id), description: cannotFire(d.id) ?? d.whyItMatters })),
      (v) => v.map(cannotFire).find(Boolean) ?? true,
    ),
  );
  const tune =
    prompter && flags.thresholds.size === 0 && flags.periods.size === 0 && enabled.length > 0
      ? !(await prompter.confirm(`Keep these alarm thresholds (${catalog.filter((d) => enabled.includes(d.id)).map((d) => describeThreshold(d.title, current(d.id))).join('; ')})?`, true))
      : false;
  const detections: Record<string, DetectionAnswer> = {};
  for (const d of catalog) {
    let threshold = flags.thresholds.get(d.id) ?? current(d.id).threshold;
    let periodSeconds = flags.periods.get(d.id) ?? current(d.id).periodSeconds;
    if (tune && prompter && enabled.includes(d.id)) {
      threshold = Number(
        await prompter.input(`${d.title}: alarm at how many per period?`, {
          default: String(threshold),
          validate: (v) => checkNumberText(schema.detectionsSection.shape[d.id].unwrap().shape.threshold, v) ?? true,
        }),
      );
      periodSeconds = await prompter.select(`${d.title}: over what period?`, [60, 300, 900, 3600].map((sec) => ({ name: `${sec / 60} minute${sec === 60 ? '' : 's'}`, value: sec })), periodSeconds);
    }
    detections[d.id] = { enabled: enabled.includes(d.id), threshold, periodSeconds };
  }

  // --- encryption and state -----------------------------------------------------------------------------------
  const encryption = await ask(flags.encryption, prior.encryption ?? DEFAULT_ANSWERS.encryption, async (def) => {
    const mode = await prompter!.select(
      'How should the alarm topic and log groups be encrypted?',
      [
        { name: 'a new customer managed KMS key per stack (recommended)', short: 'new KMS key per stack', value: 'create' as const },
        { name: 'a KMS key I already have', value: 'key' as const },
        { name: 'no customer managed key (SNS unencrypted)', value: 'none' as const },
      ],
      def.mode,
    );
    if (mode !== 'key') return mode === def.mode ? def : { mode };
    const keyArn = await prompter!.input('Key ARN (its policy must let cloudwatch.amazonaws.com use it):', {
      default: def.mode === 'key' ? def.keyArn : undefined,
      validate: (v) => checkValue(schema.kmsKeyArn, v) ?? true,
    });
    return { mode, keyArn };
  });

  const backend = await chooseBackend(ctx, prior.backend, accounts[0]?.regions[0], need);

  // --- Slack --------------------------------------------------------------------------------------------------
  let slackTeamId = flags.slackTeamId;
  let workspaceKnown = false;
  if (!slackTeamId) {
    const ws = offline || !accounts[0] || !canSee(accounts[0]) ? undefined : await aws.slackWorkspaces({ profile, roleArn: accounts[0].roleArn }, accounts[0].regions[0] ?? 'us-west-2');
    const workspaces = ws && 'workspaces' in ws ? ws.workspaces : [];
    if (ws && 'problem' in ws) say(`Chatbot: ${ws.problem.message}; type the Slack workspace id in.`);
    const fallback = prior.slackTeamId ?? (workspaces.length === 1 ? workspaces[0].id : undefined);
    if (!prompter) slackTeamId = fallback;
    else if (workspaces.length > 0) {
      const picked = await prompter.select<string | undefined>(
        'Which Slack workspace should receive the alarms?',
        [...workspaces.map((w) => ({ name: `${w.name} (${w.id})`, value: w.id })), { name: 'another workspace (type its id)', value: undefined }],
        workspaces.some((w) => w.id === fallback) ? fallback : workspaces[0].id,
      );
      slackTeamId = picked ?? (await askSlackTeam(prompter, prior.slackTeamId));
    } else {
      say('No Slack workspace is authorized for Chatbot in this account yet (or it could not be read).');
      slackTeamId = await askSlackTeam(prompter, prior.slackTeamId);
    }
    workspaceKnown = workspaces.some((w) => w.id === slackTeamId);
  }
  if (!slackTeamId) need('slackTeamId', '<T...>');
  const slackChannelId =
    flags.slackChannelId ??
    (prompter
      ? await prompter.input('Slack channel id (channel details in Slack, at the bottom; C...):', {
          default: prior.slackChannelId,
          validate: (v) => checkValue(schema.slackChannelId, v) ?? true,
        })
      : prior.slackChannelId);
  if (!slackChannelId) need('slackChannelId', '<C...>');

  // A channel per account, when the team wants one (each account's alarms in the channel of the team that owns it).
  // In monitoring-account mode every alarm reaches the monitoring account's one channel, so the question is not asked.
  const monitoringMode = existing?.config.monitoring !== undefined;
  const ownChannels = new Map<string, string>();
  for (const a of accounts) {
    const given = a.slackChannelId ?? prior.accounts?.find((p) => p.accountId === a.accountId)?.slackChannelId;
    if (given && !monitoringMode) ownChannels.set(a.accountId, given);
  }
  // Only the accounts with a chosen cluster get a stack, and so a channel to ask for.
  const alarming = accounts.filter((a) => clusters.some((c) => c.accountId === a.accountId));
  if (prompter && !monitoringMode && alarming.length > 1 && !flags.accounts.some((a) => a.slackChannelId)) {
    if (await prompter.confirm("Send each account's alarms to a Slack channel of its own?", ownChannels.size > 0)) {
      for (const a of alarming) {
        const channel = await prompter.input(`Slack channel id for account ${a.accountId}${a.name ? ` (${a.name})` : ''}:`, {
          default: ownChannels.get(a.accountId) ?? slackChannelId,
          validate: (v) => checkValue(schema.slackChannelId, v) ?? true,
        });
        if (channel === slackChannelId) ownChannels.delete(a.accountId);
        else ownChannels.set(a.accountId, channel);
      }
    } else ownChannels.clear();
  }

  if (missing.length > 0) throw new MissingAnswers(missing);

  // --- the config ---------------------------------------------------------------------------------------------
  const answers: InitAnswers = {
    profile,
    organizationRole,
    tags,
    accounts: accounts.map((a) => ({ ...a, slackChannelId: ownChannels.get(a.accountId) })),
    clusters,
    events,
    pgauditLog: hasPostgres ? pgauditLog : undefined,
    logTypes,
    auditRetentionDays,
    otherRetentionDays,
    detections,
    encryption,
    backend,
    slackTeamId: slackTeamId!,
    slackChannelId: slackChannelId!,
    retired: retire(prior, clusters, accounts),
  };
  const value = existing ? inExistingConfig(answers, existing) : organizationRole ? inFleetShape(configFromAnswers(answers), undefined, answers.accounts) : configFromAnswers(answers);
  const doc = existing?.doc ?? newDocument(value, ` aurora-audit configuration, written by \`aurora-audit init\`.\n Run it again to change answers: comments and keys you add are kept.\n Reference: docs/config-reference.md in the aurora-audit package (node_modules/aurora-audit/docs/); aurora-audit schema prints the JSON Schema.`);
  if (existing) mergeIntoDocument(doc, value);
  // An existing config changes only where a value did: every other line stays as the user wrote it (yaml-patch.ts).
  // Should that not be possible, the whole document is written again, keeping comments and the flow padding.
  const text = !existing ? doc.toString({ flowCollectionPadding: false, lineWidth: 0 }) : rewritten(existing.text, doc);
  // What init writes must be a config the rest of aurora-audit accepts.
  const model = parseConfig(text, ctx.configPath);

  if (prompter) {
    say('');
    say(`Review (${path.relative(process.cwd(), ctx.configPath) || ctx.configPath}):`);
    if (!existing) say(newConfigSummary(text, model).join('\n'));
    else if (text === existing.text) say('  (no changes)');
    else say(lineDiff(existing.text, text).map((l) => `  ${l}`).join('\n'));
    if (!(await prompter.confirm(`Write ${path.basename(ctx.configPath)}?`, true))) throw new NotWritten('not written');
  }

  let written: string | undefined;
  let scaffolded: string[] = [];
  if (prompter || ctx.configGiven) {
    // In an empty folder, init sets up the repository around the config too (never over a file that exists).
    const projectDir = path.dirname(ctx.configPath);
    const newProject = !existing && isEmptyProject(projectDir);
    if (!existing || text !== existing.text) writeFileAtomic(ctx.configPath, text);
    written = ctx.configPath;
    if (newProject) {
      scaffolded = scaffoldProject(projectDir, path.basename(ctx.configPath));
      say(`Set up ${path.relative(process.cwd(), projectDir) || 'this folder'} as a repository of its own: ${scaffolded.join(', ')}.`);
    }
  } else {
    ctx.out(text.trimEnd());
  }
  for (const line of nextSteps(model, workspaceKnown, written, scaffolded)) say(line);
  return { model, written, text, unread };
}

/** The existing text, with only what changed in `doc` written into it. */
function rewritten(original: string, doc: Document): string {
  const wanted = doc.toJS();
  if (JSON.stringify(wanted) === JSON.stringify(parseDocument(original).toJS())) return original;
  const patched = patchYaml(original, wanted, ITEM_IDENTITY);
  if (patched !== undefined) return patched;
  const rendered = doc.toString({ flowCollectionPadding: /[{[] \S/.test(original), lineWidth: 0 });
  return keepCommentAlignment(original, keepTrailingCommentSpacing(original, rendered));
}

/** The config to merge into an existing file: its shape kept, and no default written out that it leaves out. */
function inExistingConfig(answers: InitAnswers, existing: { doc: Document; config: schema.ConfigInput }): Record<string, unknown> {
  const fleet = existing.config.accounts !== undefined || answers.organizationRole !== undefined;
  const shaped = (a: InitAnswers) => (fleet ? inFleetShape(configFromAnswers(a), existing.config, a.accounts) : configFromAnswers(a));
  return withoutUnwrittenDefaults(shaped(answers), existing.doc.toJS(), shaped(withDefaultSettings(answers)));
}

function readExisting(file: string): { doc: Document; text: string; config: schema.ConfigInput } | undefined {
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  // Validates it fully first: init never rewrites a config it cannot read correctly.
  parseConfig(text, file);
  const doc = parseDocument(text);
  return { doc, text, config: schema.configSchema.parse(doc.toJS()) };
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
  return prompter.input('AWS account id (12 digits):', { validate: (v) => checkValue(schema.accountId, v) ?? true });
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

async function askSlackTeam(prompter: Prompter, current: string | undefined): Promise<string> {
  return prompter.input('Slack workspace id (Chatbot console → your Slack workspace; T...):', { default: current, validate: (v) => checkValue(schema.slackTeamId, v) ?? true });
}

/**
 * The retentions CloudWatch Logs allows, from `floor` days up. For the audit records the floor is the one below which
 * the config needs audit.shortRetentionAccepted (config/aws.ts): a shorter one is a decision to write by hand, not a
 * pick from a list, and only the one the config already has is offered.
 */
function retentionChoices(floor = 0, kept?: number): Array<Choice<number>> {
  // A shorter retention the config already has (and accepts) stays on offer, so that Enter keeps it.
  return LOG_RETENTION_DAYS.filter((d) => d >= floor || d === kept).map((d) => {
    const years = d >= 365 && d % 365 <= 2 ? Math.round(d / 365) : 0;
    return { name: `${d} day${d === 1 ? '' : 's'}${years ? ` (${years} year${years === 1 ? '' : 's'})` : ''}`, value: d };
  });
}

function describeThreshold(title: string, d: DetectionAnswer): string {
  const minutes = d.periodSeconds / 60;
  return d.threshold === 1 ? `any ${title.replace(/s$/, '')} within ${minutes} min` : `${d.threshold}+ ${title} in ${minutes} min`;
}

function reportProblems(results: readonly RegionDiscovery[], say: (text: string) => void): void {
  const byMessage = new Map<string, string[]>();
  for (const r of results) if (r.problem) byMessage.set(r.problem.message, [...(byMessage.get(r.problem.message) ?? []), `${r.accountId}/${r.region}`]);
  for (const [message, where] of byMessage) say(`Could not read ${where.join(', ')}: ${message}`);
}

/**
 * One line per discovered cluster, for the checkbox, in columns: identifier, account (when there are several),
 * region, engine and version, then the group, auditing and exports.
 */
function clusterLabels(found: readonly DiscoveredCluster[]): Map<DiscoveredCluster, string> {
  const severalAccounts = new Set(found.map((c) => c.accountId)).size > 1;
  const columns = found.map((c) => [c.identifier, ...(severalAccounts ? [c.accountId] : []), c.region, `${c.engine} ${c.engineVersion}`]);
  const widths = columns[0]?.map((_, i) => Math.max(...columns.map((row) => row[i].length))) ?? [];
  return new Map(
    found.map((c, row) => {
      const auditing = c.audit ? (c.audit.logging ? `auditing on (${c.audit.events.join(',') || 'no events'})` : 'auditing off') : 'auditing unknown';
      // A custom group other clusters use: whatever aurora-audit sets in it reaches them too, so say so before the pick.
      const shared = !c.parameterGroupIsDefault && c.parameterGroupUsedBy.length ? `, shared with ${c.parameterGroupUsedBy.join(', ')}` : '';
      const group = `${c.parameterGroup}${c.parameterGroupIsDefault ? ' (default)' : ` (custom${shared})`}`;
      const lead = columns[row].map((cell, i) => cell.padEnd(widths[i])).join('  ');
      return [c, `${lead}  params ${group}  ${auditing}  exports ${c.exports.join(',') || 'none'}`];
    }),
  );
}

interface ChooseClusters {
  readonly ctx: InitContext;
  readonly accounts: readonly AccountAnswer[];
  readonly found: readonly DiscoveredCluster[];
  readonly reachable: ReadonlySet<string>;
  readonly prior: Partial<InitAnswers>;
  readonly need: (name: FlagName, placeholder: string) => void;
  readonly offline: boolean;
  /** Clusters carrying all these tags are chosen, beside the named ones. */
  readonly tags?: Readonly<Record<string, string>>;
}

async function chooseClusters({ ctx, accounts, found, reachable, prior, need, offline, tags }: ChooseClusters): Promise<ClusterAnswer[]> {
  const { flags, prompter } = ctx;
  const inScope = (accountId: string, region: string) => accounts.some((a) => a.accountId === accountId && a.regions.includes(region));
  const priorClusters = (prior.clusters ?? []).filter((c) => inScope(c.accountId, c.region));
  const key = (c: { accountId: string; region: string; identifier: string }) => `${c.accountId}/${c.region}/${c.identifier}`;
  const priorByKey = new Map(priorClusters.map((c) => [key(c), c]));
  const supported = found.filter((c) => !c.unsupported);
  const tagged = (c: DiscoveredCluster) => tags !== undefined && Object.entries(tags).every(([k, v]) => c.tags[k] === v);
  const byTag = supported.filter(tagged);
  const fromDiscovery = (c: DiscoveredCluster, attach?: ClusterAnswer['attach']): ClusterAnswer => {
    const before = priorByKey.get(key(c));
    return {
      accountId: c.accountId,
      region: c.region,
      identifier: c.identifier,
      engine: c.engine,
      // What the cluster runs now, as AWS reports it: a minor or major upgrade since the last run is recorded.
      engineVersion: c.engineVersion,
      family: c.family,
      attach: attach ?? before?.attach ?? flags.attach ?? 'adopt',
      // What discovery sees now outranks what an earlier run recorded: these are facts, not answers.
      parameterGroup: withPrevious(recordParameterGroup(c), before?.parameterGroup),
      // Read and found none is a fact too (recorded as []); not read leaves what an earlier run recorded.
      existingLogGroups: c.logGroupsRead ? c.existingLogGroups : before?.existingLogGroups,
    };
  };

  // Flags name the clusters.
  if (flags.clusters === 'all') return supported.map((c) => fromDiscovery(c));
  if (flags.clusters) {
    const chosen: ClusterAnswer[] = [];
    const problems: string[] = [];
    for (const f of flags.clusters) {
      const matches = found.filter((c) => c.identifier === f.identifier && (!f.region || c.region === f.region) && (!f.accountId || c.accountId === f.accountId));
      if (matches.length > 1) problems.push(`--clusters: "${f.identifier}" is in ${matches.map((m) => `${m.accountId}/${m.region}`).join(' and ')}; write <region>/${f.identifier}`);
      else if (matches.length === 1) {
        if (matches[0].unsupported) problems.push(`--clusters: "${f.identifier}": ${matches[0].unsupported}`);
        else chosen.push(fromDiscovery(matches[0], f.attach));
      } else {
        const accountId = f.accountId ?? accounts[0]?.accountId;
        const region = f.region ?? (accounts[0]?.regions.length === 1 ? accounts[0].regions[0] : undefined);
        const version = flags.engineVersions.get(f.identifier) ?? priorByKey.get(`${accountId}/${region}/${f.identifier}`)?.engineVersion;
        if (accountId && region && reachable.has(`${accountId}/${region}`) && !offline) {
          problems.push(`--clusters: "${f.identifier}" was not found in ${accountId}/${region}`);
        } else if (!region) {
          problems.push(`--clusters: "${f.identifier}" needs its region (<region>/${f.identifier}) when discovery cannot find it`);
        } else if (!version) {
          need('engineVersion', `${f.identifier}=<version>`);
        } else if (accountId) {
          const verdict = resolveEngineVersion('aurora-mysql', version);
          if (!verdict.ok) problems.push(`--engine-version: ${verdict.problem}`);
          chosen.push({ accountId, region, identifier: f.identifier, engine: 'aurora-mysql', engineVersion: version, attach: f.attach ?? flags.attach ?? 'adopt' });
        }
      }
    }
    if (problems.length) throw new ConfigError('flags', problems.map((message) => ({ path: '', message })));
    return [...chosen, ...byTag.filter((c) => !chosen.some((o) => key(o) === key(c))).map((c) => fromDiscovery(c))];
  }

  // A cluster of the config that AWS now reports on a version this release cannot take (upgraded to a newer major):
  // keeping its old facts would deploy a parameter group of the wrong family, and dropping it would retire it. Neither
  // is a choice to make silently.
  const outgrown = priorClusters.flatMap((c) => {
    const now = found.find((f) => key(f) === key(c));
    return now?.unsupported ? [`${c.identifier} (${c.accountId}/${c.region}) is in the config, but AWS now reports ${now.engine} ${now.engineVersion}: ${now.unsupported}. Take it out of the config (or retire it) yourself, or run a newer aurora-audit`] : [];
  });
  if (outgrown.length) throw new ConfigError('flags', outgrown.map((message) => ({ path: '', message })));

  if (!prompter) {
    if (priorClusters.length === 0 && byTag.length === 0) need('clusters', '<id,...>');
    // The clusters of the config, each with what AWS reports of it now (a new minor or major version, a new group).
    // sync retires one that is gone from a region that answered; a region that did not answer proves nothing.
    const kept = priorClusters.flatMap((c) => {
      const now = found.find((f) => key(f) === key(c));
      if (now) return [fromDiscovery(now)];
      return ctx.sync && reachable.has(`${c.accountId}/${c.region}`) ? [] : [{ ...c, attach: c.attach }];
    });
    return [...kept, ...byTag.filter((c) => !priorByKey.has(key(c))).map((c) => fromDiscovery(c))];
  }

  // Ask: pick from what was found, or type them in when AWS could not be read.
  let chosen: ClusterAnswer[];
  if (!offline && found.length + priorClusters.length > 0) {
    const notFound = priorClusters.filter((c) => !found.some((f) => key(f) === key(c)));
    const labels = clusterLabels(found);
    const choices: Array<Choice<string>> = [
      ...found.map((c) => ({ name: labels.get(c)!, short: c.identifier, value: key(c), checked: priorByKey.has(key(c)) || tagged(c), disabled: c.unsupportedBrief ?? c.unsupported ?? false })),
      ...notFound.map((c) => ({ name: `${c.identifier}  ${c.region}  (in the config; not found now)`, value: key(c), checked: true })),
    ];
    const picked = await prompter.checkbox('Which clusters should aurora-audit audit? (space to pick, enter to confirm)', choices, (v) => v.length > 0 || 'Pick at least one cluster.');
    chosen = picked.map((k) => {
      const d = found.find((c) => key(c) === k);
      return d ? fromDiscovery(d) : priorByKey.get(k)!;
    });
  } else {
    chosen = [...priorClusters];
    for (const account of accounts) {
      for (const region of account.regions) {
        const typed = await prompter.input(`Cluster identifiers in ${account.accountId}/${region} (comma-separated, blank for none):`, {
          default: priorClusters.filter((c) => c.accountId === account.accountId && c.region === region).map((c) => c.identifier).join(',') || undefined,
          validate: (v) => v.split(',').map((s) => s.trim()).filter(Boolean).map((id) => checkValue(schema.clusterIdentifier, id)).find(Boolean) ?? true,
        });
        for (const identifier of typed.split(',').map((s) => s.trim()).filter(Boolean)) {
          if (chosen.some((c) => c.accountId === account.accountId && c.region === region && c.identifier === identifier)) continue;
          const engineVersion =
            flags.engineVersions.get(identifier) ??
            (await prompter.input(`Engine version of ${identifier} (8.4, 8.0, 5.7, or in full like 8.4.mysql_aurora.8.4.7):`, {
              default: '8.0',
              validate: (v) => {
                const verdict = resolveEngineVersion('aurora-mysql', v);
                return verdict.ok || verdict.problem;
              },
            }));
          chosen.push({ accountId: account.accountId, region, identifier, engine: 'aurora-mysql', engineVersion, attach: flags.attach ?? 'adopt' });
        }
      }
    }
    if (chosen.length === 0) need('clusters', '<id,...>');
  }

  // Attach mode, asked once for the clusters that are new to the config.
  const fresh = chosen.filter((c) => !priorByKey.has(key(c)));
  if (fresh.length > 0 && !flags.attach) {
    const attach = await prompter.select(
      `How should aurora-audit attach ${nameList(fresh.map((c) => clusterLabel(c, c.identifier, new Set(chosen.map((x) => `${x.accountId}/${x.region}`)).size > 1)))}?`,
      [
        { name: 'adopt: import it; aurora-audit sets only its parameter group and log exports, and can never destroy it', short: 'adopt', value: 'adopt' as const },
        { name: 'external: other Terraform owns it; aurora-audit outputs what that code must set', short: 'external', value: 'external' as const },
      ],
      'adopt',
    );
    chosen = chosen.map((c) => (fresh.includes(c) ? { ...c, attach } : c));
  }
  return chosen;
}

/**
 * The group discovery sees now, and the user's groups the cluster used before: when it has moved off a custom group
 * (a major version upgrade needs a group of the new family), that group joins `previous`, so that Terraform forgets it
 * instead of destroying it.
 */
function withPrevious(now: ClusterAnswer['parameterGroup'], before: ClusterAnswer['parameterGroup']): ClusterAnswer['parameterGroup'] {
  if (!now) return before;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const left = before && !same(before.name, now.name) && !before.name.startsWith('default.') && !before.name.startsWith(OWN_PARAMETER_GROUP_PREFIX) ? [before.name] : [];
  const previous = [...(before?.previous ?? []), ...left].filter((name, i, all) => !same(name, now.name) && all.findIndex((n) => same(n, name)) === i);
  return previous.length ? { ...now, previous } : now;
}

/** The parameter group as the config records it: `name: value` for immediate parameters, an object otherwise. */
function recordParameterGroup(c: DiscoveredCluster): ClusterAnswer['parameterGroup'] {
  if (!c.parameterGroup) return undefined;
  const entries = Object.entries(c.parameters ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return {
    name: c.parameterGroup,
    parameters: entries.length ? Object.fromEntries(entries.map(([name, p]) => [name, p.applyMethod === 'immediate' ? p.value : { value: p.value, applyMethod: p.applyMethod }])) : undefined,
    // A custom group other clusters use too: the audit parameters reach them, so the config names them.
    alsoUsedBy: !c.parameterGroupIsDefault && c.parameterGroupUsedBy.length ? [...c.parameterGroupUsedBy] : undefined,
  };
}

/** Clusters that were in the config and are not chosen now move to retired; chosen ones leave it. */
function retire(prior: Partial<InitAnswers>, chosen: readonly ClusterAnswer[], accounts: readonly AccountAnswer[]): RetiredInput[] {
  const key = (c: { accountId: string; region: string; identifier: string }) => `${c.accountId}/${c.region}/${c.identifier}`;
  const chosenKeys = new Set(chosen.map(key));
  const kept = (prior.retired ?? []).filter((r) => !chosenKeys.has(key(r)));
  const keptKeys = new Set(kept.map(key));
  const leaving = (prior.clusters ?? [])
    .filter((c) => !chosenKeys.has(key(c)) && !keptKeys.has(key(c)))
    .map((c): RetiredInput => {
      const account = accounts.find((a) => a.accountId === c.accountId) ?? prior.accounts?.find((a) => a.accountId === c.accountId);
      // What the stack must forget, and where: the stack (and so the state) it was in, the group it keeps, and the log
      // groups that existed before aurora-audit, which are never deleted.
      const group = c.parameterGroup?.name;
      return {
        accountId: c.accountId,
        region: c.region,
        identifier: c.identifier,
        ...(c.stack ? { stack: c.stack } : {}),
        attach: c.attach,
        ...(account?.roleArn ? { roleArn: account.roleArn } : {}),
        ...(group && !group.startsWith('default.') ? { parameterGroup: group } : {}),
        ...(c.existingLogGroups?.length ? { existingLogGroups: [...c.existingLogGroups] } : {}),
      };
    });
  return [...kept, ...leaving];
}

async function chooseBackend(
  ctx: InitContext,
  prior: schema.BackendInput | undefined,
  firstRegion: string | undefined,
  need: (name: FlagName, placeholder: string) => void,
): Promise<schema.BackendInput> {
  const { flags, prompter } = ctx;
  const priorType = prior?.type ?? 'local';
  const type =
    flags.backend ??
    (flags.stateBucket ? 's3' : undefined) ??
    (prompter
      ? await prompter.select(
          'Where should Terraform keep state (one state per account and region)?',
          [
            { name: 'local files in terraform-state/ (fine to start; not for teams)', short: 'local', value: 'local' as const },
            { name: 'an S3 bucket', value: 's3' as const },
          ],
          priorType,
        )
      : priorType);
  if (type === 'local') return prior?.type === 'local' ? prior : DEFAULT_ANSWERS.backend;

  const priorS3 = prior?.type === 's3' ? prior : undefined;
  const s3 = schema.backendSection.options[1].shape;
  const text = async (flag: string | undefined, current: string | undefined, message: string, field: Parameters<typeof checkValue>[0]) =>
    flag ?? (prompter ? await prompter.input(message, { default: current, validate: (v) => checkValue(field, v) ?? true }) : current);
  const bucket = await text(flags.stateBucket, priorS3?.bucket, 'State bucket name:', s3.bucket);
  if (!bucket) need('stateBucket', '<name>');
  const region = await text(flags.stateRegion, priorS3?.region ?? firstRegion, 'State bucket region:', s3.region);
  if (!region) need('stateRegion', '<region>');
  const keyPrefix = await text(flags.stateKeyPrefix, priorS3?.keyPrefix ?? 'aurora-audit', 'State key prefix (each stack gets <prefix>/<stack>.tfstate):', s3.keyPrefix.unwrap());
  const locking =
    flags.stateLocking ??
    (prompter
      ? await prompter.select(
          'State locking?',
          [
            { name: 'S3 lock file (Terraform 1.10+)', value: 'lockfile' as const },
            { name: 'a DynamoDB table', value: 'dynamodb' as const },
            { name: 'none', value: 'none' as const },
          ],
          priorS3?.locking ?? 'lockfile',
        )
      : (priorS3?.locking ?? 'lockfile'));
  const dynamodbTable = locking === 'dynamodb' ? await text(flags.stateLockTable, priorS3?.dynamodbTable, 'DynamoDB lock table:', s3.dynamodbTable.unwrap()) : undefined;
  if (locking === 'dynamodb' && !dynamodbTable) need('stateLockTable', '<name>');
  return { ...priorS3, type: 's3', bucket: bucket ?? '', region: region ?? '', keyPrefix, locking, dynamodbTable };
}

function nextSteps(model: AuditModel, workspaceKnown: boolean, written: string | undefined, scaffolded: readonly string[]): string[] {
  const lines = ['', 'Next steps:'];
  let n = 0;
  const step = (text: string) => lines.push(`  ${++n}. ${text}`);
  const configFlag = written && path.basename(written) !== CONFIG_FILE_NAME ? ` --config ${path.relative(process.cwd(), written) || written}` : '';
  if (!written) step('Save the config above to aurora-audit.yaml (or re-run with --config FILE).');
  if (scaffolded.includes('package.json')) step(`npm install   (installs the aurora-audit ${packageVersion()} that package.json pins; commit package-lock.json with the config)`);
  if (scaffolded.some((f) => f.startsWith('ci-examples/'))) step('copy ci-examples/github-actions.yml to .github/workflows/aurora-audit.yml (or ci-examples/gitlab-ci.yml to .gitlab-ci.yml): it plans only the stacks a change touches');
  step(`aurora-audit synth${configFlag}   (writes the Terraform to cdktf.out/ and summarizes it)`);
  step('in each cdktf.out/stacks/<stack>: terraform init, terraform plan -out plan.bin, then aurora-audit check-plan on terraform show -json plan.bin before terraform apply plan.bin (README, Deploy)');
  if (!workspaceKnown) {
    // Where a Chatbot channel is: each account's own stacks, or the monitoring account alone.
    const holders = alarmingStacks(model);
    const teams = [...new Set(holders.map((s) => s.slack.teamId))].join(', ');
    const accounts = [...new Set(holders.map((s) => s.accountId))];
    step(`Authorize Slack workspace ${teams} in ${accounts.length === 1 ? `account ${accounts[0]}` : `each of ${nameList(accounts)}`} before deploying: AWS Chatbot console → Configure new client → Slack (Terraform cannot).`);
  }
  const several = model.stacks.length > 1;
  const reboots = model.stacks.flatMap((s) => s.clusters.filter((c) => c.parameterGroup.rebootReasons.length > 0).map((c) => clusterLabel(s, c.identifier, several)));
  if (reboots.length) step(`These clusters need their writer rebooted before auditing starts (aurora-audit plan says why): ${nameList(reboots)}.`);
  const postgres = model.stacks.flatMap((s) => s.clusters.filter((c) => c.engine === 'aurora-postgresql').map((c) => clusterLabel(s, c.identifier, several)));
  if (postgres.length) step(`After that reboot, in every database of ${nameList(postgres)}: ${PGAUDIT_EXTENSION_SQL}`);
  return lines;
}

