import * as vscode from 'vscode';
import { toRegistryError } from '../registry/errors';
import type { TreeNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { loadedTargets, locate, nameOf, NotInTree, searchRegistry, targetKey, type Target } from './goToSearch';
import { UserCancelled } from './runCommand';

/**
 * Go to…: one quick pick over every configured registry. It lists the registries, namespaces, repositories and tags
 * the tree has loaded; as the user types (debounced, the previous search cancelled) it adds what each registry's
 * own lookups find; picking one loads the levels down to it and reveals it, selected, in the Registries view.
 */

type GoItem = vscode.QuickPickItem & { target?: Target };

/** Milliseconds of typing pause before the registries are asked. */
const DEBOUNCE_MS = 300;

const ICONS: Record<Target['type'], string> = { registry: 'server', namespace: 'organization', repository: 'repo', tag: 'tag' };

function typeLabel(t: Target): string {
  switch (t.type) {
    case 'registry':
      return vscode.l10n.t('registry');
    case 'namespace':
      return vscode.l10n.t('namespace');
    case 'repository':
      return vscode.l10n.t('repository');
    case 'tag':
      return vscode.l10n.t('tag');
  }
}

function itemOf(t: Target, remote: boolean): GoItem {
  const where = t.type === 'registry' ? typeLabel(t) : vscode.l10n.t('{0} in {1}', typeLabel(t), t.registryName);
  return { label: `$(${ICONS[t.type]}) ${nameOf(t)}`, description: remote ? vscode.l10n.t('{0} · found on the server', where) : where, target: t, alwaysShow: remote };
}

export async function goTo(ctx: CommandContext): Promise<TreeNode | undefined> {
  const target = await pickTarget(ctx);
  const node = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Finding {0}…', nameOf(target)) }, () =>
    locate(
      {
        getChildren: (n) => ctx.tree.getChildren(n),
        loadMore: (n) => ctx.tree.loadMore(n),
        filterOnServer: (n, text) => {
          if (n.type !== 'namespace' || !ctx.tree.providerFor(n)?.capabilities.serverRepositoryFilter || ctx.tree.getFilter(n) === text) return false;
          ctx.tree.setFilter(n, text);
          return true;
        },
      },
      target,
    ).catch((e: unknown) => {
      if (e instanceof NotInTree) throw new Error(vscode.l10n.t('{0} is not listed in {1}', nameOf(target), target.registryName));
      throw e;
    }),
  );
  await ctx.reveal?.(node);
  return node;
}

function pickTarget(ctx: CommandContext): Promise<Target> {
  const qp = vscode.window.createQuickPick<GoItem>();
  qp.title = vscode.l10n.t('Registry Explorer: Go to…');
  qp.placeholder = vscode.l10n.t('Registry, namespace, repository or repository:tag');
  qp.matchOnDescription = true;
  let local: GoItem[] = [];
  let known = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let search: AbortController | undefined;

  const runSearch = async (value: string) => {
    search?.abort();
    const ac = new AbortController();
    search = ac;
    if (value.trim().length < 2) {
      qp.items = local;
      qp.busy = false;
      return;
    }
    qp.busy = true;
    const found: GoItem[] = [];
    const problems: GoItem[] = [];
    await Promise.all(
      ctx.manager.registries.map(async (s) => {
        if (!s.provider) return;
        const r = await searchRegistry(s.entry.name, s.provider, value, ac.signal).catch((e: unknown) => ({ targets: [], error: toRegistryError(e) }));
        for (const t of r.targets) if (!known.has(targetKey(t))) found.push(itemOf(t, true));
        if (r.error && r.error.kind !== 'cancelled') problems.push({ label: `$(warning) ${vscode.l10n.t('{0}: search failed', s.entry.name)}`, description: r.error.message, alwaysShow: true });
      }),
    );
    if (ac.signal.aborted) return;
    const active = qp.activeItems[0];
    qp.items = [...local, ...found, ...problems];
    if (active?.target) {
      const again = qp.items.find((i) => i.target && targetKey(i.target) === targetKey(active.target!));
      if (again) qp.activeItems = [again];
    }
    qp.busy = false;
  };

  return new Promise<Target>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      search?.abort();
      f();
      qp.dispose();
    };
    qp.onDidChangeValue((v) => {
      clearTimeout(timer);
      search?.abort();
      timer = setTimeout(() => void runSearch(v), DEBOUNCE_MS);
    });
    qp.onDidAccept(() => {
      const t = qp.selectedItems[0]?.target;
      if (t) finish(() => resolve(t));
    });
    qp.onDidHide(() => finish(() => reject(new UserCancelled())));
    qp.busy = true;
    qp.show();
    void loadedTargets((n) => ctx.tree.getChildren(n), ctx.loaded ?? { has: () => false })
      .then(
        (all) => {
          known = new Set(all.map((x) => targetKey(x.target)));
          local = all.map((x) => itemOf(x.target, false));
        },
        (e: unknown) => {
          local = [{ label: `$(error) ${toRegistryError(e).message}`, alwaysShow: true }];
        },
      )
      .then(() => {
        if (settled) return;
        qp.items = local;
        qp.busy = false;
        if (qp.value.trim()) void runSearch(qp.value);
      });
  });
}
