import * as assert from 'node:assert/strict';
import { saveTarget } from '../../src/commands/saveTarget';

describe('save dialog target of a file outcome', () => {
  it('keeps a plain name and filters by its extension', () => {
    assert.deepEqual(saveTarget('engineering-api-latest-linux-arm64-scan.csv'), { name: 'engineering-api-latest-linux-arm64-scan.csv', filters: { CSV: ['csv'] } });
    assert.deepEqual(saveTarget('a-b-1.0-linux-amd64-scan.json').filters, { JSON: ['json'] });
  });

  it('drops folders, leading dots and characters file systems refuse', () => {
    assert.equal(saveTarget('../../etc/passwd').name, '-..-etc-passwd');
    assert.equal(saveTarget('..\\evil:name?.csv').name, '-evil-name-.csv');
    assert.equal(saveTarget('a\u0000b\nc.csv').name, 'a-b-c.csv');
    assert.deepEqual(saveTarget('...'), { name: 'export' });
  });
});
