/** The Quay fake's demo data set (two organizations, a user namespace, robots, teams, policies, history…). */
import * as crypto from 'node:crypto';
import type { OciServer } from '../oci/types';
import type { QuayState } from './state';
import { fakeDigest, iso, rfc2822 } from './types';

export async function seedDemo(k: QuayState, token: string): Promise<void> {
  const { now, clair, users, orgs, repos, security, st, addUser, addOrg, addRepository, addTag, endTag, addLogs, addTags } = k;
  addUser('bob');
  addOrg('acme', ['alice', 'bob']);
  addOrg('beta', ['alice']);
  const acme = orgs.get('acme')!;
  orgs.get('beta')!.proxyCache = { upstream_registry: 'docker.io', expiration_s: 86400, insecure: false, upstream_registry_username: null };
  acme.teams.set('developers', { name: 'developers', role: 'member', description: 'App developers', members: new Set(['bob']), invited: new Set<string>() });
  acme.robots.set('acme+ci', { name: 'acme+ci', description: 'CI pusher', token: crypto.randomBytes(32).toString('hex').toUpperCase(), created: now() - 86400 * 30, lastAccessed: now() - 3600 });
  acme.robots.set('acme+mirror', { name: 'acme+mirror', description: 'Mirror pusher', token: crypto.randomBytes(32).toString('hex').toUpperCase(), created: now() - 86400 * 30, lastAccessed: null });
  acme.teams.get('developers')!.members.add('acme+ci');
  acme.quota.push({ id: 1, limit_bytes: 10737418240, limit: '10.0 GiB', default_config: false, limits: [{ id: 1, type: 'Warning', limit_percent: 80 }, { id: 2, type: 'Reject', limit_percent: 100 }], default_config_exists: false });
  acme.autoprune.push({ uuid: crypto.randomUUID(), method: 'number_of_tags', value: 50, tagPattern: '^dev-', tagPatternMatches: true });
  acme.immutability.push({ uuid: crypto.randomUUID(), tagPattern: '^v[0-9]+', tagPatternMatches: true });
  users.get('alice')!.robots.set('alice+laptop', { name: 'alice+laptop', description: 'Personal pushes', token: crypto.randomBytes(32).toString('hex').toUpperCase(), created: now() - 86400, lastAccessed: null });
  users.get('alice')!.appTokens.push({ uuid: crypto.randomUUID(), title: 'workstation', last_accessed: null, created: rfc2822(now() - 86400 * 3), expiration: null, token_code: crypto.randomBytes(30).toString('base64url') });

  const t0 = now() - 86400 * 10;
  addRepository('acme', 'app', { description: 'The **app** image\n\nBuilt from main.', lastModified: t0, popularity: 42 });
  addRepository('acme', 'web', { description: 'Web front end', isPublic: true, lastModified: t0 - 500, popularity: 7 });
  addRepository('acme', 'alpine', { description: 'Mirror of docker.io/library/alpine', state: 'MIRROR', lastModified: t0 - 1000 });
  addRepository('acme', 'legacy', { description: 'Frozen', state: 'READ_ONLY', lastModified: t0 - 2000 });
  addRepository('acme', 'many', { description: 'More than 100 tags', lastModified: t0 - 3000 });
  addRepository('beta', 'tools', { description: 'Beta tools', lastModified: t0 - 4000 });
  addRepository('alice', 'scratch', { description: 'Personal', isPublic: false, lastModified: t0 - 5000 });

  const app = repos.get('acme/app')!;
  app.userPerms.set('alice', 'admin');
  app.userPerms.set('acme+ci', 'write');
  app.teamPerms.set('owners', 'admin');
  app.teamPerms.set('developers', 'write');
  app.notifications.push({ uuid: crypto.randomUUID(), title: 'push hook', event: 'repo_push', method: 'webhook', config: { url: 'https://hooks.example.com/quay' }, event_config: {}, number_of_failures: 2 });
  app.autoprune.push({ uuid: crypto.randomUUID(), method: 'creation_date', value: '30d', tagPattern: '^pr-', tagPatternMatches: true });
  app.immutability.push({ uuid: crypto.randomUUID(), tagPattern: '^release-', tagPatternMatches: true });
  addLogs('acme/app', 45);
  addLogs('acme', 30);
  addLogs('alice', 7);

  // Tags of acme/app: a multi-platform tag with the real Clair report per platform, plain tags, history.
  let multi: { digest: string; children: string[]; data?: string };
  if (st.registry) {
    const digest = st.registry.addImage('acme/app', ['latest'], { platforms: ['linux/amd64', 'linux/arm64'] });
    st.registry.addImage('acme/app', ['1.0'], { salt: '1.0' });
    st.registry.addImage('acme/app', ['0.9'], { salt: '0.9' });
    const data = await fetchManifest(st.registry, 'acme/app', digest, token);
    const children = (JSON.parse(data) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest);
    multi = { digest, children, data };
    app.manifests.set(digest, data);
  } else {
    const children = [fakeDigest('amd64'), fakeDigest('arm64')];
    multi = { digest: fakeDigest('index'), children };
  }
  for (const c of multi.children) security.set(c, clair);
  addTag('acme/app', 'latest', { digest: multi.digest, list: multi.children, startTs: t0 });
  const d10 = addTag('acme/app', '1.0', { digest: st.registry?.digestOf('acme/app', '1.0') ?? fakeDigest('1.0'), startTs: t0 - 300, size: 3100000 });
  security.set(d10, { status: 'scanned', data: { Layer: { Name: d10, ParentName: '', NamespaceName: '', IndexedByVersion: 4, Features: [] } } });
  addTag('acme/app', '0.9', { digest: st.registry?.digestOf('acme/app', '0.9') ?? fakeDigest('0.9'), startTs: t0 - 600, size: 2900000, expiration: now() + 86400 * 7 });
  // With the registry, the tags users see (and `old` once restored) have their manifests there, as in Quay.
  addTag('acme/app', 'old', { digest: st.registry?.addImage('acme/app', ['old'], { salt: 'old' }) ?? fakeDigest('old'), startTs: t0 - 900 });
  endTag('acme/app', 'old', t0 - 100);
  addTag('acme/app', 'dev', { digest: fakeDigest('dev-1'), startTs: t0 - 800 });
  addTag('acme/app', 'dev', { digest: st.registry?.addImage('acme/app', ['dev'], { salt: 'dev' }) ?? fakeDigest('dev-2'), startTs: t0 - 200 });
  app.labels.set(d10, [{ id: crypto.randomUUID(), key: 'org.opencontainers.image.source', value: 'https://git.example.com/app', source_type: 'manifest', media_type: 'text/plain' }]);

  addTags('acme/many', 130, 'build-');
  for (let i = 0; i < 5; i++) endTag('acme/many', `build-${i}`, now() - 3600 - i);

  addTag('acme/web', 'latest', { digest: st.registry?.addImage('acme/web', ['latest'], { salt: 'acme/web' }), startTs: t0 });
  addTag('beta/tools', 'stable', { digest: st.registry?.addImage('beta/tools', ['stable'], { salt: 'beta/tools' }), startTs: t0 });
  addTag('alice/scratch', 'wip', { digest: st.registry?.addImage('alice/scratch', ['wip'], { salt: 'alice/scratch' }), startTs: t0 });

  repos.get('acme/alpine')!.mirror = {
    is_enabled: true,
    mirror_type: 'PULL',
    external_reference: 'docker.io/library/alpine',
    external_registry_username: null,
    external_registry_config: { verify_tls: true, unsigned_images: false, proxy: { http_proxy: null, https_proxy: null, no_proxy: null } },
    sync_interval: 86400,
    sync_start_date: iso(now() + 3600),
    sync_expiration_date: null,
    sync_retries_remaining: 3,
    sync_status: 'SUCCESS',
    root_rule: { rule_kind: 'tag_glob_csv', rule_value: ['latest', '3.*'] },
    robot_username: 'acme+mirror',
    skopeo_timeout_interval: 300,
    architecture_filter: [],
  };
  addTag('acme/alpine', 'latest', { digest: st.registry?.addImage('acme/alpine', ['latest'], { salt: 'acme/alpine' }), startTs: t0 });
}

/** The index body from the embedded registry, through its token flow. */
async function fetchManifest(registry: OciServer, repository: string, digest: string, password: string): Promise<string> {
  const basic = Buffer.from(`$oauthtoken:${password}`).toString('base64');
  // Tokens are bound to the service the registry's challenge names.
  const challenge = (await fetch(`${registry.url}/v2/`)).headers.get('www-authenticate') ?? '';
  const service = /service="([^"]*)"/.exec(challenge)?.[1] ?? '';
  const t = await fetch(`${registry.url}/token?service=${encodeURIComponent(service)}&scope=repository:${repository}:pull`, { headers: { authorization: `Basic ${basic}` } });
  const { token } = (await t.json()) as { token: string };
  const m = await fetch(`${registry.url}/v2/${repository}/manifests/${digest}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json' },
  });
  return m.text();
}
