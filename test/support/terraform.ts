/**
 * Runs the real Terraform, offline, against the machine's mirror of hashicorp/aws 5.100.0, through a CLI config
 * file of the tests' own (TF_CLI_CONFIG_FILE), never the user's.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Json } from './fixtures';
import { terraformStatus, type TerraformStatus } from './terraform-env';

export const status: TerraformStatus = terraformStatus();
export const required = Boolean(process.env.AURORA_AUDIT_REQUIRE_TERRAFORM);

let home: string | undefined;

/** A temp dir with the CLI config and a plugin cache, so the 700 MB provider is copied once per test process. */
function terraformHome(): string {
  if (home) return home;
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'aurora-audit-tf-'));
  fs.mkdirSync(path.join(home, 'plugin-cache'));
  fs.writeFileSync(
    path.join(home, 'terraform.rc'),
    [
      'disable_checkpoint = true',
      `plugin_cache_dir = ${JSON.stringify(path.join(home, 'plugin-cache'))}`,
      'provider_installation {',
      `  filesystem_mirror {\n    path    = ${JSON.stringify(status.mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }`,
      '  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }',
      '}',
      '',
    ].join('\n'),
  );
  return home;
}

export function removeTerraformHome(): void {
  if (home) fs.rmSync(home, { recursive: true, force: true });
  home = undefined;
  schema = undefined;
}

export interface TerraformRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function terraform(cwd: string, args: readonly string[]): Promise<TerraformRun> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    TF_CLI_CONFIG_FILE: path.join(terraformHome(), 'terraform.rc'),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    // Fake credentials and no metadata service: nothing may reach AWS.
    AWS_ACCESS_KEY_ID: 'AKIAAURORAAUDITTEST',
    AWS_SECRET_ACCESS_KEY: 'aurora-audit-offline-test',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  return new Promise((resolve) => {
    execFile('terraform', [...args], { cwd, env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Provider settings that let `plan` run with fake credentials: the provider's own skip flags. */
export function offlineProviderOverride(stackJson: { provider: { aws: Array<{ alias?: string }> } }): string {
  const skip = {
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: 'true',
    skip_region_validation: true,
    // With no account id requested there is nothing to compare against; unit tests assert the real value.
    allowed_account_ids: null,
  };
  return JSON.stringify({ provider: { aws: stackJson.provider.aws.map((p) => (p.alias ? { alias: p.alias, ...skip } : skip)) } }, null, 2);
}

let schema: Promise<Record<string, Json>> | undefined;

/** The resource schemas of hashicorp/aws 5.100.0, read once per test process from the provider itself. */
export function providerResourceSchemas(): Promise<Record<string, Json>> {
  schema ??= (async () => {
    const dir = fs.mkdtempSync(path.join(terraformHome(), 'schema-'));
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } } }));
    const init = await terraform(dir, ['init', '-input=false', '-no-color']);
    if (init.code !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
    const shown = await terraform(dir, ['providers', 'schema', '-json']);
    return JSON.parse(shown.stdout).provider_schemas['registry.terraform.io/hashicorp/aws'].resource_schemas;
  })();
  return schema;
}

/**
 * The Terraform tests of a file: run when terraform and the provider mirror are here. Otherwise CI
 * (AURORA_AUDIT_REQUIRE_TERRAFORM) fails, and a developer's machine lists the checks as todo, which
 * test/terraform-reporter.js names at the end of the run.
 */
export function describeWithTerraform(title: string, todo: readonly string[], body: () => void): void {
  if (!status.available && required) {
    describe(title, () => {
      test('terraform and the hashicorp/aws 5.100.0 mirror are present (AURORA_AUDIT_REQUIRE_TERRAFORM is set)', () => {
        throw new Error(`Terraform checks cannot run: ${status.reason}`);
      });
    });
  } else if (!status.available) {
    describe(title, () => {
      for (const t of todo) test.todo(t);
    });
  } else {
    afterAll(removeTerraformHome);
    body();
  }
}
