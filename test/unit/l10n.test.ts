import * as assert from 'node:assert/strict';
import type { HubAdminDeps } from '../../src/registry/dockerhub/admin';
import { describeForm } from '../../src/registry/formSpec';
import { format, setTranslator, t } from '../../src/registry/l10n';

type HubAdminModule = typeof import('../../src/registry/dockerhub/admin');
type FormFieldsModule = typeof import('../../src/registry/formFields');

/** Loads a module again (its declarations evaluated now, with the translator installed now); l10n stays the same instance. */
function fresh<T>(specifier: string): T {
  delete require.cache[require.resolve(specifier)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(specifier) as T;
}

const hubDeps: HubAdminDeps = { api: {} as HubAdminDeps['api'], organizations: () => Promise.resolve([]), signedIn: () => Promise.resolve(false) };

describe('provider text translation (t, setTranslator)', () => {
  afterEach(() => setTranslator(undefined));

  it('returns the English source with {0}, {1} … filled, like vscode.l10n.t', () => {
    assert.equal(t('Tokens'), 'Tokens');
    assert.equal(t('Created {0}.', 'app'), 'Created app.');
    assert.equal(t('Promote {0}:{1} to {1}:{2}?', 'a', 'b', 3), 'Promote a:b to b:3?');
    assert.equal(t('{0} is {1}', true, 0), 'true is 0');
    assert.equal(t('Keep {2} and {x} as written', 'a'), 'Keep {2} and {x} as written');
    assert.equal(t('No {0} placeholders filled without arguments'), 'No {0} placeholders filled without arguments');
    assert.equal(format('{0}{0}', ['$&']), '$&$&');
  });

  it("a translator installed by the host changes a provider's declared titles, form texts and confirmations", async () => {
    setTranslator((m, ...args) => '«' + format(m, args) + '»');
    assert.equal(t('Created {0}.', 'app'), '«Created app.»');
    const { hubAdmin, patForm } = fresh<HubAdminModule>('../../src/registry/dockerhub/admin');
    const model = hubAdmin(hubDeps);
    const pat = model.types.find((r) => r.type === 'pat');
    if (pat?.shape !== 'list') return assert.fail('the Hub model declares personal access tokens as a list');
    assert.equal(pat.title, '«Personal access tokens»');
    assert.equal(pat.itemTitle, '«personal access token»');
    assert.equal(model.groups.find((g) => g.id === 'account')?.title, '«Account»');
    assert.equal(pat.create?.title, '«Create Personal Access Token»');
    assert.equal(pat.create?.form?.title, '«New personal access token»');
    const fields = describeForm(patForm).fields;
    assert.equal(fields.find((f) => f.name === 'label')?.title, '«Description»');
    assert.equal(fields.find((f) => f.name === 'label')?.description, '«What the token is for (shown in lists).»');
    const confirmation = await pat.remove?.confirm?.({ uuid: 'u1', label: 'ci' }, null as never);
    assert.equal(confirmation?.message, '«Revoke personal access token “ci”?»');
    const { repositoryNameField } = fresh<FormFieldsModule>('../../src/registry/formFields');
    assert.equal(repositoryNameField.meta()?.title, '«Name»');
  });

  it('renders every declared text exactly as the English source once the default is restored', () => {
    setTranslator((m) => m.toUpperCase());
    setTranslator(undefined);
    const { hubAdmin } = fresh<HubAdminModule>('../../src/registry/dockerhub/admin');
    const model = hubAdmin(hubDeps);
    const pat = model.types.find((r) => r.type === 'pat');
    assert.equal(pat?.shape === 'list' ? pat.title : undefined, 'Personal access tokens');
    assert.equal(model.groups.find((g) => g.id === 'account')?.title, 'Account');
    assert.equal(fresh<FormFieldsModule>('../../src/registry/formFields').repositoryNameField.meta()?.title, 'Name');
    assert.equal(t('Delete {0}', 'x'), 'Delete x');
  });
});
