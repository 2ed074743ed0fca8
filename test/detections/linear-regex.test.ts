import { compileLinearRegex, MAX_REPEAT, RegexSyntaxError } from '../../detections/linear-regex';
import { compileFilterPattern } from '../../detections/filter-pattern';

describe('the linear-time regex engine', () => {
  test('agrees with JavaScript RegExp on generated patterns and lines', () => {
    let seed = 20261130;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const atoms = ['a', 'b', '.', '\\d', '\\w', '\\s', '\\W', '\\S', '[ab]', '[^a]', '[a-c]', '\\x27', ',', '-', ':', '[\\d,]', '[^\\s]', '\\.'];
    const quantifiers = ['', '', '', '*', '+', '?', '{2}', '{1,3}', '{0,}', '*?', '+?'];
    let compared = 0;
    for (let t = 0; t < 3000; t++) {
      const source = Array.from({ length: 1 + rnd(2) }, () => {
        let alternative = rnd(4) === 0 ? '^' : '';
        for (let k = 0; k < 1 + rnd(4); k++) alternative += atoms[rnd(atoms.length)] + quantifiers[rnd(quantifiers.length)];
        return alternative + (rnd(4) === 0 ? '$' : '');
      }).join('|');
      const expected = new RegExp(source);
      const linear = compileLinearRegex(source);
      for (let k = 0; k < 6; k++) {
        const line = Array.from({ length: rnd(10) }, () => "ab d,:-'1.\n\t"[rnd(12)]).join('');
        expect({ source, line, match: linear.test(line) }).toEqual({ source, line, match: expected.test(line) });
        compared++;
      }
    }
    expect(compared).toBe(18000);
  });

  test('a pattern that makes a backtracking engine run for minutes is answered at once, and correctly', () => {
    // JavaScript's own RegExp takes minutes on the 50-character line; no timing is asserted here, but a backtracking
    // engine would not finish before the test's timeout.
    const evil = compileFilterPattern('%\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*,%');
    expect(evil.matches('a'.repeat(50))).toBe(false);
    expect(evil.matches(`${'a'.repeat(200_000)},`)).toBe(true);
    expect(compileFilterPattern('%[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*,$%').matches(`${'a'.repeat(100_000)}!`)).toBe(false);
  });

  test('refuses what it cannot run, with the reason', () => {
    expect(() => compileLinearRegex(`a{${MAX_REPEAT + 1}}`)).toThrow(RegexSyntaxError);
    expect(() => compileLinearRegex('*a')).toThrow('nothing to repeat');
    expect(() => compileLinearRegex('a**')).toThrow('cannot follow another');
    expect(() => compileLinearRegex('^*')).toThrow('cannot be repeated');
    expect(() => compileLinearRegex('[abc')).toThrow('no closing ]');
    expect(() => compileLinearRegex('a{2,1}')).toThrow('fewer times');
  });
});
