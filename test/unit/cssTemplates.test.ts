import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The build's compaction of the webview elements' `css` templates (scripts/esbuild/cssTemplates.mjs). */
describe('css template compaction', () => {
  let compactCss: (code: string) => string;
  before(async () => {
    const url = pathToFileURL(path.resolve('scripts/esbuild/cssTemplates.mjs')).href;
    ({ compactCss } = (await import(url)) as { compactCss: (code: string) => string });
  });

  it('drops indentation, blank lines and comments that CSS ignores', () => {
    const code = 'export default css `\n    /* Track */\n    :host {\n      display: block;\n\n      width: 1px;\n    }\n`;';
    assert.equal(compactCss(code), 'export default css`\n:host {\ndisplay: block;\nwidth: 1px;\n}\n`;');
  });

  it('keeps templates with interpolations or escapes, and comments where quotes could hold them', () => {
    const interpolated = 'css `\n  a { color: ${x}; }\n`';
    const escaped = 'css `\n  a::before { content: "\\2014"; }\n`';
    assert.equal(compactCss(interpolated), interpolated);
    assert.equal(compactCss(escaped), escaped);
    assert.equal(compactCss('css `\n  a::before { content: "/* x */"; }\n`'), 'css`\na::before { content: "/* x */"; }\n`');
  });
});
