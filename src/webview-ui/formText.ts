/**
 * The form page's texts come translated from the extension (src/webviews/formStrings.ts): the bundle carries none of
 * its own. Looks one up by key, with `{0}` replaced by `arg`; a key the extension did not send shows as itself.
 */
export function formText(strings: Record<string, string> | undefined): (key: string, arg?: string | number) => string {
  return (key, arg) => (strings?.[key] ?? key).replace('{0}', () => String(arg ?? ''));
}
