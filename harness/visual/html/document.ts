/**
 * The frame of every page the kit writes (a student's report, the course
 * page): one self-contained HTML file with inline CSS and script, nothing
 * from the network, and a Content-Security-Policy that runs only the kit's
 * own script, allowed by its hash, so a student string that ever slipped
 * through unescaped still could not run (no inline handlers, no injected
 * <script>).
 */
import { createHash } from 'node:crypto';
import { html, raw, type Raw } from './escape.ts';

export interface PageParts {
  /** Escaped as the <title> and the <h1>. */
  title: string;
  css: string;
  /** The kit's page script, the only one the policy allows. */
  js: string;
  /** Everything between the <h1> and the script. */
  body: Raw;
}

export function contentSecurityPolicy(script: string): string {
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:`;
}

export function selfContainedPage(p: PageParts): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${raw(contentSecurityPolicy(p.js))}">
<title>${p.title}</title>
<style>${raw(p.css)}</style>
</head>
<body>
<h1>${p.title}</h1>
${p.body}
<script>${raw(p.js)}</script>
</body>
</html>
`.html;
}
