/**
 * Terraform addresses of what aurora-audit adopts or must never lose track of. They are fixed, readable names
 * (not cdktf's hashed ones), because `removed` blocks and `terraform state` commands refer to them, and a rename
 * would make Terraform plan a destroy and a create.
 */
import { snake } from '../modules/names';

export const ADDRESS = {
  cluster: (identifier: string) => ({ type: 'aws_rds_cluster', name: `cluster_${snake(identifier)}` }),
  parameterGroup: (identifier: string) => ({ type: 'aws_rds_cluster_parameter_group', name: `parameter_group_${snake(identifier)}` }),
  logGroup: (identifier: string, logType: string) => ({ type: 'aws_cloudwatch_log_group', name: `log_${snake(identifier)}_${snake(logType)}` }),
  key: () => ({ type: 'aws_kms_key', name: 'alarm_key' }),
  keyAlias: () => ({ type: 'aws_kms_alias', name: 'alarm_key_alias' }),
} as const;

export function addressOf(a: { type: string; name: string }): string {
  return `${a.type}.${a.name}`;
}

/** `removed` blocks (Terraform 1.7+): Terraform forgets these resources and leaves them standing. */
export function forget(addresses: ReadonlyArray<{ type: string; name: string }>): Array<{ from: string; lifecycle: { destroy: false } }> {
  return addresses.map((a) => ({ from: addressOf(a), lifecycle: { destroy: false } }));
}

/**
 * What Terraform forgets of a cluster that left the config: the cluster, the parameter group still attached to it,
 * and (unless the user chose otherwise) the log group of its audit records, whichever engine it had.
 */
export function retiredClusterAddresses(identifier: string, keepAuditLogs: boolean): Array<{ type: string; name: string }> {
  return [
    ADDRESS.cluster(identifier),
    ADDRESS.parameterGroup(identifier),
    ...(keepAuditLogs ? [ADDRESS.logGroup(identifier, 'audit'), ADDRESS.logGroup(identifier, 'postgresql')] : []),
  ];
}
