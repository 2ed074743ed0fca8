/**
 * `aurora-audit check-plan PLAN.json`: the guard a pipeline runs between `terraform plan` and `terraform apply`. It
 * reads `terraform show -json plan.bin` and fails, naming each resource, when the plan would delete or replace what
 * aurora-audit promises never to lose, whatever the config says: a DB cluster or instance, a KMS key, a parameter
 * group aurora-audit did not create, a log group holding audit records, or a bucket under Object Lock (the archive).
 */
import { OWN_PARAMETER_GROUP_PREFIX } from '../config/names';
import { FileTooLargeError, readFileBounded } from '../config/read-bounded';
import { EXIT, UsageError, type Output } from './output';
import { reportError } from './report';

/** Exit code when the plan would delete or replace something protected (as `discover --check`). */
export const EXIT_PLAN_UNSAFE = 3;
/** Plans of thousands of resources stay well under this; the cap keeps a wrong file (or /dev/zero) harmless. */
const MAX_PLAN_BYTES = 256 * 1024 * 1024;

export interface CheckPlanOptions {
  readonly json?: boolean;
  /** Addresses whose deletion the user accepts, one by one. */
  readonly allow?: readonly string[];
}

interface ResourceChange {
  readonly address: string;
  readonly mode?: string;
  readonly type: string;
  readonly change: { readonly actions: readonly string[]; readonly before?: Record<string, unknown> | null };
}

export interface Finding {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
  readonly reason: string;
}

/** The log groups that hold audit records: Aurora MySQL's audit log, Aurora PostgreSQL's postgresql log (pgAudit). */
const AUDIT_LOG_GROUP = /^\/aws\/rds\/cluster\/[^/]+\/(?:audit|postgresql)$/;

/** Why deleting this resource breaks a promise; undefined when it does not. */
export function protectedBecause(change: ResourceChange): string | undefined {
  const before = change.change.before ?? {};
  const name = typeof before.name === 'string' ? before.name : undefined;
  switch (change.type) {
    case 'aws_rds_cluster':
    case 'aws_rds_global_cluster':
      return `it is the database ${String(before.cluster_identifier ?? before.global_cluster_identifier ?? before.id ?? '')}`.trim();
    case 'aws_rds_cluster_instance':
    case 'aws_db_instance':
      return `it is the database instance ${String(before.identifier ?? before.id ?? '')}`.trim();
    case 'aws_kms_key':
      return `it is the KMS key ${String(before.key_id ?? before.id ?? '')}: what it encrypted (audit log groups among it) would become unreadable`;
    case 'aws_rds_cluster_parameter_group':
    case 'aws_db_parameter_group':
      return name && !name.startsWith(OWN_PARAMETER_GROUP_PREFIX) ? `it is the parameter group ${name}, which aurora-audit did not create (a cluster's own group)` : undefined;
    case 'aws_cloudwatch_log_group':
      // skip_destroy makes the provider forget the group instead of deleting it.
      return name && AUDIT_LOG_GROUP.test(name) && before.skip_destroy !== true ? `it is the log group ${name}, which holds audit records` : undefined;
    case 'aws_s3_bucket':
      // The compliance archive: its records are under Object Lock, and the bucket is forgotten, never destroyed.
      return before.object_lock_enabled === true ? `it is the bucket ${String(before.bucket ?? before.id ?? '')}, which keeps audit records under Object Lock` : undefined;
    default:
      return undefined;
  }
}

export function findUnsafeChanges(plan: unknown, allow: readonly string[] = []): Finding[] {
  const changes = (plan as { resource_changes?: unknown }).resource_changes as ResourceChange[];
  return changes
    .filter((c) => c.mode !== 'data' && c.change.actions.includes('delete') && !allow.includes(c.address))
    .flatMap((c) => {
      const reason = protectedBecause(c);
      return reason ? [{ address: c.address, type: c.type, actions: c.change.actions, reason }] : [];
    });
}

export async function checkPlanCommand(file: string | undefined, opts: CheckPlanOptions, io: Output, env: NodeJS.ProcessEnv): Promise<number> {
  try {
    if (!file) throw new UsageError(['check-plan: give the plan as JSON: terraform show -json plan.bin > plan.json, then aurora-audit check-plan plan.json (or - for stdin)']);
    const plan = await readPlan(file);
    const findings = findUnsafeChanges(plan, opts.allow);
    const total = (plan.resource_changes as unknown[]).length;
    if (opts.json) {
      io.out(JSON.stringify({ safe: findings.length === 0, resourceChanges: total, findings }, null, 2));
    } else if (findings.length === 0) {
      io.out(
        `check-plan: ${total} resource change${total === 1 ? '' : 's'}; none deletes or replaces a database, a KMS key, a parameter group aurora-audit did not create, or a log group of audit records.`,
      );
    } else {
      for (const f of findings) io.err(`${f.address}: the plan would ${verb(f.actions)} it, and ${f.reason}`);
      io.err(
        `check-plan: ${findings.length} change${findings.length === 1 ? '' : 's'} would lose what must be kept; do not apply this plan. If a cluster left the config, add it to retired (aurora-audit init does); to accept one deliberately, pass --allow <address>.`,
      );
    }
    return findings.length === 0 ? EXIT.ok : EXIT_PLAN_UNSAFE;
  } catch (error) {
    return reportError(error, io, env);
  }
}

function verb(actions: readonly string[]): string {
  return actions.includes('create') ? 'replace (delete and re-create)' : 'delete';
}

async function readPlan(file: string): Promise<{ resource_changes: unknown[] }> {
  const shown = file === '-' ? 'stdin' : JSON.stringify(file);
  let text: string;
  try {
    text = file === '-' ? await readStdin(MAX_PLAN_BYTES) : readFileBounded(file, MAX_PLAN_BYTES);
  } catch (error) {
    if (error instanceof FileTooLargeError) throw new UsageError([`check-plan: ${shown} is larger than ${MAX_PLAN_BYTES / 1024 / 1024} MiB; give the output of terraform show -json plan.bin`]);
    throw new UsageError([`check-plan: cannot read ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
  }
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch {
    throw new UsageError([`check-plan: ${shown} is not JSON; give the output of terraform show -json plan.bin (not the binary plan file itself)`]);
  }
  const changes = (plan as { resource_changes?: unknown } | null)?.resource_changes;
  const wellFormed =
    plan !== null &&
    typeof plan === 'object' &&
    'format_version' in plan &&
    (changes === undefined ||
      (Array.isArray(changes) &&
        changes.every((c) => typeof c?.address === 'string' && typeof c?.type === 'string' && Array.isArray(c?.change?.actions))));
  if (!wellFormed) throw new UsageError([`check-plan: ${shown} is not a Terraform plan in JSON (no format_version and resource_changes); give the output of terraform show -json plan.bin`]);
  return { ...(plan as object), resource_changes: (changes as unknown[] | undefined) ?? [] };
}

async function readStdin(max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > max) throw new FileTooLargeError(max);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
