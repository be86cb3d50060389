/** The demo content of the fake Harbor: what the unit tests, the reliability suite and the demo browse. */
import { type HarborState, type VulnItem, addProject, addRepository, addRobot, addUser, fakeDigest, pushImage, scanOf } from './harborData';
import { type HarborServer, startHarborServer } from './harborServer';
import { HARBOR_BASE } from './harborSpec';

export const HARBOR_ADMIN = { username: 'admin', password: 'Harbor12345' };
export const HARBOR_ROBOT = { username: 'robot$team-a+ci', password: 'robot-secret-1' };

export const DEMO_VULNS: VulnItem[] = [
  { id: 'CVE-2024-0001', package: 'openssl', version: '3.0.1', fix_version: '3.0.13', severity: 'Critical', description: 'Remote code execution in openssl.', links: ['https://avd.aquasec.com/nvd/cve-2024-0001'], preferred_cvss: { score_v3: 9.8, vector_v3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' } },
  { id: 'CVE-2024-0002', package: 'zlib', version: '1.2.11', fix_version: '1.2.12', severity: 'High', description: 'Heap overflow in zlib.', links: ['https://avd.aquasec.com/nvd/cve-2024-0002'], preferred_cvss: { score_v3: 7.5 } },
  { id: 'CVE-2024-0003', package: 'busybox', version: '1.36.0', severity: 'Medium', description: 'Allowlisted issue in busybox.', links: ['https://avd.aquasec.com/nvd/cve-2024-0003'] },
  { id: 'CVE-2024-0004', package: 'musl', version: '1.2.3', severity: 'Low', links: [] },
];

/** Users, a robot, three projects and their artifacts (indexes, signed images, SBOMs, scans). */
export async function seedHarbor(server: HarborServer): Promise<void> {
  const s: HarborState = server.state;
  addUser(s, HARBOR_ADMIN.username, HARBOR_ADMIN.password, {}, true);
  addUser(s, 'alice', 'alice-password', { 'team-a': 2 });
  addUser(s, 'guest', 'guest-password', { 'team-a': 3 });
  addRobot(s, 'team-a', 'ci', HARBOR_ROBOT.password, ['pull', 'list', 'read']);
  addProject(s, 'team-a', { metadata: { auto_scan: 'true', reuse_sys_cve_allowlist: 'false' }, allowlist: ['CVE-2024-0003'] });
  addProject(s, 'library', { public: true });
  addProject(s, 'dockerhub-proxy', { public: true, registryId: 1 });
  s.systemAllowlist.items = [{ cve_id: 'CVE-2024-0002' }];
  addRepository(s, 'team-a/app', { description: 'The **app** service', pulls: 42 });
  addRepository(s, 'team-a/tools/cli', { description: 'Command line tools', pulls: 3 });
  addRepository(s, 'library/hello', { pulls: 1000 });
  const multi = await pushImage(s, 'team-a/app', ['latest', '2.0'], { platforms: ['linux/amd64', 'linux/arm64'], salt: 'multi' });
  for (const r of multi.references ?? []) {
    const child = s.artifacts.get('team-a/app')!.find((a) => a.digest === r.child_digest)!;
    child.scan = scanOf(r.platform.architecture === 'amd64' ? DEMO_VULNS : DEMO_VULNS.slice(1));
  }
  multi.scan = scanOf(DEMO_VULNS);
  const signed = await pushImage(s, 'team-a/app', ['1.1'], { salt: '1.1' });
  signed.scan = scanOf(DEMO_VULNS);
  signed.labels = ['release'];
  signed.accessories = [
    { id: 9001, digest: fakeDigest('sig-1.1'), type: 'signature.cosign', size: 512 },
    { id: 9002, digest: fakeDigest('sbom-1.1'), type: 'harbor.sbom', size: 2048 },
  ];
  const running = await pushImage(s, 'team-a/app', ['1.0'], { salt: '1.0' });
  running.scan = scanOf([], 'Running');
  const untagged = await pushImage(s, 'team-a/app', [], { salt: 'old' });
  untagged.pushed = '2023-01-01T00:00:00.000Z';
  await pushImage(s, 'team-a/tools/cli', ['v1'], { salt: 'cli' });
  await pushImage(s, 'library/hello', ['latest'], { salt: 'hello' });
}

/**
 * The demo's tag retention policy of team-a, created through the API as Harbor's portal does (so the fake checks it
 * like any other): one rule that keeps the 2 most recently pushed artifacts of team-a/app, tagged or not, and no
 * schedule. A dry run of it retains 1.0 and 1.1 and would delete the index `latest, 2.0` and the untagged artifact.
 * Not part of seedHarbor: the unit tests start from a project without a policy. Returns the policy's id.
 */
export async function seedDemoRetention(server: HarborServer): Promise<number> {
  const project = server.state.projects.get('team-a');
  if (!project) throw new Error('seed team-a first');
  const res = await fetch(`${server.url}${HARBOR_BASE}/retentions`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${HARBOR_ADMIN.username}:${HARBOR_ADMIN.password}`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      algorithm: 'or',
      rules: [
        {
          disabled: false,
          action: 'retain',
          template: 'latestPushedK',
          params: { latestPushedK: 2 },
          tag_selectors: [{ kind: 'doublestar', decoration: 'matches', pattern: '**', extras: '{"untagged":true}' }],
          scope_selectors: { repository: [{ kind: 'doublestar', decoration: 'repoMatches', pattern: 'app' }] },
        },
      ],
      trigger: { kind: 'Schedule', settings: { cron: '' }, references: {} },
      scope: { level: 'project', ref: project.id },
    }),
  });
  const id = Number(project.metadata.retention_id);
  if (res.status !== 201 || !Number.isInteger(id) || server.violations.length) throw new Error(`the demo retention policy was refused (${res.status}): ${await res.text()} ${server.violations.join('; ')}`);
  return id;
}

/** The seeded fake Harbor with its registry, for the demo (scripts/demo.mjs through test/e2e/lib/harbor.mjs). */
export async function startDemoHarbor(): Promise<{ info: { url: string; username: string; password: string; robot: string; robotSecret: string; namespaces: string[]; retentionId: number }; stop(): Promise<void> }> {
  const server = await startHarborServer();
  await seedHarbor(server);
  const retentionId = await seedDemoRetention(server);
  return {
    info: { url: server.url, username: HARBOR_ADMIN.username, password: HARBOR_ADMIN.password, robot: HARBOR_ROBOT.username, robotSecret: HARBOR_ROBOT.password, namespaces: ['team-a', 'library', 'dockerhub-proxy'], retentionId },
    stop: () => server.close(),
  };
}
