/** Who discovery runs as: the profiles on this machine, the account an identity resolves to, its default region. */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { classifyAwsError, clientConfig, type AwsProblem, type AwsSession } from './session';

/** Profile names from ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE). */
export async function listProfiles(): Promise<string[]> {
  try {
    const { configFile, credentialsFile } = await loadSharedConfigFiles();
    return [...new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)])].sort();
  } catch {
    return [];
  }
}

/** The region the identity would use by itself: AWS_REGION, AWS_DEFAULT_REGION, or the profile's region. */
export async function defaultRegion(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (env.AWS_REGION) return env.AWS_REGION;
  if (env.AWS_DEFAULT_REGION) return env.AWS_DEFAULT_REGION;
  try {
    const { configFile } = await loadSharedConfigFiles();
    return configFile[profile ?? env.AWS_PROFILE ?? 'default']?.region;
  } catch {
    return undefined;
  }
}

export type CallerIdentity = { readonly accountId: string; readonly arn: string } | { readonly problem: AwsProblem };

/** The account the identity resolves to (STS GetCallerIdentity; STS answers in every region). */
export async function callerIdentity(session: AwsSession, region: string): Promise<CallerIdentity> {
  const sts = new STSClient(clientConfig(session, region));
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    return { accountId: out.Account ?? '', arn: out.Arn ?? '' };
  } catch (error) {
    return { problem: classifyAwsError(error) };
  } finally {
    sts.destroy();
  }
}
