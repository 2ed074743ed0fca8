/**
 * Benchmark: redaction of hostile 1 MB statements (the most a CloudWatch Logs event holds), each beside a plain scan
 * of the same text in the same run (split into characters and count the quotes: one pass, the baseline). The goal
 * is at most 100 ms per megabyte, and time that grows linearly with size. Prints figures; asserts nothing.
 *
 *   npm run bench:redact
 */
import { redactStatement } from '../alert-details/redact';

const MB = 1024 * 1024;
const fill = (unit: string, tail = '') => unit.repeat(Math.floor((MB - tail.length) / unit.length)) + tail;

const SHAPES: ReadonlyArray<readonly [string, string, boolean]> = [
  ['SET PASSWORD repeated', fill('SET PASSWORD '), true],
  ['IDENTIFIED BY repeated, then a secret', fill('IDENTIFIED BY ', "'s3cret'"), true],
  ['one unterminated string', `ALTER USER u IDENTIFIED BY '${'x'.repeat(MB - 40)}`, true],
  ["quotes and backslashes", fill("'\\''"), true],
  ['comments between every word', fill('PASSWORD /* c */ = /**/ '), true],
  ['ordinary DML', fill("INSERT INTO t (a, b) VALUES (1, 'two'); "), true],
  ['nested comments (PostgreSQL)', fill('/* /* '), false],
  ['dollar quotes (PostgreSQL)', fill('$a$ '), false],
  ['password= in a string (PostgreSQL)', `'${fill('password= ')}'`, false],
  ['URIs in a string (PostgreSQL)', `'${fill('://a:b')}@x'`, false],
  ['adjacent literals (PostgreSQL)', `ALTER ROLE r PASSWORD ${fill("'x'\n")}`, false],
];

function ms(work: () => void): number {
  const started = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

console.log('shape                                      MB    plain scan (baseline)   redact    ratio   goal ≤ 100 ms');
for (const [name, text, mysql] of SHAPES) {
  // One warm-up of each, then the best of three.
  const runs = (work: () => void) => Math.min(...[0, 1, 2, 3].map(() => ms(work)).slice(1));
  const baseline = runs(() => void text.split('').filter((c) => c === "'").length);
  const ours = runs(() => void redactStatement(text, { literals: false, doubleQuotedAreStrings: mysql }));
  console.log(
    `${name.padEnd(42)} ${(text.length / MB).toFixed(2)}  ${baseline.toFixed(1).padStart(10)} ms           ${ours.toFixed(1).padStart(7)} ms  ${(ours / baseline).toFixed(1).padStart(5)}x   ${ours <= 100 ? 'met' : 'MISSED'}`,
  );
}
