import * as assert from 'node:assert/strict';

interface Output {
  bytes: number;
  inputs?: Record<string, unknown>;
  imports?: { path: string; kind: string; external?: boolean }[];
}
interface Rule {
  what: string;
  home: string;
  test(input: string): boolean;
  node?: boolean;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build's own CommonJS module (esbuild.mjs uses it)
const { checkBundles } = require('../../scripts/bundleCheck.cjs') as {
  checkBundles: (
    outputs: Record<string, Output>,
    opts: { budgets: Record<'activation' | 'provider' | 'webview' | 'sharedRegistry', number>; singleHome?: Rule[]; sharedRegistry?: string[]; lazy?: string[]; vscodeignore?: string },
  ) => { problems: string[]; lines: string[] };
};

const KB = 1024;
const budgets = { activation: 250 * KB, provider: 150 * KB, webview: 150 * KB, sharedRegistry: 200 * KB };
const zodRule: Rule = { what: 'zod', home: 'dist/zod.js', test: (i) => i.includes('node_modules/zod/'), node: true };
const req = (path: string) => ({ path, kind: 'require-call', external: true });

/** A build like the real one: the extension requires zod.js and shared.js, the descriptors require the providers. */
function build(over: Record<string, Output> = {}): Record<string, Output> {
  return {
    'dist/extension.js': { bytes: 120 * KB, inputs: { 'src/extension.ts': {} }, imports: [req('./zod.js'), req('./shared.js'), req('./providers/oci.js')] },
    'dist/zod.js': { bytes: 85 * KB, inputs: { 'node_modules/zod/v4/classic/schemas.js': {} }, imports: [] },
    'dist/shared.js': { bytes: 6 * KB, inputs: { 'src/registry/errors.ts': {} }, imports: [] },
    'dist/registry-core.js': { bytes: 187 * KB, inputs: {}, imports: [req('./zod.js')] },
    'dist/providers/oci.js': { bytes: 140 * KB, inputs: {}, imports: [req('../registry-core.js'), req('../zod.js')] },
    'dist/webview-ui-form.js': { bytes: 149 * KB, inputs: { 'node_modules/zod/v4/mini/schemas.js': {} } },
    ...over,
  };
}
const check = (outputs: Record<string, Output>) => checkBundles(outputs, { budgets, singleHome: [zodRule], sharedRegistry: ['dist/registry-core.js'] });

describe('the build checks bundle budgets and shared code (scripts/bundleCheck.cjs)', () => {
  it('passes a build within budget, counting what activation requires but not the provider bundles', () => {
    const r = check(build());
    assert.deepEqual(r.problems, []);
    assert.ok(r.lines.some((l) => /activation \(extension\.js \+ zod\.js \+ shared\.js\): 211\.0 KB/.test(l)), r.lines.join('\n'));
  });

  it('leaves a lazily required bundle (the panels) out of activation, under its own budget', () => {
    const outputs = build({
      'dist/extension.js': { bytes: 120 * KB, inputs: { 'src/extension.ts': {} }, imports: [req('./zod.js'), req('./shared.js'), req('./panels.js')] },
      'dist/panels.js': { bytes: 60 * KB, inputs: { 'src/webviews/panelHost.ts': {} }, imports: [req('./zod.js')] },
    });
    const lazy = checkBundles(outputs, { budgets, sharedRegistry: ['dist/registry-core.js'], lazy: ['dist/panels.js'] });
    assert.deepEqual(lazy.problems, []);
    assert.ok(lazy.lines.some((l) => /^ok +activation \(extension\.js \+ zod\.js \+ shared\.js\): 211\.0 KB/.test(l)), lazy.lines.join('\n'));
    assert.ok(lazy.lines.some((l) => /^ok +dist\/panels\.js: 60\.0 KB of 150\.0 KB/.test(l)));
    // Not declared lazy, it counts: 271 KB is over the activation budget.
    assert.match(checkBundles(outputs, { budgets, sharedRegistry: ['dist/registry-core.js'] }).problems.join(), /activation .* is 271\.0 KB/);
  });

  it('fails when activation (extension.js and the bundles it requires) is over its budget', () => {
    const r = check(build({ 'dist/shared.js': { bytes: 50 * KB, inputs: {}, imports: [] } }));
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!, /^activation .* is 255\.0 KB, over its budget of 250\.0 KB/);
  });

  it('fails when a provider, a webview or a shared registry bundle is over its budget', () => {
    const r = check(
      build({
        'dist/providers/oci.js': { bytes: 151 * KB, inputs: {}, imports: [] },
        'dist/webview-ui-form.js': { bytes: 150 * KB + 1, inputs: {} },
        'dist/registry-core.js': { bytes: 201 * KB, inputs: {} },
      }),
    );
    assert.deepEqual(
      r.problems.map((p) => p.split(' is ')[0]),
      ['dist/providers/oci.js', 'dist/registry-core.js', 'dist/webview-ui-form.js'],
    );
  });

  it('fails when zod is bundled into a second Node bundle (the extension keeping its own copy), not for a webview', () => {
    const r = check(build({ 'dist/extension.js': { bytes: 190 * KB, inputs: { 'src/extension.ts': {}, 'node_modules/zod/v4/core/core.js': {} }, imports: [req('./shared.js')] } }));
    assert.deepEqual(r.problems, ['zod is bundled into dist/extension.js: it belongs to dist/zod.js alone (require that bundle instead)']);
  });

  it('fails when a bundle would be left out of the package (.vscodeignore)', () => {
    const ignore = '**\n!dist/extension.js\n!dist/webview-ui-*.js\n!dist/zod.js\n!dist/shared.js\n!dist/providers/**\n';
    const r = checkBundles(build(), { budgets, vscodeignore: ignore });
    assert.deepEqual(r.problems, ['dist/registry-core.js would not be packaged: add !dist/registry-core.js to .vscodeignore']);
    assert.deepEqual(checkBundles(build(), { budgets, vscodeignore: `${ignore}!dist/registry-core.js\n` }).problems, []);
  });
});
