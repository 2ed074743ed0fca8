export interface TerraformStatus {
  readonly available: boolean;
  readonly reason?: string;
  readonly version?: string;
  readonly mirror?: string;
}
export function terraformStatus(): TerraformStatus;
export const PROVIDER_VERSION: string;
