/**
 * `aurora-audit init`: from the user's AWS account to a config file. Every question has a flag; a flag answers its
 * question without asking. Otherwise the answer comes from the existing config, then from what discovery found,
 * then from the default. Without a terminal (or with --yes, or CI=true) it never asks: what no source answers is
 * listed as the flags to pass.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Document, parseDocument } from 'yaml';
import { checkValue } from '../../config/check';
import { CONFIG_FILE_NAME, parseConfig, readConfigText } from '../../config/load';
import { closest } from '../../config/problems';
import { alarmingStacks, type AuditModel } from '../../config/model';
import { OWN_PARAMETER_GROUP_PREFIX } from '../../config/names';
import { ConfigError } from '../../config/problems';
import { resolveEngineVersion } from '../../config/engine-versions';
import * as schema from '../../config/schema';
import type { DiscoveredCluster } from '../../discovery/clusters';
import { clusterLabel, nameList } from '../output';
import { packageVersion } from '../../config/package-root';
import { isEmptyProject, scaffoldProject } from './scaffold';
import { PGAUDIT_EXTENSION_SQL } from '../pgaudit-sql';
import { writeFileAtomic } from '../write-file';
import { lineDiff, newConfigSummary } from './review';
import { answersFromConfig, configFromAnswers, withDefaultSettings, withoutUnwrittenDefaults, type AccountAnswer, type ClusterAnswer, type InitAnswers } from './answers';
import { flagLong, type FlagName } from './flags';
import type { RetiredInput } from '../../config/schema';
import type { Choice } from './prompter';
import { inFleetShape } from './fleet-shape';
import { ITEM_IDENTITY, keepCommentAlignment, keepTrailingCommentSpacing, mergeIntoDocument, newDocument } from './yaml-merge';
import { patchYaml } from './yaml-patch';
import type { AwsAccess, InitContext, WizardStep } from './context';
import { whereToLook } from './ask-where';
import { askAudit } from './ask-audit';
import { askDelivery } from './ask-delivery';

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

/**
 * The wizard, step by step: where to look (ask-where.ts), which clusters, what to audit and alarm on (ask-audit.ts),
 * where alarms go and how state is kept (ask-delivery.ts); then the config, reviewed, checked and written.
 */
export async function runInit(ctx: InitContext): Promise<InitResult> {
  const { prompter } = ctx;
  const say = (text: string) => (prompter ? prompter.say(text) : ctx.note(text));
  const missing: string[] = [];

  // The existing config, if any: its values are the defaults, and its comments survive.
  const existing = readExisting(ctx.configPath);
  const prior = existing ? answersFromConfig(existing.config) : {};
  if (existing) say(`Updating ${path.relative(process.cwd(), ctx.configPath) || ctx.configPath}: its current values are the defaults.`);
  const step: WizardStep = {
    ctx,
    flags: ctx.flags,
    prompter,
    aws: ctx.aws,
    prior,
    say,
    need: (name, placeholder) => missing.push(`${flagLong(name)} ${placeholder}`),
    // A flag answers without asking; otherwise ask, offering the config's value (or the default), or take it as is.
    ask: async (flag, fallback, question) => (flag !== undefined ? flag : prompter ? question(fallback) : fallback),
  };

  const where = await whereToLook(step);
  const { profile, organizationRole, tags, accounts, found, reachable, unread, offline } = where;

  const clusters = await chooseClusters({ ctx, accounts, found, reachable, prior, need: step.need, offline: Boolean(offline), tags });

  const audit = await askAudit(step, clusters);
  // In monitoring-account mode every alarm reaches the monitoring account's one channel.
  const delivery = await askDelivery(step, where, clusters, existing?.config.monitoring !== undefined);
  const { workspaceKnown, workspaceUnseenIn, ownChannels } = delivery;

  if (missing.length > 0) throw new MissingAnswers(missing);

  // The config.
  const answers: InitAnswers = {
    profile,
    organizationRole,
    tags,
    accounts: accounts.map((a) => ({ ...a, slackChannelId: ownChannels.get(a.accountId) })),
    clusters,
    ...audit,
    encryption: delivery.encryption,
    backend: delivery.backend,
    slackTeamId: delivery.slackTeamId,
    slackChannelId: delivery.slackChannelId,
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
  for (const line of nextSteps(model, workspaceKnown, workspaceUnseenIn, written, scaffolded)) say(line);
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
  const text = readConfigText(file);
  // Validates it fully first: init never rewrites a config it cannot read correctly.
  parseConfig(text, file);
  const doc = parseDocument(text);
  return { doc, text, config: schema.configSchema.parse(doc.toJS()) };
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
          const near = closest(f.identifier, found.filter((c) => c.accountId === accountId && c.region === region).map((c) => c.identifier));
          problems.push(`--clusters: "${f.identifier}" was not found in ${accountId}/${region}${near ? ` (did you mean ${near}?)` : ''}`);
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
            (await prompter.input(`Engine version of ${identifier} in ${account.accountId}/${region} (8.4, 8.0, 5.7, or in full like 8.4.mysql_aurora.8.4.7):`, {
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

  // Attach mode for the clusters that are new to the config: once for all of them, or cluster by cluster.
  const fresh = chosen.filter((c) => !priorByKey.has(key(c)));
  if (fresh.length > 0 && !flags.attach) {
    const several = new Set(chosen.map((x) => `${x.accountId}/${x.region}`)).size > 1;
    const modes = [
      { name: 'adopt: import it; aurora-audit sets only its parameter group and log exports, and can never destroy it', short: 'adopt', value: 'adopt' as const },
      { name: 'external: other Terraform owns it; aurora-audit outputs what that code must set', short: 'external', value: 'external' as const },
    ];
    const attach = await prompter.select<ClusterAnswer['attach'] | 'each'>(
      `How should aurora-audit attach ${nameList(fresh.map((c) => clusterLabel(c, c.identifier, several)))}?`,
      fresh.length > 1 ? [...modes, { name: 'cluster by cluster: some are adopted, others owned by other Terraform', short: 'cluster by cluster', value: 'each' as const }] : modes,
      'adopt',
    );
    const modeOf = new Map<ClusterAnswer, ClusterAnswer['attach']>();
    for (const c of fresh) modeOf.set(c, attach === 'each' ? await prompter.select(`How should aurora-audit attach ${clusterLabel(c, c.identifier, several)}?`, modes, 'adopt') : attach);
    chosen = chosen.map((c) => (modeOf.has(c) ? { ...c, attach: modeOf.get(c)! } : c));
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
        engine: c.engine,
        ...(account?.roleArn ? { roleArn: account.roleArn } : {}),
        ...(group && !group.startsWith('default.') ? { parameterGroup: group } : {}),
        ...(c.existingLogGroups?.length ? { existingLogGroups: [...c.existingLogGroups] } : {}),
      };
    });
  return [...kept, ...leaving];
}

function nextSteps(model: AuditModel, workspaceKnown: boolean, unseenIn: readonly string[], written: string | undefined, scaffolded: readonly string[]): string[] {
  const lines = ['', 'Next steps:'];
  let n = 0;
  const step = (text: string) => lines.push(`  ${++n}. ${text}`);
  const configFlag = written && path.basename(written) !== CONFIG_FILE_NAME ? ` --config ${path.relative(process.cwd(), written) || written}` : '';
  if (!written) step('Save the config above to aurora-audit.yaml (or re-run with --config FILE).');
  if (scaffolded.includes('package.json')) step(`npm install   (installs the aurora-audit ${packageVersion()} that package.json pins; commit package-lock.json with the config)`);
  if (scaffolded.some((f) => f.startsWith('ci-examples/'))) {
    step('copy ci-examples/github-actions.yml to .github/workflows/aurora-audit.yml (or ci-examples/gitlab-ci.yml to .gitlab-ci.yml): it plans only the stacks a change touches');
    step(`aurora-audit bootstrap --out deploy-role --ci github --repository <owner/name> --branch main${configFlag}   (the role the pipeline deploys with, in every account: README, "A fleet")`);
  }
  step(`aurora-audit synth${configFlag}   (writes the Terraform to cdktf.out/ and summarizes it)`);
  step('in each cdktf.out/stacks/<stack>: terraform init, terraform plan -out plan.bin, then aurora-audit check-plan on terraform show -json plan.bin before terraform apply plan.bin (README, Deploy)');
  step(`after the apply: aurora-audit verify --drill${configFlag}   (checks each stack in AWS and sends a test alarm through it)`);
  if (!workspaceKnown) {
    // Where a Chatbot channel is: each account's own stacks, or the monitoring account alone.
    const holders = alarmingStacks(model);
    const teams = [...new Set(holders.map((s) => s.slack.teamId))].join(', ');
    // The accounts where init did not see it, when it asked each; otherwise every account that holds a channel.
    const accounts = unseenIn.length > 0 ? [...unseenIn] : [...new Set(holders.map((s) => s.accountId))];
    step(`Authorize Slack workspace ${teams} in ${accounts.length === 1 ? `account ${accounts[0]}` : `each of ${nameList(accounts)}`} before deploying: AWS Chatbot console → Configure new client → Slack (Terraform cannot).`);
  }
  const several = model.stacks.length > 1;
  const reboots = model.stacks.flatMap((s) => s.clusters.filter((c) => c.parameterGroup.rebootReasons.length > 0).map((c) => clusterLabel(s, c.identifier, several)));
  if (reboots.length) step(`These clusters need their writer rebooted before auditing starts (aurora-audit plan says why): ${nameList(reboots)}.`);
  const postgres = model.stacks.flatMap((s) => s.clusters.filter((c) => c.engine === 'aurora-postgresql').map((c) => clusterLabel(s, c.identifier, several)));
  if (postgres.length) step(`After that reboot, in every database of ${nameList(postgres)}: ${PGAUDIT_EXTENSION_SQL}`);
  return lines;
}

