import type { Logger } from '../../../src/registry/context';
import { OciProvider } from '../../../src/registry/oci/provider';
import { startOciServer } from '../../servers/ociServer';
import { drain } from '../lists';
import { RELIABILITY_HTTP, type ReliabilitySubject } from '../subject';

export const oci: ReliabilitySubject = {
  name: 'OCI',
  async startUpstream(username, password) {
    const s = await startOciServer({ auth: { type: 'basic', username, password } });
    s.addImage('team/app', ['1.0', '2.0', '3.0', '4.0', '5.0']);
    s.addImage('team/multi', 'latest', { platforms: ['linux/amd64', 'linux/arm64/v8'] });
    s.addImage('other/x', 'v1');
    return { url: s.url, close: () => s.close() };
  },
  make: (url: string, logger: Logger, user: string, secret: string, tls?: { caFile: string }) =>
    new OciProvider({ connection: { id: 'r', kind: 'oci', url, username: user, ...tls }, credentials: async () => ({ username: user, secret }), logger, http: RELIABILITY_HTTP }),
  targets: {
    ping: { path: /^\/v2\/$/ },
    catalog: { path: /^\/v2\/_catalog$/ },
    tags: { path: /\/tags\/list$/ },
    manifest: { method: /^(GET|HEAD)$/, path: /\/manifests\// },
    blob: { path: /\/blobs\// },
    deleteManifest: { method: 'DELETE', path: /\/manifests\// },
  },
  operations: [
    { name: 'ping', targets: ['ping'], run: (p) => (p as OciProvider).ping() },
    { name: 'catalog', targets: ['catalog'], run: (p) => drain((c) => (p as OciProvider).listRepositories(undefined, c, { pageSize: 1 })) },
    { name: 'tags', targets: ['tags'], run: (p) => drain((c) => (p as OciProvider).listTags('team/app', c, { pageSize: 2 })) },
    { name: 'tag details', targets: ['manifest', 'blob'], run: (p) => (p as OciProvider).getTagDetails('team/app', '1.0') },
    { name: 'index details', targets: ['manifest', 'blob'], run: (p) => (p as OciProvider).getImageDetails('team/multi', 'latest') },
    {
      name: 'delete tag',
      targets: ['manifest', 'tags', 'deleteManifest'],
      run: async (p) => {
        const o = p as OciProvider;
        const plan = await o.planDeleteTag('team/app', '2.0');
        await o.deleteTag(plan);
        return plan;
      },
    },
  ],
};
