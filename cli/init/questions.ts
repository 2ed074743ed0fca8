/**
 * What `aurora-audit init` asks about the settings sections, one entry per field the settings table says it asks for
 * (config/schema.ts SETTINGS_SECTIONS, `asks`): `<section>.<field>`. The compiler holds this list to the table, both
 * ways, and the wizard (ask-audit.ts, ask-delivery.ts) takes every such question from here; test/config/sections.test.ts
 * checks that no other file writes one. A field asked in more than one way (a list of choices, or typed in) has one
 * text per way.
 */
import type { SETTINGS_SECTIONS, SettingsSectionKey } from '../../config/schema';

type Sections = typeof SETTINGS_SECTIONS;

/** `<section>.<field>` for every field the table says init asks for. */
export type AskedField = { [S in SettingsSectionKey]: `${S}.${Sections[S]['asks'][number]}` }[SettingsSectionKey];

type Text = string | ((...args: never[]) => string);

export const SETTINGS_QUESTIONS = {
  'audit.events': 'Which events should Advanced Auditing log (Aurora MySQL)?',
  'audit.pgauditLog': 'Which statement classes should pgAudit log (Aurora PostgreSQL)?',
  'audit.logTypes': 'Which logs should each cluster export to CloudWatch Logs?',
  'audit.retentionDays.audit': (auditLogTypes: readonly string[]) => `How long should the audit records (${auditLogTypes.join(', ')} log) be kept?`,
  'audit.retentionDays.<other types>': 'And the other logs?',
  'detections.<id>.enabled': 'Which detections should alarm in Slack?',
  'detections.<id>.threshold': {
    keepAll: (thresholds: string) => `Keep these alarm thresholds (${thresholds})?`,
    each: (title: string) => `${title}: alarm at how many per period?`,
  },
  'detections.<id>.periodSeconds': (title: string) => `${title}: over what period?`,
  'encryption.mode': 'How should the alarm topic and log groups be encrypted?',
  'encryption.keyArn': 'Key ARN (its policy must let cloudwatch.amazonaws.com use it):',
  'notifications.slack.teamId': {
    pick: 'Which Slack workspace should receive the alarms?',
    type: 'Slack workspace id (Chatbot console → your Slack workspace; T...):',
  },
  'notifications.slack.channelId': {
    top: 'Slack channel id (channel details in Slack, at the bottom; C...):',
    perAccount: "Send each account's alarms to a Slack channel of its own?",
    account: (account: string) => `Slack channel id for account ${account}:`,
  },
} as const satisfies Record<AskedField, Text | Readonly<Record<string, Text>>>;
