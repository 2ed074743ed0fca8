import type { ClusterModel } from '../config/model';

/**
 * Whether, and why, a cluster's writer needs a reboot for the audit settings to apply (Aurora User Guide: a newly
 * associated cluster parameter group, or a changed static parameter, takes effect at the next reboot of the
 * primary instance). Shown as a stack output and in the summary.
 */
export function rebootNote(cluster: ClusterModel): string {
  const reasons = cluster.parameterGroup.rebootReasons;
  if (reasons.length === 0) {
    return `No reboot needed for ${cluster.identifier}: it keeps its parameter group and the audit settings apply at once.`;
  }
  return `Cluster ${cluster.identifier} needs its writer rebooted (aws rds reboot-db-instance --db-instance-identifier <writer>) before auditing starts: ${reasons.join('; ')}. Until then it shows pending-reboot. Nothing reboots on its own.`;
}
