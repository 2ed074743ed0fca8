/**
 * The read-only policies of the commands that only look: `init`, `sync` and `discover` in each account (discovery/
 * clusters.ts, discovery/watchers.ts and the Slack workspace lookup), and the organization walk in the management
 * account (discovery/organization.ts), which lists the accounts and assumes the discovery role in each. Every one of
 * these calls names no resource in IAM, so they take Resource "*"; the walk's AssumeRole names the one role.
 * test/deploy-role/policy.test.ts checks each action against the calls discovery/ makes.
 */
import type { PolicyDocument } from './policy';

export const DISCOVERY_ACTIONS = [
  'chatbot:DescribeSlackWorkspaces',
  'cloudtrail:DescribeTrails',
  'cloudtrail:GetTrailStatus',
  'guardduty:GetDetector',
  'guardduty:ListDetectors',
  'logs:DescribeLogGroups',
  'logs:DescribeSubscriptionFilters',
  'rds:DescribeDBClusterParameters',
  'rds:DescribeDBClusters',
  'rds:DescribeDBEngineVersions',
  'sts:GetCallerIdentity',
] as const;

export function discoveryPolicy(): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Sid: 'AuroraAuditDiscover', Effect: 'Allow', Action: [...DISCOVERY_ACTIONS], Resource: '*' }] };
}

/** The management account's: list the organization's accounts, and assume `roleName` (the same in every account). */
export function organizationPolicy(roleName: string, partition: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AuroraAuditListAccounts', Effect: 'Allow', Action: ['organizations:ListAccounts'], Resource: '*' },
      { Sid: 'AuroraAuditAssumeDiscoveryRole', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: `arn:${partition}:iam::*:role/${roleName}` },
    ],
  };
}
