import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import type { AccountStackModel, BackendModel } from '../config/model';
import { ChatbotForwarding } from '../modules/chatbot-forwarding';
import { MetricSharingRole } from '../modules/metric-sharing-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ADDRESS, SCOPE, type Address } from './addresses';
import { AddressedStack, REQUIRED_TERRAFORM_VERSION } from './addressed-stack';
import { chatbotEventsProvider, configureBackend, defaultTags, providerBase } from './audit-stack';
import { terraformLiteral, terraformLiterals } from './terraform-literal';

export interface AccountStackProps {
  readonly account: AccountStackModel;
  readonly backend: BackendModel;
  readonly localStatePath: string;
}

/**
 * What exists once per account, in a stack named by the account alone (`account-<id>`): the CloudWatch
 * cross-account sharing role in monitoring-account mode, and the rules that carry Chatbot's CloudTrail events to the
 * regions of the account's Slack channels. Its default provider points at IAM's region, and it declares one more
 * provider per region it forwards from: region stacks then use at most two.
 */
export class AccountStack extends AddressedStack {
  constructor(scope: Construct, id: string, props: AccountStackProps) {
    super(scope, id);
    const account = terraformLiterals(props.account);
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    configureBackend(this, { backend: terraformLiterals(props.backend), target: account, localStatePath: terraformLiteral(props.localStatePath) });
    const base = providerBase(account, defaultTags(account));
    new AwsProvider(this, 'aws', { ...base, region: account.region });
    const providers = new Map<string, TerraformProvider>();
    for (const from of [...new Set(account.chatbotForwarding.map((r) => r.from))].sort()) providers.set(from, chatbotEventsProvider(this, from, base));

    if (account.sharingRole) {
      new MetricSharingRole(this, SCOPE.metricSharing, {
        monitoringAccountId: account.sharingRole.monitoringAccountId,
        partition: account.partition,
        adoptExisting: account.sharingRole.adopt,
      });
    }
    new ChatbotForwarding(this, SCOPE.chatbotForwarding, {
      stackName: account.name,
      accountId: account.accountId,
      partition: account.partition,
      routes: account.chatbotForwarding.map((r) => ({ ...r, provider: providers.get(r.from)! })),
      accountWide: { from: account.region, to: account.accountEventRegions },
    });
    this.declareAddresses(accountAddresses(props.account), { moved: [], forgotten: [] });
  }
}

function accountAddresses(account: AccountStackModel): Address[] {
  const promised: Address[] = [];
  if (account.sharingRole) promised.push(ADDRESS.sharingRole(), ADDRESS.sharingRolePolicy());
  if (account.chatbotForwarding.length > 0 || account.accountEventRegions.length > 0) promised.push(ADDRESS.chatbotForwardingRole());
  promised.push(...account.chatbotForwarding.map((r) => ADDRESS.chatbotForwardingRule(r.from, r.to)), ...account.accountEventRegions.map((to) => ADDRESS.accountEventForwardingRule(to)));
  return promised;
}
