/**
 * Markdown parsing for the webviews and for plain-text summaries, separate from DOM building so it runs (and is
 * timed) in plain Node. Every rule runs in linear time: block rules look at one line with anchored, non-nested
 * patterns, and inline spans are found by a left-to-right scan whose delimiter searches are cached, so no input (a
 * 100 KB run of `#`, spaces, backticks or brackets) can make it backtrack. Registry text (repository overviews, image descriptions) is untrusted input.
 */

/** Longer input is cut here (registries cap a repository's full description well below this). */
export const MAX_MARKDOWN_CHARS = 100_000;

export type MdInline =
  | { t: 'text'; text: string }
  | { t: 'code'; text: string }
  | { t: 'strong'; text: string }
  | { t: 'em'; text: string }
  | { t: 'link'; text: string; url: string };

export type MdBlock =
  | { t: 'p' | 'blockquote'; inline: MdInline[] }
  | { t: 'h'; level: number; inline: MdInline[] }
  | { t: 'ul' | 'ol'; items: MdInline[][] }
  | { t: 'pre'; text: string }
  | { t: 'hr' };

const LIST_ITEM = /^\s*(?:[-*+]|\d{1,9}[.)])\s+/;

/** The blocks of a Markdown document (headings, paragraphs, lists, quotes, fenced code, rules). */
export function parseMarkdown(input: string): MdBlock[] {
  const truncated = input.length > MAX_MARKDOWN_CHARS;
  const src = truncated ? input.slice(0, MAX_MARKDOWN_CHARS) : input;
  const out: MdBlock[] = [];
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push({ t: 'p', inline: parseInline(para.join(' ')) });
    para = [];
  };
  while (i < lines.length) {
    const line = lines[i]!;
    const start = line.trimStart();
    const fence = start.startsWith('```') ? '```' : start.startsWith('~~~') ? '~~~' : undefined;
    if (fence) {
      flush();
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(fence)) body.push(lines[i++]!);
      i++;
      out.push({ t: 'pre', text: body.join('\n') });
      continue;
    }
    const heading = headingOf(line);
    if (heading) {
      flush();
      out.push({ t: 'h', level: heading.level, inline: parseInline(heading.text) });
      i++;
      continue;
    }
    if (LIST_ITEM.test(line)) {
      flush();
      const ordered = /^\s*\d/.test(line);
      const items: MdInline[][] = [];
      while (i < lines.length && LIST_ITEM.test(lines[i]!)) items.push(parseInline(lines[i++]!.replace(LIST_ITEM, '')));
      out.push({ t: ordered ? 'ol' : 'ul', items });
      continue;
    }
    if (start.startsWith('>')) {
      flush();
      const quote: string[] = [];
      while (i < lines.length && lines[i]!.trimStart().startsWith('>')) quote.push(lines[i++]!.trimStart().slice(1).replace(/^ /, ''));
      out.push({ t: 'blockquote', inline: parseInline(quote.join(' ')) });
      continue;
    }
    if (isRule(start)) {
      flush();
      out.push({ t: 'hr' });
      i++;
      continue;
    }
    if (start === '') {
      flush();
      i++;
      continue;
    }
    para.push(line.trim());
    i++;
  }
  flush();
  if (truncated) out.push({ t: 'p', inline: [{ t: 'em', text: `(Shortened: only the first ${MAX_MARKDOWN_CHARS.toLocaleString('en')} characters are shown.)` }] });
  return out;
}

/** `# Title ##` → level (one below the `#` count, as the panel has its own h1) and text; no regex backtracking. */
function headingOf(line: string): { level: number; text: string } | undefined {
  let n = 0;
  while (n < line.length && n < 7 && line[n] === '#') n++;
  if (n === 0 || n > 6 || n >= line.length || (line[n] !== ' ' && line[n] !== '\t')) return undefined;
  let text = line.slice(n).trim();
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  if (end < text.length) text = text.slice(0, end).trimEnd();
  return { level: Math.min(6, n + 1), text };
}

/** `---`, `* * *`, `___` (three or more of one character, spaces between). */
function isRule(s: string): boolean {
  const c = s[0];
  if (c !== '-' && c !== '*' && c !== '_') return false;
  let count = 0;
  for (const ch of s) {
    if (ch === c) count++;
    else if (ch !== ' ' && ch !== '\t') return false;
  }
  return count >= 3;
}

const WORD = /\w/;
const STOP_URL = /[\s<>()]/;

/**
 * Inline spans: `code`, [label](url "title"), **strong**, __strong__, *em*, _em_, bare http(s) URLs. Each delimiter
 * search starts where the last one for the same delimiter left off, so a document full of unclosed openers still costs
 * one pass per delimiter kind.
 */
export function parseInline(text: string): MdInline[] {
  const out: MdInline[] = [];
  const cache = new Map<string, { from: number; at: number }>();
  const find = (s: string, from: number): number => {
    const c = cache.get(s);
    if (c && c.from <= from && (c.at === -1 || c.at >= from)) return c.at;
    const at = text.indexOf(s, from);
    cache.set(s, { from, at });
    return at;
  };
  let space: { from: number; at: number } | undefined;
  const findSpace = (from: number): number => {
    if (space && space.from <= from && (space.at === -1 || space.at >= from)) return space.at;
    let at = -1;
    for (let k = from; k < text.length; k++) {
      if (/\s/.test(text[k]!)) {
        at = k;
        break;
      }
    }
    space = { from, at };
    return at;
  };
  let runs: Map<number, { at: number[]; next: number }> | undefined;
  const closingRun = (from: number, len: number): number => {
    if (!runs) {
      runs = new Map();
      for (let k = 0; k < text.length; ) {
        if (text[k] !== '`') {
          k++;
          continue;
        }
        const s = k;
        while (k < text.length && text[k] === '`') k++;
        const r = runs.get(k - s) ?? { at: [], next: 0 };
        r.at.push(s);
        runs.set(k - s, r);
      }
    }
    const r = runs.get(len);
    if (!r) return -1;
    while (r.next < r.at.length && r.at[r.next]! <= from) r.next++;
    return r.next < r.at.length ? r.at[r.next]! : -1;
  };
  let last = 0;
  const emit = (start: number, end: number, node: MdInline) => {
    if (start > last) out.push({ t: 'text', text: text.slice(last, start) });
    out.push(node);
    last = end;
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '`') {
      let k = i;
      while (k < n && text[k] === '`') k++;
      // The closing run has exactly the same length; runs are indexed once by length, so finding it is O(1).
      const close = closingRun(i, k - i);
      if (close > k) {
        emit(i, close + k - i, { t: 'code', text: text.slice(k, close) });
        i = close + k - i;
      } else i = k;
      continue;
    }
    if (ch === '[') {
      const end = link(i);
      if (end) {
        i = end;
        continue;
      }
    } else if (ch === '*' || ch === '_') {
      const end = emphasis(i, ch);
      if (end) {
        i = end;
        continue;
      }
    } else if (ch === 'h' && (text.startsWith('http://', i) || text.startsWith('https://', i))) {
      let k = i + (text[i + 4] === 's' ? 8 : 7);
      const from = k;
      while (k < n && !STOP_URL.test(text[k]!)) k++;
      if (k > from) {
        const url = text.slice(i, k);
        emit(i, k, { t: 'link', text: url, url });
      }
      i = k;
      continue;
    }
    i++;
  }
  if (last < n) out.push({ t: 'text', text: text.slice(last) });
  return out;

  function link(at: number): number | undefined {
    const close = find(']', at + 1);
    if (close <= at + 1 || text[close + 1] !== '(') return undefined;
    const urlStart = close + 2;
    const paren = find(')', urlStart);
    if (paren <= urlStart) return undefined;
    const ws = findSpace(urlStart);
    if (ws === urlStart) return undefined;
    let urlEnd = paren;
    if (ws !== -1 && ws < paren) {
      // Only a quoted title may follow the URL.
      urlEnd = ws;
      let k = ws;
      while (k < paren && /\s/.test(text[k]!)) k++;
      if (text[k] !== '"') return undefined;
      const q = find('"', k + 1);
      if (q === -1 || q > paren) return undefined;
      let e = q + 1;
      while (e < paren && /\s/.test(text[e]!)) e++;
      if (e !== paren) return undefined;
    }
    emit(at, paren + 1, { t: 'link', text: text.slice(at + 1, close), url: text.slice(urlStart, urlEnd) });
    return paren + 1;
  }

  function emphasis(at: number, d: '*' | '_'): number | undefined {
    const prevWord = at > 0 && WORD.test(text[at - 1]!);
    if (d === '_' && prevWord) return undefined;
    const double = text[at + 1] === d;
    if (double) {
      const close = find(d + d, at + 2);
      const nextSingle = find(d, at + 2);
      if (close > at + 2 && nextSingle === close && !(d === '_' && WORD.test(text[close + 2] ?? ''))) {
        emit(at, close + 2, { t: 'strong', text: text.slice(at + 2, close) });
        return close + 2;
      }
      if (d === '_') return undefined;
    }
    const close = find(d, at + 1);
    if (close <= at + 1) return undefined;
    const first = text[at + 1]!;
    if (d === '*' && /\s/.test(first)) return undefined;
    if (d === '_' && WORD.test(text[close + 1] ?? '')) return undefined;
    emit(at, close + 1, { t: 'em', text: text.slice(at + 1, close) });
    return close + 1;
  }
}
