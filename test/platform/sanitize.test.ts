/**
 * harness/report/sanitize.ts: what a student controls (ids from folder names,
 * printed output, text quoted in messages) shown safely in a terminal, a
 * text report, a CSV cell, a file name, HTML and Markdown.
 */
import { describe, expect, it } from 'vitest';
import { csvField } from '../../harness/batch/csv.ts';
import { studentId } from '../../harness/batch/discover.ts';
import { cleanLine, cleanText, escapeHtml, markdownFence, markdownInline, REPLACEMENT, safeId } from '../../harness/report/sanitize.ts';

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('cleanText and cleanLine', () => {
  it('remove whole escape sequences, not just their ESC byte', () => {
    expect(cleanText('\x1b[2J\x1b[1;31mred\x1b[0m')).toBe('red');
    expect(cleanText('a\x1b]0;title\x07b')).toBe('ab'); // OSC window title, BEL-terminated
    expect(cleanText('a\x1b]8;;https://x\x1b\\link\x1b]8;;\x1b\\b')).toBe('alinkb'); // OSC 8 hyperlink, ST-terminated
    expect(cleanText('a\x9b31mb')).toBe('ab'); // 8-bit CSI
    expect(cleanText('a\x1bcb')).toBe('ab'); // RIS (full reset)
  });
  it('make other controls visible, and a carriage return a line break (it cannot overwrite a line)', () => {
    expect(cleanText('score: 0\rscore: 100')).toBe('score: 0\nscore: 100');
    expect(cleanText('a\r\nb')).toBe('a\nb');
    expect(cleanText('bell\x07 nul\x00 del\x7f c1\x85 rlo\u202e')).toBe(`bell${REPLACEMENT} nul${REPLACEMENT} del${REPLACEMENT} c1${REPLACEMENT} rlo${REPLACEMENT}`);
    expect(cleanText('tab\tand\nnewline, ünïcödé ✓')).toBe('tab\tand\nnewline, ünïcödé ✓');
  });
  it('an unterminated OSC swallows at most its own line', () => {
    expect(cleanText('a\x1b]0;no end\nnext line')).toBe('a\nnext line');
  });
  it('cleanLine keeps everything on one line', () => {
    expect(cleanLine('one\n  two\r\nthree\tfour')).toBe('one two three four');
  });
});

describe('safeId: a student-chosen name as a file name, CSV cell and terminal line', () => {
  it('leaves ordinary names exactly as they are', () => {
    for (const name of ['alice', 'bob_smith-2', 'Zoë Müller', 'a,b "q"']) expect(safeId(name)).toBe(name);
  });
  it('cleans escapes, line breaks, separators and leading dots, and keeps different names different', () => {
    const hostile = ['\x1b[31mred\x1b[0m', 'line\nbreak', 'line break', '..', '.hidden', 'a\\b', 'x'.repeat(300), 'x'.repeat(301), '\u202eevil'];
    const ids = hostile.map(safeId);
    for (const id of ids) {
      expect(id).not.toMatch(CONTROLS);
      expect(id).not.toMatch(/[\n/\\]|^\./);
      expect(Buffer.byteLength(`${id}.html`)).toBeLessThan(255);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^red~[0-9a-f]{8}$/);
    expect(ids[2]).toBe('line break'); // unchanged, and not the same id as 'line\nbreak'
  });
  it('is stable (shards on different machines must agree on ids) and used by batch discovery', () => {
    expect(safeId('line\nbreak')).toBe(safeId('line\nbreak'));
    expect(studentId('line\nbreak.ts')).toBe(safeId('line\nbreak'));
  });
});

describe('CSV cells', () => {
  it('hold no escapes, stay one quoted field, and cannot be formulas', () => {
    expect(csvField('\x1b[2Jok, "quoted"\nnext')).toBe('"ok, ""quoted""\nnext"');
    expect(csvField('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});

describe('HTML and Markdown', () => {
  it('escapeHtml leaves no markup', () => {
    expect(escapeHtml('</pre><script>x()</script><img src=x onerror="y()"> `a` \x1b[31m')).toBe(
      '&lt;/pre&gt;&lt;script&gt;x()&lt;/script&gt;&lt;img src=x onerror=&quot;y()&quot;&gt; &#96;a&#96; ',
    );
  });
  it('markdownFence cannot be closed from inside and keeps column alignment', () => {
    const clang = "mm.c:3:9: error: expected ';'\n    3 |   int x\n      |        ^\n      |        ;";
    expect(markdownFence(clang)).toBe(`\`\`\`text\n${clang}\n\`\`\``);
    const sneaky = 'text\n```\n# Heading outside?\n``````';
    const fenced = markdownFence(sneaky);
    expect(fenced.startsWith('```````text\n')).toBe(true);
    expect(fenced.endsWith('\n```````')).toBe(true);
  });
  it('markdownInline shows headings, links, images, HTML and table pipes as the characters they are', () => {
    const out = markdownInline('# Full marks | [prize](https://evil) ![i](https://evil/i.png) <b>x</b>\nnext');
    expect(out).toBe('\\# Full marks \\| \\[prize\\]\\(https://evil\\) \\!\\[i\\]\\(https://evil/i\\.png\\) &lt;b\\>x&lt;/b\\> next');
  });
});
