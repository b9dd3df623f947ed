import { createHash } from 'node:crypto';

type Json = Record<string, unknown>;
const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const code = (v: unknown) => `<pre>${esc(JSON.stringify(v, null, 2))}</pre>`;

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h2{margin-top:2.5rem;border-bottom:1px solid #ddd}section{border:1px solid #e3e3e3;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}
.m{display:inline-block;min-width:4.5rem;font-weight:700;font-family:monospace}.p{font-family:monospace;font-weight:600}
.pub{color:#2a7a2a;font-size:.85em;margin-left:.5rem}pre{background:#f6f6f6;padding:.5rem;overflow:auto;max-height:24rem;font-size:13px}
details summary{cursor:pointer}table{border-collapse:collapse}td,th{border:1px solid #e3e3e3;padding:.2rem .5rem;text-align:left;vertical-align:top}`;

/** The page's only style, allowed by its hash: the page runs no script and loads nothing. */
export const DOCS_STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

function operation(method: string, path: string, op: Json): string {
  const params = (op.parameters as Json[] | undefined) ?? [];
  const body = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
  const responses = Object.entries(op.responses as Record<string, Json>);
  return `<section><h3><span class="m">${esc(method.toUpperCase())}</span><span class="p">${esc(path)}</span>${
    Array.isArray(op.security) && op.security.length === 0 ? '<span class="pub">public</span>' : ''
  }</h3><p>${esc(op.summary)}</p>${op.description ? `<p>${esc(op.description)}</p>` : ''}${
    params.length
      ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr>${params
          .map(
            (p) =>
              `<tr><td>${esc(p.name)}</td><td>${esc(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td>${esc(JSON.stringify(p.schema))}</td></tr>`,
          )
          .join('')}</table>`
      : ''
  }${
    body
      ? `<details><summary>request body</summary>${Object.values(body)
          .map((c) => code(c.schema) + (c.example !== undefined ? `<p>example</p>${code(c.example)}` : ''))
          .join('')}</details>`
      : ''
  }${responses
    .map(([status, r]) => {
      const content = Object.entries((r.content as Record<string, Json> | undefined) ?? {});
      return `<details><summary><b>${esc(status)}</b> ${esc(r.description)}</summary>${content
        .map(
          ([type, c]) =>
            `<p>${esc(type)}</p>${code(c.schema)}${c.example !== undefined ? `<p>example</p>${code(c.example)}` : ''}`,
        )
        .join('')}</details>`;
    })
    .join('')}</section>`;
}

/** The OpenAPI document as one self-contained HTML page, rendered once on the server. */
export function renderDocsPage(doc: Json): string {
  const info = doc.info as { title: string; version: string; description?: string };
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>))
    for (const [method, op] of Object.entries(item)) {
      const tag = ((op.tags as string[] | undefined) ?? ['other'])[0];
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation(method, path, op)]);
    }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(info.title)} API</title><style>${STYLE}</style></head><body><h1>${esc(info.title)} <small>${esc(info.version)}</small></h1>
${info.description ? `<p>${esc(info.description)}</p>` : ''}<p>The machine-readable document: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).
Authenticate with <code>Authorization: Bearer &lt;access token&gt;</code> except on routes marked public.</p>
${[...byTag].map(([tag, ops]) => `<h2>${esc(tag)}</h2>${ops.join('')}`).join('\n')}</body></html>`;
}
