import { defineAction, defineResource, type ResourceRef, type Scope } from '../../admin';
import { done, namespaceOf, refreshed, repositoryOf, whole } from '../../adminKit';
import { RegistryError } from '../../errors';
import { checkSegment } from '../client';
import type * as s from '../schemas';
import type { AdminContext } from './context';
import { webhookForm, webhookUpdateForm } from './forms';
import { t } from '../../l10n';

/** Repository and namespace webhooks, and the event log of a repository. */
export function webhooksTypes(c: AdminContext) {
  const { api, namespaceAdmin, repoAdmin } = c;

  function webhookType(under: 'repository' | 'namespace') {
    const keyOf = (scope: Scope) => (under === 'repository' ? repositoryOf(scope) : namespaceOf(scope));
    const where = (scope: Scope) => (under === 'repository' ? { namespace: '', repository: repositoryOf(scope) } : { namespace: namespaceOf(scope) });
    const toggle = (inactive: boolean) =>
      defineAction<s.DtrWebhook>()({
        id: inactive ? 'deactivate' : 'activate',
        title: inactive ? t('Deactivate') : t('Activate'),
        icon: inactive ? 'debug-pause' : 'play',
        when: (item) => item.inactive !== inactive,
        run: async (ref, _input, signal) => {
          const item = await findWebhook(ref, signal);
          await api.updateWebhook({ id: item.id, inactive, tlsCert: item.tlsCert, skipTLSVerification: item.skipTLSVerification }, signal);
          return refreshed(`Webhook ${item.endpoint} ${inactive ? 'deactivated' : 'activated'}`);
        },
      });
    const findWebhook = async (ref: ResourceRef, signal?: AbortSignal): Promise<s.DtrWebhook> => {
      const all = await api.webhooks(where(ref.scope), signal);
      const w = all.find((x) => x.id === ref.key);
      if (!w) throw new RegistryError('notFound', `Webhook ${ref.key} no longer exists`);
      return w;
    };
    return defineResource<s.DtrWebhook>()({
      type: under === 'repository' ? 'repositoryWebhook' : 'namespaceWebhook',
      title: t('Webhooks'),
      itemTitle: t('webhook'),
      icon: 'plug',
      placement: { under },
      shape: 'list',
      available: async (scope, signal) => (under === 'repository' ? repoAdmin(scope, signal) : !!scope.namespace && namespaceAdmin(scope.namespace, signal)),
      key: (item) => item.id,
      view: (item) => ({ label: item.type, description: item.inactive ? t('{0} (inactive)', item.endpoint) : item.endpoint, tooltip: item.lastSuccessfulAt ? `Last delivered ${item.lastSuccessfulAt}` : undefined, icon: 'plug' }),
      list: async (scope, _cursor, opts) => whole(await api.webhooks(where(scope), opts?.signal)),
      get: findWebhook,
      create: {
        title: t('New Webhook'),
        form: { schema: webhookForm, title: t('New webhook') },
        run: async (scope, v, signal) => {
          await api.createWebhook({ ...v, key: keyOf(scope) }, signal);
          return done(t('Created a {0} webhook for {1}', v.type, keyOf(scope)));
        },
      },
      update: {
        title: t('Edit Webhook'),
        form: { schema: webhookUpdateForm, title: t('Edit webhook') },
        values: async (ref, signal) => {
          const w = await findWebhook(ref, signal);
          return { inactive: w.inactive, tlsCert: w.tlsCert, skipTLSVerification: w.skipTLSVerification };
        },
        run: async (ref, v, signal) => {
          await api.updateWebhook({ id: checkSegment(ref.key, 'webhook id'), ...v }, signal);
          return refreshed('Webhook saved');
        },
      },
      remove: {
        title: t('Delete Webhook'),
        confirm: (item) => Promise.resolve({ message: t('Delete the {0} webhook to {1}?', item.type, item.endpoint), button: t('Delete Webhook') }),
        run: async (ref, signal) => {
          await api.deleteWebhook(ref.key, signal);
          return done(t('Webhook deleted'));
        },
      },
      actions: [
        {
          id: 'test',
          title: t('Send Test Event'),
          icon: 'debug-start',
          run: async (ref, _input, signal) => {
            const w = await findWebhook(ref, signal);
            await api.testWebhook({ type: w.type, endpoint: w.endpoint, tlsCert: w.tlsCert, skipTLSVerification: w.skipTLSVerification }, signal);
            return done(t('Sent a test {0} event to {1}', w.type, w.endpoint), 'none');
          },
        },
        toggle(true),
        toggle(false),
      ],
    });
  }

  const events = defineResource<s.DtrEvent>()({
    type: 'repositoryEvent',
    title: t('Events'),
    itemTitle: t('event'),
    icon: 'history',
    placement: { under: 'repository' },
    shape: 'list',
    key: (e) => e.id,
    view: (e) => ({
      label: `${e.type}${e.object?.name ? ` ${e.object.name}` : ''}`,
      description: t('{0} · {1}', e.actor, e.publishedAt),
      tooltip: e.target?.name ? `Target: ${e.target.name}` : undefined,
      icon: 'history',
    }),
    list: (scope, cursor, opts) => api.events(repositoryOf(scope), cursor, opts),
  });

  return [webhookType('repository'), webhookType('namespace'), events];
}
