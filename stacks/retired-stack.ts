import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { BackendModel, RetiredStackModel } from '../config/model';
import { ADDRESS, forget, retiredClusterAddresses } from './addresses';
import { configureBackend, REQUIRED_TERRAFORM_VERSION } from './audit-stack';

export interface RetiredStackProps {
  readonly retired: RetiredStackModel;
  readonly backend: BackendModel;
  readonly localStatePath: string;
}

/**
 * A stack whose target left the config. It declares nothing but what Terraform must forget: the adopted clusters,
 * the parameter groups attached to them, their audit log groups and the key that encrypts those. Applying it
 * destroys the rest (alarms, filters, topic, Chatbot channel), which is what leaving the config means.
 */
export class RetiredStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: RetiredStackProps) {
    super(scope, id);
    const { retired } = props;
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    configureBackend(this, { backend: props.backend, target: retired, localStatePath: props.localStatePath });
    new AwsProvider(this, 'aws', {
      region: retired.region,
      allowedAccountIds: [retired.accountId],
      assumeRole: retired.roleArn ? [{ roleArn: retired.roleArn, sessionName: 'aurora-audit' }] : undefined,
    });
    // The key goes only when no kept audit log depends on it.
    const key = retired.keepAuditLogs ? [ADDRESS.key(), ADDRESS.keyAlias()] : [];
    this.addOverride('removed', forget([...retired.clusters.flatMap((id) => retiredClusterAddresses(id, retired.keepAuditLogs)), ...key]));
  }
}
