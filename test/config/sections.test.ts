/**
 * One table says where each settings section may be set (config/schema.ts SETTINGS_SECTIONS). The schema's levels,
 * each section's "Set at ..." sentence in the schema and the reference, and what the resolver reads must agree with it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INIT_FLAGS } from '../../cli/init/flag-specs';
import { SETTINGS_QUESTIONS } from '../../cli/init/questions';
import { whereSentence } from '../../config/reference';
import { accountClusterSchema, accountSchema, clusterSchema, configJsonSchema, configSchema, groupSchema, levelsSentence, SETTINGS_SECTIONS, targetSchema, type SettingsSectionKey } from '../../config/schema';
import { configWith, modelOf, problemsOf, ROOT, type Json } from '../support/fixtures';
import { resources, synthStack } from '../support/synth';

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
    alertDetails: { value: { redactStringLiterals: true, logRetentionDays: 90 }, read: (m) => m.stacks[0].alertDetails, expected: { redactStringLiterals: true, logRetentionDays: 90 } },
    silence: { value: { periodSeconds: 7200 }, read: (m) => m.stacks[0].clusters[0].silence?.periodSeconds, expected: 7200 },
    guardDuty: { value: { enabled: true }, read: (m) => m.stacks[0].guardDuty, expected: { enableRdsProtection: false } },
    tampering: { value: { enabled: false }, read: (m) => m.stacks[0].tamperAlerts, expected: false },
    archive: { value: { enabled: true }, read: (m) => m.stacks[0].archive !== undefined, expected: true },
    dashboard: { value: { enabled: false }, read: (m) => m.stacks[0].dashboard, expected: false },
    savedQueries: { value: { enabled: false }, read: (m) => m.stacks[0].settings.savedQueries, expected: { enabled: false } },
  };
  test('every section with a place in the model is read at its levels above', () => {
    expect(Object.keys(reads).sort()).toEqual(Object.keys(SETTINGS_SECTIONS).filter((k) => !['notifications', 'encryption', 'detections', 'siem', 'tags'].includes(k)).sort());
  });
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

  // The defaults: the table's are the ones the schema documents, field by field, and the ones the model gets when the
  // config says nothing.
  type FieldSchema = { default?: unknown; properties?: Record<string, { default?: unknown }> };
  const jsonSchema = configJsonSchema() as { properties: Record<string, { properties?: Record<string, FieldSchema>; oneOf?: Array<{ properties?: Record<string, FieldSchema> }> }> };
  const objectDefaults = Object.entries(SETTINGS_SECTIONS).filter(([, section]) => typeof section.defaults === 'object');
  test.each(objectDefaults)('%s: every default the schema documents is the table\'s, and every default names a field of the schema', (key, section) => {
    // A section written in variants (encryption: create, key or none) has the fields of all of them.
    const section_ = jsonSchema.properties[key];
    const fields: Record<string, FieldSchema> = Object.assign({}, ...(section_.oneOf ?? []).map((v) => v.properties ?? {}), section_.properties ?? {});
    const defaults = section.defaults as Record<string, unknown>;
    for (const [name, field] of Object.entries(fields)) {
      if (field.default !== undefined) expect({ key, name, default: field.default }).toEqual({ key, name, default: defaults[name] });
      for (const [inner, innerField] of Object.entries(field.properties ?? {})) {
        if (innerField.default !== undefined) expect({ key, name, inner, default: innerField.default }).toEqual({ key, name, inner, default: (defaults[name] as Record<string, unknown>)[inner] });
      }
    }
    for (const name of Object.keys(defaults)) expect({ key, name, inSchema: name in fields }).toEqual({ key, name, inSchema: true });
  });

  test('a config that says nothing gets the table\'s defaults in the model', () => {
    const stack = modelOf(configWith(() => {})).stacks[0];
    const { enabled: detailsOn, ...details } = SETTINGS_SECTIONS.alertDetails.defaults;
    expect(detailsOn).toBe(true);
    expect(stack.alertDetails).toEqual(details);
    expect(stack.tamperAlerts).toBe(SETTINGS_SECTIONS.tampering.defaults.enabled);
    expect(stack.dashboard).toBe(SETTINGS_SECTIONS.dashboard.defaults.enabled);
    expect(stack.guardDuty).toBe(SETTINGS_SECTIONS.guardDuty.defaults.enabled ? expect.anything() : undefined);
    expect(stack.archive).toBe(SETTINGS_SECTIONS.archive.defaults.enabled ? expect.anything() : undefined);
    const { enabled: silenceOn, ...silence } = SETTINGS_SECTIONS.silence.defaults;
    expect(silenceOn).toBe(true);
    expect(stack.clusters[0].silence).toEqual(silence);
    expect(stack.slack.loggingLevel).toBe(SETTINGS_SECTIONS.notifications.defaults.slack.loggingLevel);
    expect(stack.encryption).toEqual({ mode: 'create', deletionWindowDays: SETTINGS_SECTIONS.encryption.defaults.deletionWindowDays });
  });

  // The flags: each init flag that sets a section is the table's, and the reference names it under that section.
  test('the init flags that set a section are exactly the ones the table lists for it, and the reference names them', () => {
    const reference = fs.readFileSync(path.join(ROOT, 'docs', 'config-reference.md'), 'utf8');
    const bySection = new Map<string, string[]>();
    for (const spec of Object.values(INIT_FLAGS)) {
      const first = spec.configKey.split('.')[0];
      if (first in SETTINGS_SECTIONS) bySection.set(first, [...(bySection.get(first) ?? []), spec.flag.split(' ')[0]]);
    }
    for (const [key, section] of Object.entries(SETTINGS_SECTIONS)) {
      expect({ key, flags: [...section.flags].sort() }).toEqual({ key, flags: (bySection.get(key) ?? []).sort() });
      const where = `Where: ${whereSentence(key as SettingsSectionKey)}.`;
      const line = reference.split('\n').find((l) => l.startsWith(where)) ?? `no line starting ${where}`;
      for (const flag of section.flags) expect({ key, line: line.includes(`\`${flag}\``) }).toEqual({ key, line: true });
    }
  });

  test('each default an init flag\'s help shows is the table\'s', () => {
    const shown = (name: keyof typeof INIT_FLAGS) => /\(default: ([^)]*?)(?: on Aurora MySQL|\))/.exec(INIT_FLAGS[name].description)?.[1];
    expect(shown('auditRetentionDays')).toBe(String(SETTINGS_SECTIONS.audit.defaults.retentionDays.audit));
    expect(shown('logTypes')).toBe(SETTINGS_SECTIONS.audit.defaults.logTypes['aurora-mysql'].join(','));
    expect(shown('events')).toBe(SETTINGS_SECTIONS.audit.defaults.events.join(','));
    expect(shown('encryption')).toBe(SETTINGS_SECTIONS.encryption.defaults.mode);
  });

  // The wizard's questions: each field the table says init asks for is a field of the section, has its question in
  // cli/init/questions.ts (the compiler holds the keys to the table; this holds them at run time too), is named in the
  // reference, and no other file of cli/ writes a settings question.
  type SchemaNode = { properties?: Record<string, SchemaNode>; oneOf?: SchemaNode[]; anyOf?: SchemaNode[]; additionalProperties?: SchemaNode | boolean };
  const fieldsOf = (node: SchemaNode): Record<string, SchemaNode> =>
    Object.assign({}, ...[...(node.oneOf ?? []), ...(node.anyOf ?? [])].map(fieldsOf), node.properties ?? {});
  const asked = Object.entries(SETTINGS_SECTIONS).flatMap(([key, section]) => section.asks.map((field): [string, string] => [key, field]));

  test.each(asked)('%s.%s, which init asks for, is a field of the section', (key, field) => {
    let node: SchemaNode = (configJsonSchema() as { properties: Record<string, SchemaNode> }).properties[key];
    for (const step of field.split('.')) {
      const fields = fieldsOf(node);
      // `<id>` is any detection, `<other types>` any log type but the audit one.
      const name = step.startsWith('<') ? Object.keys(fields).find((k) => k !== 'audit') : step;
      expect({ key, field, step, found: name !== undefined && name in fields }).toEqual({ key, field, step, found: true });
      node = fields[name!];
    }
  });

  test('each field the table says init asks for has its question, and each question is for such a field', () => {
    expect(Object.keys(SETTINGS_QUESTIONS).sort()).toEqual(asked.map(([key, field]) => `${key}.${field}`).sort());
  });

  test('the reference names each field the wizard asks for under its section', () => {
    const reference = fs.readFileSync(path.join(ROOT, 'docs', 'config-reference.md'), 'utf8');
    for (const [key, field] of asked) {
      const where = `Where: ${whereSentence(key as SettingsSectionKey)}.`;
      const line = reference.split('\n').find((l) => l.startsWith(where)) ?? `no line starting ${where}`;
      expect({ key, field, named: /Its wizard asks for (.*)\.$/.exec(line)?.[1].includes(`\`${field}\``) }).toEqual({ key, field, named: true });
    }
  });

  test('no file of cli/ but questions.ts writes a settings question', () => {
    // Each question's fixed words: a text whole, or the longest piece of a text made from its arguments.
    const MARK = '\u0000';
    const texts = Object.values(SETTINGS_QUESTIONS).flatMap((q) => (typeof q === 'object' ? Object.values(q) : [q]));
    const fixed = texts.map((t) => {
      const text = typeof t === 'string' ? t : (t as (...args: unknown[]) => string)([MARK], MARK);
      return text.split(MARK).reduce((a, b) => (b.length > a.length ? b : a));
    });
    expect(fixed.every((f) => f.length >= 12)).toBe(true);
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (entry.name.endsWith('.ts') && file !== path.join(ROOT, 'cli', 'init', 'questions.ts')) sources.push(file);
      }
    };
    walk(path.join(ROOT, 'cli'));
    expect(sources.length).toBeGreaterThan(20);
    const written = sources.flatMap((file) => {
      const text = fs.readFileSync(file, 'utf8');
      return fixed.filter((f) => text.includes(f)).map((f) => `${path.relative(ROOT, file)}: ${f}`);
    });
    expect(written).toEqual([]);
  });

  // Sections the table marks `model: 'settings'` reach each stack's model with no code of their own in config/.
  const settingsRows = Object.entries(SETTINGS_SECTIONS).filter(([, row]) => 'model' in row && row.model === 'settings');
  test('a section the table marks model: settings is set per stack, with a default of one plain value per field', () => {
    expect(settingsRows.map(([key]) => key)).toContain('savedQueries');
    for (const [key, row] of settingsRows) {
      expect({ key, perCluster: (row.levels as readonly string[]).includes('cluster') }).toEqual({ key, perCluster: false });
      for (const [field, value] of Object.entries(row.defaults)) expect({ key, field, plain: ['boolean', 'number', 'string'].includes(typeof value) }).toEqual({ key, field, plain: true });
    }
  });
  test('each stack\'s settings hold exactly those sections: the table\'s defaults when unset, the nearest level\'s value field by field', () => {
    const quiet = modelOf(configWith(() => {})).stacks[0];
    expect(quiet.settings).toEqual(Object.fromEntries(settingsRows.map(([key, row]) => [key, row.defaults])));
    const set = modelOf(configWith((c) => {
      c.savedQueries = { enabled: false };
      c.targets.push({ ...structuredClone(c.targets[0]), name: 'other', region: 'us-east-1', savedQueries: { enabled: true } });
    }));
    expect(set.stacks.map((st) => [st.region, st.settings.savedQueries.enabled])).toEqual([['eu-west-1', false], ['us-east-1', true]]);
  });

  // The section added through the table alone: its row and schema (config/schema.ts), and the two constructs that read it.
  describe('savedQueries', () => {
    const queries = (json: string) => resources(json, 'aws_cloudwatch_query_definition').map(([, body]) => String(body.name));
    const guardDutyNextSteps = (json: string) => {
      const target = resources(json, 'aws_cloudwatch_event_target').map(([, body]) => body).find((t) => JSON.stringify(t).includes('GuardDuty'));
      return JSON.stringify(target?.input_transformer ?? 'no GuardDuty target');
    };
    test('saves the queries unless turned off, and GuardDuty\'s message names one only when they are saved', () => {
      const on = synthStack(modelOf(configWith((c) => (c.guardDuty = { enabled: true }))));
      expect(queries(on)).toEqual(expect.arrayContaining([expect.stringMatching(/^aurora-audit\/[^/]+\/mysql\/failed-logins$/)]));
      expect(guardDutyNextSteps(on)).toContain('with the saved query failed-logins of this stack');
      const off = synthStack(modelOf(configWith((c) => ((c.guardDuty = { enabled: true }), (c.savedQueries = { enabled: false })))));
      expect(queries(off)).toEqual([]);
      expect(guardDutyNextSteps(off)).not.toContain('saved query');
      expect(guardDutyNextSteps(off)).toContain("check the user's recent logins in the cluster's audit log");
    });
    test('takes only true or false', () => {
      expect(problemsOf(configWith((c) => (c.savedQueries = { enabled: 'no' })))).toEqual([expect.stringMatching(/^savedQueries\.enabled: /)]);
    });
  });

  // The setting added through the table alone (schema field and default): the detail function's own log retention.
  describe('alertDetails.logRetentionDays', () => {
    const functionLogGroup = (model: ReturnType<typeof modelOf>) =>
      resources(synthStack(model), 'aws_cloudwatch_log_group').map(([, body]) => body).find((g) => String(g.name).startsWith('/aws/lambda/'));
    test('keeps the function\'s logs 30 days unless set, and as long as set at the nearest level', () => {
      expect(functionLogGroup(modelOf(configWith(() => {})))?.retention_in_days).toBe(30);
      const config = configWith((c) => {
        c.alertDetails = { logRetentionDays: 365 };
        c.targets[0].alertDetails = { logRetentionDays: 180 };
      });
      expect(functionLogGroup(modelOf(config))?.retention_in_days).toBe(180);
    });
    test('takes only a retention CloudWatch Logs allows', () => {
      expect(problemsOf(configWith((c) => (c.alertDetails = { logRetentionDays: 31 })))).toEqual([
        expect.stringMatching(/^alertDetails\.logRetentionDays: 31 is not a CloudWatch Logs retention in days; use one of 1, 3, 5, 7, 14, 30, 60, 90, /),
      ]);
    });
  });
});
