import * as assert from 'node:assert/strict';
import { MAX_MARKDOWN_CHARS, parseMarkdown, parseInline } from '../../src/registry/markdownSyntax';

const KB100 = 100 * 1024;

/** Inputs built to make backtracking regular expressions take quadratic or worse time. */
const adversarial: Record<string, string> = {
  'heading with trailing spaces': '# a' + ' '.repeat(KB100) + 'x',
  'heading of hashes': '# ' + '#'.repeat(KB100) + ' x',
  'heading with spaces and hashes': '# a' + ' #'.repeat(KB100 / 2) + 'x',
  'backtick run': '`'.repeat(KB100),
  'backtick runs of growing length': Array.from({ length: 440 }, (_, i) => '`'.repeat(i + 1)).join(' '),
  'unclosed brackets': '['.repeat(KB100),
  'unclosed links': '[a]('.repeat(KB100 / 4),
  'links with unclosed titles': '[a](b "'.repeat(KB100 / 7),
  'stars': '*'.repeat(KB100),
  'unclosed strong': '**a'.repeat(KB100 / 3),
  'underscores in words': 'a_'.repeat(KB100 / 2),
  'unclosed dunder': '__a '.repeat(KB100 / 4),
  'rule-like line': '- '.repeat(KB100 / 2) + 'x',
  'list marker and spaces': '1.' + ' '.repeat(KB100) + 'x',
  'quote of spaces': '>' + ' '.repeat(KB100),
  'bare URLs': 'http://'.repeat(KB100 / 7),
  'many lines': 'a\n'.repeat(KB100 / 2),
  'fence never closed': '```\n' + 'x\n'.repeat(KB100 / 2),
};

describe('Markdown parsing (webviews)', () => {
  for (const [name, input] of Object.entries(adversarial)) {
    it(`renders 100 KB of "${name}" in under 50 ms`, () => {
      parseMarkdown(input.slice(0, 1000)); // warm up
      // The best of five runs: a busy machine can delay one run, but a super-linear rule is slow every time
      // (seconds, not milliseconds, at this size).
      let ms = Infinity;
      for (let i = 0; i < 5 && ms >= 50; i++) {
        const t0 = performance.now();
        parseMarkdown(input);
        ms = Math.min(ms, performance.now() - t0);
      }
      assert.ok(ms < 50, `${name}: ${ms.toFixed(1)} ms`);
    });
  }

  it('caps the input and says so', () => {
    const blocks = parseMarkdown('a'.repeat(MAX_MARKDOWN_CHARS + 10));
    assert.equal(blocks.length, 2);
    const first = blocks[0] as { inline: Array<{ text: string }> };
    assert.equal(first.inline[0]!.text.length, MAX_MARKDOWN_CHARS);
    assert.match(JSON.stringify(blocks[1]), /Shortened/);
  });

  it('still reads headings, lists, quotes, rules and code', () => {
    const blocks = parseMarkdown('# Title ##\n\npara one\nline two\n\n- a\n- b\n\n1. x\n\n> quote\n\n---\n\n```\ncode\n```\n#nope');
    assert.deepEqual(
      blocks.map((b) => b.t),
      ['h', 'p', 'ul', 'ol', 'blockquote', 'hr', 'pre', 'p'],
    );
    assert.deepEqual(blocks[0], { t: 'h', level: 2, inline: [{ t: 'text', text: 'Title' }] });
    assert.deepEqual(blocks[1], { t: 'p', inline: [{ t: 'text', text: 'para one line two' }] });
    assert.deepEqual(blocks[6], { t: 'pre', text: 'code' });
  });

  it('reads inline code, links, emphasis and bare URLs', () => {
    assert.deepEqual(parseInline('a `x` b'), [{ t: 'text', text: 'a ' }, { t: 'code', text: 'x' }, { t: 'text', text: ' b' }]);
    assert.deepEqual(parseInline('``a`b``'), [{ t: 'code', text: 'a`b' }]);
    assert.deepEqual(parseInline('[doc](https://e.x/d "T")!'), [{ t: 'link', text: 'doc', url: 'https://e.x/d' }, { t: 'text', text: '!' }]);
    assert.deepEqual(parseInline('**b** *i* __s__ _e_'), [
      { t: 'strong', text: 'b' },
      { t: 'text', text: ' ' },
      { t: 'em', text: 'i' },
      { t: 'text', text: ' ' },
      { t: 'strong', text: 's' },
      { t: 'text', text: ' ' },
      { t: 'em', text: 'e' },
    ]);
    assert.deepEqual(parseInline('snake_case_name and __dunder__x'), [{ t: 'text', text: 'snake_case_name and __dunder__x' }]);
    assert.deepEqual(parseInline('see https://a.b/c) now'), [{ t: 'text', text: 'see ' }, { t: 'link', text: 'https://a.b/c', url: 'https://a.b/c' }, { t: 'text', text: ') now' }]);
    assert.deepEqual(parseInline('[x](javascript:alert(1))'), [{ t: 'link', text: 'x', url: 'javascript:alert(1' }, { t: 'text', text: ')' }]);
  });
});
