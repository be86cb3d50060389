import * as vscode from 'vscode';

/** The form webview's own texts, translated here: the webview bundle carries no strings of its own. */
export function formStrings(): Record<string, string> {
  return {
    save: vscode.l10n.t('Save'),
    reset: vscode.l10n.t('Reset'),
    cancel: vscode.l10n.t('Cancel'),
    add: vscode.l10n.t('Add'),
    remove: vscode.l10n.t('Remove'),
    onePerLine: vscode.l10n.t('One per line'),
    needsAttention: vscode.l10n.t('Some fields need attention.'),
    saving: vscode.l10n.t('Saving…'),
    saved: vscode.l10n.t('Saved.'),
    saveFailed: vscode.l10n.t('Saving failed.'),
    notSaved: vscode.l10n.t('Not saved'),
    unsaved: vscode.l10n.t('Unsaved changes'),
    restored: vscode.l10n.t('Unsaved changes restored.'),
    discardQuestion: vscode.l10n.t('Discard your changes and show the saved values?'),
    discard: vscode.l10n.t('Discard changes'),
    closeQuestion: vscode.l10n.t('Close without saving your changes?'),
    close: vscode.l10n.t('Close without saving'),
    keepEditing: vscode.l10n.t('Keep editing'),
    required: vscode.l10n.t('Required'),
    none: vscode.l10n.t('None'),
    loadingChoices: vscode.l10n.t('Loading…'),
    noChoices: vscode.l10n.t('No matches'),
    moreChoices: vscode.l10n.t('The first {0} matches: type to narrow the list', '{0}'),
    typeMore: vscode.l10n.t('Type at least {0} characters to search', '{0}'),
    chooseFromList: vscode.l10n.t('Choose one of the listed values'),
    removeChoice: vscode.l10n.t('Remove {0}', '{0}'),
  };
}
