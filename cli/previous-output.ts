/**
 * What the previous synth managed that the new one would let Terraform destroy. An adopted cluster that vanished from
 * the config without a `retired` entry is the case that matters most: the plan would destroy the database. The
 * config alone cannot tell (a deleted line leaves no trace), but the previous output of aurora-audit can.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Problem } from '../config/problems';

interface StackJson {
  terraform?: { backend?: { local?: { path?: string } } };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  import?: Array<{ to: string }>;
  moved?: Array<{ from: string; to: string }>;
  removed?: Array<{ from: string }>;
  provider?: { aws?: Array<{ alias?: string; region?: string; allowed_account_ids?: string[] }> };
}

function readStack(dir: string, name: string): StackJson | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as StackJson;
  } catch {
    return undefined;
  }
}

function stackNames(dir: string): string[] {
  try {
    return fs.readdirSync(path.join(dir, 'stacks'));
  } catch {
    return [];
  }
}

/** A resource in words: what it is, then its address. */
function describe(r: { address: string; type: string; name?: string }): string {
  const kind: Record<string, string> = { aws_rds_cluster: 'the cluster', aws_kms_key: 'the KMS key', aws_cloudwatch_log_group: 'the log group', aws_rds_cluster_parameter_group: 'the parameter group', aws_s3_bucket: 'the archive bucket' };
  const what = kind[r.type] ?? r.type;
  // A key has no name of its own; its description says whose it is.
  const name = r.type === 'aws_kms_key' ? undefined : r.name;
  return `${what}${name ? ` ${name}` : ''} (${r.address})`;
}

/** Resources a plan must never destroy: databases, keys, groups and log groups that were adopted or kept, archive buckets. */
function protectedResources(json: StackJson): Array<{ address: string; type: string; name?: string }> {
  const imported = new Set((json.import ?? []).map((i) => i.to));
  const found: Array<{ address: string; type: string; name?: string }> = [];
  for (const [type, instances] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(instances)) {
      const address = `${type}.${name}`;
      const keep =
        type === 'aws_rds_cluster' ||
        type === 'aws_kms_key' ||
        (type === 'aws_rds_cluster_parameter_group' && imported.has(address)) ||
        (type === 'aws_cloudwatch_log_group' && (imported.has(address) || body.skip_destroy === true)) ||
        (type === 'aws_s3_bucket' && body.object_lock_enabled === true);
      if (keep) found.push({ address, type, name: String(body.cluster_identifier ?? body.name ?? body.bucket ?? body.description ?? '') || undefined });
    }
  }
  return found;
}

/** Each cluster an output's stacks adopt, by `<account>/<region>/<identifier>`, with the stack that adopts it. */
function adoptingStacks(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const name of stackNames(dir)) {
    const json = readStack(dir, name);
    const provider = json?.provider?.aws?.find((p) => !p.alias);
    for (const body of Object.values(json?.resource?.aws_rds_cluster ?? {})) {
      found.set(`${provider?.allowed_account_ids?.[0] ?? '<account-id>'}/${provider?.region ?? '<region>'}/${String(body.cluster_identifier)}`, name);
    }
  }
  return found;
}

/** Whether the new stack still declares the address, moves it somewhere declared, or forgets it. */
function covered(address: string, next: StackJson | undefined): boolean {
  if (!next) return false;
  const [type, name] = [address.slice(0, address.indexOf('.')), address.slice(address.indexOf('.') + 1)];
  if (next.resource?.[type]?.[name]) return true;
  if ((next.removed ?? []).some((r) => r.from === address)) return true;
  return (next.moved ?? []).some((m) => m.from === address && covered(m.to, { ...next, moved: [] }));
}

/**
 * Whether a stack of an earlier output may have been applied. With a local backend its state file tells: missing, or
 * holding no resource, it never was (the Quick start, a --config experiment). With any other backend nothing here can
 * tell, so it may have been.
 */
function mayHaveBeenApplied(outdir: string, stack: string, json: StackJson): boolean {
  const local = json.terraform?.backend?.local;
  if (!local) return true;
  const file = path.resolve(outdir, 'stacks', stack, local.path ?? 'terraform.tfstate');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  try {
    const state = JSON.parse(text) as { resources?: unknown[] };
    return !Array.isArray(state.resources) || state.resources.length > 0;
  } catch {
    // A state file it cannot read: it may hold anything.
    return true;
  }
}

/** How to go on when the earlier output was only ever synthesized, never applied. */
export const NEVER_APPLIED_HINT =
  'If that earlier output was never applied (no terraform apply or cdktf deploy used it), nothing is deployed to lose: remove it (rm -r <out>) or synthesize into another directory (--out <dir>), and synth again.';

/**
 * Problems, one per resource the previous output managed and the new output would let Terraform destroy. `previous`
 * and `next` are output directories (the new one may still be a staging directory); `unchanged` names stacks the new
 * output took over from the previous one as they were.
 */
export function lostResources(previous: string, next: string, unchanged: ReadonlySet<string> = new Set()): Problem[] {
  const problems: Problem[] = [];
  let adopters: Map<string, string> | undefined;
  /** The new output's stack that adopts the cluster in that account and region, if one does: read once, when asked. */
  const adoptedIn = (account: string, region: string, cluster: string | undefined): string | undefined => {
    adopters ??= adoptingStacks(next);
    return adopters.get(`${account}/${region}/${cluster}`);
  };
  // A stack carried over byte for byte loses nothing.
  for (const stack of stackNames(previous).filter((name) => !unchanged.has(name))) {
    const before = readStack(previous, stack);
    if (!before || !mayHaveBeenApplied(previous, stack, before)) continue;
    const after = readStack(next, stack);
    const provider = before.provider?.aws?.find((p) => !p.alias);
    const account = provider?.allowed_account_ids?.[0] ?? '<account-id>';
    const region = provider?.region ?? '<region>';
    const now = after?.provider?.aws?.find((p) => !p.alias);
    if (now && (now.region !== provider?.region || now.allowed_account_ids?.[0] !== provider?.allowed_account_ids?.[0])) {
      // Its state holds what it made where it was: moved, Terraform would look for all of it where it is now.
      const held = protectedResources(before);
      problems.push({
        path: 'targets',
        message: `the stack ${stack} was made in account ${account}, ${region}, and the new config puts it in account ${now.allowed_account_ids?.[0] ?? '<account-id>'}, ${now.region ?? '<region>'}. A stack's state holds what it made where it made it${held.length ? ` (${held.map(describe).join(', ')})` : ''}: Terraform would look for all of it in the new place, lose track of it, and make it again there. Give the new account or region a target of its own, under a new name, and retire the clusters of ${stack} (retired entries with stack: ${stack}), or put the account and region back.`,
      });
      continue;
    }
    const lost = protectedResources(before).filter((r) => !covered(r.address, after));
    // What belongs to a lost cluster (its group, its log groups) goes with it: one message, the cluster's.
    const lostClusters = lost.filter((r) => r.type === 'aws_rds_cluster').map((r) => r.name);
    /** Whether a resource is one of these clusters, or one of their log groups. */
    const ofClusters = (ids: ReadonlyArray<string | undefined>) => (r: { type: string; name?: string }) =>
      r.type === 'aws_rds_cluster' ? ids.includes(r.name) : ids.some((id) => r.name?.startsWith(`/aws/rds/cluster/${id}/`));
    const belongsToLostCluster = ofClusters(lostClusters);
    // A stack gone while another stack of the new config adopts one of its clusters in the same account and region: a
    // target (or account) renamed, more often than not. One message for what moved with the name; a cluster that left
    // the config altogether still gets its own, with its retired entry.
    const moved = after
      ? []
      : lostClusters.flatMap((id) => {
          const to = adoptedIn(account, region, id);
          return to ? [{ id, to }] : [];
        });
    const ofStayed = ofClusters(lostClusters.filter((id) => !moved.some((m) => m.id === id)));
    if (moved.length > 0) {
      const to = [...new Set(moved.map((m) => m.to))];
      problems.push({
        path: 'targets',
        message: `the stack ${stack}, which the config no longer has, holds ${lost.filter((r) => !ofStayed(r)).map(describe).join(', ')} in account ${account}, ${region}, where the new config adopts ${moved.map((m) => m.id).join(', ')} in the stack ${to.join(', ')} instead. A stack's name is where Terraform keeps its state: ${to.join(', ')} would adopt and make them again in a state of its own, and ${stack}'s state, which still holds them, would destroy them if it were ever planned without them. If a target or account was renamed, give it back the name ${stack}.`,
      });
    }
    for (const r of lost) {
      if (moved.length > 0 && !ofStayed(r)) continue;
      if (r.type !== 'aws_rds_cluster' && belongsToLostCluster(r)) continue;
      const where = after ? `the stack ${stack}` : `the stack ${stack}, which the config no longer has,`;
      if (r.type === 'aws_rds_cluster') {
        const retiredEntry = `{ accountId: "${account}", region: ${region}, identifier: ${r.name}, stack: ${stack} }`;
        problems.push({
          path: 'targets',
          message: `${where} adopted the cluster ${r.name}, which the new config leaves out, so Terraform would plan to destroy the database. To stop managing it, add it to retired (aurora-audit init does this when you deselect it): retired: [${retiredEntry}]. To keep managing it, put it back.`,
        });
      } else if (r.type === 'aws_s3_bucket' && after) {
        problems.push({
          path: 'archive',
          message: `${where} keeps audit records in the archive bucket ${r.name} under Object Lock, and the new config leaves the archive out, so Terraform would plan to delete the bucket's policy, public access block and encryption, and the bucket itself. To stop archiving, set archive.enabled: false (where the archive was turned on), which forgets the bucket and leaves it standing; to keep archiving, put the section back.`,
        });
      } else if (r.type === 'aws_rds_cluster_parameter_group' && after) {
        problems.push({
          path: 'targets',
          message: `${where} kept ${r.name}, a cluster's own parameter group, which the new config neither keeps nor forgets, so Terraform would plan to destroy it. If the cluster moved to another group (a major version upgrade does), run aurora-audit init again, which records ${r.name} under the cluster's parameterGroup.previous, or add it there yourself; otherwise put back what removed it.`,
        });
      } else {
        problems.push({
          path: after ? 'targets' : 'retired',
          message: `${where} managed ${describe(r)}, which the new config neither keeps nor forgets, so Terraform would plan to destroy it. Put back what removed it from the config${after ? '' : `, or retire the target's clusters with stack: ${stack}`}.`,
        });
      }
    }
  }
  // Said once, after the last: what to do when none of it was ever deployed.
  const last = problems.pop();
  if (last) problems.push({ ...last, message: `${last.message} ${NEVER_APPLIED_HINT.replace('<out>', path.basename(previous))}` });
  return problems;
}
