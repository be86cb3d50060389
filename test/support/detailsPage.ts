/**
 * Loading one page of tag details as the tree does (its Limiter, eight at once), and a TCP pass-through that counts
 * the connections a client opens to a server (TLS goes through it untouched). Used by the registry suite and the
 * benchmark.
 */
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { RegistryProvider, TagDetails } from '../../src/registry/provider';
import { Limiter } from '../../src/tree/limiter';

/** The tree's DETAILS_CONCURRENCY (src/tree/registryTreeProvider.ts, which needs vscode to import). */
export const TREE_DETAILS_CONCURRENCY = 8;

/** Every tag's details, at most eight in flight, as the tree fills a page of tags. */
export function loadDetailsPage(provider: RegistryProvider, repository: string, tags: string[]): Promise<TagDetails[]> {
  const limiter = new Limiter(TREE_DETAILS_CONCURRENCY);
  return Promise.all(tags.map((tag) => limiter.run(() => provider.getTagDetails!(repository, tag))));
}

export interface ConnectionCounter {
  /** `host:port` to connect to instead of the target. */
  host: string;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 and pipes every connection to `target` (`host:port`), counting them. */
export async function countConnections(target: string): Promise<ConnectionCounter> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    get connections() {
      return connections;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
