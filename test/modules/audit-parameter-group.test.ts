import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { Testing } from 'cdktf';
import { AuditParameterGroup, type AuditParameterGroupProps } from '../../modules/audit-parameter-group';
import { resources } from '../support/synth';

const AUDIT = [
  { name: 'server_audit_events', value: 'CONNECT,QUERY_DCL,QUERY_DDL', applyMethod: 'immediate' as const },
  { name: 'server_audit_logging', value: '1', applyMethod: 'immediate' as const },
];

const synth = (props: Partial<AuditParameterGroupProps> = {}) =>
  Testing.synthScope((scope) => {
    new AuditParameterGroup(scope, 'pg', { name: 'aurora-audit-orders-db-aurora-mysql8-0', clusterIdentifier: 'orders-db', family: 'aurora-mysql8.0', parameters: AUDIT, ...props });
  });

describe('AuditParameterGroup', () => {
  test('a new group holds the audit parameters and is replaced before the old one goes', () => {
    const json = synth();
    expect(json).toHaveResourceWithProperties(RdsClusterParameterGroup, {
      name: 'aurora-audit-orders-db-aurora-mysql8-0',
      family: 'aurora-mysql8.0',
      parameter: AUDIT.map((p) => ({ name: p.name, value: p.value, apply_method: p.applyMethod })),
    });
    const [[, group]] = resources(json, 'aws_rds_cluster_parameter_group');
    expect(group.lifecycle).toEqual({ create_before_destroy: true });
    expect(JSON.parse(json).import).toBeUndefined();
  });

  test("the cluster's own group is imported, never replaced or destroyed, and keeps every parameter given", () => {
    const parameters = [...AUDIT, { name: 'max_connections', value: '2000', applyMethod: 'immediate' as const }, { name: 'binlog_format', value: 'ROW', applyMethod: 'pending-reboot' as const }];
    const json = synth({ name: 'orders-db-params', parameters, adoptExisting: true });
    const [[address, group]] = resources(json, 'aws_rds_cluster_parameter_group');
    expect(JSON.parse(json).import).toEqual([{ id: 'orders-db-params', to: `aws_rds_cluster_parameter_group.${address}` }]);
    expect(group.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ['description', 'family', 'name', 'name_prefix', 'tags', 'tags_all'] });
    expect(group.parameter).toEqual(parameters.map((p) => ({ name: p.name, value: p.value, apply_method: p.applyMethod })));
  });
});
