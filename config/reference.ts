/**
 * The config reference (docs/config-reference.md), rendered from the JSON Schema so it cannot drift from it.
 */
import { configJsonSchema, SETTINGS_SECTIONS, type SettingsSectionKey } from './schema';

type JsonSchema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  minItems?: number;
};

const TOP_ONLY = 'top level only';
const LEVEL_WORDS: Record<string, string> = { top: 'top level', group: '`groups.<name>`', account: '`accounts[]`', target: '`targets[]`', cluster: 'each cluster' };

/** Where a settings section may be written, in the reference's words, from the one table (SETTINGS_SECTIONS). */
export function whereSentence(key: SettingsSectionKey): string {
  const { levels, resolves } = SETTINGS_SECTIONS[key];
  const named = ['top', 'group', 'account', 'target', 'cluster'].filter((l) => (levels as readonly string[]).includes(l)).map((l) => LEVEL_WORDS[l]);
  const list = named.length > 1 ? `${named.slice(0, -1).join(', ')}${named.at(-1) === 'each cluster' ? ', and ' : ', '}${named.at(-1)}` : named[0];
  return `${list} (${resolves})`;
}

/** Sections documented once, even where they appear at several levels, in the reference's order. */
const SECTIONS: Array<{ key: string; where: string; flags: readonly string[]; asks: readonly string[] }> = [
  ...['discovery', 'monitoring'].map((key) => ({ key, where: TOP_ONLY, flags: [], asks: [] })),
  ...(Object.keys(SETTINGS_SECTIONS) as SettingsSectionKey[])
    .filter((key) => key !== 'tags')
    .map((key) => ({ key, where: whereSentence(key), flags: SETTINGS_SECTIONS[key].flags, asks: SETTINGS_SECTIONS[key].asks })),
  { key: 'backend', where: TOP_ONLY, flags: [], asks: [] },
  { key: 'tags', where: whereSentence('tags'), flags: [], asks: [] },
  { key: 'customDetections', where: TOP_ONLY, flags: [], asks: [] },
];

const codeList = (items: readonly string[]) => items.map((i) => `\`${i}\``).join(', ');

export function renderConfigReference(): string {
  const root = configJsonSchema() as JsonSchema;
  const out: string[] = [
    '# aurora-audit.yaml reference',
    '',
    '<!-- Generated from config/schema.ts by `npm run generate`; do not edit by hand. -->',
    '',
    root.description ?? '',
    '',
    'Settings resolve field by field: a cluster\'s value, else its target\'s (in the fleet shape: its account\'s, then its group\'s), else the top level\'s, else the default shown here.',
    'A config lists its stacks one by one under `targets`, or as a fleet under `accounts` (see templates/fleet.yaml), or both.',
    'Editors that speak JSON Schema complete and check the file with `aurora-audit.schema.json`.',
    '',
  ];
  const targets = root.properties!.targets.items!;
  const clusters = targets.properties!.clusters.items!;
  renderObject(out, 'Top level', { ...root, description: undefined }, '');
  renderObject(out, '`targets[]`', targets, 'targets[].');
  renderObject(out, '`targets[].clusters[]`', clusters, 'targets[].clusters[].');
  const accounts = root.properties!.accounts.items!;
  renderObject(out, '`accounts[]`', accounts, 'accounts[].');
  const clusterForms = (accounts.properties!.regions.additionalProperties as JsonSchema).additionalProperties as JsonSchema;
  const mapping = (clusterForms.anyOf ?? []).find((f) => f.type === 'object')!;
  renderObject(out, '`accounts[].regions.<region>.<cluster>`', { ...mapping, description: clusterForms.description }, 'accounts[].regions.<region>.<cluster>.');
  renderObject(out, '`groups.<name>`', root.properties!.groups.additionalProperties as JsonSchema, 'groups.<name>.');
  for (const section of SECTIONS) {
    const schema = root.properties![section.key];
    const flags = section.flags.length ? ` \`aurora-audit init\` sets it with ${codeList(section.flags)}.` : '';
    const asks = section.asks.length ? ` Its wizard asks for ${codeList(section.asks)}.` : '';
    out.push(`## \`${section.key}\``, '', `Where: ${section.where}.${flags}${asks}`, '', describe(schema), '');
    renderSection(out, schema, section.key);
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function renderObject(out: string[], title: string, schema: JsonSchema, prefix: string): void {
  out.push(`## ${title}`, '', describe(schema), '', '| Key | Type | Required | Default | Description |', '|---|---|---|---|---|');
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const isSection = SECTIONS.some((s) => s.key === key);
    const description = isSection ? `See [\`${key}\`](#${key}).` : describe(prop);
    out.push(row(`${prefix}${key}`, prop, schema.required?.includes(key) ?? false, description));
  }
  out.push('');
}

function renderSection(out: string[], schema: JsonSchema, key: string): void {
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) {
    for (const variant of variants) {
      const discriminator = Object.entries(variant.properties ?? {}).find(([, p]) => p.const !== undefined);
      out.push(`### ${discriminator ? `${discriminator[0]}: ${String(discriminator[1].const)}` : 'variant'}`, '');
      table(out, variant, key);
    }
    return;
  }
  if (schema.type === 'array' && schema.items?.properties) {
    table(out, schema.items, `${key}[]`);
    return;
  }
  if (schema.type === 'object' && schema.properties) {
    const nested = Object.entries(schema.properties).filter(([, p]) => p.type === 'object' && p.properties);
    const flat = Object.entries(schema.properties).filter(([, p]) => !(p.type === 'object' && p.properties));
    if (flat.length) table(out, { ...schema, properties: Object.fromEntries(flat) }, key);
    for (const [name, prop] of nested) {
      out.push(`### \`${key}.${name}\``, '', describe(prop), '');
      if (prop.default !== undefined) out.push(`Default: \`${JSON.stringify(prop.default)}\``, '');
      table(out, prop, `${key}.${name}`);
    }
    return;
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    out.push(`A mapping of names to ${typeName(schema.additionalProperties)} values.`, '');
  }
}

function table(out: string[], schema: JsonSchema, prefix: string): void {
  out.push('| Key | Type | Required | Default | Description |', '|---|---|---|---|---|');
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    out.push(row(`${prefix}.${key}`, prop, schema.required?.includes(key) ?? false, describe(prop)));
  }
  out.push('');
}

function row(key: string, prop: JsonSchema, required: boolean, description: string): string {
  const def = prop.default === undefined ? '' : `\`${JSON.stringify(prop.default)}\``;
  return `| \`${key}\` | ${escape(typeName(prop))} | ${required ? 'yes' : ''} | ${def} | ${escape(description)} |`;
}

function describe(schema: JsonSchema): string {
  return schema.description ?? schema.items?.description ?? '';
}

function typeName(schema: JsonSchema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum && schema.enum.length > 8) return `one of ${schema.enum.map(String).join(', ')}`;
  if (schema.enum) return schema.enum.map((v) => `\`${String(v)}\``).join(' or ');
  if (schema.type === 'array' && schema.items) return `list of ${typeName(schema.items)}`;
  if (schema.oneOf || schema.anyOf) return 'one of the variants below';
  if (schema.pattern) return `${schema.type} (\`${schema.pattern}\`)`;
  return Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'any');
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
