/**
 * The CloudFormation template a service-managed StackSet deploys to every account of the organization (or of the OUs
 * given): the deploy role, its managed policies, and for a CI that signs in with OIDC, the account's OIDC provider
 * (left out with CreateOidcProvider=false where the account has one already: IAM holds one provider per URL). Its
 * certificate thumbprint is left out (UNCONFIRMED.oidcProviderThumbprintOptional).
 * Written as YAML by the `yaml` package; the account in the trust is CloudFormation's own (Fn::Sub).
 */
import { stringify } from 'yaml';
import { UNCONFIRMED } from '../config/unconfirmed';
import type { PolicyDocument } from './policy';
import { oidcAudience, oidcProviderHost, trustPolicy, type CiTrust } from './trust';

export function stacksetTemplate(input: { roleName: string; policies: readonly PolicyDocument[]; trust: CiTrust; source: string }): string {
  const { roleName, policies, trust } = input;
  const host = oidcProviderHost(trust);
  // Where CloudFormation would want the provider's certificate thumbprint, the person deploying gives it.
  const thumbprintGiven = host !== undefined && !UNCONFIRMED.oidcProviderThumbprintOptional;
  const policyIds = policies.map((_, i) => `DeployPolicy${i + 1}`);
  const resources: Record<string, unknown> = {};
  if (host) {
    resources.OidcProvider = {
      Type: 'AWS::IAM::OIDCProvider',
      Condition: 'MakeOidcProvider',
      Properties: { Url: `https://${host}`, ClientIdList: [oidcAudience(trust)], ...(thumbprintGiven ? { ThumbprintList: [{ Ref: 'OidcThumbprint' }] } : {}) },
    };
  }
  policies.forEach((document, i) => {
    resources[policyIds[i]] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: { ManagedPolicyName: `${roleName}-${i + 1}`, Description: `aurora-audit deploy role, part ${i + 1} of ${policies.length}`, PolicyDocument: document },
    };
  });
  // The trust bootstrap writes for one account, with CloudFormation's own account and partition in the provider's ARN.
  const [trusted] = trustPolicy(trust, '${AWS::AccountId}', '${AWS::Partition}').Statement;
  const assume = trusted.Principal?.Federated ? { ...trusted, Principal: { Federated: { 'Fn::Sub': trusted.Principal.Federated } } } : trusted;
  resources.DeployRole = {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: roleName,
      Description: 'aurora-audit: the pipeline deploys its stacks with this role',
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [assume] },
      ManagedPolicyArns: policyIds.map((id) => ({ Ref: id })),
      Tags: [{ Key: 'ManagedBy', Value: 'aurora-audit' }],
    },
  };
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `aurora-audit deploy role ${roleName}, written by aurora-audit bootstrap from ${input.source}`,
    ...(host
      ? {
          Parameters: {
            CreateOidcProvider: { Type: 'String', AllowedValues: ['true', 'false'], Default: 'true', Description: `Whether to create the account's OIDC provider for ${host} (false where it exists)` },
            ...(thumbprintGiven ? { OidcThumbprint: { Type: 'String', AllowedPattern: '^[0-9a-fA-F]{40}$', Description: `The SHA-1 thumbprint of ${host}'s certificate` } } : {}),
          },
          Conditions: { MakeOidcProvider: { 'Fn::Equals': [{ Ref: 'CreateOidcProvider' }, 'true'] } },
        }
      : {}),
    Resources: resources,
    Outputs: { DeployRoleArn: { Value: { 'Fn::GetAtt': ['DeployRole', 'Arn'] } } },
  };
  return stringify(template, { lineWidth: 0 });
}
