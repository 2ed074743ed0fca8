/**
 * Redaction against the spellings MySQL and PostgreSQL accept for a password (their manuals' grammar of string
 * literals, comments and the statements that take one), and a property test that puts a generated secret in every
 * password position, spelled every way, with comments and spacing between: it never survives.
 */
import { redactStatement } from '../../alert-details/redact';
import { tokenizeSql } from '../../detections/sql-tokens';

const mysql = (s: string) => redactStatement(s, { literals: false, doubleQuotedAreStrings: true });
const pg = (s: string) => redactStatement(s, { literals: false, doubleQuotedAreStrings: false });

const SECRET = 'Zq7secret';

/** [statement, what it must read after redaction]: the secret is in each. */
const MYSQL_CASES: ReadonlyArray<readonly [string, string]> = [
  [`CREATE USER 'bob'@'%' IDENTIFIED BY '${SECRET}'`, `CREATE USER 'bob'@'%' IDENTIFIED BY '***'`],
  [`CREATE USER bob IDENTIFIED BY "${SECRET}"`, `CREATE USER bob IDENTIFIED BY '***'`],
  [`ALTER USER bob IDENTIFIED BY'${SECRET}'`, `ALTER USER bob IDENTIFIED BY'***'`],
  [`ALTER USER bob IDENTIFIED BY /* new */ '${SECRET}'`, `ALTER USER bob IDENTIFIED BY /* new */ '***'`],
  [`ALTER USER bob IDENTIFIED BY -- new\n '${SECRET}'`, `ALTER USER bob IDENTIFIED BY -- new\n '***'`],
  [`ALTER USER bob IDENTIFIED BY # new\n'${SECRET}'`, `ALTER USER bob IDENTIFIED BY # new\n'***'`],
  [`ALTER USER bob IDENTIFIED\n\tBY\n'${SECRET}'`, `ALTER USER bob IDENTIFIED\n\tBY\n'***'`],
  [`ALTER USER bob IDENTIFIED BY _utf8mb4'${SECRET}'`, `ALTER USER bob IDENTIFIED BY '***'`],
  [`ALTER USER bob IDENTIFIED BY N'${SECRET}'`, `ALTER USER bob IDENTIFIED BY '***'`],
  [`ALTER USER bob IDENTIFIED BY X'${Buffer.from(SECRET).toString('hex')}'`, `ALTER USER bob IDENTIFIED BY '***'`],
  [`ALTER USER bob IDENTIFIED BY 0x${Buffer.from(SECRET).toString('hex')}`, `ALTER USER bob IDENTIFIED BY '***'`],
  [`ALTER USER bob IDENTIFIED BY 'it''s ${SECRET}'`, `ALTER USER bob IDENTIFIED BY '***'`],
  [`ALTER USER bob IDENTIFIED BY 'it\\'s ${SECRET}'`, `ALTER USER bob IDENTIFIED BY '***'`],
  [`ALTER USER bob IDENTIFIED BY 'a' '${SECRET}'`, `ALTER USER bob IDENTIFIED BY '***'`],
  [`ALTER USER bob IDENTIFIED WITH caching_sha2_password BY '${SECRET}'`, `ALTER USER bob IDENTIFIED WITH caching_sha2_password BY '***'`],
  [`ALTER USER bob IDENTIFIED WITH mysql_native_password AS '*${SECRET}'`, `ALTER USER bob IDENTIFIED WITH mysql_native_password AS '***'`],
  [`ALTER USER bob IDENTIFIED BY 'new' REPLACE '${SECRET}'`, `ALTER USER bob IDENTIFIED BY '***' REPLACE '***'`],
  [`CREATE USER bob IDENTIFIED VIA ed25519 USING '${SECRET}'`, `CREATE USER bob IDENTIFIED VIA ed25519 USING '***'`],
  [`CREATE USER bob IDENTIFIED VIA ed25519 USING PASSWORD('${SECRET}')`, `CREATE USER bob IDENTIFIED VIA ed25519 USING PASSWORD('***')`],
  [`GRANT ALL ON *.* TO 'bob'@'%' IDENTIFIED BY '${SECRET}'`, `GRANT ALL ON *.* TO 'bob'@'%' IDENTIFIED BY '***'`],
  [`SET PASSWORD = '${SECRET}'`, `SET PASSWORD = '***'`],
  [`SET PASSWORD = /**/ '${SECRET}'`, `SET PASSWORD = /**/ '***'`],
  [`SET PASSWORD FOR 'bob'@'%' = '${SECRET}'`, `SET PASSWORD FOR 'bob'@'%' = '***'`],
  [`SET PASSWORD FOR bob = PASSWORD('${SECRET}')`, `SET PASSWORD FOR bob = PASSWORD('***')`],
  [`SET PASSWORD FOR bob = OLD_PASSWORD ( '${SECRET}' )`, `SET PASSWORD FOR bob = OLD_PASSWORD ( '***' )`],
  [`set password=/*!'${SECRET}'*/`, `set password=/*!'***'*/`],
  [`SELECT PASSWORD('${SECRET}')`, `SELECT PASSWORD('***')`],
  [`CHANGE MASTER TO MASTER_HOST='h', MASTER_PASSWORD='${SECRET}'`, `CHANGE MASTER TO MASTER_HOST='h', MASTER_PASSWORD='***'`],
  [`CHANGE REPLICATION SOURCE TO SOURCE_USER='r', SOURCE_PASSWORD = "${SECRET}"`, `CHANGE REPLICATION SOURCE TO SOURCE_USER='r', SOURCE_PASSWORD = '***'`],
  [`START REPLICA USER='r' PASSWORD='${SECRET}'`, `START REPLICA USER='r' PASSWORD='***'`],
  [`CALL mysql.rds_set_external_master('db.example.com', 3306, 'repl', '${SECRET}', 'mysql-bin.000001', 4, 1)`, `CALL mysql.rds_set_external_master('db.example.com', 3306, 'repl', '***', 'mysql-bin.000001', 4, 1)`],
  [`CALL mysql.rds_set_external_source_with_delay ('h', 3306, 'repl', /* pw */ '${SECRET}', 'b.1', 4, 0, 3600)`, `CALL mysql.rds_set_external_source_with_delay ('h', 3306, 'repl', /* pw */ '***', 'b.1', 4, 0, 3600)`],
  [`CALL mysql.rds_set_external_master_with_auto_position('h', 3306, 'repl', '${SECRET}', 1, 0)`, `CALL mysql.rds_set_external_master_with_auto_position('h', 3306, 'repl', '***', 1, 0)`],
  [`CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER 'u', PASSWORD '${SECRET}', HOST 'h')`, `CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER 'u', PASSWORD '***', HOST 'h')`],
  [`CREATE TABLE t (a INT) ENGINE=FEDERATED CONNECTION='mysql://u:${SECRET}@h:3306/db/t'`, `CREATE TABLE t (a INT) ENGINE=FEDERATED CONNECTION='mysql://u:***@h:3306/db/t'`],
];

const PG_CASES: ReadonlyArray<readonly [string, string]> = [
  [`ALTER ROLE bob PASSWORD '${SECRET}'`, `ALTER ROLE bob PASSWORD '***'`],
  [`CREATE ROLE bob WITH LOGIN ENCRYPTED PASSWORD '${SECRET}' VALID UNTIL '2030-01-01'`, `CREATE ROLE bob WITH LOGIN ENCRYPTED PASSWORD '***' VALID UNTIL '2030-01-01'`],
  [`ALTER USER bob PASSWORD'${SECRET}'`, `ALTER USER bob PASSWORD'***'`],
  [`ALTER ROLE bob PASSWORD $$${SECRET}$$`, `ALTER ROLE bob PASSWORD '***'`],
  [`ALTER ROLE bob PASSWORD $pw$${SECRET}$pw$`, `ALTER ROLE bob PASSWORD '***'`],
  [`ALTER ROLE bob PASSWORD E'it\\'s ${SECRET}'`, `ALTER ROLE bob PASSWORD '***'`],
  [`ALTER ROLE bob PASSWORD U&'${SECRET}\\0041'`, `ALTER ROLE bob PASSWORD '***'`],
  [`ALTER ROLE bob PASSWORD 'Zq7'\n'secret'`, `ALTER ROLE bob PASSWORD '***'`],
  [`ALTER ROLE bob PASSWORD /* rotated */ '${SECRET}'`, `ALTER ROLE bob PASSWORD /* rotated */ '***'`],
  [`ALTER ROLE bob PASSWORD /* a /* nested */ comment */ '${SECRET}'`, `ALTER ROLE bob PASSWORD /* a /* nested */ comment */ '***'`],
  [`ALTER ROLE bob PASSWORD -- rotated\n'${SECRET}'`, `ALTER ROLE bob PASSWORD -- rotated\n'***'`],
  [`ALTER ROLE bob PASSWORD 'it''s ${SECRET}'`, `ALTER ROLE bob PASSWORD '***'`],
  [`CREATE USER MAPPING FOR bob SERVER s OPTIONS (user 'bob', password '${SECRET}')`, `CREATE USER MAPPING FOR bob SERVER s OPTIONS (user 'bob', password '***')`],
  [`ALTER USER MAPPING FOR bob SERVER s OPTIONS (SET password '${SECRET}')`, `ALTER USER MAPPING FOR bob SERVER s OPTIONS (SET password '***')`],
  [`SELECT dblink_connect('c', 'host=db port=5432 user=app password=${SECRET} dbname=x')`, `SELECT dblink_connect('c', 'host=db port=5432 user=app password=***')`],
  [`SELECT * FROM dblink('host=db password = ''${SECRET} x'' dbname=x', 'select 1') AS t(a int)`, `SELECT * FROM dblink('host=db password = ***', 'select 1') AS t(a int)`],
  [`SELECT dblink_connect('postgresql://app:${SECRET}@db:5432/x')`, `SELECT dblink_connect('postgresql://app:***@db:5432/x')`],
  [`SELECT aws_commons.create_aws_credentials('AKIAEXAMPLE', '${SECRET}', '')`, `SELECT aws_commons.create_aws_credentials('***', '***', '***')`],
];

describe('redaction: every spelling of a password position', () => {
  test.each(MYSQL_CASES)('MySQL %j', (statement, expected) => {
    expect(mysql(statement)).toBe(expected);
  });

  test.each(PG_CASES)('PostgreSQL %j', (statement, expected) => {
    expect(pg(statement)).toBe(expected);
  });

  test('what is not a password stays: names, other strings, keywords that only look alike', () => {
    for (const keep of [
      "DROP TABLE customers",
      "GRANT SELECT ON shop.* TO 'bob'@'%'",
      "ALTER USER bob PASSWORD EXPIRE INTERVAL 90 DAY",
      "ALTER USER bob FAILED_LOGIN_ATTEMPTS 3 PASSWORD_LOCK_TIME 2",
      "UPDATE users SET password_hint = 'blue' WHERE id = 1",
      "SELECT 'IDENTIFIED BY' FROM dual",
    ]) {
      expect(mysql(keep)).toBe(keep);
    }
    expect(pg('ALTER ROLE bob PASSWORD NULL')).toBe('ALTER ROLE bob PASSWORD NULL');
    expect(pg('ALTER ROLE "PASSWORD" RENAME TO x')).toBe('ALTER ROLE "PASSWORD" RENAME TO x');
  });

  test('with literals redacted, every string goes; PostgreSQL identifiers stay', () => {
    expect(redactStatement(`INSERT INTO t VALUES ('a', "b", _latin1'c')`, { literals: true, doubleQuotedAreStrings: true })).toBe("INSERT INTO t VALUES ('***', '***', '***')");
    expect(redactStatement(`INSERT INTO "t" VALUES ('a', E'b', $$c$$)`, { literals: true, doubleQuotedAreStrings: false })).toBe(`INSERT INTO "t" VALUES ('***', '***', '***')`);
  });

  test('a statement cut off inside a literal or a comment never shows the rest as code', () => {
    expect(mysql(`ALTER USER bob IDENTIFIED BY '${SECRET}`)).toBe("ALTER USER bob IDENTIFIED BY '***'");
    expect(pg(`ALTER ROLE bob PASSWORD $x$${SECRET}`)).toBe("ALTER ROLE bob PASSWORD '***'");
    expect(pg(`ALTER ROLE bob PASSWORD /* ${SECRET}`)).toBe(`ALTER ROLE bob PASSWORD /* ${SECRET}`);
  });
});

/** A small deterministic generator (mulberry32): the same cases every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('redaction: a generated secret in any position, spelled any way, never survives', () => {
  const next = random(0x5eed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const secretOf = () => `S${Array.from({ length: 10 + Math.floor(next() * 12) }, () => pick([...'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!%^&*()-+=,.;:?~[]{}|<> \'"\\$@#/'])).join('')}`;
  // What may stand between two parts of the statement.
  const gaps = {
    mysql: [' ', '  ', '\n', '\t', ' /* c */ ', '/**/', ' -- c\n', ' # c\n', '\r\n'],
    postgresql: [' ', '\n', '\t', ' /* c */ ', '/* a /* b */ c */', ' -- c\n'],
  };
  /** The secret as a literal of the engine: every quoting it has, with the escapes that quoting needs. */
  const literals = {
    mysql: (s: string) => [
      `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`,
      `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
      `"${s.replace(/\\/g, '\\\\').replace(/"/g, '""')}"`,
      `_utf8mb4'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`,
      `N'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`,
      `X'${Buffer.from(s).toString('hex')}'`,
      `0x${Buffer.from(s).toString('hex')}`,
      `'${s.slice(0, 4).replace(/\\/g, '\\\\').replace(/'/g, "''")}' '${s.slice(4).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`,
    ],
    postgresql: (s: string) => [
      `'${s.replace(/'/g, "''")}'`,
      `E'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
      `U&'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`,
      `$$${s.replace(/\$/g, '')}$$`,
      `$tag$${s}$tag$`,
      `'${s.slice(0, 4).replace(/'/g, "''")}'\n'${s.slice(4).replace(/'/g, "''")}'`,
    ],
  };
  /** Each password position, as statement parts; `_` is a gap, `$` the literal. */
  const positions = {
    mysql: [
      ['CREATE', '_', 'USER', '_', "'u'@'%'", '_', 'IDENTIFIED', '_', 'BY', '_', '$'],
      ['ALTER', '_', 'USER', '_', 'u', '_', 'IDENTIFIED', '_', 'WITH', '_', 'caching_sha2_password', '_', 'BY', '_', '$'],
      ['ALTER', '_', 'USER', '_', 'u', '_', 'IDENTIFIED', '_', 'WITH', '_', 'mysql_native_password', '_', 'AS', '_', '$'],
      ['ALTER', '_', 'USER', '_', 'u', '_', 'IDENTIFIED', '_', 'BY', '_', "'new'", '_', 'REPLACE', '_', '$'],
      ['CREATE', '_', 'USER', '_', 'u', '_', 'IDENTIFIED', '_', 'VIA', '_', 'ed25519', '_', 'USING', '_', '$'],
      ['CREATE', '_', 'USER', '_', 'u', '_', 'IDENTIFIED', '_', 'VIA', '_', 'ed25519', '_', 'USING', '_', 'PASSWORD', '_', '(', '_', '$', '_', ')'],
      ['SET', '_', 'PASSWORD', '_', '=', '_', '$'],
      ['SET', '_', 'PASSWORD', '_', 'FOR', '_', "'u'@'%'", '_', '=', '_', '$'],
      ['SET', '_', 'PASSWORD', '_', 'FOR', '_', 'u', '_', '=', '_', 'PASSWORD', '_', '(', '_', '$', '_', ')'],
      ['CHANGE', '_', 'MASTER', '_', 'TO', '_', "MASTER_USER='r',", '_', 'MASTER_PASSWORD', '_', '=', '_', '$'],
      ['CHANGE', '_', 'REPLICATION', '_', 'SOURCE', '_', 'TO', '_', 'SOURCE_PASSWORD', '_', '=', '_', '$'],
      ['CREATE', '_', 'SERVER', '_', 's', '_', 'FOREIGN DATA WRAPPER mysql OPTIONS', '_', '(', "USER 'u',", '_', 'PASSWORD', '_', '$', ')'],
      ['CALL', '_', 'mysql.rds_set_external_master', '_', '(', "'h',", '_', '3306,', '_', "'r',", '_', '$', ',', '_', "'b.1', 4, 0)"],
      ['CALL', '_', 'mysql.rds_set_external_source', '_', '(', "'h',", '_', '3306,', '_', "'r',", '_', '$', ',', '_', "'b.1', 4, 0)"],
    ],
    postgresql: [
      ['CREATE', '_', 'ROLE', '_', 'u', '_', 'LOGIN', '_', 'PASSWORD', '_', '$'],
      ['ALTER', '_', 'ROLE', '_', 'u', '_', 'WITH', '_', 'ENCRYPTED', '_', 'PASSWORD', '_', '$', '_', 'VALID UNTIL', '_', "'2030-01-01'"],
      ['ALTER', '_', 'USER', '_', 'u', '_', 'PASSWORD', '_', '$'],
      ['CREATE', '_', 'USER MAPPING FOR u SERVER s', '_', 'OPTIONS', '_', '(', "user 'u',", '_', 'password', '_', '$', ')'],
      ['ALTER', '_', 'USER MAPPING FOR u SERVER s', '_', 'OPTIONS', '_', '(', 'ADD', '_', 'password', '_', '$', ')'],
      ['SELECT', '_', 'aws_commons.create_aws_credentials', '_', '(', "'AKIA',", '_', '$', ',', '_', "'')"],
    ],
  };

  for (const dialect of ['mysql', 'postgresql'] as const) {
    test(`${dialect}: 3,000 generated statements`, () => {
      const redact = dialect === 'mysql' ? mysql : pg;
      for (let n = 0; n < 3000; n++) {
        const secret = secretOf();
        const literal = pick(literals[dialect](secret));
        const statement = pick(positions[dialect])
          .map((part) => (part === '_' ? pick(gaps[dialect]) : part === '$' ? literal : part))
          .join('');
        const out = redact(statement);
        // The secret, and every run of 6 of its letters and digits, is gone.
        const core = secret.replace(/[^A-Za-z0-9]/g, '');
        const pieces = Array.from({ length: Math.max(0, core.length - 5) }, (_, i) => core.slice(i, i + 6));
        const leaked = pieces.find((p) => out.includes(p) && !statement.replace(literal, '').includes(p));
        if (out.includes(secret) || leaked || out.includes(Buffer.from(secret).toString('hex'))) {
          throw new Error(`leaked ${JSON.stringify(leaked ?? secret)}: ${JSON.stringify(statement)} → ${JSON.stringify(out)}`);
        }
      }
    });
  }

  test('connection strings in any string of a PostgreSQL statement', () => {
    for (let n = 0; n < 500; n++) {
      const secret = secretOf().replace(/[\s'"\\@/]/g, 'x');
      const conn = pick([`host=db password=${secret} dbname=x`, `password = ${secret}`, `postgresql://app:${secret}@db/x`, `host=db PASSWORD=${secret}`]);
      const out = pg(`SELECT dblink_connect('c',${pick(gaps.postgresql)}'${conn.replace(/'/g, "''")}')`);
      expect(out).not.toContain(secret);
    }
  });
});

describe('the tokenizer', () => {
  test('covers the text exactly, hostile inputs included', () => {
    for (const [dialect, text] of [
      ['mysql', "a'b\\'c'd\"e\"/*!50000 f*/#g\n-- h\n--i `j``k` 0x1F _utf8'l' N'm'"],
      ['postgresql', "a'b''c'E'd\\'e'$q$f$q$ $$g$$ /* h /* i */ j */ -- k\nU&'l' \"m\"\"n\" $1"],
      ['mysql', "'".repeat(1001)],
      ['postgresql', '$a$'.repeat(1001)],
      ['postgresql', '/*'.repeat(1001)],
    ] as const) {
      const tokens = tokenizeSql(text, dialect);
      expect(tokens.map((t) => text.slice(t.start, t.end)).join('')).toBe(text);
      tokens.forEach((t, i) => expect(t.start).toBe(i === 0 ? 0 : tokens[i - 1].end));
    }
  });

  test('a MySQL versioned comment is code; a PostgreSQL "name" is an identifier', () => {
    expect(tokenizeSql("/*!50000 DROP TABLE t */", 'mysql').filter((t) => t.kind === 'word').map((t) => t.text)).toEqual(['DROP', 'TABLE', 'T']);
    expect(tokenizeSql('"PASSWORD"', 'postgresql').map((t) => t.kind)).toEqual(['identifier']);
    expect(tokenizeSql('"PASSWORD"', 'mysql').map((t) => t.kind)).toEqual(['string']);
  });

  test('hostile shapes a megabyte long are redacted whole (their speed is in npm run bench:redact)', () => {
    const big = 'SET PASSWORD '.repeat(80_000);
    expect(mysql(big)).toBe(big);
    expect(mysql(`${'IDENTIFIED BY '.repeat(70_000)}'${SECRET}'`)).not.toContain(SECRET);
    expect(pg(`'${'password= '.repeat(100_000)}${SECRET}'`)).not.toContain(SECRET);
    const uris = pg(`'${'://a:b'.repeat(150_000)}@${SECRET}'`);
    expect(uris.endsWith(`://a:***@${SECRET}'`)).toBe(true);
  });
});
