import * as assert from 'node:assert/strict';
import { markdownSummary } from '../../src/registry/plainText';

describe('markdownSummary (Markdown descriptions shown as one line of text)', () => {
  const cases: [string, string, string][] = [
    ['emphasis', 'The **app** image\n\nBuilt from main.', 'The app image'],
    ['heading first', '# Alpine\nA minimal image', 'Alpine'],
    ['badges and blank lines first', '\n\n---\n\n[docs](https://example.com/docs) for `alpine:3`', 'docs for alpine:3'],
    ['code fence skipped', '```\n$ docker run x\n```\nRuns *x*', 'Runs x'],
    ['list item', '- first item\n- second', 'first item'],
    ['quote', '> quoted _words_', 'quoted words'],
    ['HTML tags', '<p align="center"><b>Bold</b> text</p>', 'Bold text'],
    ['snake_case and 2*3 stay', 'use my_var_name and 2*3', 'use my_var_name and 2*3'],
    ['first line of a paragraph', 'Line one\nline two', 'Line one'],
    ['tilde fence skipped', '~~~\n```\n~~~\nafter', 'after'],
    ['other angle-bracket text stays', 'Image for <your app>', 'Image for <your app>'],
    ['no words', '---\n\n***', ''],
  ];
  for (const [name, input, want] of cases) {
    it(name, () => assert.equal(markdownSummary(input), want));
  }

  it('clips long text with an ellipsis', () => {
    const out = markdownSummary('word '.repeat(100), 40);
    assert.equal(out.length, 40);
    assert.ok(out.endsWith('…'));
  });

  it('costs little on hostile input (100 KB of unclosed brackets, stars, tags)', () => {
    for (const input of ['['.repeat(100_000), '**a'.repeat(33_000), '<a'.repeat(50_000), '# ' + ' '.repeat(100_000) + 'x']) {
      const t0 = performance.now();
      markdownSummary(input);
      assert.ok(performance.now() - t0 < 200, `${input.slice(0, 10)}… took ${performance.now() - t0} ms`);
    }
  });
});
