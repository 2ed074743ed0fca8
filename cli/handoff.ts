/**
 * `aurora-audit handoff`: what a SIEM needs from each stack, as a sheet a person copies into the SIEM's console, or
 * as JSON for a pipeline. It reads only the model: the names it gives are the ones synthesis writes.
 */
import { SIEM_COLLECTOR_ACTIONS } from '../config/aws';
import { exportedAuditLogGroup, type AuditModel, type StackModel } from '../config/model';
import { ARCHIVE_PREFIX, AWS_NAMES } from '../config/names';
import { UNCONFIRMED } from '../config/unconfirmed';
import { yearsText } from './cost';

export interface HandoffSheet {
  readonly stack: string;
  readonly accountId: string;
  readonly region: string;
  /** A pulling SIEM's collection job (USM Anywhere's "AWS Log Discovery and Collection"): one per log group. */
  readonly pull: {
    readonly jobs: ReadonlyArray<{
      readonly cluster: string;
      readonly engine: string;
      readonly region: string;
      readonly logGroup: string;
      readonly logStream: string;
      readonly sourceFormat: 'raw';
      readonly schedule: string;
    }>;
    /** The console labels these fields are given under, which no public USM page confirms. */
    readonly fieldLabels: Readonly<Record<string, string>>;
    readonly fieldLabelsUnconfirmed: true;
    /** The read-only role, when the config asks for one; else how to ask. */
    readonly collectorRole: { readonly arn: string; readonly trustedPrincipal: string; readonly externalId: string | null; readonly allows: readonly string[] } | null;
  };
  readonly push: { readonly to: string; readonly destination: string; readonly deliveryStream: string | null; readonly subscriptionFilter: string; readonly format: string } | null;
  readonly archive: { readonly bucket: string; readonly prefix: string; readonly objectLock: string; readonly transitions: string; readonly deliveryStream: string; readonly subscriptionFilter: string } | null;
  /** Subscription filters aurora-audit puts on each audit log group (CloudWatch Logs allows two). */
  readonly subscriptionFiltersUsed: number;
}

/** The sheets of these stacks (all when none named). */
export function handoffSheets(model: AuditModel, only?: ReadonlySet<string>): HandoffSheet[] {
  return model.stacks.filter((s) => !only || only.has(s.name)).map(sheetOf);
}

function sheetOf(stack: StackModel): HandoffSheet {
  const jobs = stack.clusters
    .flatMap((c) => {
      const logGroup = exportedAuditLogGroup(c);
      return logGroup ? [{ cluster: c, logGroup }] : [];
    })
    .map(({ cluster: c, logGroup }) => ({
      cluster: c.identifier,
      engine: c.engine,
      region: stack.region,
      logGroup,
      // One stream per DB instance, named after it (docs/facts.md, AWS): all of them.
      logStream: UNCONFIRMED.usmStreamWildcard,
      // Aurora writes plain lines (MySQL: comma-separated fields; PostgreSQL: the server log with AUDIT: lines), not syslog.
      sourceFormat: 'raw' as const,
      schedule: stack.siem.pullSchedule,
    }));
  const collector = stack.siem.collector;
  const push = stack.siem.push;
  return {
    stack: stack.name,
    accountId: stack.accountId,
    region: stack.region,
    pull: {
      jobs,
      fieldLabels: UNCONFIRMED.usmJobFields,
      fieldLabelsUnconfirmed: true,
      collectorRole: collector
        ? {
            arn: `arn:${stack.partition}:iam::${stack.accountId}:role/${AWS_NAMES.siemCollectorRole(stack.name)}`,
            trustedPrincipal: collector.principal,
            externalId: collector.externalId ?? null,
            allows: [...SIEM_COLLECTOR_ACTIONS.logs, ...SIEM_COLLECTOR_ACTIONS.rds],
          }
        : null,
    },
    push: push
      ? {
          to: push.to,
          destination:
            push.to === 's3' ? `${push.bucketArn}/${push.prefix}` : push.to === 'splunk' ? push.endpoint : push.to === 'http' ? push.url : push.destinationArn,
          deliveryStream: push.to === 'logDestination' ? null : AWS_NAMES.deliveryStream(stack.name, 'push'),
          subscriptionFilter: AWS_NAMES.subscriptionFilter('push'),
          format:
            push.to === 's3'
              ? 'CloudWatch Logs subscription batches (JSON with logGroup, logStream and logEvents), gzip-compressed, one object per Firehose buffer'
              : push.to === 'logDestination'
                ? 'CloudWatch Logs subscription batches, as the central account\'s destination forwards them'
                : 'CloudWatch Logs subscription batches (JSON with logGroup, logStream and logEvents), decompressed by Firehose',
        }
      : null,
    archive: stack.archive
      ? {
          bucket: stack.archive.bucketName,
          prefix: ARCHIVE_PREFIX,
          objectLock: `${stack.archive.objectLockMode} ${yearsText(stack.archive.retentionYears)}`,
          transitions: stack.archive.transitions.length > 0 ? stack.archive.transitions.map((t) => `${t.storageClass} after ${t.afterDays} days`).join(', ') : 'none (S3 Standard)',
          deliveryStream: AWS_NAMES.deliveryStream(stack.name, 'archive'),
          subscriptionFilter: AWS_NAMES.subscriptionFilter('archive'),
        }
      : null,
    subscriptionFiltersUsed: (push ? 1 : 0) + (stack.archive ? 1 : 0),
  };
}

/** The sheets as text: a block per stack, the job's fields under the labels the SIEM's console is believed to use. */
export function renderHandoff(sheets: readonly HandoffSheet[]): string {
  const out: string[] = [];
  const labels = UNCONFIRMED.usmJobFields;
  for (const sheet of sheets) {
    out.push(`stack ${sheet.stack}: account ${sheet.accountId}, ${sheet.region}`);
    out.push('  Pull (a SIEM that reads CloudWatch Logs on a schedule, such as USM Anywhere\'s AWS log collection): one job per log group');
    for (const job of sheet.pull.jobs) {
      out.push(`    ${job.cluster} (${job.engine}):`);
      out.push(`      ${labels.region}: ${job.region}`);
      out.push(`      ${labels.logGroup}: ${job.logGroup}`);
      out.push(`      ${labels.logStream}: ${job.logStream} (one stream per DB instance, named after it)`);
      out.push(`      ${labels.sourceFormat}: ${job.sourceFormat}`);
      out.push(`      ${labels.schedule}: ${job.schedule}`);
    }
    if (sheet.pull.jobs.length === 0) out.push('    (no cluster of this stack exports its audit log)');
    const role = sheet.pull.collectorRole;
    out.push(
      role
        ? `    Collector role: ${role.arn}, for ${role.trustedPrincipal}${role.externalId ? ` with external id ${role.externalId}` : ' (no external id)'}; allows ${role.allows.join(', ')} on these groups and clusters only`
        : '    Collector role: none (set siem.collector to have the stack make a read-only one for the SIEM)',
    );
    if (sheet.push) out.push(`  Push: to ${sheet.push.to}, ${sheet.push.destination}${sheet.push.deliveryStream ? ` through Firehose stream ${sheet.push.deliveryStream}` : ''}; subscription filter ${sheet.push.subscriptionFilter}; ${sheet.push.format}`);
    if (sheet.archive) {
      out.push(`  Archive: s3://${sheet.archive.bucket}/${sheet.archive.prefix}, Object Lock ${sheet.archive.objectLock}; ${sheet.archive.transitions}; through Firehose stream ${sheet.archive.deliveryStream}, subscription filter ${sheet.archive.subscriptionFilter}`);
    }
    out.push(`  Subscription filters aurora-audit puts on each audit log group: ${sheet.subscriptionFiltersUsed} of the 2 CloudWatch Logs allows`);
    out.push('');
  }
  out.push(
    `The field labels (${Object.values(labels).join(', ')}) follow the SIEM job as the seed describes it; no public USM Anywhere page reachable here confirms them (config/unconfirmed.ts). ` +
      'aurora-audit configures the AWS side only: it does not create the SIEM\'s job, its sensor or its credentials, and it never stores a secret.',
  );
  return out.join('\n');
}
