/**
 * GuardDuty RDS Protection: findings about the stack's clusters reach its topic as Chatbot custom notifications; the
 * account's one detector is read, never created; and the RDS login feature is turned on only when asked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { matchesPattern } from '../support/event-pattern';
import { configWith, modelOf, ROOT, type Json } from '../support/fixtures';
import { resources, synthStack } from '../support/synth';

const FINDINGS: Record<string, Json> = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'guardduty', 'findings.json'), 'utf8'));
const synth = (change: (c: Json) => void) => JSON.parse(synthStack(modelOf(configWith(change))));

describe('GuardDuty findings', () => {
  test('off by default: no rule, no detector read', () => {
    const json = synth(() => undefined);
    expect(resources(json, 'aws_cloudwatch_event_rule').filter(([id]) => id.startsWith('guardduty'))).toEqual([]);
    expect(json.data.aws_guardduty_detector).toBeUndefined();
  });

  const json = synth((c) => (c.guardDuty = { enabled: true, enableRdsProtection: true }));
  const [[, rule]] = resources(json, 'aws_cloudwatch_event_rule').filter(([id]) => id.startsWith('guardduty'));
  const pattern = JSON.parse(rule.event_pattern);

  test.each(Object.keys(FINDINGS))('a %s finding about a watched cluster is routed; the same about another cluster is not', (type) => {
    expect(matchesPattern(pattern, FINDINGS[type])).toBe(true);
    const other = structuredClone(FINDINGS[type]);
    other.detail.resource.rdsDbInstanceDetails.dbClusterIdentifier = 'someone-elses-db';
    expect(matchesPattern(pattern, other)).toBe(false);
    const notRds = structuredClone(FINDINGS[type]);
    notRds.detail.resource.resourceType = 'Instance';
    expect(matchesPattern(pattern, notRds)).toBe(false);
  });

  test('the message names the finding and the cluster, never the database user (its name is the attacker\'s to choose), in the custom schema, to the stack topic', () => {
    const [[, target]] = resources(json, 'aws_cloudwatch_event_target').filter(([id]) => id.startsWith('guardduty'));
    expect(target.arn).toBe('${aws_sns_topic.alarm-topic_topic.arn}');
    const event = structuredClone(FINDINGS['CredentialAccess:RDS/AnomalousBehavior.SuccessfulBruteForce']);
    // The user is whatever was typed at the login prompt.
    event.detail.resource.rdsDbUserDetails.user = '<!channel> <https://evil.example|log in>';
    const text = (target.input_transformer.input_template as string).replace(/<(\w+)>/g, (_w, name: string) =>
      String((target.input_transformer.input_paths[name] as string).replace(/^\$\./, '').split('.').reduce<Json>((v, k) => v?.[k], event)),
    );
    const message = JSON.parse(text);
    expect(message).toMatchObject({ version: '1.0', source: 'custom', content: { title: ':shield: GuardDuty: CredentialAccess:RDS/AnomalousBehavior.SuccessfulBruteForce' } });
    expect(message.content.description).toContain('*Cluster:* orders-db (instance orders-db-instance-1)');
    expect(message.content.description).toContain('*Database user:* in the finding (not copied: whoever logs in chooses it)');
    expect(text).not.toMatch(/channel|evil\.example/);
    expect(Object.values(target.input_transformer.input_paths as Record<string, string>).filter((p) => p.includes('rdsDbUserDetails'))).toEqual([]);
    expect(message.content.description).toContain('*Severity:* 8');
  });

  test('RDS Protection is turned on on the existing detector: read with a data source, never created', () => {
    expect(json.resource.aws_guardduty_detector).toBeUndefined();
    expect(Object.keys(json.data.aws_guardduty_detector)).toEqual(['guardduty_detector']);
    expect(Object.values(json.resource.aws_guardduty_detector_feature)).toEqual([
      expect.objectContaining({ detector_id: '${data.aws_guardduty_detector.guardduty_detector.id}', name: 'RDS_LOGIN_EVENTS', status: 'ENABLED' }),
    ]);
    // Routing alone leaves the detector as it is.
    const routing = synth((c) => (c.guardDuty = { enabled: true }));
    expect(routing.resource.aws_guardduty_detector_feature).toBeUndefined();
    expect(routing.data.aws_guardduty_detector).toBeUndefined();
  });
});
