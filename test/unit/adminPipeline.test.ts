import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import type { Operation } from '../../src/admin/operation';
import { runOperation, type AdminPort } from '../../src/admin/pipeline';
import type { Confirmation, Outcome, Verdict } from '../../src/registry/admin';
import { BadResponseError } from '../../src/registry/errors';
import { redact } from '../../src/registry/redact';
import { doneReply, stoppedReply, type ReplyTexts } from '../../src/webviews/adminReply';

/** A port that records what the pipeline asked and showed, answering confirmations as told. */
class FakePort implements AdminPort {
  readonly asked: { c: Confirmation; purpose: string }[] = [];
  readonly logged: string[] = [];
  readonly refreshed: unknown[] = [];
  readonly shown: { outcome: Outcome; verdict?: Verdict; redactedAtShow: string }[] = [];
  readonly stages: string[] = [];
  /** Aborts the running step's signal once the task has started (the user pressed Cancel). */
  cancelDuringRun = false;
  constructor(private readonly answers: { verify?: boolean; action?: boolean } = {}) {}
  async confirm(c: Confirmation, purpose: 'verify' | 'action'): Promise<boolean> {
    this.asked.push({ c, purpose });
    return this.answers[purpose] ?? true;
  }
  async progress<T>(stage: 'verify' | 'run', _title: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.stages.push(stage);
    const ac = new AbortController();
    const p = task(ac.signal);
    if (stage === 'run' && this.cancelDuringRun) ac.abort();
    return p;
  }
  log(line: string): void {
    this.logged.push(line);
  }
  refresh(r: unknown): void {
    this.refreshed.push(r);
  }
  async showOutcome(outcome: Outcome, verdict?: Verdict): Promise<void> {
    // What a notification showing the secret's label and message would print after redaction, at the moment it shows.
    this.shown.push({ outcome, verdict, redactedAtShow: outcome.kind === 'secret' ? redact(`detail: ${outcome.secret}`) : '' });
  }
}

const secret = (): string => `s3cr3t-${randomBytes(12).toString('hex')}`;

const schema = z.object({
  name: z.string().trim().min(1).meta({ title: 'Name' }),
  password: z.string().optional().meta({ title: 'Password', secret: true }),
  enabled: z.boolean().default(true),
});

function operation(over: Partial<Operation> = {}): Operation & { runs: { values: unknown; signal?: AbortSignal }[] } {
  const runs: { values: unknown; signal?: AbortSignal }[] = [];
  return {
    op: 'update',
    title: 'Edit Policy',
    form: { schema },
    run: async (values, signal) => {
      runs.push({ values, signal });
      return { kind: 'done', message: 'Saved policy.', refresh: 'item' };
    },
    ...over,
    runs,
  };
}

describe('admin pipeline (one for commands and the form panel)', () => {
  it('never runs an operation whose verdict is not ok', async () => {
    const op = operation({ verify: async () => ({ ok: false, summary: 'The rule would prune every tag.' }) });
    const port = new FakePort();
    const r = await runOperation(op, { name: 'x' }, port);
    assert.equal(r.status, 'refused');
    assert.equal(op.runs.length, 0);
    assert.equal(port.shown.length, 0);
  });

  it('asks the verdict\'s confirmation and runs nothing when it is refused (an enabled pruning policy warns first)', async () => {
    const verdict: Verdict = { ok: true, summary: 'Enabling prunes 3 tags.', items: ['1.0', '1.1', '1.2'], confirm: { message: 'Prune 3 tags of team/app?', button: 'Save and Prune' } };
    const refused = operation({ verify: async () => verdict });
    const port = new FakePort({ verify: false });
    const r = await runOperation(refused, { name: 'x' }, port);
    assert.deepEqual(r, { status: 'declined', stage: 'verify', verdict });
    assert.equal(refused.runs.length, 0, 'a refused verdict confirmation runs nothing');
    assert.deepEqual(port.asked.map((a) => a.purpose), ['verify']);

    const accepted = operation({ verify: async () => verdict });
    const yes = new FakePort({ verify: true });
    const done = await runOperation(accepted, { name: 'x' }, yes);
    assert.equal(done.status, 'done');
    assert.equal(accepted.runs.length, 1);
    assert.deepEqual(yes.shown[0]!.verdict, verdict, 'the verdict stays in view with the outcome');
  });

  it('asks the operation\'s confirmation naming the object, and runs nothing when it is refused', async () => {
    const c: Confirmation = { message: 'Revoke token "laptop"?', button: 'Revoke Token' };
    const op = operation({ confirm: async () => c });
    const port = new FakePort({ action: false });
    const r = await runOperation(op, { name: 'x' }, port);
    assert.deepEqual(r, { status: 'declined', stage: 'action' });
    assert.deepEqual(port.asked, [{ c, purpose: 'action' }]);
    assert.equal(op.runs.length, 0);
  });

  it('gives verify and run a signal that aborts when the user cancels, and reports the cancellation', async () => {
    let verifySignal: AbortSignal | undefined;
    let sawAbort = false;
    const op = operation({
      verify: async (_v, s) => {
        verifySignal = s;
        return { ok: true, summary: '' };
      },
      run: async (_v, signal) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        sawAbort = !!signal?.aborted;
        signal?.throwIfAborted();
        return { kind: 'done', message: 'Saved' };
      },
    });
    const port = new FakePort();
    port.cancelDuringRun = true;
    const r = await runOperation(op, { name: 'x' }, port);
    assert.ok(verifySignal instanceof AbortSignal, 'verify gets a signal');
    assert.ok(sawAbort, 'run sees the cancellation');
    assert.equal(r.status, 'failed');
    assert.equal(r.status === 'failed' && r.error.kind, 'cancelled');
    assert.equal(port.shown.length, 0);

    // A panel closed mid-save aborts through the pipeline's own signal.
    const closed = new AbortController();
    let panelAbort = false;
    const op2 = operation({
      run: async (_v, signal) => {
        closed.abort();
        panelAbort = !!signal?.aborted;
        return { kind: 'done', message: 'Saved' };
      },
    });
    await runOperation(op2, { name: 'x' }, new FakePort(), { signal: closed.signal });
    assert.ok(panelAbort, 'run sees the panel closing');
  });

  it('registers a secret shown once for redaction before it is shown, and never logs it', async () => {
    const token = secret();
    const op = operation({ run: async () => ({ kind: 'secret', message: 'Created token "ci".', label: 'access token', secret: token, refresh: 'list' }) });
    const port = new FakePort();
    const r = await runOperation(op, { name: 'x' }, port);
    assert.equal(r.status, 'done');
    assert.equal(port.shown.length, 1);
    assert.ok(!port.shown[0]!.redactedAtShow.includes(token), 'redaction knows the secret when it is shown');
    assert.ok(port.logged.every((l) => !l.includes(token)));
    assert.deepEqual(port.refreshed, ['list']);
  });

  it('registers a typed secret the moment it arrives: a server error quoting it is redacted, and the input is not consumed', async () => {
    const password = secret();
    const op = operation({
      run: async (values) => {
        throw new BadResponseError(`400 Bad Request: {"password":"x","detail":"invalid credential ${String(values?.password)}"}`);
      },
    });
    const port = new FakePort();
    const raw = { name: 'mirror', password, enabled: 'true' };
    const copy = structuredClone(raw);
    const r = await runOperation(op, raw, port);
    assert.equal(r.status, 'failed');
    assert.ok(r.status === 'failed' && !r.message.includes(password), 'the reply does not show the secret');
    assert.match(r.status === 'failed' ? r.message : '', /invalid credential/, 'the reply says what failed');
    assert.ok(port.logged.every((l) => !l.includes(password)));
    assert.ok(port.logged.some((l) => /failed/.test(l)));
    assert.deepEqual(raw, copy, 'the input is left as the user typed it');
    assert.ok(!JSON.stringify(r).includes(password), 'nothing the result keeps holds the secret');
  });

  it('reports field errors without running, and keeps going for valid input', async () => {
    const op = operation();
    const port = new FakePort();
    const r = await runOperation(op, { name: '   ' }, port);
    assert.equal(r.status, 'invalid');
    assert.ok(r.status === 'invalid' && r.fieldErrors.name);
    assert.equal(op.runs.length, 0);
    const ok = await runOperation(op, { name: ' app ', enabled: 'false' }, port);
    assert.equal(ok.status, 'done');
    assert.deepEqual(op.runs[0]!.values, { name: 'app', enabled: false });
    assert.ok(port.logged.some((l) => l === 'Edit Policy: Saved policy.'));
  });

  it('runs under plain Node: the pipeline folder never imports vscode', () => {
    const dir = path.join(__dirname, '../../src/admin');
    for (const f of readdirSync(dir)) assert.doesNotMatch(readFileSync(path.join(dir, f), 'utf8'), /from 'vscode'|require\('vscode'\)/, f);
  });

  describe('the form panel\'s reply', () => {
    const texts: ReplyTexts = { needsAttention: 'Some fields need attention.', notSavedVerdict: 'Not saved. {0}', cancelledNothingChanged: 'Cancelled; nothing was changed.', cancelled: 'Cancelled.', notSavedBecause: 'Not saved: {0}', done: 'Done.' };

    it('says what failed, never with the typed secret, and the page keeps its input (ok: false)', async () => {
      const password = secret();
      const op = operation({
        run: async (values) => {
          throw new BadResponseError(`400: credential $& ${String(values?.password)} refused`);
        },
      });
      const r = await runOperation(op, { name: 'mirror', password }, new FakePort());
      assert.ok(r.status !== 'done');
      const reply = stoppedReply(r, texts);
      assert.equal(reply.ok, false);
      assert.match(reply.message, /^Not saved: 400: credential \$& \S+ refused$/);
      assert.ok(!reply.message.includes(password));
    });

    it('places field errors, lists what the verdict found, and names a refused verdict', async () => {
      const invalid = await runOperation(operation(), { name: '' }, new FakePort());
      assert.ok(invalid.status !== 'done');
      const i = stoppedReply(invalid, texts);
      assert.deepEqual([i.ok, i.message, Object.keys(i.fieldErrors ?? {})], [false, 'Some fields need attention.', ['name']]);

      const verdict: Verdict = { ok: true, summary: 'Enabling prunes 2 tags.', items: ['a', 'b'], confirm: { message: 'Prune?', button: 'Prune' } };
      const declined = await runOperation(operation({ verify: async () => verdict }), { name: 'x' }, new FakePort({ verify: false }));
      assert.ok(declined.status !== 'done');
      assert.deepEqual(stoppedReply(declined, texts), { ok: false, message: 'Not saved. Enabling prunes 2 tags.', items: ['a', 'b'] });

      const refused = await runOperation(operation({ verify: async () => ({ ok: false, summary: 'Every tag would go.', items: ['x'] }) }), { name: 'x' }, new FakePort());
      assert.ok(refused.status !== 'done');
      assert.deepEqual(stoppedReply(refused, texts), { ok: false, message: 'Every tag would go.', items: ['x'] });

      const action = await runOperation(operation({ confirm: async () => ({ message: 'Revoke?', button: 'Revoke' }) }), { name: 'x' }, new FakePort({ action: false }));
      assert.ok(action.status !== 'done');
      assert.deepEqual(stoppedReply(action, texts), { ok: false, message: 'Cancelled; nothing was changed.' });

      assert.deepEqual(doneReply({ kind: 'done', message: 'Saved policy' }, verdict, texts), { ok: true, message: 'Saved policy. Enabling prunes 2 tags.', items: ['a', 'b'] });
    });
  });
});
