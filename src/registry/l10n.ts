/**
 * Translation of provider-declared user text (titles, help, confirmations, messages). English is the source: a
 * provider writes `t('Created {0}.', name)` and the host installs a translator (the extension: `vscode.l10n.t`) at
 * activation. Without one, the English source comes back with its `{0}`, `{1}` … placeholders filled, the same
 * semantics as `vscode.l10n.t(message, ...args)`. This module lives once per extension host (the shared bundle), so
 * the translator the host installs is the one every provider bundle uses.
 */

export type L10nArg = string | number | boolean;
export type Translator = (message: string, ...args: L10nArg[]) => string;

/** Fills `{0}`, `{1}` … with the arguments; a placeholder without an argument stays as written. */
export function format(message: string, args: readonly L10nArg[]): string {
  if (!args.length) return message;
  return message.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });
}

const english: Translator = (message, ...args) => format(message, args);
let current: Translator = english;

/** Translates one English source text; `{0}`, `{1}` … are filled with `args`. */
export function t(message: string, ...args: L10nArg[]): string {
  return current(message, ...args);
}

/** Installs the host's translator; undefined restores the English source. */
export function setTranslator(fn: Translator | undefined): void {
  current = fn ?? english;
}
