import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { CHATBOT_LOG_REGION } from '../config/aws';
import type { BackendModel, RetiredStackModel } from '../config/model';
import { AddressedStack, REQUIRED_TERRAFORM_VERSION } from './addressed-stack';
import { CHATBOT_LOG_PROVIDER_ALIAS, configureBackend } from './audit-stack';
import { terraformLiteral, terraformLiterals } from './terraform-literal';
import { retiredStackTransitions } from './transitions';

export interface RetiredStackProps {
  readonly retired: RetiredStackModel;
  readonly backend: BackendModel;
  readonly localStatePath: string;
}

/**
 * The stack of a target that left the config, under the name and so the state the target had. It declares nothing but
 * what Terraform must forget: the adopted clusters, the groups attached to them, their log groups and the key that
 * encrypts those. Applying it destroys the rest (alarms, filters, topic, Chatbot channel, the key's alias), which is
 * what leaving the config means.
 */
export class RetiredStack extends AddressedStack {
  constructor(scope: Construct, id: string, props: RetiredStackProps) {
    super(scope, id);
    const retired = terraformLiterals(props.retired);
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    configureBackend(this, { backend: terraformLiterals(props.backend), target: retired, localStatePath: terraformLiteral(props.localStatePath) });
    const providerBase = {
      allowedAccountIds: [retired.accountId],
      assumeRole: retired.roleArn ? [{ roleArn: retired.roleArn, sessionName: 'aurora-audit' }] : undefined,
    };
    new AwsProvider(this, 'aws', { ...providerBase, region: retired.region });
    // The Chatbot channel's log group lives in us-east-1; Terraform needs that provider to remove it.
    new AwsProvider(this, 'aws-chatbot-logs', { ...providerBase, region: CHATBOT_LOG_REGION, alias: CHATBOT_LOG_PROVIDER_ALIAS });
    this.declareAddresses([], retiredStackTransitions(retired));
  }
}
