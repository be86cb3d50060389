import { parseMarkdown, type MdBlock, type MdInline } from './markdownSyntax';

/**
 * One line of plain text from a Markdown description, for places that show text as is (a tree row's description):
 * the first block with words (paragraph, heading, quote or list item), its markup and HTML tags taken out. Parsing
 * is the webviews' linear-time parser, on at most the first 16 KiB.
 */
export function markdownSummary(markdown: string, max = 200): string {
  for (const block of parseMarkdown(markdown.slice(0, 16 * 1024))) {
    for (const inline of inlinesOf(block)) {
      const text = inline
        .map((x) => x.text)
        .join('')
        .replace(/<\/?[A-Za-z][^<>\n]*>/g, '')
        .replace(/\s+/g, ' ')
        .trim();
      if (/[\p{L}\p{N}]/u.test(text)) return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
    }
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
