/**
 * What a stack must tell Terraform about resources it no longer declares where, or as, an earlier config or an
 * earlier aurora-audit did. Derived from the model alone, so that a pipeline synthesizing from a fresh checkout writes
 * the same blocks as a laptop:
 *
 * - `moved` from every 0.1 address to the address of the same resource now;
 * - forgotten (removed, destroy = false), never destroyed: a retired cluster with its parameter group and log groups,
 *   a cluster switched from adopt to external, a KMS key no longer used (the records it encrypted stay readable), a
 *   log group that existed before aurora-audit, a log group holding audit records while they are to be kept, and the
 *   compliance archive's bucket once the archive is turned off (`enabled: false`) or its stack retired, and the metric-sharing role a
 *   region stack made before the account's stack held it.
 *
 * A removed block for an address that is not in state does nothing, so the blocks are written whether or not the
 * resource was ever deployed.
 */
import { ENGINES, LOG_TYPES, type LogType } from '../config/aws';
import type { ClusterModel, RetiredClusterModel, RetiredStackModel, StackModel } from '../config/model';
import { AWS_NAMES } from '../config/names';
import { ADDRESS, addressOf, LEGACY, type Address } from './addresses';
import type { StateTransitions } from './addressed-stack';

/** Log types whose groups hold audit records, on either engine. */
const AUDIT_LOG_TYPES: readonly LogType[] = ['audit', 'postgresql'];

/** Where an adopted (kept) group is declared: once per group name, whichever clusters share it. */
export function adoptedGroupOwner(stack: StackModel, name: string): ClusterModel | undefined {
  return stack.clusters.find((c) => c.parameterGroup.mode === 'adopt' && c.parameterGroup.name.toLowerCase() === name.toLowerCase());
}

/** The addresses a live stack declares that other stacks and tools rely on. */
/** Whether the stack alarms itself (per-account mode) rather than through a monitoring account. */
export function alarmsHere(stack: StackModel): boolean {
  return stack.monitoredBy === undefined;
}

export function promisedAddresses(stack: StackModel): Address[] {
  const promised: Address[] = [];
  if (alarmsHere(stack)) {
    promised.push(ADDRESS.topic(), ADDRESS.topicPolicy(), ADDRESS.chatbotRole(), ADDRESS.chatbotRolePolicy(), ADDRESS.chatbotChannel());
    if (stack.slack.loggingLevel !== 'NONE') promised.push(ADDRESS.chatbotLogGroup());
    if (!stack.slack.guardrailPolicyArns) promised.push(ADDRESS.chatbotGuardrail());
  }
  if (stack.archive) promised.push(...ADDRESS.archiveBucket().filter((a) => stack.archive!.transitions.length > 0 || a.type !== 'aws_s3_bucket_lifecycle_configuration'));
  if (stack.encryption.mode === 'create') promised.push(ADDRESS.key(), ADDRESS.keyAlias());
  for (const c of stack.clusters) {
    if (c.attach === 'adopt') promised.push(ADDRESS.cluster(c.identifier));
    promised.push(
      c.parameterGroup.mode === 'adopt' ? ADDRESS.adoptedParameterGroup(adoptedGroupOwner(stack, c.parameterGroup.name)!.parameterGroup.name) : ADDRESS.createdParameterGroup(c.identifier),
    );
    for (const t of c.audit.logTypes) promised.push(ADDRESS.logGroup(c.identifier, t));
    for (const d of c.detections) {
      promised.push(ADDRESS.metricFilter(c.identifier, d.definition.id));
      if (alarmsHere(stack)) promised.push(ADDRESS.alarm(c.identifier, d.definition.id));
    }
  }
  return unique(promised);
}

export function liveStackTransitions(stack: StackModel): StateTransitions {
  const moved: Array<{ from: Address; to: Address }> = [];
  const forgotten: Address[] = [];
  const ambiguous = ambiguousLegacyLogGroups([...stack.clusters.map((c) => c.identifier), ...stack.retiredClusters.map((c) => c.identifier)]);

  // In monitoring-account mode the topic and the channel are the monitoring account's: these go with the alarms.
  const here = alarmsHere(stack);
  const singletons: Array<[Address, Address, boolean]> = [
    [LEGACY.topic(), ADDRESS.topic(), here],
    [LEGACY.topicPolicy(), ADDRESS.topicPolicy(), here],
    [LEGACY.chatbotRole(), ADDRESS.chatbotRole(), here],
    [LEGACY.chatbotRolePolicy(), ADDRESS.chatbotRolePolicy(), here],
    [LEGACY.chatbotChannel(), ADDRESS.chatbotChannel(), here],
    [LEGACY.chatbotLogGroup(), ADDRESS.chatbotLogGroup(), here && stack.slack.loggingLevel !== 'NONE'],
    [LEGACY.key(), ADDRESS.key(), stack.encryption.mode === 'create'],
    [LEGACY.keyAlias(), ADDRESS.keyAlias(), stack.encryption.mode === 'create'],
  ];
  for (const [from, to, declared] of singletons) if (declared) moved.push({ from, to });
  // A key no longer used still decrypts the records it encrypted: forget it, never schedule its deletion. Its alias
  // goes, so that switching back to a created key can take the name again.
  if (stack.encryption.mode !== 'create') forgotten.push(ADDRESS.key(), LEGACY.key());
  // An archive turned off keeps its bucket, its records and what protects them (its lifecycle rules go on moving them
  // to colder storage); only the delivery into it goes. An archive left with no transitions loses its lifecycle rule,
  // which deletes nothing. Only a config that turns the archive off says so: one that never named it has none to
  // forget, and a plan that would delete a bucket of audit records (the section deleted) is stopped by check-plan.
  if (stack.archiveTurnedOff) forgotten.push(...ADDRESS.archiveBucket());
  // In monitoring-account mode a region stack of aurora-audit 0.2 made the account's CloudWatch-CrossAccountSharingRole;
  // the account's stack holds it now. Forgotten, never destroyed: without it the monitoring account's alarms read nothing.
  if (stack.monitoredBy) forgotten.push(ADDRESS.sharingRole(), ADDRESS.sharingRolePolicy());

  const adoptedGroupMoved = new Set<string>();
  for (const c of stack.clusters) {
    const id = c.identifier;
    const group = c.parameterGroup;
    if (c.attach === 'adopt') {
      moved.push({ from: LEGACY.cluster(id), to: ADDRESS.cluster(id) });
    } else {
      // adopt → external: the cluster is the owning Terraform's now; forget it, never destroy it.
      forgotten.push(ADDRESS.cluster(id), LEGACY.cluster(id));
    }

    // 0.1 declared a cluster's group, kept or created, at one address per cluster.
    const current = group.current?.toLowerCase();
    const keptCustomGroup = current !== undefined && !current.startsWith('default.') && current !== AWS_NAMES.parameterGroup(id, c.family);
    if (group.mode === 'adopt') {
      const key = group.name.toLowerCase();
      const to = ADDRESS.adoptedParameterGroup(adoptedGroupOwner(stack, group.name)!.parameterGroup.name);
      if (adoptedGroupMoved.has(key)) forgotten.push(LEGACY.parameterGroup(id)); // a second import of the same group
      else moved.push({ from: LEGACY.parameterGroup(id), to });
      adoptedGroupMoved.add(key);
    } else if (c.attach === 'external' && keptCustomGroup) {
      // The cluster uses a group of its own, so a 0.1 group at this address was that group, adopted before the
      // switch to external: the user's group, to be forgotten, never replaced by the one aurora-audit creates now.
      forgotten.push(LEGACY.parameterGroup(id));
      if (!adoptedGroupOwner(stack, group.current!)) forgotten.push(ADDRESS.adoptedParameterGroup(group.current!));
    } else {
      moved.push({ from: LEGACY.parameterGroup(id), to: ADDRESS.createdParameterGroup(id) });
    }

    // The groups it used before (a major upgrade needs a group of the new family): the user's, so forgotten, unless
    // another cluster of the stack still keeps it.
    for (const name of group.previous) if (!adoptedGroupOwner(stack, name)) forgotten.push(ADDRESS.adoptedParameterGroup(name));

    for (const t of ENGINES[c.engine].logTypes) {
      const exported = c.audit.logTypes.includes(t);
      const legacy = LEGACY.logGroup(id, t);
      const kept = c.existingLogGroups.includes(t) || (t === ENGINES[c.engine].auditLogType && c.audit.keepLogsOnDestroy);
      if (exported && !ambiguous.has(legacy.name)) moved.push({ from: legacy, to: ADDRESS.logGroup(id, t) });
      // A group no longer exported is forgotten when it holds records to keep; otherwise the user chose to let it go.
      if (!exported && kept) forgotten.push(ADDRESS.logGroup(id, t), ...(ambiguous.has(legacy.name) ? [] : [legacy]));
    }
    for (const d of c.detections) {
      moved.push({ from: LEGACY.metricFilter(id, d.definition.id), to: ADDRESS.metricFilter(id, d.definition.id) });
      if (here) moved.push({ from: LEGACY.alarm(id, d.definition.id), to: ADDRESS.alarm(id, d.definition.id) });
    }
  }

  for (const r of stack.retiredClusters) forgotten.push(...retiredClusterAddresses(r, stack.keepRetiredAuditLogs, (name) => Boolean(adoptedGroupOwner(stack, name))));
  // A 0.1 log group address two clusters could have had: nobody can tell which group it is, so it is only forgotten.
  for (const name of ambiguous) forgotten.push({ type: 'aws_cloudwatch_log_group', name });
  return consistent(moved, forgotten);
}

export function retiredStackTransitions(stack: RetiredStackModel): StateTransitions {
  const forgotten: Address[] = [ADDRESS.key(), LEGACY.key(), ...ADDRESS.archiveBucket(), ...(stack.mayHoldSharingRole ? [ADDRESS.sharingRole(), ADDRESS.sharingRolePolicy()] : [])];
  for (const r of stack.clusters) forgotten.push(...retiredClusterAddresses(r, stack.keepAuditLogs, () => false));
  for (const name of ambiguousLegacyLogGroups(stack.clusters.map((c) => c.identifier))) forgotten.push({ type: 'aws_cloudwatch_log_group', name });
  return consistent([], forgotten);
}

/**
 * What Terraform forgets of a cluster that left the config: the cluster, the group it used (its own, or the one
 * aurora-audit made), and every log group, under both the current and the 0.1 addresses. Only a log group of audit
 * records that aurora-audit created goes, and only when the config says not to keep audit logs.
 */
function retiredClusterAddresses(r: RetiredClusterModel, keepAuditLogs: boolean, groupStillUsed: (name: string) => boolean): Address[] {
  const id = r.identifier;
  const addresses: Address[] = [ADDRESS.cluster(id), LEGACY.cluster(id), ADDRESS.createdParameterGroup(id), LEGACY.parameterGroup(id)];
  if (r.parameterGroup && !r.parameterGroup.startsWith('default.') && !groupStillUsed(r.parameterGroup)) addresses.push(ADDRESS.adoptedParameterGroup(r.parameterGroup));
  // Only the log groups its engine has, when the entry records it; otherwise any engine's, which forgets more than
  // was there rather than less.
  for (const t of r.engine ? ENGINES[r.engine].logTypes : LOG_TYPES) {
    const deletable = AUDIT_LOG_TYPES.includes(t) && !keepAuditLogs && !r.existingLogGroups.includes(t);
    if (!deletable) addresses.push(ADDRESS.logGroup(id, t), LEGACY.logGroup(id, t));
  }
  return addresses;
}

/** 0.1 log group names that more than one (cluster, log type) of these clusters maps to. */
function ambiguousLegacyLogGroups(identifiers: readonly string[]): Set<string> {
  const claims = new Map<string, number>();
  for (const id of new Set(identifiers)) for (const t of LOG_TYPES) claims.set(LEGACY.logGroup(id, t).name, (claims.get(LEGACY.logGroup(id, t).name) ?? 0) + 1);
  return new Set([...claims].filter(([, n]) => n > 1).map(([name]) => name));
}

/** Each address once; whatever is moved is not also forgotten (a legacy address claimed both ways is forgotten). */
function consistent(moved: ReadonlyArray<{ from: Address; to: Address }>, forgotten: readonly Address[]): StateTransitions {
  const forgottenSet = unique(forgotten);
  const forgottenKeys = new Set(forgottenSet.map(addressOf));
  const seenFrom = new Set<string>();
  const keptMoves = moved.filter(({ from }) => {
    const key = addressOf(from);
    if (forgottenKeys.has(key) || seenFrom.has(key)) return false;
    seenFrom.add(key);
    return true;
  });
  return { moved: keptMoves, forgotten: forgottenSet };
}

function unique(addresses: readonly Address[]): Address[] {
  const seen = new Map<string, Address>();
  for (const a of addresses) seen.set(addressOf(a), a);
  return [...seen.values()];
}
