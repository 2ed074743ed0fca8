/**
 * The accounts of an AWS Organization, as its management account (or a delegated administrator) lists them. Only
 * active accounts are returned: a suspended account cannot be reached, and one pending closure is on its way out.
 */
import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { partitionOf } from '../config/aws';
import { classifyAwsError, clientConfig, type AwsProblem, type AwsSession } from './session';

export interface OrganizationAccount {
  readonly id: string;
  readonly name: string;
}

export type OrganizationAccounts = { readonly accounts: readonly OrganizationAccount[]; readonly skipped: readonly string[] } | { readonly problem: AwsProblem };

/** Organizations has one endpoint per partition, in this region. */
const ORGANIZATIONS_REGION: Record<string, string> = { aws: 'us-east-1', 'aws-us-gov': 'us-gov-west-1', 'aws-cn': 'cn-northwest-1' };

export async function organizationAccounts(session: AwsSession, anyRegion: string): Promise<OrganizationAccounts> {
  const client = new OrganizationsClient(clientConfig(session, ORGANIZATIONS_REGION[partitionOf(anyRegion)] ?? 'us-east-1'));
  const accounts: OrganizationAccount[] = [];
  const skipped: string[] = [];
  try {
    for await (const page of paginateListAccounts({ client }, {})) {
      for (const a of page.Accounts ?? []) {
        if (!a.Id) continue;
        if (a.Status === 'ACTIVE') accounts.push({ id: a.Id, name: a.Name ?? a.Id });
        else skipped.push(`${a.Id} (${a.Name ?? 'unnamed'}): it is ${String(a.Status).toLowerCase().replace(/_/g, ' ')}`);
      }
    }
    return { accounts, skipped };
  } catch (error) {
    const problem = classifyAwsError(error);
    const name = (error as { name?: string }).name ?? '';
    if (name === 'AWSOrganizationsNotInUseException') return { problem: { kind: 'other', message: 'this identity\'s account is not in an AWS Organization' } };
    if (problem.kind === 'access-denied') {
      return { problem: { ...problem, message: `${problem.message} (ListAccounts answers only in the management account or a delegated administrator; run from there, or list accounts with --account)` } };
    }
    return { problem };
  } finally {
    client.destroy();
  }
}
