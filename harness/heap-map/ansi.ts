/**
 * ANSI colouring that never changes the characters: with colour off every
 * function is the identity, so a coloured map minus its escape codes is the
 * plain map (the tests rely on that).
 */
type MarkName = 'payload' | 'overhead' | 'hole' | 'focus' | 'other' | 'elided';

export interface Paint {
  mark(kind: MarkName, s: string): string;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
}

const ESC = '\u001b[';
const SGR: Record<MarkName, string> = {
  payload: '30;42', // black on green
  overhead: '30;43', // black on yellow
  hole: '2', // dim
  focus: '1;97;41', // bold white on red
  other: '97;45', // white on magenta
  elided: '2',
};

export function paint(color: boolean): Paint {
  if (!color) {
    const id = (s: string): string => s;
    return { mark: (_k, s) => s, bold: id, dim: id, red: id };
  }
  const wrap = (code: string, s: string): string => (s === '' ? s : `${ESC}${code}m${s}${ESC}0m`);
  return {
    mark: (k, s) => wrap(SGR[k], s),
    bold: (s) => wrap('1', s),
    dim: (s) => wrap('2', s),
    red: (s) => wrap('1;31', s),
  };
}
