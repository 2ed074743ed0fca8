/**
 * What watches an account-region besides aurora-audit: whether a CloudTrail trail is logging there (EventBridge gets
 * "AWS API Call via CloudTrail" events, and so the tamper alerts see anything, only while one is), and whether
 * GuardDuty has a detector with RDS Protection on. Read-only, and never a reason to skip the region: a role without
 * these permissions gets "unknown".
 */
import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { RDS_LOGIN_EVENTS } from '../config/aws';
import { clientConfig, type AwsSession } from './session';

export interface Watchers {
  /** logging: a trail that covers this region logs; not-logging: none does; unknown: could not be read. */
  readonly cloudTrail: 'logging' | 'not-logging' | 'unknown';
  /** The trails that log here, by name. */
  readonly trails: readonly string[];
  /** rds-on / rds-off: the detector and its RDS_LOGIN_EVENTS feature; no-detector; unknown: could not be read. */
  readonly guardDuty: 'rds-on' | 'rds-off' | 'no-detector' | 'unknown';
}

export async function readWatchers(session: AwsSession, region: string): Promise<Watchers> {
  const cloudtrail = new CloudTrailClient(clientConfig(session, region));
  const guardduty = new GuardDutyClient(clientConfig(session, region));
  try {
    const [trail, detector] = await Promise.all([readTrails(cloudtrail, region), readGuardDuty(guardduty)]);
    return { ...trail, guardDuty: detector };
  } finally {
    cloudtrail.destroy();
    guardduty.destroy();
  }
}

/**
 * The trails that cover a region, shadow trails included (a multi-region or organization trail made elsewhere covers
 * it too), each with its name, ARN and whether it logs. Errors propagate.
 */
export async function coveringTrails(client: CloudTrailClient, region: string): Promise<Array<{ name: string; arn: string; logging: boolean }>> {
  const { trailList = [] } = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  const found: Array<{ name: string; arn: string; logging: boolean }> = [];
  for (const t of trailList.filter((x) => x.IsMultiRegionTrail || x.HomeRegion === region)) {
    const arn = t.TrailARN ?? t.Name ?? '';
    const status = await client.send(new GetTrailStatusCommand({ Name: arn }));
    found.push({ name: t.Name ?? arn, arn, logging: status.IsLogging === true });
  }
  return found;
}

async function readTrails(client: CloudTrailClient, region: string): Promise<Pick<Watchers, 'cloudTrail' | 'trails'>> {
  try {
    const logging = (await coveringTrails(client, region)).filter((t) => t.logging).map((t) => t.name);
    return { cloudTrail: logging.length > 0 ? 'logging' : 'not-logging', trails: logging };
  } catch {
    return { cloudTrail: 'unknown', trails: [] };
  }
}

/** The detector's RDS Protection; `strict` lets an error through instead of answering unknown (verify names it). */
export async function readGuardDuty(client: GuardDutyClient, strict = false): Promise<Watchers['guardDuty']> {
  try {
    // One detector per account and region at most.
    const { DetectorIds = [] } = await client.send(new ListDetectorsCommand({}));
    if (DetectorIds.length === 0) return 'no-detector';
    const detector = await client.send(new GetDetectorCommand({ DetectorId: DetectorIds[0] }));
    const rds = detector.Features?.find((f) => f.Name === RDS_LOGIN_EVENTS);
    return detector.Status === 'ENABLED' && rds?.Status === 'ENABLED' ? 'rds-on' : 'rds-off';
  } catch (error) {
    if (strict) throw error;
    return 'unknown';
  }
}
