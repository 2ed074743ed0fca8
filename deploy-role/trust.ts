/**
 * Who may assume the deploy role: a pipeline's OIDC identity (GitHub Actions or GitLab CI), held to one repository and
 * one branch or environment, or one named role for any other CI. Never a wildcard subject: a token of another
 * repository, branch or environment, or a person's role, is refused by the trust itself, so a change the role makes is
 * provably the pipeline's (the tamper alerts can tell it apart).
 *
 * The OIDC claims and provider names are GitHub's and GitLab's (docs/facts.md).
 */
import type { PolicyDocument } from './policy';

export type CiTrust =
  | { readonly kind: 'github'; readonly repository: string; readonly branch?: string; readonly environment?: string }
  | { readonly kind: 'gitlab'; readonly project: string; readonly branch: string; readonly host: string }
  | { readonly kind: 'role'; readonly roleArn: string };

export const CI_KINDS = ['github', 'gitlab', 'role'] as const;

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const DEFAULT_GITLAB_HOST = 'gitlab.com';

/** The OIDC provider the trust names, in the account the role is made in: undefined for a named role. */
export function oidcProviderHost(trust: CiTrust): string | undefined {
  return trust.kind === 'github' ? GITHUB_OIDC_HOST : trust.kind === 'gitlab' ? trust.host : undefined;
}

/** The token's `aud`: what the pipeline asks its OIDC token for. */
export function oidcAudience(trust: CiTrust): string | undefined {
  return trust.kind === 'github' ? 'sts.amazonaws.com' : trust.kind === 'gitlab' ? `https://${trust.host}` : undefined;
}

/** The one subject admitted. */
export function oidcSubject(trust: CiTrust): string | undefined {
  if (trust.kind === 'github') return trust.environment ? `repo:${trust.repository}:environment:${trust.environment}` : `repo:${trust.repository}:ref:refs/heads/${trust.branch}`;
  if (trust.kind === 'gitlab') return `project_path:${trust.project}:ref_type:branch:ref:${trust.branch}`;
  return undefined;
}

/** The trust policy of the role in `accountId` (the OIDC provider is that account's own). */
export function trustPolicy(trust: CiTrust, accountId: string, partition: string): PolicyDocument {
  if (trust.kind === 'role') {
    return { Version: '2012-10-17', Statement: [{ Sid: 'PipelineRole', Effect: 'Allow', Principal: { AWS: trust.roleArn }, Action: ['sts:AssumeRole'] }] };
  }
  const host = oidcProviderHost(trust)!;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: trust.kind === 'github' ? 'GitHubActions' : 'GitLabCi',
        Effect: 'Allow',
        Principal: { Federated: `arn:${partition}:iam::${accountId}:oidc-provider/${host}` },
        Action: ['sts:AssumeRoleWithWebIdentity'],
        Condition: { StringEquals: { [`${host}:aud`]: oidcAudience(trust)!, [`${host}:sub`]: oidcSubject(trust)! } },
      },
    ],
  };
}
