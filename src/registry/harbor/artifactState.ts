import type { ScanStatus } from '../scan';
import type { HarborClient } from './client';

/** What a listing told about an artifact, for the actions offered on its row (Stop Scan only while a scan runs). */
export interface ArtifactFacts {
  scan?: ScanStatus;
  isIndex: boolean;
  accessories: number;
  labels: number;
}

/** Most artifacts remembered per connection (the oldest are forgotten first). */
const MAX_REMEMBERED = 5_000;
const known = new WeakMap<HarborClient, Map<string, ArtifactFacts>>();

const keyOf = (repository: string, digest: string) => `${repository}@${digest}`;

/** Remembers what a listing or a read said of an artifact. */
export function noteArtifact(client: HarborClient, repository: string, digest: string, facts: ArtifactFacts): void {
  let m = known.get(client);
  if (!m) known.set(client, (m = new Map<string, ArtifactFacts>()));
  const k = keyOf(repository, digest);
  m.delete(k);
  m.set(k, facts);
  if (m.size > MAX_REMEMBERED) m.delete(m.keys().next().value!);
}

/** What was last seen of an artifact, if it was listed on this connection. */
export function artifactFacts(client: HarborClient, repository: string | undefined, digest: string | undefined): ArtifactFacts | undefined {
  return repository && digest ? known.get(client)?.get(keyOf(repository, digest)) : undefined;
}
