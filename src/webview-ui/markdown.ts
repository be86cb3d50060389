import { h } from './dom';
import { parseMarkdown, type MdInline } from '../registry/markdownSyntax';

/**
 * A small Markdown renderer that builds DOM nodes directly (headings, paragraphs, lists, code blocks, inline code,
 * emphasis, links). There is no HTML pass-through at all: raw HTML in the source shows as text. Links call
 * `onLink` instead of navigating, so the extension can confirm before opening them. Parsing is linear in the input
 * and the input is capped (markdownSyntax.ts).
 */
export function renderMarkdown(src: string, onLink: (url: string) => void): HTMLElement {
  const root = h('div', { class: 'markdown' });
  for (const b of parseMarkdown(src)) {
    switch (b.t) {
      case 'p':
      case 'blockquote':
        root.appendChild(h(b.t, null, ...inline(b.inline, onLink)));
        break;
      case 'h':
        root.appendChild(h(`h${b.level}`, null, ...inline(b.inline, onLink)));
        break;
      case 'ul':
      case 'ol':
        root.appendChild(h(b.t, null, ...b.items.map((item) => h('li', null, ...inline(item, onLink)))));
        break;
      case 'pre':
        root.appendChild(h('pre', null, h('code', null, b.text)));
        break;
      case 'hr':
        root.appendChild(h('hr'));
        break;
    }
  }
  return root;
}

function inline(spans: MdInline[], onLink: (url: string) => void): Node[] {
  return spans.map((s) => {
    switch (s.t) {
      case 'text':
        return document.createTextNode(s.text);
      case 'code':
        return h('code', null, s.text);
      case 'strong':
        return h('strong', null, s.text);
      case 'em':
        return h('em', null, s.text);
      case 'link':
        return link(s.text, s.url, onLink);
    }
  });
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
