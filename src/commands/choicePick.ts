import * as vscode from 'vscode';
import type { FormDecl, Scope } from '../registry/admin';
import type { FormField } from '../registry/formSpec';
import { FormChoices, type ChoicesResult } from '../webviews/formChoices';

/** Wait after the last keystroke before asking the server. */
const QUERY_DELAY_MS = 250;

interface ChoiceItem extends vscode.QuickPickItem {
  value?: string;
}

/**
 * Asks a single field with choices from the server in a quick pick that loads them as the user types (the same
 * handler as the form panel's: stale queries cancelled, 200 at most, failures shown). Text that is not a choice is
 * accepted only where the field takes free text. Undefined when dismissed.
 */
export function pickChoice(form: FormDecl, f: FormField & { choices: NonNullable<FormField['choices']> }, title: string, scope: Scope): Promise<string | undefined> {
  const key = f.choices.key;
  const loader = new FormChoices(
    { choices: () => form.choices, scope, fieldTitle: () => f.title },
    {
      couldNotLoad: vscode.l10n.t('Could not load {0}: {1}', '{0}', '{1}'),
      choicesOf: vscode.l10n.t('the choices of “{0}”', '{0}'),
      noChoices: vscode.l10n.t('this field offers no choices'),
    },
  );
  const qp = vscode.window.createQuickPick<ChoiceItem>();
  qp.title = title;
  qp.placeholder = f.choices.minQuery ? vscode.l10n.t('Type at least {0} characters to search', f.choices.minQuery) : (f.description ?? f.title);
  qp.ignoreFocusOut = true;
  let loaded: ChoiceItem[] = [];
  let n = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const show = (): void => {
    const typed = qp.value.trim();
    const own = f.choices.freeText && typed && !loaded.some((i) => i.value === typed) ? [{ label: typed, description: vscode.l10n.t('Use this value'), value: typed, alwaysShow: true }] : [];
    qp.items = [...own, ...loaded];
  };
  const post = (r: ChoicesResult): void => {
    qp.busy = false;
    if (r.error) loaded = [{ label: `$(error) ${r.error}`, alwaysShow: true }];
    else {
      loaded = r.items.map((c) => ({ label: c.label, description: c.label === c.value ? c.description : c.value, detail: c.label === c.value ? undefined : c.description, value: c.value, alwaysShow: true }));
      if (!loaded.length && qp.value.trim().length >= (f.choices.minQuery ?? 0)) loaded.push({ label: vscode.l10n.t('No matches'), alwaysShow: true });
      if (r.more) loaded.push({ label: vscode.l10n.t('More matches: type to narrow the list'), alwaysShow: true });
    }
    show();
  };
  const query = (q: string): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      qp.busy = true;
      void loader.handle({ type: 'choices', requestId: `q${++n}`, field: key, query: q.slice(0, 200) }, post);
    }, QUERY_DELAY_MS);
  };

  return new Promise<string | undefined>((resolve) => {
    qp.onDidChangeValue((v) => {
      show();
      query(v);
    });
    qp.onDidAccept(() => {
      const pick = qp.selectedItems[0];
      // An error line or the "more" line is not a value.
      if (pick?.value === undefined) return;
      resolve(pick.value);
      qp.hide();
    });
    qp.onDidHide(() => {
      clearTimeout(timer);
      loader.dispose();
      qp.dispose();
      resolve(undefined);
    });
    qp.show();
    query('');
  });
}
