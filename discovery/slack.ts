/** The Slack workspaces already authorized for Chatbot in an account (DescribeSlackWorkspaces). */
import { ChatbotClient, DescribeSlackWorkspacesCommand } from '@aws-sdk/client-chatbot';
import { classifyAwsError, clientConfig, type AwsProblem, type AwsSession } from './session';

/**
 * The Chatbot API answers only in a few regions; the Terraform provider calls us-west-2 unless the stack region is
 * one of them (terraform-provider-aws, internal/service/chatbot/service_package.go). Discovery does the same.
 */
export const CHATBOT_API_REGIONS = ['us-east-2', 'us-west-2', 'eu-west-1', 'ap-southeast-1'];

export type SlackWorkspaces = { readonly workspaces: ReadonlyArray<{ readonly id: string; readonly name: string }> } | { readonly problem: AwsProblem };

export async function describeSlackWorkspaces(session: AwsSession, preferredRegion: string): Promise<SlackWorkspaces> {
  const region = CHATBOT_API_REGIONS.includes(preferredRegion) ? preferredRegion : 'us-west-2';
  const chatbot = new ChatbotClient(clientConfig(session, region));
  try {
    const workspaces: Array<{ id: string; name: string }> = [];
    let nextToken: string | undefined;
    do {
      const out = await chatbot.send(new DescribeSlackWorkspacesCommand({ NextToken: nextToken }));
      for (const w of out.SlackWorkspaces ?? []) workspaces.push({ id: w.SlackTeamId ?? '', name: w.SlackTeamName ?? '' });
      nextToken = out.NextToken;
    } while (nextToken);
    return { workspaces };
  } catch (error) {
    return { problem: classifyAwsError(error) };
  } finally {
    chatbot.destroy();
  }
}
