import fs from 'node:fs';

/**
 * The webview elements (@vscode-elements) declare their styles as Lit `css` templates, indented and commented for
 * reading: about a tenth of a webview bundle. A minifier leaves template text alone, so this drops what CSS ignores:
 * the whitespace around line breaks, and comments (only in templates without quotes, where a comment cannot sit in a
 * string). Templates with interpolations or escapes are kept as they are.
 */
export function compactCss(code) {
  return code.replace(/\bcss\s*`([^`]*)`/g, (whole, body) => {
    if (body.includes('${') || body.includes('\\')) return whole;
    let css = /["']/.test(body) ? body : body.replace(/\/\*[\s\S]*?\*\//g, '');
    css = css.replace(/\s*\n\s*/g, '\n');
    return `css\`${css}\``;
  });
}

export const compactCssTemplates = {
  name: 'compact-css-templates',
  setup(build) {
    build.onLoad({ filter: /[\\/]@vscode-elements[\\/]elements[\\/]dist[\\/].*\.js$/ }, async (args) => {
      const code = await fs.promises.readFile(args.path, 'utf8');
      return { contents: /\bcss\s*`/.test(code) ? compactCss(code) : code, loader: 'js' };
    });
  },
};
