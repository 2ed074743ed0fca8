import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { parseConfig, readConfigText } from '../../config/load';
import { ConfigError } from '../../config/problems';
import { cli } from '../support/cli';
import { baseConfig, configWith, problemsOf, tempDir, type Json } from '../support/fixtures';


const KMS = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

// [what is wrong, the change, the path named, words the line must hold: the bad value and what is allowed]
const cases: Array<[string, (c: Json) => void, string, string[]]> = [
  ['a wrong type', (c) => (c.targets[0].clusters = 'orders-db'), 'targets[0].clusters', ['"orders-db" is a string', 'list']],
  ['an unknown key', (c) => (c.targets[0].clusters[0].engin = 'aurora-mysql'), 'targets[0].clusters[0].engin', ['not a known key', 'did you mean engine?', 'allowed here: identifier, engine']],
  ['an unknown top-level key', (c) => (c.alarms = {}), 'alarms', ['not a known key', 'targets']],
  ['a short account id', (c) => (c.targets[0].accountId = '12345'), 'targets[0].accountId', ['"12345"', '12 digits']],
  ['an account id YAML read as a number', (c) => (c.targets[0].accountId = 123456789012), 'targets[0].accountId', ['123456789012 reads as a number', 'quote it']],
  ['a bad region', (c) => (c.targets[0].region = 'europe-1'), 'targets[0].region', ['"europe-1"', 'such as eu-west-1']],
  ['a region typo', (c) => (c.targets[0].region = 'eu-wst-1'), 'targets[0].region', ['"eu-wst-1"', 'did you mean eu-west-1?']],
  ['a bad role ARN', (c) => (c.targets[0].roleArn = 'arn:aws:iam::123456789012:user/bob'), 'targets[0].roleArn', ['user/bob', 'arn:aws:iam::<account-id>:role/<name>']],
  ['a role in another account', (c) => (c.targets[0].roleArn = 'arn:aws:iam::999999999999:role/deploy'), 'targets[0].roleArn', ['account 999999999999', 'target is account 123456789012']],
  ['a bad Slack team id', (c) => (c.notifications.slack.teamId = 'my-workspace'), 'notifications.slack.teamId', ['"my-workspace"', 'starts with T']],
  ['a Slack channel name instead of its id', (c) => (c.notifications.slack.channelId = '#db-alerts'), 'notifications.slack.channelId', ['"#db-alerts"', 'C07EZ1ABC23', 'channel name does not work']],
  ['no Slack channel anywhere', (c) => delete c.notifications.slack.channelId, 'targets[0].notifications.slack.channelId', ['is required', 'nowhere to go']],
  ['an unknown audit event', (c) => (c.audit = { events: ['CONNECT', 'LOGIN'] }), 'audit.events[1]', ['"LOGIN"', 'CONNECT, QUERY, QUERY_DCL, QUERY_DDL, QUERY_DML, TABLE']],
  ['a lower-case audit event', (c) => (c.audit = { events: ['connect'] }), 'audit.events[0]', ['"connect"', 'capitals', 'CONNECT']],
  ['QUERY_DML_NO_SELECT', (c) => (c.targets[0].clusters[0].audit = { events: ['CONNECT', 'QUERY_DML_NO_SELECT'] }), 'targets[0].clusters[0].audit.events[1]', ['"QUERY_DML_NO_SELECT"', 'not an Aurora one', 'QUERY_DML']],
  ['no audit events', (c) => (c.audit = { events: [] }), 'audit.events', ['[]', 'at least one event']],
  ['an audit event twice', (c) => (c.audit = { events: ['CONNECT', 'QUERY_DDL', 'CONNECT'] }), 'audit.events[2]', ['"CONNECT" is listed twice']],
  ['a retention CloudWatch does not offer', (c) => (c.audit = { retentionDays: { audit: 100 } }), 'audit.retentionDays.audit', ['100', '90, 120']],
  ['never-expire retention', (c) => (c.audit = { retentionDays: { audit: 0 } }), 'audit.retentionDays.audit', ['0', 'never-expire is not offered']],
  ['a log type of another engine, on the cluster', (c) => (c.targets[0].clusters[0].audit = { logTypes: ['audit', 'postgresql'] }), 'targets[0].clusters[0].audit.logTypes[1]', ['"postgresql"', 'Aurora MySQL', 'audit, error, general, slowquery']],
  ['a MySQL setting on a PostgreSQL cluster', (c) => (c.targets[0].clusters[0] = { identifier: 'reports', engine: 'aurora-postgresql', engineVersion: '16.4', attach: 'adopt', audit: { events: ['CONNECT'] } }), 'targets[0].clusters[0].audit.events', ['not an Aurora PostgreSQL setting', 'pgauditLog']],
  ['connection logging on a MySQL cluster', (c) => (c.targets[0].clusters[0].audit = { logConnections: true }), 'targets[0].clusters[0].audit.logConnections', ['not an Aurora MySQL setting', 'CONNECT']],
  ['connection logging that is not a boolean', (c) => (c.audit = { logConnections: 'yes' }), 'audit.logConnections', ['"yes"', 'true or false']],
  ['a pgaudit class that does not exist', (c) => (c.audit = { pgauditLog: ['ddl', 'writes'] }), 'audit.pgauditLog[1]', ['"writes"', 'ddl', 'misc_set']],
  ['a PostgreSQL version too old', (c) => (c.targets[0].clusters[0] = { identifier: 'reports', engine: 'aurora-postgresql', engineVersion: '11.9', attach: 'adopt' }), 'targets[0].clusters[0].engineVersion', ['"11.9"', 'past the end of Aurora standard support', '13, 14, 15, 16, 17 and 18', 'Upgrade the cluster']],
  ['a cluster both in a target and retired', (c) => (c.retired = [{ accountId: '123456789012', region: 'eu-west-1', identifier: 'orders-db' }]), 'retired[0].identifier', ['still targets[0].clusters[0]', 'not both']],
  ['too many audited users', (c) => (c.audit = { includeUsers: Array.from({ length: 120 }, (_, i) => `service_user_${i}`) }), 'audit.includeUsers', ['characters', '1024']],
  ['a threshold of 0', (c) => (c.detections = { 'drop-statements': { threshold: 0 } }), 'detections.drop-statements.threshold', ['0', 'greater than 0']],
  ['a negative threshold', (c) => (c.targets[0].clusters[0].detections = { 'failed-connections': { threshold: -5 } }), 'targets[0].clusters[0].detections.failed-connections.threshold', ['-5', 'greater than 0']],
  ['an unknown detection', (c) => (c.detections = { 'drop-tables': {} }), 'detections.drop-tables', ['not a known detection', 'drop-statements, failed-connections, privilege-changes']],
  ['a period CloudWatch cannot evaluate', (c) => (c.detections = { 'failed-connections': { periodSeconds: 90 } }), 'detections.failed-connections.periodSeconds', ['90', 'multiple of 60']],
  ['more datapoints than periods', (c) => (c.detections = { 'failed-connections': { evaluationPeriods: 2, datapointsToAlarm: 3 } }), 'detections.failed-connections.datapointsToAlarm', ['3 is more than evaluationPeriods (2)']],
  ['an evaluation longer than a day', (c) => (c.detections = { 'failed-connections': { periodSeconds: 3600, evaluationPeriods: 25, datapointsToAlarm: 1 } }), 'detections.failed-connections.evaluationPeriods', ['90000', '86400']],
  ['a detection turned on that can never fire', (c) => ((c.audit = { events: ['QUERY_DDL'] }), (c.detections = { 'failed-connections': { enabled: true } })), 'audit.events', ['failed-connections', 'CONNECT', 'disable the detection']],
  ['a detection turned on without its log', (c) => ((c.audit = { logTypes: ['error'] }), (c.detections = { 'drop-statements': { enabled: true } })), 'audit.logTypes', ['reads the audit log', 'add audit']],
  ['an unknown detection in a cluster', (c) => (c.targets[0].clusters[0].detections = { 'drop-statement': {} }), 'targets[0].clusters[0].detections.drop-statement', ['did you mean drop-statements?', 'customDetections']],
  ['a custom detection with a catalog id', (c) => (c.customDetections = [{ id: 'drop-statements', logType: 'audit', pattern: 'DROP' }]), 'customDetections[0].id', ['catalog detection']],
  ['a custom pattern CloudWatch would refuse', (c) => (c.customDetections = [{ id: 'sleepy', logType: 'audit', pattern: '%SLEEP(%' }]), 'customDetections[0].pattern', ['would be refused by CloudWatch', 'does not support ( or )']],
  ['a custom detection on a log the engine lacks', (c) => (c.customDetections = [{ id: 'pg-errors', engine: 'aurora-mysql', logType: 'postgresql', pattern: 'ERROR' }]), 'customDetections[0].logType', ['"postgresql"', 'Aurora MySQL']],
  ['a custom threshold of 0', (c) => (c.customDetections = [{ id: 'sleepy', logType: 'audit', pattern: 'SLEEP', threshold: 0 }]), 'customDetections[0].threshold', ['greater than 0']],
  ['a sixth regex pattern on one log group', (c) => ((c.detections = { 'schema-changes': { enabled: true } }), (c.customDetections = [{ id: 'sleepy', logType: 'audit', pattern: '%[Ss][Ll][Ee][Ee][Pp]%' }])), 'targets[0].clusters[0].detections', ['6 regex filter patterns on the audit log group', 'allows 5']],
  ['a major version aurora-audit does not know', (c) => (c.targets[0].clusters[0].engineVersion = '9.1'), 'targets[0].clusters[0].engineVersion', ['"9.1"', 'does not know', '5.7, 8.0 and 8.4', 'support matrix']],
  ['a major version AWS reports in a family aurora-audit does not know', (c) => Object.assign(c.targets[0].clusters[0], { engineVersion: '9.7.mysql_aurora.9.7.1', family: 'aurora-mysql9.7' }), 'targets[0].clusters[0].engineVersion', ['"9.7.mysql_aurora.9.7.1"', '9.7 is a major version', '5.7, 8.0 and 8.4']],
  ['a version whose Aurora major does not match', (c) => (c.targets[0].clusters[0].engineVersion = '8.0.mysql_aurora.2.11.2'), 'targets[0].clusters[0].engineVersion', ['8.0.mysql_aurora.2.11.2', 'mixes MySQL 8.0 with Aurora version 2.11.2', '8.0.mysql_aurora.3.']],
  ["MySQL's community version", (c) => (c.targets[0].clusters[0].engineVersion = '8.0.32'), 'targets[0].clusters[0].engineVersion', ['"8.0.32"', "MySQL's community version", 'write 8.0 or 8.0.mysql_aurora.3.x.y']],
  ['a family of the other engine', (c) => (c.targets[0].clusters[0].family = 'aurora-postgresql16'), 'targets[0].clusters[0].family', ['"aurora-postgresql16"', 'not an Aurora MySQL cluster parameter group family', 'aurora-mysql8.4']],
  ['a family that is not a family', (c) => (c.targets[0].clusters[0].family = 'mysql8.4'), 'targets[0].clusters[0].family', ['"mysql8.4"', 'aurora-mysql8.4 or aurora-postgresql16']],
  ['a family that disagrees with the version', (c) => Object.assign(c.targets[0].clusters[0], { engineVersion: '8.0.mysql_aurora.3.05.2', family: 'aurora-mysql8.4' }), 'targets[0].clusters[0].family', ['"aurora-mysql8.4"', 'Aurora MySQL 8.4', 'is 8.0', 'aurora-audit init']],
  ['a version YAML read as a number', (c) => (c.targets[0].clusters[0].engineVersion = 8), 'targets[0].clusters[0].engineVersion', ['reads as a number', 'quote it']],
  ['an engine aurora-audit does not know', (c) => (c.targets[0].clusters[0].engine = 'aurora'), 'targets[0].clusters[0].engine', ['"aurora"', 'aurora-mysql, aurora-postgresql']],
  ['an upper-case cluster identifier', (c) => (c.targets[0].clusters[0].identifier = 'Orders-DB'), 'targets[0].clusters[0].identifier', ['"Orders-DB"', 'write "orders-db"']],
  ['a bad attach mode', (c) => (c.targets[0].clusters[0].attach = 'import'), 'targets[0].clusters[0].attach', ['"import"', 'adopt', 'external']],
  ['no attach mode', (c) => delete c.targets[0].clusters[0].attach, 'targets[0].clusters[0].attach', ['is required: adopt (this stack imports the cluster) or external']],
  ['the same cluster twice in a target', (c) => (c.targets[0].clusters[1].identifier = 'orders-db'), 'targets[0].clusters[1].identifier', ['"orders-db" is already targets[0].clusters[0]']],
  ['no targets', (c) => (c.targets = []), 'targets', ['at least one target']],
  ['a target without clusters', (c) => (c.targets[0].clusters = []), 'targets[0].clusters', ['at least one cluster']],
  ['two targets for one account and region', (c) => c.targets.push({ ...structuredClone(c.targets[0]), name: 'prod-again' }), 'targets[1]', ['already targets[0]', 'one stack per account and region']],
  ['two targets with one name', (c) => c.targets.push({ ...structuredClone(c.targets[0]), region: 'us-east-2' }), 'targets[1].name', ['"prod"', 'unique']],
  ['AdministratorAccess as a guardrail', (c) => (c.notifications.slack.guardrailPolicyArns = ['arn:aws:iam::aws:policy/AdministratorAccess']), 'notifications.slack.guardrailPolicyArns[0]', ['AdministratorAccess', 'ReadOnlyAccess']],
  ['no guardrails', (c) => (c.notifications.slack.guardrailPolicyArns = []), 'notifications.slack.guardrailPolicyArns', ['with none, Chatbot applies AdministratorAccess']],
  ['an alias instead of a key ARN', (c) => (c.encryption = { mode: 'key', keyArn: 'arn:aws:kms:eu-west-1:123456789012:alias/aws/sns' }), 'encryption.keyArn', ['alias/aws/sns', 'key/<key-id>']],
  ['a key in another region', (c) => (c.encryption = { mode: 'key', keyArn: KMS }), 'encryption.keyArn', ['a key in us-east-1', 'its own region']],
  ['an unknown encryption mode', (c) => (c.encryption = { mode: 'kms' }), 'encryption.mode', ['"kms"', 'create, key, none']],
  ['an S3 backend without a bucket', (c) => (c.backend = { type: 's3', region: 'eu-west-1' }), 'backend.bucket', ['is required']],
  ['DynamoDB locking without a table', (c) => (c.backend = { type: 's3', bucket: 'tf-state', region: 'eu-west-1', locking: 'dynamodb' }), 'backend.dynamodbTable', ['is required when backend.locking is dynamodb']],
  ['a config version from the future', (c) => (c.version = 2), 'version', ['2', 'must be 1']],
  // Guardrails: an allowlist of read-only AWS managed policies, not a list of the admin ones.
  ['an AWS managed policy that is not read-only', (c) => (c.notifications.slack.guardrailPolicyArns = ['arn:aws:iam::aws:policy/AmazonS3FullAccess']), 'notifications.slack.guardrailPolicyArns[0]', ['AmazonS3FullAccess', 'ViewOnlyAccess, SecurityAudit, CloudWatchReadOnlyAccess, ReadOnlyAccess']],
  ['an admin-like policy by another name', (c) => (c.notifications.slack.guardrailPolicyArns = ['arn:aws:iam::aws:policy/job-function/SystemAdministrator']), 'notifications.slack.guardrailPolicyArns[0]', ['SystemAdministrator', 'not an AWS managed policy aurora-audit accepts']],
  ['a guardrail of another account', (c) => (c.notifications.slack.guardrailPolicyArns = ['arn:aws:iam::999999999999:policy/narrow']), 'notifications.slack.guardrailPolicyArns[0]', ['account 999999999999', 'account 123456789012']],
  // State must stay where it is named.
  ['a state directory that climbs out', (c) => (c.backend = { type: 'local', directory: '../shared-state' }), 'backend.directory', ['"../shared-state"', 'without ..']],
  ['an absolute state directory', (c) => (c.backend = { type: 'local', directory: '/var/tmp/state' }), 'backend.directory', ['"/var/tmp/state"', 'relative']],
  ['a key prefix with ..', (c) => (c.backend = { type: 's3', bucket: 'tf-state', region: 'eu-west-1', keyPrefix: 'team/../other-team' }), 'backend.keyPrefix', ['"team/../other-team"', 'without . or .. segments']],
  ['a key prefix from the root', (c) => (c.backend = { type: 's3', bucket: 'tf-state', region: 'eu-west-1', keyPrefix: '/aurora' }), 'backend.keyPrefix', ['"/aurora"', 'relative']],
  ['an aws: tag key in capitals', (c) => (c.tags = { 'AWS:Owner': 'me' }), 'tags.AWS:Owner', ['starts with aws:', 'any letter case']],
  ['an aws: tag key in mixed case', (c) => (c.targets[0].tags = { 'Aws:cost': 'x' }), 'targets[0].tags.Aws:cost', ['starts with aws:']],
  ['an aws: tag value', (c) => (c.tags = { Owner: 'AWS:team' }), 'tags.Owner', ['"AWS:team"', 'reserves in tag values too']],
  // Control characters and cdktf's own markers are refused wherever they are, and never echoed raw.
  ['ESC in a tag value', (c) => (c.tags = { Owner: 'team\u001b[31mred' }), 'tags.Owner', ['"team\\u001b[31mred"', 'control character U+001B (ESC)']],
  ['NUL in an excluded user', (c) => (c.audit = { excludeUsers: ['app\u0000'] }), 'audit.excludeUsers[0]', ['U+0000 (NUL)']],
  ['a bidirectional override in a title', (c) => (c.customDetections = [{ id: 'odd', logType: 'audit', pattern: 'DROP', title: 'drops \u202eevil' }]), 'customDetections[0].title', ['U+202E']],
  ['a control character in a key', (c) => (c.tags = { 'bad\u0007key': 'x' }), 'tags', ['the key "bad\\u0007key"', 'U+0007 (BEL)']],
  ['a cdktf token marker', (c) => (c.tags = { Owner: '${TfToken[TOKEN.1]}' }), 'tags.Owner', ['cdktf token marker', 'never be part of a real value']],
  ['a cdktf list token marker in a parameter', (c) => (c.targets[0].clusters[0].parameterGroup = { name: 'p1', parameters: { init_connect: '#{TfToken[TOKEN.2]}' } }), 'targets[0].clusters[0].parameterGroup.parameters.init_connect', ['cdktf token marker']],
  // One parameter group is one resource: the clusters that keep it must agree on it.
  [
    'two clusters sharing a group with different audit settings',
    (c) => {
      const shared = { name: 'shared-params', parameters: { max_connections: '500' } };
      c.targets[0].clusters = [
        { identifier: 'a', engine: 'aurora-mysql', engineVersion: '8.0', attach: 'adopt', parameterGroup: shared },
        { identifier: 'b', engine: 'aurora-mysql', engineVersion: '8.0', attach: 'adopt', parameterGroup: shared, audit: { events: ['CONNECT'] } },
      ];
    },
    'targets[0].clusters[1].parameterGroup',
    ['shares the parameter group "shared-params" with targets[0].clusters[0] (a)', 'server_audit_events: "CONNECT,QUERY_DCL,QUERY_DDL" (immediate) vs "CONNECT" (immediate)'],
  ],
  [
    "a cluster's own group named like the one aurora-audit makes for another",
    (c) => (c.targets[0].clusters[0].parameterGroup = { name: 'aurora-audit-billing-aurora-mysql5-7' }),
    'targets[0].clusters[0].parameterGroup.name',
    ['is the group aurora-audit creates for targets[0].clusters[1] (billing)'],
  ],
  ['a retired entry naming the wrong stack', (c) => (c.retired = [{ accountId: '123456789012', region: 'eu-west-1', identifier: 'old-db', stack: 'elsewhere' }]), 'retired[0].stack', ['"elsewhere" is not the stack of 123456789012/eu-west-1', '"prod"']],
];

describe('each kind of bad config is refused with its path, its value and what is allowed', () => {
  test.each(cases)('%s', (_what, change, path, words) => {
    const problems = problemsOf(configWith(change));
    const line = problems.find((p) => p.startsWith(`${path}: `));
    expect({ problems, line }).toEqual({ problems, line: expect.any(String) });
    for (const word of words) expect(line).toContain(word);
  });
});

describe('file-level problems', () => {
  test('YAML that does not parse names its line', () => {
    let error: ConfigError | undefined;
    try {
      parseConfig('version: 1\ntargets: [\n  - oops', 'test.yaml');
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems[0]).toMatchObject({ message: expect.stringMatching(/^not valid YAML: /), line: expect.any(Number) });
  });

  test.each([
    ['UTF-16LE, as PowerShell 5 writes it', (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]), 'is UTF-16LE text (it starts with a UTF-16 byte order mark), not UTF-8; save it as UTF-8', undefined],
    ['UTF-16BE', (t: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, 'utf16le').swap16()]), 'is UTF-16BE text (it starts with a UTF-16 byte order mark), not UTF-8; save it as UTF-8', undefined],
    // é in Latin-1 is the byte 0xE9, which UTF-8 can only read as the start of a three-byte character.
    ['Latin-1 (a comment with an accent)', (t: string) => Buffer.from(t.replace('# owner', '# propriétaire'), 'latin1'), 'is not UTF-8 text: the byte 0xE9 at offset 93 is not a UTF-8 character; save it as UTF-8', 3],
    ["a stray byte after the file's own U+FFFD", (t: string) => Buffer.concat([Buffer.from(`# \ufffd\n${t}`, 'utf8'), Buffer.from([0x80])]), 'is not UTF-8 text: the byte 0x80 at offset 111 ', 6],
  ])('a config that is not UTF-8 (%s) is named as what it is, with the first byte UTF-8 cannot hold', (_what, encode, message, line) => {
    const text = 'version: 1\nnotifications: { slack: { teamId: T07EA123LEP, channelId: C07EZ1ABC23 } }\n# owner\ntargets: []\n';
    const file = path.join(tempDir(), 'aurora-audit.yaml');
    fs.writeFileSync(file, encode(text));
    let error: ConfigError | undefined;
    try {
      readConfigText(file);
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.problems).toEqual([{ path: '', message: expect.stringContaining(message), line }]);
  });

  test('synth on a UTF-16 config: exit 2, the line says what the file is, and nothing is written', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'aurora-audit.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(stringify(baseConfig()), 'utf16le')]));
    const { code, stdout, stderr } = await cli(['synth', '--config', 'aurora-audit.yaml'], dir);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr.split('\n')[0]).toBe('aurora-audit.yaml: is UTF-16LE text (it starts with a UTF-16 byte order mark), not UTF-8; save it as UTF-8');
    expect(fs.readdirSync(dir)).toEqual(['aurora-audit.yaml']);
  });

  test('a key written twice is refused, not silently overwritten', () => {
    expect(problemsOf('version: 1\nversion: 1\ntargets: []\n')[0]).toContain('appears twice in one mapping');
  });

  test.each([
    ['an alias to no anchor', 'version: 1\ntargets: *nowhere\n', 'the alias *nowhere names no anchor'],
    ['an alias bomb', `version: 1\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [${'*a,'.repeat(9)}*a]\nc: &c [${'*b,'.repeat(9)}*b]\nd: &d [${'*c,'.repeat(9)}*c]\ne: [${'*d,'.repeat(9)}*d]\n`, 'aliases expand too far'],
    ['nesting no config needs', `version: 1\ntargets: ${'['.repeat(20000)}${']'.repeat(20000)}\n`, 'not valid YAML: it nests too deeply to be a config'],
    ['mappings nested deeper than a config goes', `version: 1\nx:\n${Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i + 1)}b:`).join('\n')} 1\n`, 'nests more than 32 levels deep'],
    ['an alias inside its own anchor', 'a: &a [*a]\n', 'a[0]: is the alias *a inside &a itself, which would repeat forever'],
    ['a target that holds itself', 'version: 1\ntargets:\n  - &t\n    name: x\n    clusters: [*t]\n', 'targets[0].clusters[0]: is the alias *t inside &t itself'],
    ['a NUL byte in the file', 'version: 1\ntargets: []\u0000\n', 'not valid YAML'],
  ])('%s is refused as a problem, not an internal error', (_what, text, words) => {
    expect(problemsOf(text).join('\n')).toContain(words);
  });

  test('a file of 40,000 keys and 2.4 MB is refused with its problems counted, not parsed for minutes', () => {
    // No timing here (test/… must not depend on speed); `npm run bench:config` measures it beside a baseline.
    const keys = Array.from({ length: 40_000 }, (_, i) => `key_${i}: value ${'x'.repeat(40)}`).join('\n');
    const problems = problemsOf(`version: 1\n${keys}\ntargets: []\n`);
    expect(problems.length).toBeGreaterThan(40_000);
    expect(problems).toContainEqual(expect.stringMatching(/^key_39999: is not a known key; allowed here: version, discovery, audit, detections, notifications, (\w+, )+monitoring, groups, accounts, targets$/));
  });

  test('an empty file says where to start', () => {
    expect(problemsOf('')).toEqual([expect.stringContaining('start from templates/quickstart.yaml')]);
  });

  test('every problem is reported at once, in file order, with its line', () => {
    const text = stringify(
      configWith((c) => {
        c.targets[0].region = 'nowhere';
        c.targets[0].clusters[0].attach = 'maybe';
      }),
    );
    let error: ConfigError | undefined;
    try {
      parseConfig(text, 'test.yaml');
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems.map((p) => [p.path, p.line])).toEqual([
      ['targets[0].region', 9],
      ['targets[0].clusters[0].attach', 14],
    ]);
  });

  test('a top-level value wrong for every target is reported once', () => {
    const problems = problemsOf(
      configWith((c) => {
        c.notifications.slack.guardrailPolicyArns = ['arn:aws:iam::aws:policy/AdministratorAccess'];
        c.targets.push({ ...structuredClone(c.targets[0]), name: 'dr', region: 'eu-central-1' });
      }),
    );
    expect(problems.filter((p) => p.startsWith('notifications.slack.guardrailPolicyArns[0]: '))).toHaveLength(1);
  });

  test('the base config of these tests is itself valid', () => {
    expect(() => parseConfig(stringify(baseConfig()), 'test.yaml')).not.toThrow();
  });
});

describe('every problem in one run, even beside a type error', () => {
  test('a type error in one cluster, a reserved tag and a bad number do not hide a rule broken in another cluster', () => {
    const problems = problemsOf(
      configWith((c) => {
        c.tags = { 'aws:foo': 'bar' };
        c.detections = { 'failed-connections': { threshold: 'abc' } };
        delete c.targets[0].clusters[0].attach;
        c.targets[0].clusters[1].audit = { events: ['QUERY_DDL'] };
        c.targets[0].clusters[1].detections = { 'failed-connections': { enabled: true } };
      }),
    );
    expect(problems).toHaveLength(4);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^tags\.aws:foo: "aws:foo" starts with aws:, a prefix AWS reserves/),
      'detections.failed-connections.threshold: "abc" is a string; expected a whole number of matching lines',
      'targets[0].clusters[0].attach: is required: adopt (this stack imports the cluster) or external (other Terraform code owns it)',
      expect.stringMatching(/^targets\[0\]\.clusters\[1\]\.audit\.events: .* can only fire with CONNECT audited/),
    ]));
  });

  test('a problem that only the left-out part would cause is not reported', () => {
    // The Slack section is broken: that it is then missing is not a second problem.
    const problems = problemsOf(configWith((c) => (c.notifications.slack.teamId = 42)));
    expect(problems).toEqual(['notifications.slack.teamId: 42 reads as a number in YAML; quote it ("42") to keep it as text']);
  });

  test('a broken account in the fleet shape leaves the other accounts checked', () => {
    const problems = problemsOf({
      version: 1,
      notifications: { slack: { teamId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' } },
      accounts: [
        { id: 12345, regions: { 'eu-west-1': { a: { family: 'aurora-mysql8.0', attach: 'adopt' } } } },
        { id: '222222222222', regions: { 'eu-west-1': { b: { family: 'aurora-mysql8.0', attach: 'adopt', detections: { 'drop-statement': {} } } } } },
      ],
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['accounts[0].id', 'accounts[1].regions.eu-west-1.b.detections.drop-statement']);
  });
});


describe('typed names and counts', () => {
  const base = (target: string, top = '') =>
    `version: 1\n${top}notifications: {slack: {teamId: T07EA123LEP, channelId: C07EZ1ABC23}}\ntargets:\n  - {name: a, accountId: "123456789012", ${target}, clusters: [{identifier: x, engine: aurora-mysql, engineVersion: "8.0", attach: external}]}\n`;
  test('a region with a dash missing gets the region it is nearest', () => {
    expect(problemsOf(base('region: us-east1'))).toEqual([expect.stringContaining('targets[0].region: "us-east1" is not an AWS region name; did you mean us-east-1?')]);
  });
  test('a threshold is a whole number of matching lines: 2.5 is refused, not shown as ≥2.5', () => {
    expect(problemsOf(base('region: eu-west-1', 'detections: {drop-statements: {threshold: 2.5}}\n')).join('\n')).toContain('detections.drop-statements.threshold: 2.5 is a number; expected a whole number of matching lines');
  });
});
