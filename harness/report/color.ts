import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/** Colour only for a terminal, and never when NO_COLOR is set. */
export function useColor(stream: NodeJS.WriteStream = process.stdout, flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  if (process.env.NO_COLOR !== undefined || process.env.CI === 'true') return false;
  return stream.isTTY === true;
}

export function styler(color: boolean): (style: Style, text: string) => string {
  return color ? (style, text) => styleText(style, text) : (_style, text) => text;
}
