/**
 * GitHub-flavoured markdown building blocks for the job summary: text that cannot break out of where
 * it is put (a table cell, a heading, a code span, a fenced block, a link). Pure.
 *
 * Everything that comes from a user's project or from AWS (group and dataset names, S3 keys, error
 * messages, causes) goes through one of these; only our own fixed words are written raw.
 */

/** Newlines, tabs and other control characters become one space (a table row is one line). */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes.
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

/**
 * Plain text, shown as written, safe inside a paragraph, a heading or a table cell (never at the start
 * of a line, where `#`, `-` or `1.` would start a block: callers put a fixed word first): the
 * punctuation that means something inline is backslash-escaped (emphasis, code, links, strike-through,
 * table pipes), `<`, `>` and `&` become entities (no HTML gets through), and newlines become spaces.
 */
export function escapeText(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * A code span holding `text` literally: the fence is one backtick longer than the longest run of
 * backticks inside, newlines become spaces, and `|` is escaped so that the span is also safe in a table
 * cell (GitHub removes the backslash inside a cell, as its table extension specifies).
 */
export function code(text: string): string {
  const body = oneLine(text).replace(/\|/g, '\\|');
  if (body === '') return '` `';
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // A span that starts or ends with a backtick, or with a space, needs padding (CommonMark strips one).
  const pad = /^[` ]|[` ]$/.test(body) ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A fenced code block holding `text` literally (the fence is longer than any backtick run in it). */
export function fencedBlock(text: string, language = 'text'): string {
  const longest = Math.max(0, ...(text.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const body = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  return `${fence}${language}\n${body}\n${fence}`;
}

/**
 * The URL if it is an http(s) URL, made safe inside `[...](...)`: spaces, parentheses, `<`, `>` and
 * `|` are percent-encoded. Anything else (a `javascript:` URL, an empty string) gives undefined.
 */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const trimmed = url.trim();
  if (!/^https?:\/\/[^\s]+$/i.test(trimmed)) return undefined;
  return trimmed.replace(/[()<>|"'\\`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * A link whose text is already markdown (escaped by the caller), or the text alone when the URL is
 * missing or not http(s).
 */
export function link(markdownText: string, url: string | undefined): string {
  const safe = safeUrl(url);
  return safe === undefined ? markdownText : `[${markdownText}](${safe})`;
}

/** A table; cells are markdown already escaped by the caller (with {@link escapeText} or {@link code}). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/**
 * A collapsible section. `summaryHtml` is inline HTML-safe text (escape it with {@link escapeHtml});
 * the body is markdown, which GitHub renders because of the blank lines around it.
 */
export function details(summaryHtml: string, bodyMarkdown: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summaryHtml}</summary>\n\n${bodyMarkdown}\n\n</details>`;
}

/** Text safe inside an HTML element such as `<summary>` (on one line). */
export function escapeHtml(text: string): string {
  return oneLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
