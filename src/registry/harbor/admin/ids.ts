import { NotFoundError } from '../../errors';

/** The number a reference's key holds (Harbor's ids of robots, endpoints, policies, runs), or a clear error. */
export function numericKey(key: string, what: string): number {
  const id = Number(key);
  if (!/^\d+$/.test(key) || !Number.isSafeInteger(id)) throw new NotFoundError(`Invalid ${what} reference ${key.slice(0, 40)}`);
  return id;
}
