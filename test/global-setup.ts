import { pruneCache } from './support/terraform-cache';
import { terraformStatus } from './support/terraform-env';

export default function globalSetup(): void {
  const status = terraformStatus();
  if (!status.available && !process.env.AURORA_AUDIT_REQUIRE_TERRAFORM) {
    process.stderr.write(`\n!!! Terraform checks will NOT run: ${status.reason}.\n!!! The suite cannot vouch that the synthesized Terraform is valid.\n\n`);
  }
  pruneCache();
}
