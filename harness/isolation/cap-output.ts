/** Keeps the head of a process's output within a line and character budget, with a visible marker. */
export function capOutput(text: string, maxLines: number, maxChars: number): string {
  let out = text.length > maxChars ? text.slice(0, maxChars) : text;
  let lines = 0;
  for (let i = 0; i < out.length; i++) {
    if (out.charCodeAt(i) === 10 && ++lines >= maxLines) {
      out = out.slice(0, i + 1);
      break;
    }
  }
  if (out.length === text.length) return text;
  const totalLines = text.split('\n').length;
  return `${out}${out.endsWith('\n') ? '' : '\n'}[output truncated: ${text.length} characters, ${totalLines} lines in all]`;
}
