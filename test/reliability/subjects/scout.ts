import * as http from 'node:http';
import type { Logger } from '../../../src/registry/context';
import { readHubTokenClaims } from '../../../src/registry/dockerhub/jwt';
import { DockerHubProvider } from '../../../src/registry/dockerhub/provider';
import { startHubServer } from '../../servers/hubServer';
import { startScoutServer } from '../../servers/scout/index';
import { closeServer, listen } from '../../servers/kit/listen';
import { drain } from '../lists';
import { RELIABILITY_HTTP, type ReliabilitySubject } from '../subject';

/**
 * Docker Scout behind the fault proxy: one origin that forwards `/v1/graphql` to the Scout fake and everything else to
 * the Hub fake, so Scout's answers (and the Hub sign-in it needs) meet every hostile behaviour.
 */
export const scout: ReliabilitySubject = {
  name: 'Docker Scout',
  async startUpstream(user, secret) {
    const hub = await startHubServer();
    hub.addUser(user, secret);
    hub.addRepository(user, 'app', {});
    hub.addTag(user, 'app', { name: 'latest', platforms: ['linux/amd64', 'linux/arm64/v8'] });
    hub.addTag(user, 'app', { name: '1.0' });
    const fake = await startScoutServer({ acceptToken: (t) => readHubTokenClaims(t).username === user });
    const seed = new DockerHubProvider({ connection: { id: 's', kind: 'dockerhub', url: hub.url }, credentials: async () => undefined, logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {} } }, { registry: null });
    const tags = await seed.listTags(`${user}/app`, undefined);
    seed.dispose();
    for (const t of tags.items) {
      for (const p of t.platforms ?? []) {
        const d = p.digest!;
        const vuln = { sourceId: 'CVE-2024-0001', source: 'nist', description: 'x', cwes: [], cvss: { severity: 'HIGH', score: 7.5 }, fixedBy: '2', vulnerableRange: '<2', url: 'https://scout.docker.com/v/CVE-2024-0001', cisaExploited: false, isExcepted: false, vulnerabilityExceptions: [], vexStatements: [] };
        fake.images.set(d, {
          summary: { digest: d, sbomState: 'INDEXED', vulnerabilityReport: { critical: 0, high: 1, medium: 0, low: 0, unspecified: 0, total: 1 } },
          packages: { digest: d, sbomState: 'INDEXED', imagePackages: { packages: [{ package: { name: 'zlib', purl: 'pkg:apk/alpine/zlib@1', purlFields: { type: 'apk', name: 'zlib', version: '1' }, type: 'apk', version: '1', licenses: [], vulnerabilities: [vuln] }, locations: [] }] }, imageLayers: { layers: [] } },
        });
      }
    }
    const front = http.createServer((req, res) => {
      const target = new URL(req.url ?? '/', req.url?.startsWith('/v1/graphql') ? fake.url : hub.url);
      const up = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
    const url = await listen(front);
    return {
      url,
      close: async () => {
        await closeServer(front);
        await fake.close();
        await hub.close();
      },
    };
  },
  make: (url: string, logger: Logger, user: string, secret: string, tls?: { caFile: string }) =>
    new DockerHubProvider({ connection: { id: 'h', kind: 'dockerhub', url, username: user, ...tls }, credentials: async () => ({ username: user, secret }), logger, http: RELIABILITY_HTTP }, { registry: null, scout: { url: `${url}/v1/graphql` } }),
  targets: {
    token: { method: 'POST', path: /^\/v2\/auth\/token$/ },
    tags: { method: 'GET', path: /\/tags$/ },
    tag: { method: 'GET', path: /\/tags\/[^/]+$/ },
    graphql: { method: 'POST', path: /^\/v1\/graphql$/ },
  },
  operations: [
    { name: 'scout badges', targets: ['graphql', 'tags'], run: (p) => drain((c) => (p as DockerHubProvider).listTags('alice/app', c, { pageSize: 2 })) },
    { name: 'scout report', targets: ['graphql', 'tag'], run: (p) => (p as DockerHubProvider).getScanReport('alice/app', 'latest') },
    { name: 'scout report (platform)', targets: ['graphql', 'tag'], run: (p) => (p as DockerHubProvider).getScanReport('alice/app', 'latest', undefined, 'linux/arm64/v8') },
  ],
  repeatableWrites: [/^\/v2\/auth\/token$/, /^\/v1\/graphql$/],
};
