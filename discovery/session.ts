/**
 * How discovery reaches AWS: the identity (a profile or the default credential chain), an optional role to assume
 * in another account, and client settings shared by every call. The endpoint follows the SDK's own
 * configuration (AWS_ENDPOINT_URL, profiles), which is also how the tests point discovery at a local server.
 */
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface AwsSession {
  /** A named profile from ~/.aws/config; @default - the default credential chain */
  readonly profile?: string;
  /** A role to assume for this account. @default - the identity itself */
  readonly roleArn?: string;
}

/** Throttled calls are retried with exponential backoff and jitter (the SDK's standard retry mode) this often. */
export const MAX_ATTEMPTS = 6;

// One provider per session object: an account's regions share one credential lookup (one AssumeRole, not one per
// region), and a new session (a new run) looks again.
const providers = new WeakMap<AwsSession, AwsCredentialIdentityProvider>();

/** `region` is where STS is asked to assume the role: the first region the session is used in. */
export function credentialsFor(session: AwsSession, region: string): AwsCredentialIdentityProvider {
  let provider = providers.get(session);
  if (!provider) {
    const base = session.profile ? fromIni({ profile: session.profile }) : fromNodeProviderChain();
    provider = session.roleArn
      ? fromTemporaryCredentials({
          params: { RoleArn: session.roleArn, RoleSessionName: 'aurora-audit-discovery' },
          masterCredentials: base,
          clientConfig: { region },
        })
      : base;
    provider = memoize(provider);
    providers.set(session, provider);
  }
  return provider;
}

/**
 * Shares one credential lookup between all the clients of a session (SDK clients memoize only their own), and
 * looks again once temporary credentials are within five minutes of expiring.
 */
function memoize(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let pending: ReturnType<AwsCredentialIdentityProvider> | undefined;
  return async () => {
    if (pending) {
      const creds = await pending.catch(() => undefined);
      if (creds && (!creds.expiration || creds.expiration.getTime() - Date.now() > 5 * 60_000)) return creds;
    }
    pending = provider();
    return pending;
  };
}

/** Settings every discovery client takes. */
export function clientConfig(session: AwsSession, region: string) {
  return {
    region,
    credentials: credentialsFor(session, region),
    maxAttempts: MAX_ATTEMPTS,
    retryMode: 'standard',
    // An unreachable endpoint fails fast instead of hanging the wizard.
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 20_000 },
  };
}

export type AwsProblemKind = 'no-credentials' | 'no-network' | 'access-denied' | 'throttled' | 'timeout' | 'other';

export interface AwsProblem {
  readonly kind: AwsProblemKind;
  readonly message: string;
}

/** Sorts an SDK error into what the user can act on, in one line. */
export function classifyAwsError(error: unknown): AwsProblem {
  const e = error as { name?: string; code?: string; message?: string; Code?: string };
  const name = e.name ?? e.Code ?? '';
  const message = (e.message ?? String(error)).split('\n')[0];
  if (name === 'CredentialsProviderError' || /Could not load credentials|profile .* could not be found/i.test(message)) {
    return { kind: 'no-credentials', message: 'no AWS credentials found (set AWS_PROFILE, use --profile, or run aws sso login)' };
  }
  if (['ENOTFOUND', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET', 'ENETUNREACH'].includes(e.code ?? '') || name === 'TimeoutError' || /getaddrinfo|connect E|socket hang up/.test(message)) {
    return { kind: 'no-network', message: `AWS is not reachable (${e.code ?? name})` };
  }
  if (/AccessDenied|UnauthorizedOperation|InvalidClientTokenId|ExpiredToken|UnrecognizedClient|not authorized/i.test(`${name} ${message}`)) {
    return { kind: 'access-denied', message: `access denied: ${message}` };
  }
  if (/Throttl|TooManyRequests|Rate exceeded/i.test(`${name} ${message}`)) return { kind: 'throttled', message: `still throttled after ${MAX_ATTEMPTS} attempts` };
  return { kind: 'other', message: `${name || 'error'}: ${message}` };
}
