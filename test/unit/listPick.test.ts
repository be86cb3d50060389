import * as assert from 'node:assert/strict';
import { listPick } from '../../src/commands/listPick';

describe('quick pick of a list outcome', () => {
  it('shows one row per line under the outcome title, and stays open when the focus moves (a Dry Run result is read, not dismissed by the tree taking the focus back)', () => {
    const pick = listPick({ kind: 'list', title: 'Dry run of retention policy 21 of team-a: 1 of 2 artifacts would be deleted', items: ['Delete: team-a/app@sha256:0123456789ab (latest)', 'Retain: team-a/app@sha256:ba9876543210 (1.0)'] }, 'Nothing to show');
    assert.deepEqual(pick.items, [{ label: 'Delete: team-a/app@sha256:0123456789ab (latest)' }, { label: 'Retain: team-a/app@sha256:ba9876543210 (1.0)' }]);
    assert.deepEqual(pick.options, { title: 'Dry run of retention policy 21 of team-a: 1 of 2 artifacts would be deleted', ignoreFocusOut: true });
  });

  it('shows the message of an empty list, else the fallback', () => {
    assert.deepEqual(listPick({ kind: 'list', title: 'Logs', items: [], message: 'This execution has no tasks' }, 'Nothing to show').items, [{ label: 'This execution has no tasks' }]);
    assert.deepEqual(listPick({ kind: 'list', title: 'Logs', items: [] }, 'Nothing to show').items, [{ label: 'Nothing to show' }]);
  });
});
