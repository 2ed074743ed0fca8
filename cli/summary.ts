/**
 * The one-screen summary `validate` and `synth` print: what gets built, and what is left for a person to do.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLACEHOLDERS, RDS9_LOG_TYPES } from '../config/aws';
import type { AuditModel, ClusterModel, DetectionModel, StackModel } from '../config/model';

export interface SynthResult {
  /** Where the stacks were written. */
  readonly outdir: string;
  /** Resource counts by type, per stack name. */
  readonly resources: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

const rel = (p: string) => {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};

export function renderSummary(model: AuditModel, synth?: SynthResult): string {
  const out: string[] = [];
  const clusters = model.stacks.flatMap((s) => s.clusters);
  out.push(
    `${model.stacks.length} stack${plural(model.stacks.length)}, ${clusters.length} cluster${plural(clusters.length)}, from ${rel(model.sourcePath)}${model.isBundledExample ? ' (the bundled example)' : ''}`,
  );
  for (const stack of model.stacks) {
    out.push('', `stack ${stack.name}: account ${stack.accountId}, ${stack.region}${stack.roleArn ? `, as ${stack.roleArn}` : ''}; state ${stateLocation(model, stack)}`);
    for (const cluster of stack.clusters) out.push(...describeCluster(cluster));
    out.push(`  alarms → SNS aurora-audit-${stack.name}-alarms (${encryptionText(stack)}) → Slack ${stack.slack.teamId}/${stack.slack.channelId}`);
    const counts = synth?.resources.get(stack.name);
    if (counts) out.push(`  resources: ${countText(counts)}`);
  }

  if (synth) {
    const all = new Map<string, number>();
    for (const counts of synth.resources.values()) for (const [type, n] of counts) all.set(type, (all.get(type) ?? 0) + n);
    const total = [...all.values()].reduce((a, b) => a + b, 0);
    out.push('', `Terraform: ${total} resources in ${rel(synth.outdir)}/stacks/{${model.stacks.map((s) => s.name).join(',')}}/cdk.tf.json`);
  }

  out.push('', 'Manual steps:');
  let step = 0;
  const add = (text: string) => out.push(`  ${++step}. ${text}`);
  const workspaces = [...new Set(model.stacks.map((s) => `${s.slack.teamId} in account ${s.accountId}`))];
  add(
    `Authorize the Slack workspace once per account before deploying (${workspaces.join('; ')}): Chatbot console → Configure new client → Slack. Terraform cannot do this step. Invite the Amazon Q app to private channels.`,
  );
  // Cluster names, qualified by stack when there are several stacks (one identifier can live in two regions).
  const named = model.stacks.flatMap((s) => s.clusters.map((c) => ({ c, name: model.stacks.length > 1 ? `${s.name}/${c.identifier}` : c.identifier })));
  const adopted = named.filter(({ c }) => c.attach === 'adopt').map(({ name }) => name);
  const handedOver = named.filter(({ c }) => c.attach === 'external').map(({ name }) => name);
  add(
    `Reboot each cluster's writer once its audit parameter group is attached; until then it shows pending-reboot and audits nothing. Nothing reboots on its own. ${[
      adopted.length ? `After the first apply: ${adopted.join(', ')}.` : '',
      handedOver.length ? `After the owning Terraform attaches the group: ${handedOver.join(', ')}.` : '',
    ]
      .filter(Boolean)
      .join(' ')}`,
  );
  if (handedOver.length > 0) {
    add(
      `In the Terraform that owns ${handedOver.join(', ')}: set db_cluster_parameter_group_name and enabled_cloudwatch_logs_exports from the stack outputs <cluster>_parameter_group and <cluster>_log_exports.`,
    );
  }
  const keyStacks = model.stacks.filter((s) => s.encryption.mode === 'key');
  if (keyStacks.length > 0) {
    add(
      `The given KMS key (${keyStacks.map((s) => s.name).join(', ')}) must let cloudwatch.amazonaws.com use kms:Decrypt and kms:GenerateDataKey*, and logs.<region>.amazonaws.com encrypt; otherwise alarms reach no one.`,
    );
  }
  add('After deploying, send a test alarm to Slack: terraform output test_alarm_command (in each stack).');

  const warnings = collectWarnings(model);
  if (warnings.length > 0) {
    out.push('', 'Warnings:');
    for (const w of warnings) out.push(`  - ${w}`);
  }
  return out.join('\n');
}

function describeCluster(cluster: ClusterModel): string[] {
  const audit = cluster.audit;
  const users = [
    audit.includeUsers.length ? `only ${audit.includeUsers.join(',')}` : '',
    audit.excludeUsers.length ? `excluding ${audit.excludeUsers.join(',')}` : '',
  ].filter(Boolean);
  return [
    `  ${cluster.identifier}: ${cluster.engine} ${cluster.engineVersion} (${cluster.family}), ${cluster.attach === 'adopt' ? 'adopted (imported; only its parameter group and log exports are managed; never destroyed)' : 'external (owned by other Terraform)'}`,
    `    audit ${audit.events.join(',')}${users.length ? `, ${users.join(', ')}` : ''}`,
    `    exports ${audit.logTypes.map((t) => `${t} ${audit.retentionDays[t]}d`).join(', ')}`,
    `    alarms: ${cluster.detections.length ? cluster.detections.map(describeDetection).join('; ') : 'none'}`,
  ];
}

function describeDetection(d: DetectionModel): string {
  const minutes = d.periodSeconds / 60;
  const periods = d.evaluationPeriods > 1 ? ` (${d.datapointsToAlarm} of ${d.evaluationPeriods} periods)` : '';
  return `${d.definition.title} ≥${d.threshold} in ${minutes} min${periods}`;
}

function encryptionText(stack: StackModel): string {
  switch (stack.encryption.mode) {
    case 'create':
      return 'new KMS key';
    case 'key':
      return `KMS key ${stack.encryption.keyArn}`;
    case 'none':
      return 'not encrypted';
  }
}

function stateLocation(model: AuditModel, stack: StackModel): string {
  const backend = model.backend;
  return backend.type === 'local' ? `${backend.directory}/${stack.name}.tfstate` : `s3://${backend.bucket}/${backend.keyPrefix}/${stack.name}.tfstate`;
}

function countText(counts: ReadonlyMap<string, number>): string {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const parts = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => `${n} ${type.replace(/^aws_/, '')}`);
  return `${total} (${parts.join(', ')})`;
}

function collectWarnings(model: AuditModel): string[] {
  const warnings: string[] = [];
  const placeholders = new Set<string>();
  for (const s of model.stacks) {
    if (PLACEHOLDERS.accountIds.includes(s.accountId)) placeholders.add(`account ${s.accountId}`);
    if (PLACEHOLDERS.slackId.test(s.slack.teamId)) placeholders.add(`Slack workspace ${s.slack.teamId}`);
    if (PLACEHOLDERS.slackId.test(s.slack.channelId)) placeholders.add(`Slack channel ${s.slack.channelId}`);
  }
  if (placeholders.size > 0) {
    warnings.push(`Placeholder values remain (${[...placeholders].join(', ')}): replace them before deploying; the provider refuses other accounts.`);
  }
  for (const s of model.stacks) {
    if (s.encryption.mode === 'none') warnings.push(`Stack ${s.name}: the alarm topic is not encrypted (Security Hub SNS.1).`);
    for (const c of s.clusters) {
      const missing = RDS9_LOG_TYPES[c.engine].filter((t) => !c.audit.logTypes.includes(t));
      if (missing.length) warnings.push(`${c.identifier}: does not export ${missing.join(', ')}, which Security Hub RDS.9 expects.`);
      if (c.audit.events.includes('QUERY') || c.audit.events.includes('QUERY_DML')) {
        warnings.push(`${c.identifier}: QUERY/QUERY_DML audit every statement: expect high log volume and cost, and personal data in statement text.`);
      }
      if (c.attach === 'adopt') {
        warnings.push(
          `${c.identifier}: if /aws/rds/cluster/${c.identifier}/<type> log groups already exist, the first apply fails with "already exists"; import them first (terraform import).`,
        );
      }
      const quiet = c.audit.logTypes.filter((t) => t === 'general' || t === 'slowquery');
      if (quiet.length) {
        warnings.push(`${c.identifier}: ${quiet.join(' and ')} carry data only when general_log / slow_query_log are on in the DB parameter group; aurora-audit leaves them as they are.`);
      }
    }
  }
  return warnings;
}

/** Resource counts by type from a synthesized stack directory. */
export function countResources(outdir: string, stackNames: readonly string[]): Map<string, Map<string, number>> {
  const result = new Map<string, Map<string, number>>();
  for (const name of stackNames) {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
    const counts = new Map<string, number>();
    for (const [type, instances] of Object.entries<Record<string, unknown>>(json.resource ?? {})) counts.set(type, Object.keys(instances).length);
    result.set(name, counts);
  }
  return result;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
