import * as vscode from 'vscode';
import type { CompareSide } from '../webviews/comparePanel';
import type { CommandContext } from './context';
import { isTagNode, pickTag, resolveRegistry, usableProvider } from './pickers';
import { required } from './runCommand';
import { parseImageReference as parseReference } from '../registry/names';

function isSide(v: unknown): v is CompareSide {
  const o = v as Partial<CompareSide> | undefined;
  return !!o && typeof o.registryName === 'string' && typeof o.repository === 'string' && typeof o.reference === 'string';
}

const ANOTHER = Symbol('another');

/** The other side: a tag of the same repository, or any tag or digest of any configured registry. */
async function pickOther(ctx: CommandContext, left: CompareSide): Promise<CompareSide> {
  const provider = usableProvider(ctx.manager.get(left.registryName) ?? (await resolveRegistry(ctx, left.registryName, 'Registry')));
  const tags = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing tags…') }, () =>
    provider.listTags(left.repository, undefined, { pageSize: 100 }).catch(() => ({ items: [] })),
  );
  const items: (vscode.QuickPickItem & { pick: string | typeof ANOTHER })[] = [
    { label: `$(repo) ${vscode.l10n.t('Another repository or registry…')}`, pick: ANOTHER, alwaysShow: true },
    ...tags.items.filter((t) => t.name !== left.reference).map((t) => ({ label: t.name, description: t.digest?.slice(0, 19), pick: t.name })),
  ];
  const chosen = required(await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Compare {0}:{1} with…', left.repository, left.reference), placeHolder: vscode.l10n.t('A tag of {0}, or another repository or registry', left.repository) }));
  if (chosen.pick !== ANOTHER) return { registryName: left.registryName, repository: left.repository, reference: chosen.pick };
  const state = await resolveRegistry(ctx, undefined, vscode.l10n.t('Registry of the image to compare with'));
  const typed = required(
    await vscode.window.showInputBox({
      title: vscode.l10n.t('Compare {0}:{1} with an image of {2}', left.repository, left.reference, state.entry.name),
      prompt: vscode.l10n.t('repository:tag or repository@sha256:…'),
      value: `${left.repository}:`,
      valueSelection: [left.repository.length + 1, left.repository.length + 1],
      ignoreFocusOut: true,
      validateInput: (v) => (parseReference(v) ? undefined : vscode.l10n.t('Give repository:tag or repository@digest')),
    }),
  );
  const ref = parseReference(typed)!;
  return { registryName: state.entry.name, ...ref };
}

/**
 * Compare With…: the tag of the node (or one picked) on the left, another tag of the same repository or any image of
 * any configured registry on the right; `other` may be given (tests, links) as `{ registryName, repository, reference }`.
 */
export async function compareWith(ctx: CommandContext, arg?: unknown, other?: unknown): Promise<void> {
  let left: CompareSide;
  if (isTagNode(arg)) left = { registryName: arg.registryName, repository: arg.repository, reference: arg.tag.name };
  else if (isSide(arg)) left = arg;
  else {
    const { state, repository, tag } = await pickTag(ctx);
    left = { registryName: state.entry.name, repository, reference: tag.name };
  }
  const right = isSide(other) ? other : await pickOther(ctx, left);
  ctx.webviews.showCompare({ left, right });
}
