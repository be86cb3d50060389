/** `team/app` → [`team`, `app`]; a bare name is an official image under `library`. */
export function splitRepository(repository: string): [string, string] {
  const i = repository.indexOf('/');
  if (i < 0) return ['library', repository];
  return [repository.slice(0, i), repository.slice(i + 1)];
}
