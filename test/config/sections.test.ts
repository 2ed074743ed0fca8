/**
 * One table says where each settings section may be set (config/schema.ts SETTINGS_SECTIONS). The schema's levels,
 * each section's "Set at ..." sentence in the schema and the reference, and what the resolver reads must agree with it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { accountClusterSchema, accountSchema, clusterSchema, configSchema, groupSchema, levelsSentence, SETTINGS_SECTIONS, targetSchema } from '../../config/schema';
import { modelOf, problemsOf, ROOT, type Json } from '../support/fixtures';

const LEVEL_SCHEMAS = {
  cluster: [clusterSchema, accountClusterSchema.options[1]],
  target: [targetSchema],
  account: [accountSchema],
  group: [groupSchema],
  top: [configSchema],
} as const;

describe('one definition per settings section', () => {
  test.each(Object.entries(SETTINGS_SECTIONS))('%s: the schema carries it at exactly the levels the table gives', (key, section) => {
    for (const [level, schemas] of Object.entries(LEVEL_SCHEMAS)) {
      for (const schema of schemas) {
        const has = key in (schema as unknown as { shape: Record<string, unknown> }).shape;
        expect({ key, level, has }).toEqual({ key, level, has: (section.levels as readonly string[]).includes(level) });
      }
    }
  });

  test('each section\'s description ends with where it may be set, in the schema file and in the reference', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'aurora-audit.schema.json'), 'utf8'));
    const reference = fs.readFileSync(path.join(ROOT, 'docs', 'config-reference.md'), 'utf8');
    for (const [key, section] of Object.entries(SETTINGS_SECTIONS)) {
      const sentence = levelsSentence(section.levels, section.resolves);
      expect({ key, description: schema.properties[key].description.endsWith(sentence) }).toEqual({ key, description: true });
      expect({ key, reference: reference.includes(sentence) }).toEqual({ key, reference: true });
    }
  });

  // The resolver reads each section at every level the table gives: a value set at that level alone reaches the model.
  const fleet = (change: (c: Json) => void): Json => {
    const c: Json = {
      version: 1,
      notifications: { slack: { teamId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' } },
      groups: { pci: {} },
      accounts: [{ id: '111111111111', group: 'pci', regions: { 'eu-west-1': { cards: { family: 'aurora-mysql8.0', attach: 'adopt' } } } }],
    };
    change(c);
    return c;
  };
  const at: Record<string, (c: Json) => Json> = {
    top: (c) => c,
    group: (c) => c.groups.pci,
    account: (c) => c.accounts[0],
    cluster: (c) => c.accounts[0].regions['eu-west-1'].cards,
  };
  const reads: Record<string, { value: Json; read: (m: ReturnType<typeof modelOf>) => unknown; expected: unknown }> = {
    audit: { value: { retentionDays: { audit: 400 } }, read: (m) => m.stacks[0].clusters[0].audit.retentionDays.audit, expected: 400 },
    alertDetails: { value: { redactStringLiterals: true }, read: (m) => m.stacks[0].alertDetails?.redactStringLiterals, expected: true },
    tampering: { value: { enabled: false }, read: (m) => m.stacks[0].tamperAlerts, expected: false },
    archive: { value: { enabled: true }, read: (m) => m.stacks[0].archive !== undefined, expected: true },
    dashboard: { value: { enabled: false }, read: (m) => m.stacks[0].dashboard, expected: false },
  };
  test.each(Object.keys(reads))('%s set at any level the table gives reaches the model', (key) => {
    const section = SETTINGS_SECTIONS[key as keyof typeof SETTINGS_SECTIONS];
    for (const level of section.levels.filter((l) => l in at)) {
      const model = modelOf(fleet((c) => Object.assign(at[level](c), { [key]: reads[key].value })));
      expect({ key, level, read: reads[key].read(model) }).toEqual({ key, level, read: reads[key].expected });
    }
  });

  test('a section set at a level the table does not give is refused, naming the key', () => {
    const onCluster = {
      version: 1,
      notifications: { slack: { teamId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' } },
      targets: [{ accountId: '111111111111', region: 'eu-west-1', clusters: [{ identifier: 'cards', engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.05.2', attach: 'adopt', alertDetails: { enabled: false } }] }],
    };
    expect(problemsOf(onCluster)).toEqual(["targets[0].clusters[0].alertDetails: is not a known key; allowed here: identifier, engine, engineVersion, family, attach, parameterGroup, existingLogGroups, audit, detections, silence"]);
  });
});
