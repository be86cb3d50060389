import { parseMarkdown, type MdBlock, type MdInline } from './markdownSyntax';

/** Tags of the HTML that descriptions carry (centred logos, badges, line breaks); other `<…>` text stays. */
const HTML_TAG = /<\/?(?:a|b|br|center|code|details|div|em|h[1-6]|hr|i|img|p|picture|pre|small|source|span|strong|sub|summary|sup|table|tbody|td|th|thead|tr|u)(?:\s[^<>\n]*)?\/?>/gi;

/**
 * One line of plain text from a Markdown description, for places that show text as is (a tree row's description):
 * the first line with words outside code fences, its markup (headings, quotes, list markers, emphasis, links, code
 * spans, HTML tags) taken out by the webviews' linear-time parser. At most the first 16 KiB are read.
 */
export function markdownSummary(markdown: string, max = 200): string {
  let fence: string | undefined;
  for (const line of markdown.slice(0, 16 * 1024).split(/\r?\n/)) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (!fence || marker[0] === fence[0])) {
      fence = fence ? undefined : marker;
      continue;
    }
    if (fence) continue;
    const text = parseMarkdown(line.slice(0, 1000))
      .flatMap(inlinesOf)
      .map((inline) => inline.map((x) => x.text).join(''))
      .join(' ')
      .replace(HTML_TAG, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (/[\p{L}\p{N}]/u.test(text)) return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
  }
  return '';
}

function inlinesOf(block: MdBlock): MdInline[][] {
  switch (block.t) {
    case 'p':
    case 'blockquote':
    case 'h':
      return [block.inline];
    case 'ul':
    case 'ol':
      return block.items;
    default:
      return [];
  }
}
