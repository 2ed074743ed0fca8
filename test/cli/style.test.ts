/**
 * Colour only where a person reads a terminal: a TTY, NO_COLOR unset, a terminal that is not "dumb".
 */
import { renderSummary } from '../../cli/summary';
import { terminalSafe } from '../../cli/output';
import { PLAIN, styleFor, useColour } from '../../cli/style';
import { baseConfig, modelOf } from '../support/fixtures';

const ESC = '\u001b[';

test.each([
  [{ isTTY: true }, {}, true],
  [{ isTTY: false }, {}, false],
  [{}, {}, false],
  [{ isTTY: true }, { NO_COLOR: '' }, false],
  [{ isTTY: true }, { NO_COLOR: '1' }, false],
  [{ isTTY: true }, { TERM: 'dumb' }, false],
])('stream %j, env %j: colour %s', (stream, env, colour) => {
  expect(useColour(stream, env)).toBe(colour);
});

test('a summary at a terminal has its headings and warning marks in colour; the same summary in a pipe has none', () => {
  const model = modelOf(baseConfig());
  const coloured = renderSummary(model, undefined, '2026-11-30', styleFor({ isTTY: true }, {}));
  expect(coloured).toContain(`${ESC}1mManual steps:${ESC}22m`);
  expect(coloured).toContain(`${ESC}33m-${ESC}39m `);
  const plain = renderSummary(model, undefined, '2026-11-30', PLAIN);
  expect(plain).not.toContain(ESC);
  // Only the styling differs.
  expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
});

test('only the style codes reach the terminal: any other escape sequence in the text is shown, not acted on', () => {
  const styled = styleFor({ isTTY: true }, {}).heading('Warnings:');
  const hostile = 'cluster \u001b[2J\u001b]0;pwned\u0007 done';
  expect(terminalSafe(`${styled} ${hostile}`)).toBe(`${styled} cluster \\u{1b}[2J\\u{1b}]0;pwned\\u{7} done`);
});
