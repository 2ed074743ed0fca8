/**
 * The one-screen summary `validate` and `synth` print: what gets built, and what is left for a person to do.
 */
import * as path from 'node:path';
import { ALLOWED_AWS_MANAGED_GUARDRAILS, AUDIT_RETENTION_FRAMEWORKS, AUDIT_RETENTION_YEAR_DAYS, CROSS_ACCOUNT_SHARING_ROLE_NAME, ENGINES, EXPECTED_LOG_TYPES, FIREHOSE_DATA_FRESHNESS, PLACEHOLDERS, SUPPORT_CALENDARS, SUPPORT_DATES_CHECKED, type Engine } from '../config/aws';
import { UNCONFIRMED } from '../config/unconfirmed';
import { ALARMS_PER_MONTH_QUOTED, alertDetailsBound, archiveComparison, describeArchiveComparison, describeCost, monitoringAlarmCount, monitoringStackCost, priceNote, shortPriceNote, stackCost, yearsText } from './cost';
import { majorLabel, supportStatus } from '../config/engine-versions';
import { alarmingStacks, firehoseStreams, type AccountStackModel, type AuditModel, type ClusterModel, type DetectionModel, type SilenceModel, type StackModel } from '../config/model';
import { andList } from '../config/problems';
import { DETECTIONS } from '../detections';
import { monitoringStackName } from '../config/resolve';
import { PGAUDIT_EXTENSION_SQL } from './pgaudit-sql';
import { PLAIN, type Style } from './style';
import { clusterLabel, NAMES_SHOWN, nameList } from './output';

export interface SynthResult {
  /** Where the stacks were written. */
  readonly outdir: string;
  /** Resource counts by type, per stack name. */
  readonly resources: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Stacks copied unchanged from the earlier output instead of synthesized again. */
  readonly reused?: readonly string[];
}

const rel = (p: string) => {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};

/**
 * Today as YYYY-MM-DD, which places each cluster's major version in AWS's support lifecycle. SOURCE_DATE_EPOCH (the
 * reproducible-builds convention: seconds since 1970) pins it, so that a pipeline or a test sees the same summary.
 */
export function summaryDate(env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  const ms = epoch && /^\d+$/.test(epoch) ? Number(epoch) * 1000 : Date.now();
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * How the summary names things: a cluster with where it is, a list of names cut short at some length, and a part of a
 * whole (`of`), which a long list says as "all 86 clusters" or "all 86 clusters but billing (…)" instead.
 */
interface Words {
  readonly qualified: (stack: StackModel, cluster: ClusterModel) => string;
  /** A fleet's summary: sources named, not linked (--verbose links them). */
  readonly brief: boolean;
  readonly list: (names: readonly string[], of?: { readonly all: readonly string[]; readonly nouns: string }) => string;
}

function wordsFor(model: AuditModel, brief: boolean): Words {
  const shown = brief ? COMPACT_NAMES_SHOWN : NAMES_SHOWN;
  const qualified = (stack: StackModel, cluster: ClusterModel) => clusterLabel(stack, cluster.identifier, model.stacks.length > 1);
  const list: Words['list'] = (names, of) => {
    // A short list reads best as itself; a long one that is nearly everything, by what it leaves out.
    if (!of || names.length <= shown + 1) return nameList(names, shown);
    const chosen = new Set(names);
    const rest = of.all.filter((n) => !chosen.has(n));
    if (rest.length === 0) return `all ${of.all.length} ${of.nouns}`;
    if (rest.length <= shown) return `all ${of.all.length} ${of.nouns} but ${rest.join(', ')}`;
    return nameList(names, shown);
  };
  return { qualified, list, brief };
}

/** More stacks than this is a fleet: one line a stack by default, each cluster's details behind --verbose. */
export const FLEET_STACKS = 10;
/** How many names a fleet's summary lists before it counts the rest. */
const COMPACT_NAMES_SHOWN = 2;

export interface SummaryOptions {
  /** Every stack's clusters, settings and state, however many stacks there are. */
  readonly verbose?: boolean;
}

/** The model as far as these stacks go (synth --stack reports only what it synthesized). */
export function onlyStacks(model: AuditModel, names: ReadonlySet<string> | undefined): AuditModel {
  if (!names) return model;
  return {
    ...model,
    stacks: model.stacks.filter((s) => names.has(s.name)),
    retiredStacks: model.retiredStacks.filter((s) => names.has(s.name)),
    monitoringStacks: model.monitoringStacks.filter((s) => names.has(s.name)),
    accountStacks: model.accountStacks.filter((s) => names.has(s.name)),
  };
}

export function renderSummary(model: AuditModel, synth?: SynthResult, today = summaryDate(), style: Style = PLAIN, options: SummaryOptions = {}): string {
  const compact = !options.verbose && model.stacks.length > FLEET_STACKS;
  const out: string[] = [];
  const clusters = model.stacks.flatMap((s) => s.clusters);
  // A fleet's lists name a few and count the rest: the per-stack lines above already say where each is.
  const words = wordsFor(model, compact);
  const monitoringCount = model.monitoringStacks.length;
  const accountCount = model.accountStacks.length;
  const more = [
    ...(monitoringCount ? [`${monitoringCount} monitoring stack${plural(monitoringCount)} holding their alarms`] : []),
    ...(accountCount ? [`${accountCount} account stack${plural(accountCount)}`] : []),
  ];
  // A report of some stacks only (synth --stack) may hold no cluster stack at all.
  const counted = model.stacks.length > 0 || more.length === 0 ? `${model.stacks.length} stack${plural(model.stacks.length)}, ${clusters.length} cluster${plural(clusters.length)}${more.length ? `, and ${more.join(' and ')}` : ''}` : more.join(' and ');
  out.push(
    `${counted}, from ${rel(model.sourcePath)}${model.isBundledExample ? ' (the bundled example)' : ''}`,
  );

  // Audit settings are usually the same everywhere, engine by engine: say the common ones once per engine, and only the
  // exceptions per cluster.
  const settings = new Map(clusters.map((c) => [c, auditSettings(c)]));
  const engines = [...new Set(clusters.map((c) => c.engine))];
  const commonOf = new Map(engines.map((e) => [e, mostCommon(clusters.filter((c) => c.engine === e).map((c) => settings.get(c)!))]));
  const ownSettings = (c: ClusterModel) => settings.get(c)!.filter((line, i) => line !== commonOf.get(c.engine)![i]);
  if (engines.length === 1) {
    out.push('', `${clusters.length > 1 ? 'Every cluster, unless shown otherwise' : 'Audit'}:`, ...(commonOf.get(engines[0]) ?? []).map((line) => `  ${line}`));
  } else if (engines.length > 1) {
    for (const e of engines) out.push('', `Every ${ENGINES[e].label} cluster, unless shown otherwise:`, ...commonOf.get(e)!.map((line) => `  ${line}`));
  }
  // The same in every stack, as it usually is: said once.
  const details = new Set(model.stacks.map((s) => alertDetailsText(s, compact)));
  // Under the one engine's settings, or on its own beneath several, as it is the stack's and not an engine's.
  if (details.size === 1) out.push(...(engines.length === 1 ? [`  ${[...details][0]}`] : ['', `${model.stacks.length > 1 ? "Every stack's a" : 'A'}${[...details][0].slice(1)}`]));

  if (compact) {
    // A fleet: one line a stack, so that a pipeline's log stays readable; --verbose gives every cluster. The channel
    // most stacks alarm to is said once; a stack names its own only when it differs.
    const channel = mostCommon(model.stacks.filter((s) => !s.monitoredBy).map((s) => [`${s.slack.teamId}/${s.slack.channelId}`]))[0];
    const team = channel?.split('/')[0];
    // In monitoring-account mode a source stack's alarms are in the monitoring stack of its region, as a rule.
    const usualMonitor = (s: StackModel) => s.monitoredBy?.stack === monitoringStackName(s.region);
    const usual = [...(channel ? [`alarming to Slack ${channel}`] : []), ...(model.stacks.some((s) => s.monitoredBy) ? ['their alarms in monitoring-<region>'] : [])];
    const resources = (s: { name: string }) => {
      const counts = synth?.resources.get(s.name);
      return counts ? String([...counts.values()].reduce((a, b) => a + b, 0)) : '';
    };
    out.push(
      '',
      `Stacks (name, account, clusters${synth ? ', resources' : ''}, what differs)${usual.length ? `, ${andList(usual)} unless they say otherwise` : ''}; --verbose shows each cluster:`,
    );
    const width = Math.max(...model.stacks.map((s) => s.name.length));
    // The account, and the region unless the stack's name ends with it (as every stack of `accounts` does).
    const place = (s: StackModel) => (s.name.endsWith(`-${s.region}`) ? s.accountId : `${s.accountId} ${s.region}`);
    const placeWidth = Math.max(...model.stacks.map((s) => place(s).length));
    const clustersWidth = Math.max(...model.stacks.map((s) => String(s.clusters.length).length));
    const resourcesWidth = Math.max(...model.stacks.map((s) => resources(s).length));
    for (const stack of model.stacks) {
      const exceptions = stack.clusters.filter((c) => ownSettings(c).length > 0).length;
      const own = stack.slack.teamId === team ? stack.slack.channelId : `${stack.slack.teamId}/${stack.slack.channelId}`;
      const notes = [
        ...(exceptions === 0 ? [] : exceptions === stack.clusters.length ? ['own settings'] : [`${exceptions} with own settings`]),
        ...(stack.monitoredBy ? (usualMonitor(stack) ? [] : [`alarms in ${stack.monitoredBy.stack}`]) : `${stack.slack.teamId}/${stack.slack.channelId}` === channel ? [] : [`Slack ${own}`]),
      ];
      const columns = [stack.name.padEnd(width), place(stack).padEnd(placeWidth), String(stack.clusters.length).padStart(clustersWidth), ...(synth ? [resources(stack).padStart(resourcesWidth)] : []), notes.join(', ')];
      out.push(`  ${columns.join('  ')}`.trimEnd());
    }
  }
  for (const stack of compact ? [] : model.stacks) {
    const counts = synth?.resources.get(stack.name);
    const resourceCount = counts ? `; ${[...counts.values()].reduce((a, b) => a + b, 0)} resources` : '';
    // With many stacks, no blank line between them, so the summary stays on a screen or two.
    if (model.stacks.length <= 3 || stack === model.stacks[0]) out.push('');
    out.push(
      `stack ${stack.name}: account ${stack.accountId}, ${stack.region}${stack.roleArn ? ` as ${stack.roleArn}` : ''}; state ${stateLocation(model, stack)}${resourceCount}; ${
        stack.monitoredBy
          ? `metric filters here, alarms in ${stack.monitoredBy.stack} (account ${stack.monitoredBy.accountId})`
          : `alarms → SNS (${encryptionText(stack)}) → Slack ${stack.slack.teamId}/${stack.slack.channelId}`
      }`,
    );
    if (details.size > 1) out.push(`  ${alertDetailsText(stack)}`);
    const handoff = handoffText(stack);
    if (handoff) out.push(`  ${handoff}`);
    for (const cluster of stack.clusters) {
      out.push(`  ${cluster.identifier}: ${cluster.engine} ${cluster.engineVersion} (${cluster.family}), ${cluster.attach === 'adopt' ? 'adopted: imported, only its parameter group and log exports managed, never destroyed' : 'external: owned by other Terraform'}`);
      // Only what differs from its engine's common settings: a cluster with a longer silence shows that line alone.
      out.push(...ownSettings(cluster).map((line) => `    ${line}`));
    }
  }

  for (const m of model.monitoringStacks) {
    // Every alarm it holds, as its cost counts them: detections, silence alarms, stalled deliveries.
    const alarms = monitoringAlarmCount(m);
    const counts = synth?.resources.get(m.name);
    if (m === model.monitoringStacks[0]) out.push('');
    out.push(
      `monitoring stack ${m.name}: account ${m.accountId}, ${m.region}${m.roleArn ? ` as ${m.roleArn}` : ''}; state ${stateLocation(model, m)}${counts ? `; ${[...counts.values()].reduce((a, b) => a + b, 0)} resources` : ''}; ${alarms} alarm${plural(alarms)} of ${m.sources.length} stack${plural(m.sources.length)} → SNS (${encryptionText(m)}) → Slack ${m.slack.teamId}/${m.slack.channelId}${m.alertDetails ? `; alert details for ${m.alertDetails.sources.length} source account${plural(m.alertDetails.sources.length)}` : ''}`,
    );
  }

  const accountStacks = model.accountStacks.filter((a) => a.sharingRole || a.chatbotForwarding.length > 0);
  if (model.accountStacks.length > 0) out.push('');
  if (model.accountStacks.length <= 3) {
    for (const a of model.accountStacks) {
      const counts = synth?.resources.get(a.name);
      out.push(`account stack ${a.name}: account ${a.accountId}${a.roleArn ? ` as ${a.roleArn}` : ''}; state ${stateLocation(model, a)}${counts ? `; ${[...counts.values()].reduce((x, y) => x + y, 0)} resources` : ''}; ${accountStackText(a)}`);
    }
  } else {
    const holding = [
      [model.accountStacks.filter((a) => a.sharingRole).length, `the ${CROSS_ACCOUNT_SHARING_ROLE_NAME}`],
      [model.accountStacks.filter((a) => a.chatbotForwarding.length > 0).length, "Chatbot's event forwarding"],
    ].flatMap(([n, what]) => (n ? [`${what} in ${n === model.accountStacks.length ? 'each' : n}`] : []));
    const idle = model.accountStacks.length - accountStacks.length;
    out.push(
      `${model.accountStacks.length} account stacks (account-<id>), one per account, for what exists once per account: ${holding.length ? andList(holding) : 'nothing yet'}${holding.length && idle ? `; ${idle} hold nothing yet` : ''}`,
    );
  }

  const retired = [
    ...model.stacks.flatMap((s) => s.retiredClusters.map(({ identifier: id }) => (model.stacks.length > 1 ? `${s.name}/${id}` : id))),
    ...model.retiredStacks.flatMap((s) => s.clusters.map(({ identifier: id }) => `${s.name}/${id} (whole target)`)),
  ];
  if (retired.length > 0) {
    out.push('', `Retired, forgotten by Terraform and left standing (audit log groups kept): ${words.list(retired)}`);
  }

  if (synth) {
    const all = new Map<string, number>();
    for (const counts of synth.resources.values()) for (const [type, n] of counts) all.set(type, (all.get(type) ?? 0) + n);
    const names = [...synth.resources.keys()];
    const stacksGlob = names.length === 1 ? names[0] : names.length <= NAMES_SHOWN ? `{${names.join(',')}}` : `<stack>`;
    out.push('', `Terraform written to ${rel(synth.outdir)}/stacks/${stacksGlob}/cdk.tf.json${names.length > NAMES_SHOWN ? ` (${names.length} stacks)` : ''}: ${countText(all)}`);
    const reused = synth.reused?.length ?? 0;
    if (reused > 0) out.push(`${names.length - reused} stack${plural(names.length - reused)} synthesized, ${reused} unchanged since the last synth and kept as they were`);
  }

  // What each stack costs a month: a line each for a few stacks, the fleet's total and range for many.
  const costs = [...model.stacks.map((s) => [s.name, stackCost(s)] as const), ...model.monitoringStacks.map((m) => [m.name, monitoringStackCost(m)] as const)];
  if (costs.length > 0) out.push('', style.heading('Estimated cost:'));
  if (costs.length === 0) {
    // An account stack's rules, targets and roles cost nothing.
  } else if (costs.length <= NAMES_SHOWN) {
    for (const [name, cost] of costs) out.push(`  ${name}: ${describeCost(cost)}`);
    for (const stack of model.stacks) {
      const archive = archiveComparison(stack);
      if (archive) out.push(`  ${stack.name} archive: ${describeArchiveComparison(archive)}`);
    }
  } else {
    const fixed = costs.map(([, c]) => c.fixed);
    const total = fixed.reduce((a, b) => a + b, 0);
    out.push(`  ${costs.length} stacks: ≈ $${total.toFixed(2)}/month in all, $${Math.min(...fixed).toFixed(2)} to $${Math.max(...fixed).toFixed(2)} a stack (--json gives each stack's lines)`);
  }
  if (costs.length > 0) out.push(`  ${compact ? shortPriceNote() : priceNote()}`);

  const steps = manualSteps(model, words);
  if (steps.length > 0) out.push('', style.heading('Manual steps:'));
  steps.forEach((text, i) => out.push(`  ${i + 1}. ${text}`));

  const warnings = [...collectWarnings(model, words), ...lifecycleWarnings(model, words, today)];
  if (warnings.length > 0) {
    out.push('', style.heading('Warnings:'));
    for (const w of warnings) out.push(`  ${style.warning('-')} ${w}`);
  }
  return out.join('\n');
}

/**
 * The summary as data, for `--json`: the stacks and clusters, what synth wrote (when it did), the manual steps and the
 * warnings, in the words the text summary uses.
 */
export function summaryJson(model: AuditModel, synth?: SynthResult, today = summaryDate()): Record<string, unknown> {
  const words = wordsFor(model, false);
  return {
    config: model.sourcePath,
    bundledExample: model.isBundledExample,
    stacks: model.stacks.map((s) => ({
      name: s.name,
      accountId: s.accountId,
      region: s.region,
      clusters: s.clusters.map((c) => ({
        identifier: c.identifier,
        engine: c.engine,
        engineVersion: c.engineVersion,
        family: c.family,
        attach: c.attach,
        parameterGroup: c.parameterGroup.name,
        rebootNeeded: c.parameterGroup.rebootReasons.length > 0,
        alarms: c.detections.map((d) => d.definition.id),
        silence: c.silence ?? null,
      })),
      cost: { ...stackCost(s), archive: archiveComparison(s) ?? null },
      siem: { collector: s.siem.collector ?? null, push: s.siem.push ?? null, pullSchedule: s.siem.pullSchedule },
      archive: s.archive ?? null,
      ...(synth ? { resources: Object.fromEntries(synth.resources.get(s.name) ?? []) } : {}),
    })),
    retiredStacks: model.retiredStacks.map((s) => s.name),
    monitoringStacks: model.monitoringStacks.map((m) => ({ name: m.name, accountId: m.accountId, region: m.region, sources: m.sources.map((s) => s.stack), cost: monitoringStackCost(m) })),
    ...(synth ? { outdir: synth.outdir, synthesized: [...synth.resources.keys()].filter((n) => !synth.reused?.includes(n)), unchanged: synth.reused ?? [] } : {}),
    manualSteps: manualSteps(model, words),
    warnings: [...collectWarnings(model, words), ...lifecycleWarnings(model, words, today)],
  };
}

/** What is left for a person to do, in order: one sentence each, however many stacks. */
function manualSteps(model: AuditModel, { qualified, list }: Words): string[] {
  const steps: string[] = [];
  const add = (text: string) => steps.push(text);
  // Per workspace, the accounts that must authorize it: one line however many accounts there are.
  const accountsOf = new Map<string, string[]>();
  // A monitored source stack has no channel (synth --stack may report one alone).
  for (const s of alarmingStacks(model)) {
    const accounts = accountsOf.get(s.slack.teamId) ?? [];
    if (!accounts.includes(s.accountId)) accounts.push(s.accountId);
    accountsOf.set(s.slack.teamId, accounts);
  }
  const everyAccount = [...new Set([...accountsOf.values()].flat())];
  const workspaces = [...accountsOf].map(([team, accounts]) => {
    if (accounts.length === 1) return `${team} in account ${accounts[0]}`;
    const named = list(accounts, { all: everyAccount, nouns: 'accounts' });
    return `${team} in ${named.startsWith('all ') ? named : `${accounts.length} accounts: ${named}`}`;
  });
  if (workspaces.length > 0) {
    add(`Authorize the Slack workspace once per account before deploying (${workspaces.join('; ')}): Chatbot console → Configure new client → Slack. Terraform cannot do this step. Invite the Amazon Q app to private channels.`);
  }
  const named = model.stacks.flatMap((s) => s.clusters.map((c) => ({ c, name: qualified(s, c) })));
  const ofClusters = { all: named.map(({ name }) => name), nouns: 'clusters' };
  const handedOver = named.filter(({ c }) => c.attach === 'external').map(({ name }) => name);
  const rebooting = named.filter(({ c }) => c.parameterGroup.rebootReasons.length > 0);
  if (rebooting.length > 0) {
    // Clusters with the same reasons in one sentence: a fleet on default groups is a line, not a page.
    const byReasons = new Map<string, string[]>();
    for (const { c, name } of rebooting) {
      const reasons = c.parameterGroup.rebootReasons.join('; ');
      byReasons.set(reasons, [...(byReasons.get(reasons) ?? []), name]);
    }
    add(
      `Reboot the writer of each of these once its parameter group change is applied; until then it shows pending-reboot and the new audit settings wait. Nothing reboots on its own. ${[...byReasons]
        .map(([reasons, names]) => `${capitalized(list(names, ofClusters))}: ${reasons}.`)
        .join(' ')}`,
    );
  }
  const keeping = named.filter(({ c }) => c.parameterGroup.rebootReasons.length === 0).map(({ name }) => name);
  if (keeping.length > 0) add(`No reboot for ${list(keeping, ofClusters)}: each keeps its parameter group and the audit parameters apply at once.`);
  const postgres = named.filter(({ c }) => c.engine === 'aurora-postgresql').map(({ name }) => name);
  if (postgres.length > 0) {
    add(
      `In every database of ${list(postgres, ofClusters)}, after the reboot that loads pgaudit, run as the master user: ${PGAUDIT_EXTENSION_SQL} (Terraform's AWS provider cannot run SQL; without it pgAudit logs nothing).`,
    );
  }
  if (handedOver.length > 0) {
    add(
      `In the Terraform that owns ${list(handedOver, ofClusters)}: set db_cluster_parameter_group_name and enabled_cloudwatch_logs_exports from the stack outputs <cluster>_parameter_group and <cluster>_log_exports.`,
    );
  }
  const keyStacks = model.stacks.filter((s) => s.encryption.mode === 'key');
  if (keyStacks.length > 0) {
    const events = keyStacks.some((s) => s.tamperAlerts) ? ' (and events.amazonaws.com too, for the tamper alerts)' : '';
    add(
      `The given KMS key (${list(keyStacks.map((s) => s.name))}) must let cloudwatch.amazonaws.com use kms:Decrypt and kms:GenerateDataKey*${events}, and logs.<region>.amazonaws.com encrypt; otherwise alarms reach no one.`,
    );
  }
  const places = [...new Set([...model.stacks, ...model.monitoringStacks].map((s) => `${s.accountId}/${s.region}`))];
  const tamperAccounts = [...new Set([...model.stacks, ...model.monitoringStacks].filter((s) => s.tamperAlerts).map((s) => `${s.accountId}/${s.region}`))];
  if (tamperAccounts.length > 0) {
    const where = tamperAccounts.length === 1 ? tamperAccounts[0] : tamperAccounts.length === places.length && places.length > NAMES_SHOWN ? `every account-region of the config (${places.length})` : `each of ${list(tamperAccounts, { all: places, nouns: 'account-regions' })}`;
    add(
      `Tamper alerts see API calls only while a CloudTrail trail is logging (EventBridge gets "AWS API Call via CloudTrail" events only then): check one logs in ${where} (aws cloudtrail describe-trails, then get-trail-status)${
        // The Slack channel rule watches a channel: only a stack that holds one (not a monitored source stack) has it.
        alarmingStacks(model).some((s) => s.tamperAlerts)
          ? `, and, for the Slack channel rule, in ${andList(UNCONFIRMED.chatbotApiRegions)}, where CloudTrail records Chatbot's calls (a multi-region trail covers them)`
          : ''
      }.${
        [...model.stacks, ...model.monitoringStacks].some((s) => s.tamperAlerts && !s.roleArn) ? ' Stacks without a role (roleArn or role) cannot tell their own deployments apart, so those alert too.' : ''
      }`,
    );
  }
  const secrets = model.stacks.flatMap((s) => (s.siem.push && s.siem.push.to !== 's3' && s.siem.push.to !== 'logDestination' && s.siem.push.secretArn ? [s.siem.push.secretArn] : []));
  if (secrets.length > 0) {
    add(`Put the SIEM's token in ${list([...new Set(secrets)])} (Secrets Manager) before deploying: Firehose reads it there; aurora-audit never sees it. A secret encrypted with a key of your own also needs that key to let the stack's Firehose role decrypt.`);
  }
  const destinations = model.stacks.flatMap((s) => (s.siem.push?.to === 'logDestination' ? [`${s.siem.push.destinationArn} must admit account ${s.accountId}`] : []));
  if (destinations.length > 0) {
    add(`In the central account, each destination's access policy must let the source account subscribe (logs:PutSubscriptionFilter): ${destinations.join('; ')}.`);
  }
  const collectors = model.stacks.filter((s) => s.siem.collector);
  if (collectors.length > 0) {
    add(`Give the SIEM its collector role and job settings: aurora-audit handoff prints them (${collectors.length} stack${plural(collectors.length)}); aurora-audit creates no job on the SIEM's side.`);
  }
  const monitoring = model.monitoringStacks[0];
  if (monitoring) {
    add(
      `In monitoring account ${monitoring.accountId}, let CloudWatch read other accounts' metrics before deploying: CloudWatch console → Settings → "View cross-account cross-region" (this creates the service-linked role AWSServiceRoleForCloudWatchCrossAccount; Terraform does not). Without it, the cross-account alarms stay in INSUFFICIENT_DATA and never notify.`,
    );
    const sharing = new Set(model.accountStacks.filter((a) => a.sharingRole).map((a) => a.accountId));
    const existing = model.stacks.filter((s) => s.monitoredBy && !sharing.has(s.accountId) && s.accountId !== monitoring.accountId).map((s) => s.accountId);
    if (existing.length > 0 && sharing.size === 0) {
      add(`In each source account (${list([...new Set(existing)])}): share CloudWatch data with account ${monitoring.accountId} (CloudWatch settings, or a StackSet), which makes the ${CROSS_ACCOUNT_SHARING_ROLE_NAME} (monitoring.sharingRole: existing).`);
    }
  }
  // The README (Deploy) gives the plain alternative: the command each stack's test_alarm_command output prints.
  if (workspaces.length > 0) add('After deploying: aurora-audit verify --drill (checks each stack in AWS and sends a test alarm through it to Slack).');
  return steps;
}

/** What an account stack holds, in a few words. */
function accountStackText(a: AccountStackModel): string {
  const parts: string[] = [];
  if (a.sharingRole) parts.push(`${a.sharingRole.adopt ? 'adopts (imports)' : 'makes'} the ${CROSS_ACCOUNT_SHARING_ROLE_NAME}, trusting account ${a.sharingRole.monitoringAccountId}`);
  if (a.chatbotForwarding.length > 0) {
    const from = [...new Set(a.chatbotForwarding.map((r) => r.from))];
    const to = [...new Set(a.chatbotForwarding.map((r) => r.to))];
    parts.push(`forwards Chatbot's CloudTrail events from ${nameList(from)} to ${nameList(to)}, for the tamper alerts on the Slack channel`);
  }
  if (a.accountEventRegions.length > 0) parts.push(`forwards IAM's and CloudTrail's changes from ${a.region} to ${nameList([...a.accountEventRegions])}, for the tamper alerts on roles and trails`);
  return parts.length ? parts.join('; ') : 'nothing yet (it exists so that what it made is destroyed through it)';
}

/** Where the audit trail goes besides CloudWatch: the SIEM push, the collector role, the archive. */
function handoffText(stack: StackModel): string | undefined {
  const parts: string[] = [];
  const push = stack.siem.push;
  if (push) parts.push(`pushed to ${push.to === 'logDestination' ? `the log destination ${push.destinationArn}` : push.to === 's3' ? `${push.bucketArn}/${push.prefix}` : `${push.to} ${push.to === 'splunk' ? push.endpoint : push.url}`}`);
  if (stack.siem.collector) parts.push(`read by ${stack.siem.collector.principal} through a read-only collector role`);
  if (stack.archive) {
    parts.push(`archived to s3://${stack.archive.bucketName} under Object Lock (${stack.archive.objectLockMode}, ${yearsText(stack.archive.retentionYears)}), never destroyed from here`);
  }
  const streams = firehoseStreams(stack).length;
  if (streams > 0) {
    const where = streams === 1 ? 'its Firehose stream' : `each of its ${streams} Firehose streams`;
    parts.push(`an alarm on ${where} when a record waits undelivered over ${FIREHOSE_DATA_FRESHNESS.stalledAfterSeconds / 60} minutes`);
  }
  return parts.length > 0 ? `audit trail: ${parts.join('; ')}` : undefined;
}

/** What the detail function does and its cost: every run taking the whole timeout, without the free tier. */
function alertDetailsText(stack: StackModel, brief = false): string {
  if (!stack.alertDetails || (stack.monitoredBy && !stack.monitoredBy.detailsFunctionRoleArn)) return 'alert details: off (alarms only)';
  if (stack.monitoredBy) {
    const redacted = stack.alertDetails.redactStringLiterals ? ' (string literals redacted)' : '';
    return `alert details: the function of ${stack.monitoredBy.stack} follows each detection alarm with who did what${redacted}, reading these lines through a reader role here that only it may assume`;
  }
  const bound = alertDetailsBound();
  if (brief) return `alert details: a Lambda function follows each detection alarm with who did what, at most $${bound.toFixed(2)}/month`;
  return `alert details: a Lambda function follows each detection alarm with who did what${stack.alertDetails.redactStringLiterals ? ' (string literals redacted)' : ''}; no subscription filter used; at most $${bound.toFixed(2)}/month at ${ALARMS_PER_MONTH_QUOTED.toLocaleString('en-US')} alarms even outside Lambda's free tier`;
}

function auditSettings(cluster: ClusterModel): string[] {
  const audit = cluster.audit;
  const users = [
    audit.includeUsers.length ? `only ${audit.includeUsers.join(',')}` : '',
    audit.excludeUsers.length ? `excluding ${audit.excludeUsers.join(',')}` : '',
  ].filter(Boolean);
  // What the group will hold, not what the config asked: a connection-logging value the user set is kept.
  const logConnections = cluster.parameterGroup.parameters.find((p) => p.name === 'log_connections')?.value.toLowerCase();
  const connections = logConnections !== undefined && !['', '0', 'off', 'false', 'no'].includes(logConnections) ? ', connections logged' : '';
  const what =
    cluster.engine === 'aurora-postgresql'
      ? `pgaudit.log ${audit.pgauditLog.join(',')}${audit.pgauditRole ? `, pgaudit.role ${audit.pgauditRole}` : ''}${connections}`
      : `audit ${audit.events.join(',')}${users.length ? `, ${users.join(', ')}` : ''}`;
  return [
    what,
    `exports ${audit.logTypes.map((t) => `${t} ${audit.retentionDays[t]}d`).join(', ')}`,
    `alarms: ${[...cluster.detections.map(describeDetection), ...cluster.skippedDetections.filter((d) => d.id !== 'silence').map((d) => leftOut(cluster, d))].join('; ') || 'none'}`,
    `silence: ${cluster.silence ? describeSilencePeriod(cluster.silence) : 'no alarm'}`,
  ];
}

function describeSilencePeriod(s: SilenceModel): string {
  const minutes = (s.periodSeconds * s.evaluationPeriods) / 60;
  const span = minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
  return s.threshold === 1 ? `alarm after ${span} without an audit record` : `alarm after ${span} of fewer than ${s.threshold} audit records per ${s.periodSeconds / 60} min`;
}

function mostCommon(values: readonly string[][]): string[] {
  const counts = new Map<string, { value: string[]; n: number }>();
  for (const v of values) {
    const key = v.join('\n');
    const entry = counts.get(key) ?? { value: v, n: 0 };
    entry.n += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.n - a.n)[0]?.value ?? [];
}

/**
 * A detection on by default that these audit settings leave out, with what it needs, in few words: the summary's
 * engine block says it once for every cluster alike (the resolver's reason holds the whole story).
 */
function leftOut(cluster: ClusterModel, skipped: { id: string; reason: string }): string {
  const title = DETECTIONS[cluster.engine].find((d) => d.id === skipped.id)?.title ?? skipped.id;
  const events = /can only fire with (.+?) audited/.exec(skipped.reason)?.[1];
  const log = /reads the (\S+) log/.exec(skipped.reason)?.[1];
  return `${title} off until ${events ? `${/add (\S+) or disable/.exec(skipped.reason)?.[1] ?? events} is audited` : log ? `the ${log} log is exported` : 'more is audited'}`;
}

function describeDetection(d: DetectionModel): string {
  const minutes = d.periodSeconds / 60;
  const periods = d.evaluationPeriods > 1 ? ` (${d.datapointsToAlarm} of ${d.evaluationPeriods} periods)` : '';
  return `${d.definition.title} ≥${d.threshold} in ${minutes} min${periods}`;
}

function encryptionText(stack: { encryption: StackModel['encryption'] }): string {
  switch (stack.encryption.mode) {
    case 'create':
      return 'new KMS key';
    case 'key':
      return `KMS key ${stack.encryption.keyArn}`;
    case 'none':
      return 'not encrypted';
  }
}

function stateLocation(model: AuditModel, stack: { name: string }): string {
  const backend = model.backend;
  return backend.type === 'local' ? `${backend.directory}/${stack.name}.tfstate` : `s3://${backend.bucket}/${backend.keyPrefix}/${stack.name}.tfstate`;
}

function countText(counts: ReadonlyMap<string, number>): string {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const parts = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => `${n} ${type.replace(/^aws_/, '')}`);
  return `${total} (${parts.join(', ')})`;
}

function collectWarnings(model: AuditModel, { qualified, list }: Words): string[] {
  const warnings: string[] = [];
  const placeholders = new Set<string>();
  for (const s of model.stacks) {
    if (PLACEHOLDERS.accountIds.includes(s.accountId)) placeholders.add(`account ${s.accountId}`);
  }
  // Slack is named only by the stacks that hold a channel: a monitored source stack has none.
  for (const s of alarmingStacks(model)) {
    if (PLACEHOLDERS.slackId.test(s.slack.teamId)) placeholders.add(`Slack workspace ${s.slack.teamId}`);
    if (PLACEHOLDERS.slackId.test(s.slack.channelId)) placeholders.add(`Slack channel ${s.slack.channelId}`);
  }
  for (const s of model.stacks) {
    const collectorAccount = s.siem.collector?.principal.split(':')[4];
    if (collectorAccount && PLACEHOLDERS.accountIds.includes(collectorAccount)) placeholders.add(`SIEM principal ${s.siem.collector!.principal}`);
  }
  // Local state lives on one machine: a fleet's pipeline (docs/pipelines) plans and applies from S3 state.
  const accounts = new Set(model.stacks.map((s) => s.accountId));
  if (model.backend.type === 'local' && (accounts.size > 1 || model.discoveryOrganization)) {
    warnings.push(
      `Local state (backend: local) for ${model.discoveryOrganization ? 'an organization' : `${accounts.size} accounts`}: each stack's state would live on this machine only, and the example pipelines (docs/pipelines) plan and apply from S3 state. Set backend: {type: s3, bucket, region, keyPrefix} (init --backend s3 --state-bucket ... writes it) before the first apply.`,
    );
  }
  if (placeholders.size > 0) {
    warnings.push(`Placeholder values remain (${[...placeholders].join(', ')}): replace them before deploying; the provider refuses other accounts.`);
  }
  // Only stacks that have a topic: in monitoring-account mode the source stacks' alarms and topic are the monitoring
  // account's.
  const withTopic = alarmingStacks(model);
  const unencrypted = withTopic.filter((s) => s.encryption.mode === 'none').map((s) => s.name);
  if (unencrypted.length) warnings.push(`The alarm topic is not encrypted in ${list(unencrypted, { all: withTopic.map((s) => s.name), nouns: 'stacks with a topic' })} (Security Hub SNS.1).`);
  const governance = model.stacks.filter((s) => s.archive?.objectLockMode === 'GOVERNANCE');
  if (governance.length > 0) {
    const glass = [...new Set(governance.map((s) => s.archive!.breakGlassRoleArn).filter((a): a is string => a !== undefined))];
    warnings.push(
      `Object Lock in GOVERNANCE mode (${list(governance.map((s) => `${s.name}: ${yearsText(s.archive!.retentionYears)}`))}): it protects records from deletion and overwrite by anyone without s3:BypassGovernanceRetention; the bucket policy denies that, deleting versions and changing retention to ${glass.length ? `everyone but the break-glass role ${glass.join(', ')}` : 'everyone (no breakGlassRoleArn is set)'}, but an administrator can replace the policy, and the account's root user can always delete it (each raises a tamper alert), and then bypass. COMPLIANCE holds against all of them, the root user included, and cannot be undone.`,
    );
  }
  const compliance = model.stacks.filter((s) => s.archive?.objectLockMode === 'COMPLIANCE');
  if (compliance.length > 0) {
    warnings.push(
      `Object Lock in COMPLIANCE mode (${list(compliance.map((s) => `${s.name}: ${yearsText(s.archive!.retentionYears)}`))}): once an object is written nobody, the root user included, can delete it or shorten its retention until that time has passed, and its storage is billed until then. Use GOVERNANCE to keep a way back.`,
    );
  }
  // An archive section with a lock or a bucket but no enabled: the archive is off by default, so it does nothing.
  const inert = [...new Set(model.stacks.map((s) => s.archiveSettingsUnused).filter((p): p is string => p !== undefined))];
  for (const at of inert) {
    warnings.push(`${at}: its settings do nothing, since the archive is off unless enabled: true is set, and nothing is archived. Set ${at}.enabled: true to keep the audit records in S3, or ${at}.enabled: false to say it is off.`);
  }
  const unencryptedArchives = model.stacks.filter((s) => s.archive && s.encryption.mode === 'none').map((s) => s.name);
  if (unencryptedArchives.length > 0) warnings.push(`The archive of ${list(unencryptedArchives)} is encrypted with S3-managed keys (SSE-S3), since encryption is none: anyone with s3:GetObject on the bucket reads it.`);

  for (const s of model.stacks) {
    for (const arn of s.slack.guardrailPolicyArns ?? []) {
      const name = arn.slice(arn.lastIndexOf('/') + 1);
      const managed = arn.includes(':iam::aws:policy/') ? ALLOWED_AWS_MANAGED_GUARDRAILS[name] : undefined;
      if (managed?.readsData) {
        warnings.push(`The Slack channel guardrail ${name} (${s.name}) ${managed.grants}: anyone mapped to a role in the channel could read them. Leave guardrailPolicyArns out for a notifications-only guardrail.`);
      } else if (!managed) {
        warnings.push(`aurora-audit cannot see what the guardrail ${arn} (${s.name}) allows: check that it is no wider than the channel needs.`);
      }
    }
  }
  for (const r of model.retiredStacks.filter((r) => !r.nameRecorded)) {
    warnings.push(
      `The retired stack ${r.name} is named after its account and region because no entry records its stack: if the target had a name, set stack: <that name> on its retired entries, or Terraform starts from an empty state and forgets nothing.`,
    );
  }

  // Cluster warnings, one line per kind, naming the clusters it applies to.
  // A kind that only one engine's clusters can have is counted among that engine's ("all 39 Aurora PostgreSQL clusters").
  const byKind = new Map<string, { names: string[]; engine?: Engine }>();
  const note = (text: string, name: string, engine?: Engine) => byKind.set(text, { names: [...(byKind.get(text)?.names ?? []), name], engine });
  for (const s of model.stacks) {
    for (const c of s.clusters) {
      const name = qualified(s, c);
      const expected = EXPECTED_LOG_TYPES[c.engine];
      if (expected.logTypes.some((t) => !c.audit.logTypes.includes(t))) note(`Security Hub ${expected.control} expects ${expected.logTypes.join(', ')} exported; not all are`, name, c.engine);
      if (c.audit.events.includes('QUERY') || c.audit.events.includes('QUERY_DML')) {
        note('QUERY/QUERY_DML audit every statement: expect high log volume and cost, and personal data in statement text', name, c.engine);
      }
      if (c.attach === 'adopt' && !c.existingLogGroupsRecorded) {
        note('No existing log groups are recorded (existingLogGroups; aurora-audit init records them): if RDS already made /aws/rds/cluster/<id>/<type>, the first apply fails with "already exists"', name);
      }
      // A detection left out is in the engine's alarms line; the silence alarm's absence is said here, with why.
      for (const skip of c.skippedDetections.filter((d) => d.id === 'silence')) note(`No ${skip.id} alarm (on by default): ${skip.reason.replace(/^which /, 'it ')}`, name, c.engine);
      if (c.parameterGroup.alsoUsedBy.length > 0) {
        warnings.push(
          `${name} keeps the parameter group ${c.parameterGroup.name}, which ${c.parameterGroup.alsoUsedBy.join(', ')} use${c.parameterGroup.alsoUsedBy.length === 1 ? 's' : ''} too, outside the config: the audit parameters apply to ${c.parameterGroup.alsoUsedBy.length === 1 ? 'it' : 'them'} as well.`,
        );
      }
      const previous = c.parameterGroup.previous;
      if (previous.length > 0) {
        const them = previous.length === 1 ? 'it' : 'them';
        warnings.push(`${name} moved off ${previous.join(', ')}: Terraform forgets ${them} and leaves ${them} in AWS; delete ${them} yourself once no rollback needs ${them}.`);
      }
      const auditDays = c.audit.retentionDays[ENGINES[c.engine].auditLogType];
      if (auditDays !== undefined && auditDays < AUDIT_RETENTION_YEAR_DAYS) {
        const archived = s.archive ? `; the archive keeps them ${yearsText(s.archive.retentionYears)}` : '';
        note(`The audit log is kept ${auditDays} days in CloudWatch Logs, less than the year ${AUDIT_RETENTION_FRAMEWORKS} ask for${archived}`, name);
      }
      if (c.audit.logTypes.some((t) => t === 'general' || t === 'slowquery')) {
        note('general and slowquery logs carry data only when general_log / slow_query_log are on in the DB parameter group; aurora-audit leaves those as they are', name, c.engine);
      }
    }
  }
  const ofClusters = (engine?: Engine) => ({
    all: model.stacks.flatMap((s) => s.clusters.filter((c) => !engine || c.engine === engine).map((c) => qualified(s, c))),
    nouns: engine ? `${ENGINES[engine].label} clusters` : 'clusters',
  });
  for (const [text, { names, engine }] of byKind) warnings.push(`${text} (${list(names, ofClusters(engine))}).`);
  return warnings;
}

/**
 * How to see that Advanced Auditing writes: a test connection when every cluster audits CONNECT, otherwise a statement
 * of an event they all audit (or each its own), so the check never asks for a line that is not audited.
 */
function auditProbe(clusters: readonly ClusterModel[]): string {
  const check = 'check that /aws/rds/cluster/<id>/audit receives its line';
  if (clusters.every((c) => c.audit.events.includes('CONNECT'))) return 'send a test connection and check that /aws/rds/cluster/<id>/audit receives its CONNECT line';
  const shared = (['QUERY_DCL', 'QUERY_DDL', 'QUERY_DML', 'QUERY'] as const).find((e) => clusters.every((c) => c.audit.events.includes(e)));
  const example: Record<string, string> = { QUERY_DCL: 'a GRANT', QUERY_DDL: 'a CREATE TABLE', QUERY_DML: 'a SELECT', QUERY: 'any statement' };
  if (shared) return `run ${example[shared]} (${shared} is audited; CONNECT is not on every cluster) and ${check}`;
  return `run a statement of an event each cluster audits (server_audit_events) and ${check}`;
}

/** How far ahead a coming end of standard support is worth a warning: time to plan and test a major upgrade. */
const SUPPORT_NOTICE_DAYS = 180;

/**
 * Where each cluster's major version stands in AWS's support lifecycle today, and what aurora-audit takes on trust for
 * the newest majors: one line per major, naming its clusters and the source of its dates.
 */
function lifecycleWarnings(model: AuditModel, { qualified, list, brief }: Words, today: string): string[] {
  const byMajor = new Map<string, { cluster: ClusterModel; names: string[]; clusters: ClusterModel[] }>();
  for (const s of model.stacks) {
    for (const c of s.clusters) {
      const key = `${c.engine} ${c.majorVersion}`;
      const had = byMajor.get(key);
      byMajor.set(key, { cluster: had?.cluster ?? c, names: [...(had?.names ?? []), qualified(s, c)], clusters: [...(had?.clusters ?? []), c] });
    }
  }
  const warnings: string[] = [];
  for (const { cluster, names, clusters } of byMajor.values()) {
    const major = ENGINES[cluster.engine].versions.find((v) => v.major === cluster.majorVersion);
    if (!major) continue;
    const label = majorLabel(cluster.engine, major);
    const upgradeTo = ENGINES[cluster.engine].versions.filter((v) => supportStatus(cluster.engine, v, today).phase === 'standard').map((v) => v.major);
    const status = supportStatus(cluster.engine, major, today);
    const source = `AWS release calendar${brief ? '' : `, ${SUPPORT_CALENDARS[cluster.engine]}`}; dates as aurora-audit recorded them on ${SUPPORT_DATES_CHECKED}${status.confirmed ? '' : ', some from a copy of the calendar, held in config/unconfirmed.ts'}`;
    const until = status.extendedSupportEnds ? `, available until ${status.extendedSupportEnds}, after which AWS upgrades the cluster itself` : '';
    if (status.phase === 'extended') {
      warnings.push(`${label} left Aurora standard support on ${status.standardSupportEnds}: ${list(names)} run${names.length === 1 ? 's' : ''} on paid RDS Extended Support${until}. Plan its major version upgrade (${andList(upgradeTo)} ${upgradeTo.length === 1 ? 'is' : 'are'} in standard support; ${source}).`);
    } else if (status.phase === 'ended') {
      warnings.push(`${label} is past the end of RDS Extended Support (${status.extendedSupportEnds}): AWS upgrades ${list(names)} at its next maintenance window, which changes the parameter group family; run aurora-audit init again afterwards (${source}).`);
    } else if (status.standardSupportEnds && daysBetween(today, status.standardSupportEnds) <= SUPPORT_NOTICE_DAYS) {
      warnings.push(`${label} leaves Aurora standard support on ${status.standardSupportEnds}, in ${daysBetween(today, status.standardSupportEnds)} days: ${list(names)} then move${names.length === 1 ? 's' : ''} to paid RDS Extended Support (${source}).`);
    }
    if (cluster.engine === 'aurora-mysql' && major.major === '8.4') {
      warnings.push(
        `Advanced Auditing on Aurora MySQL 8.4 (${list(names)}) is taken to work as on version 3, which AWS's 8.4 pages imply but do not state: after the first apply, ${auditProbe(clusters)}.`,
      );
    }
    if (cluster.engine === 'aurora-postgresql' && major.major === '18') {
      warnings.push(
        `On Aurora PostgreSQL 18 (${list(names)}), after the reboot check that SHOW shared_preload_libraries includes pgaudit and SHOW log_connections is not empty: AWS documents neither the scope of shared_preload_libraries nor the values log_connections takes there.`,
      );
    }
  }
  return warnings;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}


/** A list that opens a sentence: "All 64 clusters …". */
function capitalized(text: string): string {
  return text.startsWith('all ') ? `A${text.slice(1)}` : text;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
