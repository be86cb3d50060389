/**
 * The default name and the file-type filter of the save dialog for a file an operation returns. The name comes from
 * registry data, so it loses folders, leading dots and the characters file systems refuse.
 */
export function saveTarget(fileName: string): { name: string; filters?: Record<string, string[]> } {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const name = fileName.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, '-').replace(/^[.\s]+/, '').trim() || 'export';
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1];
  return ext ? { name, filters: { [ext.toUpperCase()]: [ext] } } : { name };
}
