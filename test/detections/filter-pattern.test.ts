import { compileFilterPattern, FilterPatternError } from '../../detections/filter-pattern';

const matches = (pattern: string, event: string) => compileFilterPattern(pattern).matches(event);

// Examples from "Filter pattern syntax for metric filters..." and the TestMetricFilter API reference.
describe('terms', () => {
  test('a term matches case-sensitively', () => {
    expect(matches('ERROR', '[ERROR] Caught IllegalArgumentException')).toBe(true);
    expect(matches('ERROR', '[error] Caught IllegalArgumentException')).toBe(false);
  });

  test('a term matches as a substring, not a whole word', () => {
    expect(matches('ERROR', 'Exiting with ERRORCODE: -1')).toBe(true);
    expect(matches('"[ERROR]" Exception', '[ERROR] Unhanded exception: InvalidQueryException')).toBe(true);
  });

  test('all terms must match', () => {
    expect(matches('ERROR ARGUMENTS', '[ERROR] Unrecognized ARGUMENTS')).toBe(true);
    expect(matches('ERROR ARGUMENTS', '[ERROR] Caught IllegalArgumentException')).toBe(false);
  });

  test('? terms are alternatives', () => {
    expect(matches('?ERROR ?ARGUMENTS', '[WARN] bad ARGUMENTS')).toBe(true);
    expect(matches('?ERROR ?ARGUMENTS', '[ERROR] oops')).toBe(true);
    expect(matches('?ERROR ?ARGUMENTS', '[INFO] fine')).toBe(false);
  });

  test('? terms mixed with other terms are ignored', () => {
    expect(matches('?ERROR ?ARGUMENTS REQUEST', '[INFO] REQUEST done')).toBe(true);
    expect(matches('?ERROR ?ARGUMENTS REQUEST', '[ERROR] ARGUMENTS')).toBe(false);
  });

  test('- terms exclude', () => {
    expect(matches('ERROR -ARGUMENTS', '[ERROR] Caught IllegalArgumentException')).toBe(true);
    expect(matches('ERROR -ARGUMENTS', '[ERROR] Unrecognized ARGUMENTS')).toBe(false);
  });

  test('a quoted phrase matches as one piece', () => {
    expect(matches('"INTERNAL SERVER ERROR"', '[ERROR] 500 INTERNAL SERVER ERROR')).toBe(true);
    expect(matches('"INTERNAL SERVER ERROR"', '[ERROR] 500 INTERNAL ERROR on SERVER')).toBe(false);
  });

  test('" " and an empty pattern match every event', () => {
    expect(matches('" "', 'anything')).toBe(true);
    expect(matches('', 'anything')).toBe(true);
  });

  test('an unquoted term with punctuation is refused, with the fix', () => {
    expect(() => compileFilterPattern(',FAILED_CONNECT,')).toThrow('enclose it in double quotes: ",FAILED_CONNECT,"');
  });

  test('an unterminated phrase is refused', () => {
    expect(() => compileFilterPattern('"DROP TABLE')).toThrow(FilterPatternError);
  });
});

describe('regular expressions', () => {
  test('search anywhere in the event', () => {
    expect(matches('%AUTHORIZED%', 'UNAUTHORIZED')).toBe(true);
  });

  test('| separates whole alternatives, as there are no groups', () => {
    expect(matches('%[Ee]rror|[Ff]ail%', 'request failed')).toBe(true);
    expect(matches('%[Ee]rror|[Ff]ail%', 'Error 42')).toBe(true);
    expect(matches('%gra|ey%', 'grey')).toBe(true);
    expect(matches('%gra|ey%', 'gray')).toBe(true);
    expect(matches('%gra|ey%', 'blue')).toBe(false);
  });

  test('\\xhh stands for characters outside the supported set', () => {
    expect(matches('%\\x3A%', 'a:b')).toBe(true);
    expect(matches('%,\\x27DROP%', ",'DROP")).toBe(true);
  });

  test('parentheses and case-insensitive flags are refused, with the character-class alternative', () => {
    expect(() => compileFilterPattern('%(?i)drop%')).toThrow(/\[Dd\]\[Rr\]\[Oo\]\[Pp\]/);
    expect(() => compileFilterPattern('%DROP\\s(TABLE|DATABASE)%')).toThrow(/does not support \( or \)/);
  });

  test('unsupported symbols are refused, naming their escape', () => {
    expect(() => compileFilterPattern("%don't%")).toThrow('write it as \\x27');
    expect(() => compileFilterPattern('%100!%')).toThrow('write it as \\x21');
    expect(() => compileFilterPattern('%é%')).toThrow('multi-byte');
    expect(() => compileFilterPattern('%\\q%')).toThrow('not a supported escape');
  });

  test('a regex combined with other terms is refused rather than guessed', () => {
    expect(() => compileFilterPattern('%DROP% -rdsadmin')).toThrow('cannot be combined');
  });

  test('counts regular expressions for the quotas', () => {
    expect(compileFilterPattern('%a|b%').regexCount).toBe(1);
    expect(compileFilterPattern('ERROR').regexCount).toBe(0);
  });
});

/**
 * Every unstructured example in AWS's current pages, with events derived from what each page says it matches:
 * "Filter pattern syntax for metric filters, subscription filters, filter log events, and Live Tail"
 * (FilterAndPatternSyntax.html, "Supported regular expressions (regex) syntax", operator list) and "Supported regular
 * expressions (regex) syntax" (regex-expressions.html). docs/facts.md lists them.
 */
describe('the documented regex examples', () => {
  test.each([
    ['%^[hc]at%', ['hat', 'cat in the hat'], ['that', 'a cat']],
    ['%[hc]at$%', ['hat', 'the cat'], ['cats', 'hat trick']],
    ['%colou?r%', ['color', 'colour'], ['colr']],
    ['%[abc]%', ['a', 'xbx', 'c'], ['xyz']],
    ['%[a-z]%', ['1q2', 'z'], ['123', 'ABC']],
    ['%[abcx-z]%', ['b', 'y'], ['d', 'w']],
    ['%a{3,5}%', ['aaa', 'xaaaaay'], ['aa', 'a a a']],
    ['%gra|ey%', ['gray', 'grey'], ['gry']],
    ['%AUTHORIZED%', ['[ERROR 401] UNAUTHORIZED REQUEST', '[SUCCESS 200] AUTHORIZED REQUEST'], ['[INFO] authorized']],
    ['%[Ee]rror|[Ff]ail%', ['Error', 'error', 'Fail', 'fail'], ['ERROR', 'FAIL']],
    ['%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%', ['from 10.0.12.255 port 22', '1.2.3.4'], ['1.2.3', '1-2-3-4']],
    ['%^starting|^initializing|^shutting down%', ['starting worker', 'initializing cache', 'shutting down now'], ['worker starting', 'shutting  down', 'shuttingdown']],
    ['%\\x3A%', ['a:b'], ['ab']],
    ['%\\x28%', ['f(x)'], ['fx']],
    ['%\\d%', ['a1'], ['ab']],
    ['%\\s%', ['a b', 'a\tb'], ['ab']],
    ['%\\w%', ['_'], ['--']],
  ])('%s', (pattern, yes, no) => {
    const compiled = compileFilterPattern(pattern);
    for (const event of yes) expect([event, compiled.matches(event)]).toEqual([event, true]);
    for (const event of no) expect([event, compiled.matches(event)]).toEqual([event, false]);
  });

  test('a space inside a regex is a literal space, as in the documented example', () => {
    expect(matches('%DROP TABLE%', 'DROP TABLE t')).toBe(true);
    expect(matches('%DROP TABLE%', 'DROP\tTABLE t')).toBe(false);
  });

  test('the documented refusal: %something!%', () => {
    expect(() => compileFilterPattern('%something!%')).toThrow('write it as \\x21');
  });
});

describe('structured patterns', () => {
  test('JSON and space-delimited patterns are refused with the reason', () => {
    expect(() => compileFilterPattern('{ $.eventType = "UpdateTrail" }')).toThrow('JSON filter patterns');
    expect(() => compileFilterPattern('[ip, user, ...]')).toThrow('space-delimited');
  });
});
