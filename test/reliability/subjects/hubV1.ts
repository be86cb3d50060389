import type { Logger } from '../../../src/registry/context';
import { DockerHubV1Provider } from '../../../src/registry/dockerhubV1/provider';
import { startHubV1Server } from '../../servers/hubV1Server';
import { RELIABILITY_HTTP, type ReliabilitySubject } from '../subject';

const ID = (n: number) => String(n).repeat(64).slice(0, 64);

export const hubV1: ReliabilitySubject = {
  name: 'Docker Hub v1 index',
  async startUpstream(user, secret) {
    const s = await startHubV1Server();
    s.addUser(user, secret);
    s.addRepository(user, 'app', [{ id: ID(1), checksum: ID(2) }, { id: ID(3) }]);
    s.addRepository(undefined, 'busybox', [{ id: ID(4) }]);
    return { url: s.url, close: () => s.close() };
  },
  make: (url: string, logger: Logger, user: string, secret: string, tls?: { caFile: string }) =>
    new DockerHubV1Provider({ connection: { id: 'v', kind: 'dockerhub-v1', url, username: user, namespaces: [`${user}/app`], ...tls }, credentials: async () => ({ username: user, secret }), logger, http: RELIABILITY_HTTP }),
  targets: {
    users: { path: /^\/v1\/users\/$/ },
    images: { path: /\/images$/ },
    put: { method: 'PUT', path: /^\/v1\/repositories\// },
    del: { method: 'DELETE', path: /^\/v1\/repositories\// },
  },
  operations: [
    { name: 'ping', targets: ['users'], run: (p) => (p as DockerHubV1Provider).ping() },
    { name: 'sign in', targets: ['users'], run: (p) => (p as DockerHubV1Provider).signIn() },
    { name: 'images', targets: ['images'], run: (p) => (p as DockerHubV1Provider).listTags('alice/app', undefined) },
    { name: 'library images', targets: ['images'], run: (p) => (p as DockerHubV1Provider).listImages('library/busybox') },
    { name: 'create repository', targets: ['put'], run: (p) => (p as DockerHubV1Provider).createIndexRepository('alice', 'created', [{ id: ID(5) }]) },
    { name: 'delete repository', targets: ['del'], run: (p) => (p as DockerHubV1Provider).deleteIndexRepository('alice', 'app') },
  ],
};
