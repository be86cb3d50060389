/** DTR fake seeding: users, organizations, repositories, tags and API tokens as tests and the demo add them. */
import * as crypto from 'node:crypto';
import { NAME_RE, MANIFEST_LIST, MANIFEST, sha, type TagSeed, type RepositorySeed } from './types';
import type { DtrState } from './state';

export type DtrSeeding = ReturnType<typeof dtrSeeding>;

export function dtrSeeding(k: DtrState) {
  const { users, orgs, repos, uuid, now, st, event } = k;

  function addUser(name: string, password: string, o: { admin?: boolean; fullName?: string } = {}): void {
    users.set(name, { name, id: uuid(), password, admin: !!o.admin, fullName: o.fullName ?? name, tokens: new Map() });
  }
  function addOrg(name: string, o: { owners?: string[]; members?: string[] } = {}): void {
    orgs.set(name, { name, id: uuid(), owners: new Set(o.owners ?? []), members: new Set([...(o.owners ?? []), ...(o.members ?? [])]), teams: new Map(), access: new Map() });
  }
  function addRepository(namespace: string, name: string, seed: RepositorySeed = {}): void {
    if (!NAME_RE.test(name)) throw new Error(`invalid repository name ${name}`);
    const id = uuid();
    repos.set(`${namespace}/${name}`, {
      id,
      intId: ++st.seq,
      namespace,
      name,
      shortDescription: seed.shortDescription ?? '',
      longDescription: seed.longDescription ?? '',
      visibility: seed.visibility ?? 'private',
      scanOnPush: seed.scanOnPush ?? false,
      immutableTags: seed.immutableTags ?? false,
      enableManifestLists: false,
      tagLimit: seed.tagLimit ?? 0,
      pulls: seed.pulls ?? 0,
      pushes: 0,
      tags: [],
      teamAccess: new Map(),
      policies: { pruningPolicies: new Map(), promotionPolicies: new Map(), pollMirroringPolicies: new Map(), pushMirroringPolicies: new Map() },
      events: [],
    });
  }
  function addTag(repository: string, seed: TagSeed): void {
    const r = repos.get(repository);
    if (!r) throw new Error(`no repository ${repository}`);
    const platforms = (seed.platforms ?? ['linux/amd64']).map((pl, i) => {
      const [os, arch] = pl.split('/');
      return { os: os!, arch: arch!, digest: sha(`${repository}|${seed.name}|${pl}|${seed.digest ?? ''}`), size: seed.size ?? 1_000_000 + i * 1000, cves: seed.cves };
    });
    let digest = seed.digest;
    if (!digest && st.oci) digest = st.oci.addImage(repository, seed.name, { platforms: seed.platforms ?? ['linux/amd64'], format: 'docker', salt: seed.name });
    else if (digest && st.oci && st.oci.digestOf(repository, r.tags.find((t) => t.digest === digest)?.name ?? '') === digest) st.oci.tag(repository, seed.name, digest);
    digest ??= platforms.length > 1 ? sha(`${repository}|${seed.name}|list`) : platforms[0]!.digest;
    if (platforms.length === 1) platforms[0]!.digest = digest;
    const at = seed.updatedAt ?? '2026-11-01T10:00:00Z';
    r.tags = r.tags.filter((t) => t.name !== seed.name);
    r.tags.push({ name: seed.name, digest, mediaType: platforms.length > 1 ? MANIFEST_LIST : MANIFEST, author: seed.author ?? 'alice', createdAt: at, updatedAt: at, signed: !!seed.signed, platforms, ...(seed.component ? { component: seed.component } : {}) });
    r.pushes++;
    event(r, 'CREATE', seed.author ?? 'alice', seed.name);
  }
  function createToken(user: string, label: string): string {
    const u = users.get(user);
    if (!u) throw new Error(`no user ${user}`);
    const secret = crypto.randomBytes(18).toString('hex');
    const hashedToken = crypto.createHash('sha256').update(secret).digest('hex').slice(0, 32);
    u.tokens.set(hashedToken, { hashedToken, secret, tokenLabel: label, isActive: true, lastUsed: '', createdAt: now() });
    return secret;
  }

  return { addUser, addOrg, addRepository, addTag, createToken };
}
