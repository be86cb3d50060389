import { BadResponseError } from '../errors';
import { REPOSITORY_COMPONENT } from '../names';

/** `team/app` → [`team`, `app`]; a bare name is an official image under `library`. */
export function splitRepository(repository: string): [string, string] {
  const i = repository.indexOf('/');
  const [ns, name] = i < 0 ? ['library', repository] : [repository.slice(0, i), repository.slice(i + 1)];
  // Hub names are single Distribution components: `..` or a nested path would name another API resource.
  if (!REPOSITORY_COMPONENT.test(ns) || !REPOSITORY_COMPONENT.test(name)) throw new BadResponseError(`"${repository.slice(0, 80)}" is not a valid Docker Hub repository name`);
  return [ns, name];
}
