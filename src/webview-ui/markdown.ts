import { h } from './dom';

/**
 * A small Markdown renderer that builds DOM nodes directly (headings, paragraphs, lists, code blocks, inline code,
 * emphasis, links). There is no HTML pass-through at all: raw HTML in the source shows as text. Links call
 * `onLink` instead of navigating, so the extension can confirm before opening them.
 */
export function renderMarkdown(src: string, onLink: (url: string) => void): HTMLElement {
  const root = h('div', { class: 'markdown' });
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  let para: string[] = [];
  const flush = () => {
    if (para.length) root.appendChild(h('p', null, ...inline(para.join(' '), onLink)));
    para = [];
  };
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!)) body.push(lines[i++]!);
      i++;
      root.appendChild(h('pre', null, h('code', null, body.join('\n'))));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const level = Math.min(6, heading[1]!.length + 1);
      root.appendChild(h(`h${level}`, null, ...inline(heading[2]!, onLink)));
      i++;
      continue;
    }
    if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) {
      flush();
      const ordered = /^\s*\d/.test(line);
      const list = h(ordered ? 'ol' : 'ul');
      while (i < lines.length && /^\s*([-*+]|\d+[.)])\s+/.test(lines[i]!)) {
        list.appendChild(h('li', null, ...inline(lines[i]!.replace(/^\s*([-*+]|\d+[.)])\s+/, ''), onLink)));
        i++;
      }
      root.appendChild(list);
      continue;
    }
    if (/^\s*>/.test(line)) {
      flush();
      const quote: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i]!)) quote.push(lines[i++]!.replace(/^\s*>\s?/, ''));
      root.appendChild(h('blockquote', null, ...inline(quote.join(' '), onLink)));
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      root.appendChild(h('hr'));
      i++;
      continue;
    }
    if (line.trim() === '') {
      flush();
      i++;
      continue;
    }
    para.push(line.trim());
    i++;
  }
  flush();
  return root;
}

// Underscore emphasis only at word boundaries, as in CommonMark: `snake_case` and `__dunder__x` stay text.
const INLINE = /(`+)([^`]+?)\1|\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)|\*\*([^*]+)\*\*|(?<!\w)__([^_]+)__(?!\w)|\*([^*\s][^*]*)\*|(?<!\w)_([^_]+)_(?!\w)|(https?:\/\/[^\s<>()]+)/g;

function inline(text: string, onLink: (url: string) => void): Node[] {
  const out: Node[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index! > last) out.push(document.createTextNode(text.slice(last, m.index)));
    if (m[2] !== undefined) out.push(h('code', null, m[2]));
    else if (m[3] !== undefined) out.push(link(m[3], m[4]!, onLink));
    else if (m[5] !== undefined || m[6] !== undefined) out.push(h('strong', null, m[5] ?? m[6]!));
    else if (m[7] !== undefined || m[8] !== undefined) out.push(h('em', null, m[7] ?? m[8]!));
    else if (m[9] !== undefined) out.push(link(m[9], m[9], onLink));
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push(document.createTextNode(text.slice(last)));
  return out;
}

/** A link that asks the extension to open it (after confirmation) instead of navigating. */
export function link(label: string, url: string, onLink: (url: string) => void): Node {
  if (!/^https?:\/\//i.test(url)) return document.createTextNode(label);
  const a = h('a', { href: '#', title: url, class: 'external-link' }, label);
  a.addEventListener('click', (e) => {
    e.preventDefault();
    onLink(url);
  });
  return a;
}
