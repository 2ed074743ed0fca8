/**
 * Where the alarms go and how what is made is kept: encryption, Terraform's state, the Slack workspace and channel, and
 * a channel per account when the team wants one.
 */
import { checkValue } from '../../config/check';
import * as schema from '../../config/schema';
import { DEFAULT_ANSWERS, type ClusterAnswer, type InitAnswers } from './answers';
import type { InitContext, WizardStep } from './context';
import type { FlagName } from './flags';
import type { Prompter } from './prompter';
import { SETTINGS_QUESTIONS as Q } from './questions';
import { mapWithConcurrency } from '../../discovery/pool';
import { canSee, type WhereToLook } from './ask-where';

export interface DeliveryAnswers extends Pick<InitAnswers, 'encryption' | 'backend' | 'slackTeamId' | 'slackChannelId'> {
  /** Whether discovery saw the workspace authorized for Chatbot in every account that gets a channel. */
  readonly workspaceKnown: boolean;
  /** The accounts with a channel where it was not seen authorized (or could not be asked), when some were. */
  readonly workspaceUnseenIn: readonly string[];
  /** The accounts whose alarms go to a channel of their own. */
  readonly ownChannels: ReadonlyMap<string, string>;
}

export async function askDelivery(
  { ctx, flags, prompter, aws, prior, say, need, ask }: WizardStep,
  where: WhereToLook,
  clusters: readonly ClusterAnswer[],
  monitoringMode: boolean,
): Promise<DeliveryAnswers> {
  const { accounts, offline, profile } = where;
  // --- encryption and state -----------------------------------------------------------------------------------
  const encryption = await ask(flags.encryption, prior.encryption ?? DEFAULT_ANSWERS.encryption, async (def) => {
    const mode = await prompter!.select(
      Q['encryption.mode'],
      [
        { name: 'a new customer managed KMS key per stack (recommended)', short: 'new KMS key per stack', value: 'create' as const },
        { name: 'a KMS key I already have', value: 'key' as const },
        { name: 'no customer managed key (SNS unencrypted)', value: 'none' as const },
      ],
      def.mode,
    );
    if (mode !== 'key') return mode === def.mode ? def : { mode };
    const keyArn = await prompter!.input(Q['encryption.keyArn'], {
      default: def.mode === 'key' ? def.keyArn : undefined,
      validate: (v) => checkValue(schema.kmsKeyArn, v) ?? true,
    });
    return { mode, keyArn };
  });

  // A fleet (several accounts, or an organization) is a pipeline's: S3 state is the default answer there.
  const fleet = accounts.length > 1 || ctx.flags.organizationRole !== undefined;
  const backend = await chooseBackend(ctx, prior.backend, accounts[0]?.regions[0], need, fleet);
  if (fleet && backend.type === 'local' && !ctx.flags.backend) {
    say(`State: local files in terraform-state/ for ${ctx.flags.organizationRole ? 'an organization' : `${accounts.length} accounts`}; the example pipelines plan and apply from S3 state. Pass --backend s3 --state-bucket <name> --state-region <region> (or edit backend:) before the first apply.`);
  }

  // --- Slack --------------------------------------------------------------------------------------------------
  let slackTeamId = flags.slackTeamId;
  let workspaceKnown = false;
  if (!slackTeamId) {
    const ws = offline || !accounts[0] || !canSee(where, accounts[0]) ? undefined : await aws.slackWorkspaces({ profile, roleArn: accounts[0].roleArn }, accounts[0].regions[0] ?? 'us-west-2');
    const workspaces = ws && 'workspaces' in ws ? ws.workspaces : [];
    if (ws && 'problem' in ws) say(`Chatbot: ${ws.problem.message}; type the Slack workspace id in.`);
    const fallback = prior.slackTeamId ?? (workspaces.length === 1 ? workspaces[0].id : undefined);
    if (!prompter) slackTeamId = fallback;
    else if (workspaces.length > 0) {
      const picked = await prompter.select<string | undefined>(
        Q['notifications.slack.teamId'].pick,
        [...workspaces.map((w) => ({ name: `${w.name} (${w.id})`, value: w.id })), { name: 'another workspace (type its id)', value: undefined }],
        workspaces.some((w) => w.id === fallback) ? fallback : workspaces[0].id,
      );
      slackTeamId = picked ?? (await askSlackTeam(prompter, prior.slackTeamId));
    } else {
      say('No Slack workspace is authorized for Chatbot in this account yet (or it could not be read).');
      slackTeamId = await askSlackTeam(prompter, prior.slackTeamId);
    }
    workspaceKnown = workspaces.some((w) => w.id === slackTeamId);
  }
  if (!slackTeamId) need('slackTeamId', '<T...>');
  const slackChannelId =
    flags.slackChannelId ??
    (prompter
      ? await prompter.input(Q['notifications.slack.channelId'].top, {
          default: prior.slackChannelId,
          validate: (v) => checkValue(schema.slackChannelId, v) ?? true,
        })
      : prior.slackChannelId);
  if (!slackChannelId) need('slackChannelId', '<C...>');

  // A channel per account, when the team wants one (each account's alarms in the channel of the team that owns it).
  // In monitoring-account mode every alarm reaches the monitoring account's one channel, so the question is not asked.
  const ownChannels = new Map<string, string>();
  for (const a of accounts) {
    const given = a.slackChannelId ?? prior.accounts?.find((p) => p.accountId === a.accountId)?.slackChannelId;
    if (given && !monitoringMode) ownChannels.set(a.accountId, given);
  }
  // Only the accounts with a chosen cluster get a stack, and so a channel to ask for.
  const alarming = accounts.filter((a) => clusters.some((c) => c.accountId === a.accountId));

  // Chatbot needs the workspace authorized in each account that holds a channel (the monitoring account alone in that
  // mode, which init does not reach): each is asked, and the ones where it was not seen are named.
  const workspaceUnseenIn: string[] = [];
  if (!offline && !monitoringMode && slackTeamId) {
    const seen = await mapWithConcurrency(alarming, 8, async (a) => {
      if (!canSee(where, a)) return false;
      const ws = await aws.slackWorkspaces({ profile, roleArn: a.roleArn }, a.regions[0] ?? 'us-west-2');
      return 'workspaces' in ws && ws.workspaces.some((w) => w.id === slackTeamId);
    });
    alarming.forEach((a, i) => {
      if (!seen[i]) workspaceUnseenIn.push(a.accountId);
    });
    if (alarming.length > 0) workspaceKnown = workspaceUnseenIn.length === 0;
  }
  if (prompter && !monitoringMode && alarming.length > 1 && !flags.accounts.some((a) => a.slackChannelId)) {
    if (await prompter.confirm(Q['notifications.slack.channelId'].perAccount, ownChannels.size > 0)) {
      for (const a of alarming) {
        const channel = await prompter.input(Q['notifications.slack.channelId'].account(`${a.accountId}${a.name ? ` (${a.name})` : ''}`), {
          default: ownChannels.get(a.accountId) ?? slackChannelId,
          validate: (v) => checkValue(schema.slackChannelId, v) ?? true,
        });
        if (channel === slackChannelId) ownChannels.delete(a.accountId);
        else ownChannels.set(a.accountId, channel);
      }
    } else ownChannels.clear();
  }

  return { encryption, backend, slackTeamId: slackTeamId!, slackChannelId: slackChannelId!, workspaceKnown, workspaceUnseenIn, ownChannels };
}

async function askSlackTeam(prompter: Prompter, current: string | undefined): Promise<string> {
  return prompter.input(Q['notifications.slack.teamId'].type, { default: current, validate: (v) => checkValue(schema.slackTeamId, v) ?? true });
}

async function chooseBackend(
  ctx: InitContext,
  prior: schema.BackendInput | undefined,
  firstRegion: string | undefined,
  need: (name: FlagName, placeholder: string) => void,
  fleet: boolean,
): Promise<schema.BackendInput> {
  const { flags, prompter } = ctx;
  // Asked with S3 first for a fleet; without a terminal nothing is assumed that needs a bucket name.
  const priorType = prior?.type ?? (fleet && prompter ? 's3' : 'local');
  const type =
    flags.backend ??
    (flags.stateBucket ? 's3' : undefined) ??
    (prompter
      ? await prompter.select(
          'Where should Terraform keep state (one state per account and region)?',
          [
            { name: 'local files in terraform-state/ (fine to start; not for teams)', short: 'local', value: 'local' as const },
            { name: 'an S3 bucket', value: 's3' as const },
          ],
          priorType,
        )
      : priorType);
  if (type === 'local') return prior?.type === 'local' ? prior : DEFAULT_ANSWERS.backend;

  const priorS3 = prior?.type === 's3' ? prior : undefined;
  const s3 = schema.backendSection.options[1].shape;
  const text = async (flag: string | undefined, current: string | undefined, message: string, field: Parameters<typeof checkValue>[0]) =>
    flag ?? (prompter ? await prompter.input(message, { default: current, validate: (v) => checkValue(field, v) ?? true }) : current);
  const bucket = await text(flags.stateBucket, priorS3?.bucket, 'State bucket name:', s3.bucket);
  if (!bucket) need('stateBucket', '<name>');
  const region = await text(flags.stateRegion, priorS3?.region ?? firstRegion, 'State bucket region:', s3.region);
  if (!region) need('stateRegion', '<region>');
  const keyPrefix = await text(flags.stateKeyPrefix, priorS3?.keyPrefix ?? 'aurora-audit', 'State key prefix (each stack gets <prefix>/<stack>.tfstate):', s3.keyPrefix.unwrap());
  const locking =
    flags.stateLocking ??
    (prompter
      ? await prompter.select(
          'State locking?',
          [
            { name: 'S3 lock file (Terraform 1.10+)', value: 'lockfile' as const },
            { name: 'a DynamoDB table', value: 'dynamodb' as const },
            { name: 'none', value: 'none' as const },
          ],
          priorS3?.locking ?? 'lockfile',
        )
      : (priorS3?.locking ?? 'lockfile'));
  const dynamodbTable = locking === 'dynamodb' ? await text(flags.stateLockTable, priorS3?.dynamodbTable, 'DynamoDB lock table:', s3.dynamodbTable.unwrap()) : undefined;
  if (locking === 'dynamodb' && !dynamodbTable) need('stateLockTable', '<name>');
  return { ...priorS3, type: 's3', bucket: bucket ?? '', region: region ?? '', keyPrefix, locking, dynamodbTable };
}
