/**
 * The literal prefilter changes how fast a pattern answers, never what: every catalog pattern, and the documented and
 * hand-made regexes, give the same answer with it as the automaton alone, on the whole adversarial corpus (every
 * statement shape the log's rules allow, both writings, every catalog sample, pgAudit's own output) and on lines that
 * hold a pattern's words in other cases, split, or out of order.
 */
import { DETECTIONS } from '../../detections';
import { compileFilterPattern, compileRegex } from '../../detections/filter-pattern';
import { candidateLines, mayMatch, requiredRuns } from '../../detections/prefilter';
import { COUNTED_SHAPES, queryRow, QUIET_SHAPES, type LogWriting } from '../support/sql-shapes';
import { PGAUDIT_PREFIX, pgauditLines } from '../support/corpora';

const STATEMENTS = [
  'DROP TABLE customers',
  "GRANT ALL PRIVILEGES ON *.* TO 'bob'@'%'",
  "REVOKE SELECT ON app.* FROM 'report'@'%'",
  "CREATE USER 'bob'@'%' IDENTIFIED BY 'secret'",
  "ALTER USER 'bob'@'%' ACCOUNT UNLOCK",
  "SET PASSWORD FOR 'bob'@'%' = 'x'",
  'TRUNCATE TABLE orders',
  'CREATE TABLE t (id INT)',
  'RENAME TABLE a TO b',
  'SELECT 1',
  "INSERT INTO notes VALUES ('drop table x')",
  'gRaNt select on t to x',
  'D R O P TABLE t',
  'DRO P TABLE t',
];
const WRITINGS: readonly LogWriting[] = ['escaped', 'spaces'];

const corpus = (): string[] => {
  const shaped = [...COUNTED_SHAPES, ...QUIET_SHAPES].flatMap(({ shape }) => WRITINGS.flatMap((w) => STATEMENTS.map((sql) => queryRow(shape(sql), w))));
  const samples = Object.values(DETECTIONS).flatMap((list) => list.flatMap((d) => [...d.samples.match, ...d.samples.noMatch].map(([line]) => line)));
  const pgaudit = pgauditLines().flatMap((l) => [`${PGAUDIT_PREFIX}${l}`, `${PGAUDIT_PREFIX}${l.replace(/^[A-Z]+:/, 'LOG:')}`]);
  // Each sample with its letters' case flipped, and with a character cut out of the middle: what a prefilter that
  // asked too much or too little would get wrong first.
  const flipped = samples.map((l) => [...l].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join(''));
  const cut = samples.map((l) => l.slice(0, l.length >> 1) + l.slice((l.length >> 1) + 1));
  return [...shaped, ...samples, ...pgaudit, ...flipped, ...cut];
};

describe('the literal prefilter', () => {
  const lines = corpus();

  test.each(Object.entries(DETECTIONS).flatMap(([engine, list]) => list.map((d) => [`${engine} ${d.id}`, d.pattern] as const)))(
    '%s: the same answer as the automaton alone on every line of the corpus',
    (_name, pattern) => {
      const withPrefilter = compileFilterPattern(pattern);
      const automaton = compileRegex(pattern.slice(1, -1));
      const differ = lines.filter((line) => withPrefilter.matches(line) !== automaton.test(line));
      expect(differ).toEqual([]);
      // And it is there to help: each catalog pattern has one.
      expect(requiredRuns(pattern.slice(1, -1))).toBeDefined();
    },
  );

  test('the corpus is large, and holds lines each pattern matches and lines it does not', () => {
    expect(lines.length).toBeGreaterThan(2000);
    for (const list of Object.values(DETECTIONS)) {
      for (const d of list) {
        const m = compileRegex(d.pattern.slice(1, -1));
        expect({ id: d.id, some: lines.some((l) => m.test(l)), notAll: !lines.every((l) => m.test(l)) }).toEqual({ id: d.id, some: true, notAll: true });
      }
    }
  });

  test.each([
    ['an alternative with no fixed run: no prefilter', 'abc|x+', undefined],
    ['classes of one letter are that letter in any case', '[Dd][Rr][Oo][Pp]\\s', [[{ sets: ['d', 'r', 'o', 'p'], plain: 'drop' }]]],
    ['a quantified atom ends the run', 'ab?cdef', [[{ sets: ['c', 'd', 'e', 'f'], plain: 'cdef' }]]],
    ['\\x escapes are their character; . and \\s are not fixed', 'x\\x27ab.cde\\sfg', [[{ sets: ['x', "'", 'a', 'b'], plain: "x'ab" }, { sets: ['c', 'd', 'e'], plain: 'cde' }]]],
    ['a | inside a class does not split: it is one of two characters', '[a|]bcd', [[{ sets: ['a|', 'b', 'c', 'd'], plain: undefined }]]],
    ['a class that starts with ] is left alone', '[]a]bcd', undefined],
  ])('%s', (_what, source, expected) => {
    const runs = requiredRuns(source);
    expect(runs?.map((alt) => alt.map(({ sets, plain }) => ({ sets, plain })))).toEqual(expected);
  });

  // The block scanner looks for each pattern's words over many lines at once: it must mark exactly the lines mayMatch
  // passes one by one, wherever a word falls (first line, last line, a line's first or last characters), whether the
  // block ends with a newline or not, and with lines that hold a word twice.
  test.each(Object.entries(DETECTIONS).flatMap(([engine, list]) => list.map((d) => [`${engine} ${d.id}`, d.pattern] as const)))(
    '%s: the lines a whole block marks are the ones each line passes by itself',
    (_name, pattern) => {
      const required = requiredRuns(pattern.slice(1, -1))!;
      const lower = lines.map((l) => l.toLowerCase()).filter((l) => !l.includes('\n'));
      const doubled = lower.slice(0, 50).map((l) => `${l} ${l}`);
      // Lines made of an alternative's words alone: one starts the line and one ends it; and each with a word left out.
      const word = (r: (typeof required)[number][number]) => r.plain ?? r.sets.map((set) => set[set.length - 1]).join('');
      const edges = required.flatMap((runs) => [runs.map(word).join(' '), ...runs.map((_, i) => runs.filter((__, j) => j !== i).map(word).join(' '))]);
      doubled.push(...edges, ...edges.map((e) => `${e}${e}`));
      for (const block of [[...lower, ...doubled], [...doubled.reverse(), ...lower.slice(0, 300)]]) {
        for (const trailing of ['', '\n']) {
          const text = block.join('\n') + trailing;
          const starts = new Int32Array(block.length + 1);
          for (let i = 0, at = 0; i <= block.length; i++) {
            starts[i] = at;
            if (i < block.length) at += block[i].length + 1;
          }
          const marked = candidateLines(text, starts, required);
          const differ = block.filter((line, i) => Boolean(marked[i]) !== mayMatch(line, required));
          expect(differ).toEqual([]);
        }
      }
    },
  );

  test('two-character atoms are scanned: GRANT or REVOKE in the compact keyword classes', () => {
    const runs = requiredRuns('[GgRr][RrEe][AaVv][NnOo][TtKk]')!;
    expect(mayMatch("select 'grant'", runs)).toBe(true);
    expect(mayMatch('revoke all', runs)).toBe(true);
    expect(mayMatch('select grand', runs)).toBe(false);
  });
});
