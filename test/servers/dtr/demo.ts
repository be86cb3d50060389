/** The DTR fake's demo data set and the seeded server for the demo and the e2e runner. */
import { startDtrServer } from './index';
import type { DtrServer } from './types';

/** The demo data set: users with roles, an organization with teams, policies of every kind, webhooks, tokens, scans. */
export function seedDemo(d: DtrServer): void {
  d.addUser('admin', 'admin-password', { admin: true, fullName: 'DTR Admin' });
  d.addUser('alice', 'alice-password', { fullName: 'Alice' });
  d.addUser('bob', 'bob-password', { fullName: 'Bob' });
  d.addOrg('engineering', { owners: ['alice'], members: ['bob'] });
  d.addTeam('engineering', 'developers', ['alice', 'bob']);
  d.addTeam('engineering', 'qa', ['bob']);
  d.setNamespaceAccess('engineering', 'developers', 'read-write');
  d.setNamespaceAccess('engineering', 'qa', 'read-only');
  d.addOrg('platform', { owners: ['admin'] });
  d.addRepository('engineering', 'api', { shortDescription: 'The public API', scanOnPush: true, immutableTags: true, tagLimit: 50, pulls: 1234 });
  d.addRepository('engineering', 'web', { shortDescription: 'Web front end', visibility: 'public' });
  d.addRepository('engineering', 'many', { shortDescription: '150 tags, paged by header' });
  d.addRepository('platform', 'base', { shortDescription: 'Base images', visibility: 'public' });
  d.addRepository('alice', 'scratch', { shortDescription: 'Experiments' });
  d.setRepositoryAccess('engineering/api', 'qa', 'read-write');
  d.addTag('engineering/api', { name: '1.0', signed: true, cves: 12, updatedAt: '2026-10-01T10:00:00Z' });
  d.addTag('engineering/api', { name: '1.1', cves: 40, updatedAt: '2026-11-01T10:00:00Z' });
  d.addTag('engineering/api', { name: 'latest', platforms: ['linux/amd64', 'linux/arm64'], cves: 320, signed: true, updatedAt: '2026-11-20T10:00:00Z' });
  d.addTag('engineering/api', { name: 'dev-1', updatedAt: '2026-09-01T10:00:00Z' });
  // Two tags of one digest: deleting the manifest removes both.
  d.addTag('engineering/api', { name: 'stable', digest: d.repository('engineering/api')!.tags.find((t) => t.name === '1.1')!.digest, cves: 40, updatedAt: '2026-11-01T10:00:00Z' });
  d.addTag('engineering/web', { name: 'stable', cves: 3 });
  d.addTag('platform/base', { name: 'alpine', platforms: ['linux/amd64', 'linux/arm64'], cves: 25 });
  d.addTags('engineering/many', 150);
  d.addEvents('engineering/api', 120);
  d.addPolicy('engineering/api', 'pruningPolicies', { rules: [{ field: 'tag', operator: 'sw', values: ['dev-'] }, { field: 'updated_at_duration', operator: 'bf', values: ['30d'] }], enabled: false });
  d.addPolicy('engineering/api', 'promotionPolicies', { rules: [{ field: 'vulnerability_critical', operator: 'eq', values: ['0'] }], targetRepository: 'engineering/web', tagTemplate: '%n-ok', enabled: true });
  d.addPolicy('engineering/api', 'pollMirroringPolicies', { username: 'robot', remoteHost: 'https://registry.example.com', remoteRepository: 'upstream/api', remoteCA: '', skipTLSVerification: false, enabled: true });
  d.addPolicy('engineering/api', 'pushMirroringPolicies', { rules: [{ field: 'tag', operator: 'oo', values: ['1.0', '1.1'] }], username: 'robot', remoteHost: 'https://mirror.example.com', remoteRepository: 'acme/api', remoteCA: '', skipTLSVerification: false, tagTemplate: '%n', enabled: true });
  d.addWebhook('engineering/api', 'TAG_PUSH', 'https://hooks.example.com/dtr/push', 'alice');
  d.addWebhook('engineering/api', 'SCAN_COMPLETED', 'https://hooks.example.com/dtr/scan', 'alice');
  d.addWebhook('engineering', 'REPO_EVENT', 'https://hooks.example.com/dtr/repos', 'alice');
  d.addJob('onlinegc', 'done', ['starting garbage collection', 'removed 12 blobs', 'done']);
  d.addJob('update_vuln_db', 'running', ['downloading the vulnerability database']);
  d.addJob('poll_mirror', 'errored', ['remote registry unreachable']);
  d.createToken('alice', 'laptop');
  d.createToken('alice', 'ci');
}

export interface DemoDtrInfo {
  url: string;
  username: string;
  password: string;
  namespaces: string[];
}

/** The seeded fake DTR for the demo and the e2e runner (alice with a token; admin-password for the admin). */
export async function startDemoDtr(opts: { port?: number; withRegistry?: boolean } = {}): Promise<{ dtr: DtrServer; info: DemoDtrInfo; stop: () => Promise<void> }> {
  const dtr = await startDtrServer({ port: opts.port, enzi: true, registry: opts.withRegistry === false ? undefined : { username: 'alice', password: 'alice-password' } });
  seedDemo(dtr);
  const token = dtr.createToken('alice', 'registry-explorer demo');
  if (dtr.oci) (dtr.oci.options.auth as { password?: string }).password = token;
  return { dtr, info: { url: dtr.url, username: 'alice', password: token, namespaces: ['engineering'] }, stop: () => dtr.close() };
}
