// Escapers for every output format a name can reach. Names that are identifiers are restricted
// by the schema, but column names, labels, category and scenario values, file paths and
// experiment matrix values are free text (a CSV header is whatever the file says), so every
// string embedded in Markdown, Mermaid, DOT, SVG/HTML or a GitHub workflow command goes through
// one of these. Each escaper keeps the *structure* of its format intact: a name never ends a
// line, a table row, a code span, a fence, a quoted label, an XML text node or an annotation.
// docs/security.md ("Names and escaping") describes the policy.

/**
 * Characters that must never reach an output raw: C0 and C1 controls (line breaks among them),
 * DEL, the Unicode line and paragraph separators (JavaScript and some Markdown tools treat them as
 * line ends), bidirectional overrides and isolates (they reorder what a reviewer sees), the BOM,
 * the noncharacters U+FFFE/U+FFFF and unpaired surrogates (not well-formed XML).
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it finds
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Shows invisible and line-breaking characters as escapes (`\n`, `\u2028`); other text unchanged. */
export function visible(s: string): string {
  return s.replace(INVISIBLE, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A string in double quotes for one-line messages: `"a\nb"`, quotes and backslashes escaped. */
export function quote(s: string): string {
  return `"${visible(s.replace(/\\/g, '\\\\').replace(/"/g, '\\"'))}"`;
}

// ---------------------------------------------------------------------------------------------
// Markdown (GitHub Flavored)
// ---------------------------------------------------------------------------------------------

/**
 * Text inside a Markdown paragraph, heading or table cell, shown as written. Backslash escapes
 * for the characters that make structure or markup: `\` and `` ` `` (code spans), `|` (table
 * cells), `<` and `>` (raw HTML, autolinks, comments that would hide the rest of a comment),
 * `[` and `]` (links and images), `*` and `~` (emphasis, strikethrough), `#` (headings), `_`
 * where it could start or end emphasis; `&` as `&amp;` (entities). Line breaks become visible
 * escapes, so the text stays on its line.
 */
export function mdText(s: string): string {
  return visible(s)
    .replace(/[\\`|<>[\]*~#]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_');
}

/**
 * An inline code span holding `s` verbatim, safe in a table cell: the backtick run around it is
 * longer than any run inside, `|` is escaped (GFM splits cells before it parses code spans),
 * and line breaks become visible escapes.
 */
export function mdCode(s: string): string {
  const body = visible(s).replace(/\|/g, '\\|');
  const fence = '`'.repeat(longestRun(body, '`') + 1);
  const pad =
    body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '')
      ? ' '
      : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A fenced code block whose fence (at least three backticks) is longer than any backtick run in `content`. */
export function mdFence(content: string, info = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
  const body = content.endsWith('\n') ? content : content + '\n';
  return `${fence}${info}\n${body}${fence}`;
}

function longestRun(s: string, c: string): number {
  let best = 0;
  let run = 0;
  for (const ch of s) {
    run = ch === c ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Mermaid, Graphviz DOT, XML (SVG) and HTML
// ---------------------------------------------------------------------------------------------

const MERMAID_CODES: Record<string, string> = {
  '#': '#35;',
  '&': '#amp;',
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
  '`': '#96;',
  '|': '#124;',
};

/**
 * Text inside a quoted Mermaid label (`id["..."]`): entity codes for the characters that end
 * the label (`"`, and `|` in an edge label), start an entity, open a Markdown string (backtick) or
 * make HTML; line breaks visible.
 */
export function mermaidText(s: string): string {
  return visible(s).replace(/[#&"<>`|]/g, (c) => MERMAID_CODES[c]);
}

/** Text inside a double-quoted DOT string: `\` and `"` escaped, `&` as `&amp;` (Graphviz reads entities), line breaks visible. */
export function dotText(s: string): string {
  return visible(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/&/g, '&amp;');
}

/** A double-quoted DOT id or label; `lines` are joined with DOT line breaks. */
export function dotString(...lines: string[]): string {
  return `"${lines.map(dotText).join('\\n')}"`;
}

/** Text or a double-quoted attribute value in XML (SVG) or HTML: markup characters as entities, invisible characters visible. */
export function xmlText(s: string): string {
  return visible(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// ---------------------------------------------------------------------------------------------
// GitHub workflow commands (`::error file=...,line=...::message`)
// ---------------------------------------------------------------------------------------------

/**
 * The message of a workflow command: `%`, CR and LF escaped (GitHub's own rule), so one command
 * stays one line; the Unicode line and paragraph separators, which GitHub does not decode, are
 * shown as `\u2028` and `\u2029` so that no tool splits the line there either.
 */
export function githubData(s: string): string {
  return s
    .replace(/%/g, '%25')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** A property value of a workflow command (`file=`, `title=`): also `:` and `,`, which end a property. */
export function githubProperty(s: string): string {
  return githubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
