import type { ClusterModel } from '../config/model';

/**
 * What a cluster's writer needs once the audit parameter group is attached (Aurora User Guide: associating a new
 * cluster parameter group leaves the primary instance in pending-reboot). Shown as a stack output and in the summary.
 */
export function rebootNote(cluster: ClusterModel): string {
  const when = cluster.attach === 'adopt' ? 'After the first apply' : 'Once the owning Terraform attaches the audit parameter group';
  return `${when}, cluster ${cluster.identifier} shows pending-reboot: auditing starts when its writer instance is rebooted (aws rds reboot-db-instance --db-instance-identifier <writer>). Nothing reboots on its own.`;
}
