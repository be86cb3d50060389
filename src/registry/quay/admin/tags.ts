import { defineAction, defineCore, defineResource } from '../../admin';
import type { ResourceRef, Scope } from '../../admin';
import { BadResponseError } from '../../errors';
import { isActive } from '../api';
import { tagForm, expirationForm, labelForm } from '../forms';
import { done, repositoryOf, tagOf, whole } from '../../adminKit';
import { str, when } from './shared';
import type { AdminCtx, HistoryItem } from './shared';
import * as s from '../schemas';
import { t } from '../../l10n';

/** Tag history, manifest labels and the actions on a tag. */
export function tagTypes(c: AdminCtx) {
  const { api, has } = c;

  // ---- Tag history ----
  const tagHistory = defineResource<HistoryItem>()({
    type: 'tagHistory',
    title: t('Tag history'),
    itemTitle: t('inactive tag'),
    icon: 'history',
    placement: { under: 'repository' },
    shape: 'list',
    key: (t) => `${t.name}@${t.manifest_digest}@${t.end_ts ?? ''}`,
    view: (t) => ({
      label: t.name,
      description: [t.manifest_digest.slice(0, 19), t.end_ts ? `ended ${when(t.end_ts)}` : undefined, t.reversion ? 'reverted' : undefined].filter(Boolean).join(' · '),
      tooltip: [`${t.name} → ${t.manifest_digest}`, t.start_ts ? `From ${when(t.start_ts)}` : '', t.end_ts ? `Until ${when(t.end_ts)}` : ''].filter(Boolean).join('\n'),
      icon: 'history',
    }),
    async list(scope, cursor, opts) {
      const repository = repositoryOf(scope);
      const page = await api.listTags(repository, cursor, { ...opts, onlyActive: false });
      const items = page.items.filter((t) => !isActive(t)).map((t) => ({ ...t, repository }));
      return { items, ...(page.next ? { next: page.next } : {}), ...(page.error ? { error: page.error } : {}) };
    },
    actions: [
      {
        id: 'restore',
        title: t('Restore Tag'),
        icon: 'discard',
        confirm: async (tok) => ({ message: t('Restore tag {0} of {1} to {2}?', tok.name, tok.repository, tok.manifest_digest), detail: t('If the tag exists now, it moves to this digest.'), button: t('Restore Tag') }),
        async run(ref, _input, signal) {
          const [name, digest] = ref.key.split('@');
          const repository = repositoryOf(ref.scope);
          await api.restoreTag(repository, name, digest, signal);
          return done(t('Restored {0}:{1} to {2}', repository, name, digest.slice(0, 19)), 'owner');
        },
      },
    ],
  });

  // ---- Manifest labels ----
  const digestOf = async (scope: Scope, signal?: AbortSignal): Promise<string> => {
    if (scope.digest) return scope.digest;
    if (!scope.tag) throw new BadResponseError('No tag in this place of the tree');
    return (await api.tag(repositoryOf(scope), scope.tag, signal)).manifest_digest;
  };
  const labels = defineResource<s.QuayLabel>()({
    type: 'manifestLabel',
    title: t('Labels'),
    itemTitle: t('label'),
    icon: 'tag',
    placement: { under: 'tag' },
    shape: 'list',
    available: (_scope, signal) => has('labels', signal),
    key: (l) => l.id,
    view: (l) => ({ label: t('{0}={1}', l.key, l.value), description: l.source_type ?? undefined, icon: 'symbol-key' }),
    async list(scope, _cursor, opts) {
      return whole(await api.labels(repositoryOf(scope), await digestOf(scope, opts?.signal), opts?.signal));
    },
    create: {
      title: t('Add Label'),
      form: { schema: labelForm },
      async run(scope, v, signal) {
        await api.addLabel(repositoryOf(scope), await digestOf(scope, signal), v.key, v.value, signal);
        return done(t('Added label {0}', v.key));
      },
    },
    remove: {
      title: t('Delete Label'),
      confirm: async (l, ref) => ({ message: t('Delete label {0}={1} from {2}:{3}?', l.key, l.value, ref.scope.repository ?? '', ref.scope.tag ?? ''), button: t('Delete Label') }),
      async run(ref, signal) {
        await api.deleteLabel(repositoryOf(ref.scope), await digestOf(ref.scope, signal), ref.key, signal);
        return done(t('Deleted the label'));
      },
    },
  });

  const tagAction = defineAction<ResourceRef, ResourceRef>();
  const tagActions = [
    tagAction({
      id: 'addTag',
      title: t('Add or Move Tag…'),
      icon: 'tag',
      input: { schema: tagForm, submitLabel: t('Save Tag') },
      confirm: async (ref, _ref, v) => ({
        message: `Point tag ${v.tag} of ${repositoryOf(ref.scope)} at ${v.digest ?? `the manifest of ${tagOf(ref)}`}?`,
        detail: t('If the tag exists, it moves; its old manifest stays in the tag history.'),
        button: t('Save Tag'),
      }),
      async run(ref, v, signal) {
        const repository = repositoryOf(ref.scope);
        const digest = str(v.digest) ?? ref.scope.digest ?? (await api.tag(repository, tagOf(ref), signal)).manifest_digest;
        if (!/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) throw new BadResponseError(`"${digest}" is not a digest`);
        await api.putTag(repository, v.tag, { manifest_digest: digest }, signal);
        return done(t('{0}:{1} → {2}', repository, v.tag, digest.slice(0, 19)), 'owner');
      },
    }),
    tagAction({
      id: 'setExpiration',
      title: t('Set Expiration…'),
      icon: 'watch',
      input: { schema: expirationForm, submitLabel: t('Set Expiration') },
      async run(ref, v, signal) {
        const repository = repositoryOf(ref.scope);
        const tag = tagOf(ref);
        const ms = Date.parse(v.expiresAt);
        if (!Number.isFinite(ms)) throw new BadResponseError(`"${v.expiresAt}" is not a date`);
        if (ms <= Date.now()) throw new BadResponseError('The expiration must be in the future');
        await api.putTag(repository, tag, { expiration: Math.floor(ms / 1000) }, signal);
        return done(t('{0}:{1} expires {2} UTC', repository, tag, new Date(ms).toISOString().replace('T', ' ').slice(0, 16)), 'list');
      },
    }),
    tagAction({
      id: 'clearExpiration',
      title: t('Clear Expiration'),
      icon: 'close',
      async run(ref, _input, signal) {
        const repository = repositoryOf(ref.scope);
        const tag = tagOf(ref);
        await api.putTag(repository, tag, { expiration: null }, signal);
        return done(t('{0}:{1} no longer expires', repository, tag), 'list');
      },
    }),
    tagAction({
      id: 'securityReport',
      title: t('Open Security Report'),
      icon: 'shield',
      async run(ref) {
        return { kind: 'panel', panel: 'scan', repository: repositoryOf(ref.scope), reference: tagOf(ref) };
      },
    }),
  ];
  const tagNode = defineCore({ type: 'tag', shape: 'core', actions: tagActions });

  return { tagHistory, labels, tagNode };
}
