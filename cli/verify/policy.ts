/**
 * The IAM policy `aurora-audit verify` needs in each account: read-only, every action on `*` because it reads
 * across log groups, alarms, topics and rules by name (most of these calls take no resource-level permission, or are
 * listed by prefix). `--drill` adds one action, cloudwatch:SetAlarmState, which changes an alarm's state until its
 * next evaluation and nothing else.
 */
import { ALARM_NAME_PREFIX } from '../../config/names';

export const VERIFY_READ_ACTIONS = [
  'cloudtrail:DescribeTrails',
  'cloudtrail:GetEventSelectors',
  'cloudtrail:GetTrailStatus',
  'cloudwatch:DescribeAlarms',
  'cloudwatch:GetMetricData',
  'events:DescribeRule',
  'events:ListTargetsByRule',
  'guardduty:GetDetector',
  'guardduty:ListDetectors',
  'logs:DescribeLogGroups',
  'logs:DescribeMetricFilters',
  'logs:FilterLogEvents',
  'logs:TestMetricFilter',
  'rds:DescribeBlueGreenDeployments',
  'rds:DescribeDBClusterParameters',
  'rds:DescribeDBClusters',
  'rds:DescribeDBInstances',
  'rds:DescribeDBParameters',
  'sns:ListSubscriptionsByTopic',
] as const;

export const VERIFY_DRILL_ACTIONS = ['cloudwatch:SetAlarmState'] as const;

/** The policy document, with the drill's statement apart so that it can be left out. */
export function verifyPolicy(partition = 'aws'): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AuroraAuditVerifyRead', Effect: 'Allow', Action: [...VERIFY_READ_ACTIONS], Resource: '*' },
      // Only for `verify --drill`: it may set aurora-audit's alarms, and no other, to ALARM.
      { Sid: 'AuroraAuditVerifyDrill', Effect: 'Allow', Action: [...VERIFY_DRILL_ACTIONS], Resource: `arn:${partition}:cloudwatch:*:*:alarm:${ALARM_NAME_PREFIX}*` },
    ],
  };
}
