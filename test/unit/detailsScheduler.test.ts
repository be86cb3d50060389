import * as assert from 'node:assert/strict';
import { silentLogger } from '../../src/registry/context';
import { OciProvider } from '../../src/registry/oci/provider';
import type { TagDetails } from '../../src/registry/provider';
import { DetailsScheduler } from '../../src/tree/detailsScheduler';
import { startOciServer, type OciServer } from '../servers/ociServer';

interface Row {
  id: string;
  name: string;
  details?: TagDetails;
}

const names = Array.from({ length: 100 }, (_, i) => `1.0.${i}`);
const rowsOf = (list: string, ns: string[]): Row[] => ns.map((name) => ({ id: `${list}/tag:${name}`, name }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * When tag details are requested and shown, against a real local registry (each OCI tag costs HEAD + manifest +
 * config). The first screen of a 100-row page is described and shown first, the rest only once the tree is idle.
 */
describe('tag details scheduling (first screen first, the rest when idle)', () => {
  let reg: OciServer;
  let provider: OciProvider;
  let shows: Array<{ at: number; requests: number; rows: Row[] }>;
  let scheduler: DetailsScheduler<Row>;

  beforeEach(async () => {
    // A little latency per answer, like a registry on the network, so the order of events is observable.
    reg = await startOciServer({ delayMs: 3 });
    // One image per tag (as in a real repository), so each description costs HEAD + manifest + config.
    for (const n of names) reg.addImage('team/app', n, { salt: n });
    provider = new OciProvider({ connection: { id: 'o', kind: 'oci', url: reg.url }, credentials: async () => undefined, logger: silentLogger, http: { timeoutMs: 5_000, maxRetries: 0 } });
    shows = [];
    scheduler = new DetailsScheduler<Row>({ show: (rows) => shows.push({ at: Date.now(), requests: detailRequests(), rows }), screenful: 30, idleMs: 600, screenFlushMs: 10_000 });
  });
  afterEach(async () => {
    scheduler.dispose();
    provider.dispose();
    await reg.close();
  });

  const detailRequests = () => reg.requests.filter((r) => r.path.includes('/manifests/') || r.path.includes('/blobs/')).length;
  const describe = async (r: Row) => {
    r.details = await provider.getTagDetails('team/app', r.name);
    return true;
  };
  const tagOf = (path: string) => decodeURIComponent(path.split('/manifests/')[1] ?? '');

  it('describes and shows the first 30 rows at once, in one repaint, before any other row is asked for', async () => {
    const rows = rowsOf('repo', names);
    const started = Date.now();
    scheduler.schedule('repo', rows, describe);
    while (shows.length === 0 && Date.now() - started < 10_000) await sleep(5);
    const first = shows[0]!;
    assert.deepEqual(
      first.rows.map((r) => r.name).sort(),
      names.slice(0, 30).sort(),
      'the first repaint carries exactly the first screen',
    );
    assert.ok(first.rows.every((r) => r.details), 'every row of it is described');
    assert.ok(first.requests <= 120, `requests before the first screen was shown: ${first.requests}`);
    const asked = new Set(reg.requests.map((r) => tagOf(r.path)).filter(Boolean));
    assert.ok(names.slice(30).every((n) => !asked.has(n)), 'no row below the first screen was asked for yet');
    // Nothing more happens while the tree is busy within the idle window.
    await sleep(300);
    assert.equal(shows.length, 1);
    assert.equal(detailRequests(), first.requests, 'no request for the rest of the page before the tree is idle');
    // Idle: the rest of the page is described and shown in batches (not one repaint per row).
    await scheduler.whenSettled();
    assert.ok(rows.every((r) => r.details), 'the whole page is described in the end');
    assert.ok(shows.length <= 4, `repaints: ${shows.length}`);
    assert.equal(new Set(shows.flatMap((s) => s.rows.map((r) => r.id))).size, 100);
    assert.equal(detailRequests(), 300, 'three requests per tag, each tag once');
  });

  it('treats a Load more… as scrolling: rows still waiting are described at once, then the new page’s first screen', async () => {
    const rows = rowsOf('repo', names);
    scheduler.schedule('repo', rows.slice(0, 50), describe);
    while (shows.length === 0) await sleep(5);
    assert.equal(shows[0]!.rows.length, 30);
    // Load more… before the idle window ended: 20 rows waiting + the first 30 of the 50 new ones (the tree passes
    // the rows without details).
    scheduler.schedule('repo', rows.filter((r) => !r.details), describe);
    while (shows.length < 2) await sleep(5);
    assert.deepEqual(
      shows[1]!.rows.map((r) => r.name).sort(),
      [...names.slice(30, 50), ...names.slice(50, 80)].sort(),
    );
    assert.ok(names.slice(80).every((n) => !reg.requests.some((r) => tagOf(r.path) === n)), 'rows below stay for idle');
    await scheduler.whenSettled();
    assert.ok(rows.every((r) => r.details));
  });

  it('a new expansion postpones the idle fill of another list, and a reset list forgets its waiting rows', async () => {
    const a = rowsOf('a', names);
    scheduler.schedule('a', a, describe);
    await sleep(400);
    scheduler.schedule('b', rowsOf('b', names.slice(0, 5)), describe);
    await sleep(400);
    assert.ok(a.slice(30).every((r) => !r.details), 'list a waits: the tree was not idle for the whole window');
    scheduler.forget('a');
    await scheduler.whenSettled();
    assert.ok(a.slice(30).every((r) => !r.details), 'a reset list does not fill in');
  });
});
