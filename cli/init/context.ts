/**
 * What every step of the wizard works with: AWS as the wizard sees it, the context init runs in, and the kit each step
 * asks with (a flag answers without asking; otherwise the prompter asks, offering the existing config's value; without
 * a terminal the fallback is taken, and what nothing answers is collected as the flags to pass).
 */
import type { DiscoveryProgress, RegionDiscovery } from '../../discovery/clusters';
import type { OrganizationAccounts } from '../../discovery/organization';
import type { AwsProblem, AwsSession } from '../../discovery/session';
import type { InitAnswers } from './answers';
import type { FlagName, ParsedFlags } from './flags';
import type { Prompter } from './prompter';

/** What the wizard needs from AWS; the real one calls the SDK, tests may pass their own. */
export interface AwsAccess {
  listProfiles(): Promise<string[]>;
  defaultRegion(profile: string | undefined): Promise<string | undefined>;
  callerIdentity(session: AwsSession, region: string): Promise<{ accountId: string; arn: string } | { problem: AwsProblem }>;
  discover(targets: ReadonlyArray<{ session: AwsSession; accountId: string; regions: readonly string[] }>, onProgress?: (event: DiscoveryProgress) => void): Promise<RegionDiscovery[]>;
  slackWorkspaces(session: AwsSession, region: string): Promise<{ workspaces: ReadonlyArray<{ id: string; name: string }> } | { problem: AwsProblem }>;
  organizationAccounts(session: AwsSession, region: string): Promise<OrganizationAccounts>;
}

export interface InitContext {
  readonly flags: ParsedFlags;
  /** Where the config is read from and written to. */
  readonly configPath: string;
  /** Whether --config was given: without a terminal, init then writes instead of printing. */
  readonly configGiven: boolean;
  readonly aws: AwsAccess;
  /** Undefined when init must not ask (no TTY, --yes, CI). */
  readonly prompter?: Prompter;
  /** Where notes go when nobody is asked (stderr), so stdout carries only the config. */
  readonly note: (text: string) => void;
  readonly out: (text: string) => void;
  /**
   * sync: the config's clusters, each as AWS reports it now, plus new ones its tag selector matches; a cluster gone
   * from a region that answered is retired (one in a region that did not answer is kept as it is).
   */
  readonly sync?: boolean;
}

/** The kit a step of the wizard asks with. */
export interface WizardStep {
  readonly ctx: InitContext;
  readonly flags: ParsedFlags;
  readonly prompter?: Prompter;
  readonly aws: AwsAccess;
  /** The existing config's answers: the defaults of every question. */
  readonly prior: Partial<InitAnswers>;
  /** A note to the user: on the terminal when asking, else on stderr. */
  readonly say: (text: string) => void;
  /** Records a question nothing answered, as the flag that would. */
  readonly need: (name: FlagName, placeholder: string) => void;
  /** The flag's answer, else the prompter's (offered `fallback`), else `fallback` when nobody may be asked. */
  readonly ask: <T>(flag: T | undefined, fallback: T, question: (fallback: T) => Promise<T>) => Promise<T>;
}
