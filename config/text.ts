/**
 * Rules for text that comes from a person or from AWS, shared by the config loader, the schema and the CLI's output.
 */

/**
 * Characters no config value needs and a terminal would act on: C0 controls except tab and line feed (NUL, ESC, CR,
 * backspace, ...), DEL, C1 controls, and the Unicode bidirectional overrides and isolates that reorder what a reviewer
 * sees ("Trojan Source", CVE-2021-42574).
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const CONTROL_GLOBAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** cdktf reads these inside any string as references to its own tokens; they are never legitimate in a config. */
const CDKTF_TOKEN_MARKER = /[$#&]\{TfToken\[/;

/** What is wrong with a piece of text, in the words of a config problem; undefined when nothing is. */
export function textProblem(text: string): string | undefined {
  const control = CONTROL.exec(text);
  if (control) {
    const code = control[0].codePointAt(0)!;
    return `holds the control character ${codePoint(code)}${CONTROL_NAMES[code] ? ` (${CONTROL_NAMES[code]})` : ''} at position ${control.index + 1}; control characters are refused, because a terminal would act on them`;
  }
  if (CDKTF_TOKEN_MARKER.test(text)) {
    return 'holds a cdktf token marker ({TfToken[ after $, # or &), which cdktf would read as a reference to one of its own values; it can never be part of a real value';
  }
  return undefined;
}

/** Text made safe to print: every control character shown as \u{..} instead of reaching the terminal. */
export function printable(text: string): string {
  return text.replace(CONTROL_GLOBAL, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

const CONTROL_NAMES: Record<number, string> = { 0x00: 'NUL', 0x07: 'BEL', 0x08: 'backspace', 0x0d: 'carriage return', 0x1b: 'ESC', 0x7f: 'DEL', 0x9b: 'CSI' };
