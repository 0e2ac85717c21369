/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 42rem; padding: 0 1rem; color: #1a1a1a; }
  .dev { border: 2px solid #8a4b00; background: #fff4e0; padding: .5rem 1rem; border-radius: 4px; }
  label { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
  select, input[type=text] { font: inherit; padding: .25rem; min-width: 20rem; }
  button { font: inherit; margin-top: 1.5rem; padding: .5rem 1.25rem; }
  :focus-visible { outline: 3px solid #0050b3; outline-offset: 2px; }
  .note { color: #444; }
`;

/** A complete page: the development-only banner on top, then the body. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<main>
<p class="dev" role="note"><strong>Development only.</strong> PeerKit's test authorization server: synthetic users, no passwords, nothing kept.</p>
${body}
</main>
</body>
</html>
`;
}

/** One `<option>` per item. */
export function options(items: readonly { value: string; label: string }[], selected?: string): string {
  return items
    .map((item) => `<option value="${escapeHtml(item.value)}"${item.value === selected ? ' selected' : ''}>${escapeHtml(item.label)}</option>`)
    .join('');
}
