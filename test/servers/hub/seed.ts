/** The Hub fake's demo data set. */
import type { HubServer } from './types';

/** A small data set for the demo and manual runs: user `demo` / `demo-password`, org `acme`, `library`. */
export function seedDemo(hub: HubServer): void {
  hub.addUser('demo', 'demo-password', { fullName: 'Demo User' });
  hub.addUser('alice', 'alice-password', { fullName: 'Alice Example' });
  hub.addOrg('acme', { demo: 'owner', alice: 'member' });
  hub.addGroup('acme', 'owners', ['demo']);
  hub.addGroup('acme', 'developers', ['alice']);
  hub.addRepository('demo', 'hello', { description: 'Hello world image', fullDescription: '# hello\n\nA tiny image.', starCount: 3, pullCount: 120 });
  hub.addTag('demo', 'hello', { name: 'latest', platforms: ['linux/amd64', 'linux/arm64/v8'] });
  hub.addTag('demo', 'hello', { name: '1.0', platforms: ['linux/amd64'] });
  hub.addRepository('demo', 'secret-app', { description: 'Private application', isPrivate: true });
  hub.addTag('demo', 'secret-app', { name: 'main' });
  hub.addRepository('acme', 'api', { description: 'ACME API server', starCount: 12, pullCount: 40_000 });
  hub.addTags('acme', 'api', 250);
  hub.addRepository('acme', 'web', { description: 'ACME web front end', isPrivate: true });
  hub.addTag('acme', 'web', { name: 'stable', platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'] });
  hub.addRepository('library', 'alpine', { description: 'A minimal Docker image based on Alpine Linux', starCount: 11_000, pullCount: 1_000_000_000 });
  hub.addTag('library', 'alpine', { name: 'latest', platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/386'] });
  hub.addTag('library', 'alpine', { name: '3.20', platforms: ['linux/amd64', 'linux/arm64/v8'] });
  hub.addAuditEvents('acme', 60);
}

