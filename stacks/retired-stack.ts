import type { Construct } from 'constructs';
import type { BackendModel, RetiredStackModel } from '../config/model';
import { AddressedStack, REQUIRED_TERRAFORM_VERSION } from './addressed-stack';
import { addProviders, configureBackend } from './audit-stack';
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
    // No default tags: a retired stack creates nothing. The Chatbot log provider is there to remove that log group.
    addProviders(this, retired);
    this.declareAddresses([], retiredStackTransitions(retired));
  }
}
