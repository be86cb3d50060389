import * as assert from 'node:assert/strict';
import * as z from 'zod';
import type { AdminModel, FormDecl } from '../../src/registry/admin';
import { silentLogger } from '../../src/registry/context';
import { describeForm, secretValues, withoutSecrets, type FormField } from '../../src/registry/formSpec';
import { createProvider } from '../../src/registry/kinds';

/** Every form an admin model declares, by a readable name. */
function formsOf(model: AdminModel): [string, Pick<FormDecl, 'schema'>][] {
  const out: [string, Pick<FormDecl, 'schema'>][] = [];
  for (const t of model.types) {
    if (t.shape !== 'singleton' && t.create) out.push([`${t.type} create`, t.create.form]);
    if (t.update) out.push([`${t.type} update`, t.update.form]);
    for (const a of t.actions ?? []) if (a.input) out.push([`${t.type} ${a.id}`, a.input]);
  }
  return out;
}

function walk(fields: FormField[], prefix: string, visit: (f: FormField, path: string) => void): void {
  for (const f of fields) {
    const path = f.name ? (prefix ? `${prefix}.${f.name}` : f.name) : prefix;
    visit(f, path);
    walk(f.fields ?? [], path, visit);
    for (const v of f.variants ?? []) walk(v.fields, `${path}[${v.value}]`, visit);
  }
}

/** A field whose value is a credential by its name (a token's label or title is not). */
const credentialName = /password|passwd|secret|(^|[a-z])(auth|api|access|notification|flowApi|robot)?Token$|^token$/i;

describe('secret form fields', () => {
  for (const kind of ['dtr', 'quay', 'dockerhub'] as const) {
    it(`every ${kind} form field that holds a password, token or secret is declared secret`, () => {
      const provider = createProvider({ connection: { id: 't', kind, url: 'https://registry.invalid' }, credentials: async () => undefined, logger: silentLogger });
      try {
        const forms = formsOf(provider.admin!);
        assert.ok(forms.length > 0);
        const undeclared: string[] = [];
        let secrets = 0;
        for (const [name, form] of forms) {
          walk(describeForm(form.schema).fields, '', (f, path) => {
            if (f.secret) secrets++;
            else if ((f.kind === 'string' || f.kind === 'stringList') && credentialName.test(f.name)) undeclared.push(`${name}: ${path}`);
          });
        }
        assert.deepEqual(undeclared, []);
        // A Slack incoming-webhook URL is itself the credential that posts to the channel.
        const slack: FormField[] = [];
        for (const [, form] of forms) walk(describeForm(form.schema).fields, '', (f) => f.title === 'Slack webhook URL' && slack.push(f));
        if (kind === 'quay') assert.ok(slack.length > 0 && slack.every((f) => f.secret));
        if (kind !== 'dockerhub') assert.ok(secrets > 0, 'the forms with passwords declare them');
      } finally {
        provider.dispose();
      }
    });
  }

  const form = describeForm(
    z.object({
      name: z.string(),
      password: z.string().optional().meta({ secret: true }),
      delivery: z.discriminatedUnion('method', [z.object({ method: z.literal('email'), email: z.string() }), z.object({ method: z.literal('hipchat'), notificationToken: z.string().meta({ secret: true }) })]),
      remotes: z.array(z.object({ host: z.string(), auth: z.discriminatedUnion('auth', [z.object({ auth: z.literal('token'), authToken: z.string().meta({ secret: true }) })]) })),
    }),
  );
  const values = { name: 'n', password: 'pw-1234', delivery: { method: 'hipchat', notificationToken: 'nt-5678' }, remotes: [{ host: 'h', auth: { auth: 'token', authToken: 'at-9012' } }] };

  it('leaves secret fields out of what may be kept (drafts, state), at any level, without touching the input', () => {
    const kept = withoutSecrets(form, values);
    assert.deepEqual(kept, { name: 'n', delivery: { method: 'hipchat' }, remotes: [{ host: 'h', auth: { auth: 'token' } }] });
    assert.equal(values.password, 'pw-1234');
    assert.deepEqual(secretValues(form, values).sort(), ['at-9012', 'nt-5678', 'pw-1234']);
  });
});
