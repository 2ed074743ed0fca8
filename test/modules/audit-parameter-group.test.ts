import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { Testing } from 'cdktf';
import { AuditParameterGroup, type AuditParameterGroupProps } from '../../modules/audit-parameter-group';
import { resources } from '../support/synth';

const synth = (props: Partial<AuditParameterGroupProps> = {}) =>
  Testing.synthScope((scope) => {
    new AuditParameterGroup(scope, 'pg', {
      clusterIdentifier: 'orders-db',
      family: 'aurora-mysql8.0',
      events: ['QUERY_DDL', 'CONNECT', 'QUERY_DCL'],
      excludeUsers: ['rdsadmin'],
      ...props,
    });
  });

describe('AuditParameterGroup', () => {
  test('turns on Advanced Auditing with the events, applied immediately', () => {
    expect(synth()).toHaveResourceWithProperties(RdsClusterParameterGroup, {
      name: 'aurora-audit-orders-db-aurora-mysql8-0',
      family: 'aurora-mysql8.0',
      parameter: [
        { name: 'server_audit_events', value: 'CONNECT,QUERY_DCL,QUERY_DDL', apply_method: 'immediate' },
        { name: 'server_audit_excl_users', value: 'rdsadmin', apply_method: 'immediate' },
        { name: 'server_audit_logging', value: '1', apply_method: 'immediate' },
      ],
    });
  });

  test('events in any order give the same value, so reordering the config is no change', () => {
    const a = resources(synth({ events: ['CONNECT', 'QUERY_DDL'] }), 'aws_rds_cluster_parameter_group');
    const b = resources(synth({ events: ['QUERY_DDL', 'CONNECT'] }), 'aws_rds_cluster_parameter_group');
    expect(a).toEqual(b);
  });

  test('empty user lists are left out, as RDS stores no empty value and the next plan would differ', () => {
    const [[, group]] = resources(synth({ excludeUsers: [], includeUsers: [] }), 'aws_rds_cluster_parameter_group');
    expect(group.parameter.map((p: { name: string }) => p.name)).toEqual(['server_audit_events', 'server_audit_logging']);
  });

  test('included users are set when given', () => {
    const [[, group]] = resources(synth({ includeUsers: ['app', 'etl'] }), 'aws_rds_cluster_parameter_group');
    expect(group.parameter).toContainEqual({ name: 'server_audit_incl_users', value: 'app,etl', apply_method: 'immediate' });
  });

  test('a family change makes a new group before the old one goes', () => {
    const [[, group]] = resources(synth({ family: 'aurora-mysql5.7' }), 'aws_rds_cluster_parameter_group');
    expect(group.name).toBe('aurora-audit-orders-db-aurora-mysql5-7');
    expect(group.lifecycle).toEqual({ create_before_destroy: true });
  });
});
