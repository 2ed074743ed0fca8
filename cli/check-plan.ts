/**
 * `aurora-audit check-plan PLAN.json`: the guard a pipeline runs between `terraform plan` and `terraform apply`. It
 * reads `terraform show -json plan.bin` and fails (exit 3), naming each resource, when the plan would lose or weaken
 * what aurora-audit promises to keep, whatever the config says (plan-rules.ts says what counts). Input it cannot read
 * as a whole plan is refused (exit 2), as is an --allow that names no finding.
 */
import { FileTooLargeError, jsonText, NotUtf8Error, readBytesBounded } from '../config/read-bounded';
import { EXIT, UsageError, type Output } from './output';
import { judgePlan, notAPlan, type Finding } from './plan-rules';
import { reportError } from './report';

/** Exit code when the plan would lose or weaken something protected (as `discover --check`). */
export const EXIT_PLAN_UNSAFE = 3;
/** Plans of thousands of resources stay well under this; the cap keeps a wrong file (or /dev/zero) harmless. */
const MAX_PLAN_BYTES = 256 * 1024 * 1024;

export interface CheckPlanOptions {
  readonly json?: boolean;
  /** Addresses whose finding the user accepts, one by one. */
  readonly allow?: readonly string[];
}

export { findUnsafeChanges, type Finding } from './plan-rules';

export async function checkPlanCommand(file: string | undefined, opts: CheckPlanOptions, io: Output, env: NodeJS.ProcessEnv): Promise<number> {
  try {
    if (!file) throw new UsageError(['check-plan: give the plan as JSON: terraform show -json plan.bin > plan.json, then aurora-audit check-plan plan.json (or - for stdin)']);
    const plan = await readPlan(file);
    const judged = judgePlan(plan, opts.allow);
    if (judged.unmatchedAllows.length > 0) {
      const found = [...judged.findings, ...judged.allowed].map((f) => f.address);
      throw new UsageError(
        judged.unmatchedAllows.map(
          (a) => `--allow: ${JSON.stringify(a)} matches no finding of this plan; ${found.length ? `its findings are ${[...new Set(found)].join(', ')}` : 'it has none'}`,
        ),
      );
    }
    const safe = judged.findings.length === 0;
    if (opts.json) {
      io.out(
        JSON.stringify(
          { safe, resourceChanges: judged.changes, findings: judged.findings, allowed: judged.allowed, coverageRemoved: judged.coverageRemoved },
          null,
          2,
        ),
      );
      return safe ? EXIT.ok : EXIT_PLAN_UNSAFE;
    }
    const changes = `${judged.changes} resource change${judged.changes === 1 ? '' : 's'}`;
    for (const f of judged.allowed) io.err(`allowed by --allow: ${f.address}: ${describe(f)}`);
    for (const f of judged.findings) io.err(`${f.address}: ${describe(f)}`);
    const coverage = judged.coverageRemoved.length ? ` It removes coverage: ${judged.coverageRemoved.join(', ')}.` : '';
    if (!safe) {
      // The archive's bucket going with its section is the one loss a config edit makes that a second edit undoes.
      const archiveGone = judged.findings.some((f) => f.type.startsWith('aws_s3_bucket') && f.actions.includes('delete'));
      const archiveAdvice = archiveGone ? ' If the archive left the config, set archive.enabled: false instead, which forgets its bucket and leaves it standing;' : '';
      io.err(
        `check-plan: ${changes}; ${judged.findings.length} would lose or weaken what must be kept; do not apply this plan.${coverage} If a cluster left the config, add it to retired (aurora-audit init does);${archiveAdvice} to accept one deliberately, pass --allow <address>.`,
      );
      return EXIT_PLAN_UNSAFE;
    }
    if (judged.allowed.length > 0) {
      const n = new Set(judged.allowed.map((f) => f.address)).size;
      io.out(`check-plan: ${changes}; ${n} change${n === 1 ? '' : 's'} you allowed would lose or weaken what aurora-audit keeps (listed above); nothing else does.${coverage}`);
    } else {
      io.out(`check-plan: ${changes}; none loses or weakens a database, a KMS key, a parameter group or its auditing, a log group of audit records, or the archive.${coverage}`);
    }
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, env);
  }
}

function describe(f: Finding): string {
  const verb = f.actions.includes('delete') ? (f.actions.includes('create') ? 'replace (delete and re-create) it' : 'delete it') : f.actions.includes('create') ? 'create it' : 'update it';
  return `the plan would ${verb}, and ${f.reason}`;
}

async function readPlan(file: string): Promise<object> {
  const shown = file === '-' ? 'stdin' : JSON.stringify(file);
  let text: string;
  try {
    text = jsonText(file === '-' ? await readStdin(MAX_PLAN_BYTES) : readBytesBounded(file, MAX_PLAN_BYTES));
  } catch (error) {
    if (error instanceof NotUtf8Error) throw new UsageError([`check-plan: ${shown} ${error.why}${error.line ? ` (line ${error.line})` : ''}`]);
    if (error instanceof FileTooLargeError) throw new UsageError([`check-plan: ${shown} is larger than ${MAX_PLAN_BYTES / 1024 / 1024} MiB; give the output of terraform show -json plan.bin`]);
    throw new UsageError([`check-plan: cannot read ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
  }
  // A redirect that failed leaves an empty file: said as such, not as text that is not JSON.
  if (text.trim() === '') throw new UsageError([`check-plan: ${shown} is empty; give the output of terraform show -json plan.bin`]);
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch {
    throw new UsageError([`check-plan: ${shown} is not JSON; give the output of terraform show -json plan.bin (not the binary plan file itself)`]);
  }
  const why = notAPlan(plan);
  if (why) throw new UsageError([`check-plan: ${shown} ${why}; give the output of terraform show -json plan.bin`]);
  return plan as object;
}

async function readStdin(max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > max) throw new FileTooLargeError(max);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
