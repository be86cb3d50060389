import * as vscode from 'vscode';
import { hostPlatform, loginArgs, platformArg, pullArgs, runArgs, splitCommand, type EngineClient } from '../engine/client';
import { engineProblem, notInstalled, type EngineProblemKind } from '../engine/problems';
import { runEngine } from '../engine/process';
import { toRegistryError } from '../registry/errors';
import type { CommandContext } from './context';
import { engineClient, runInTerminal } from './engineTerminal';
import { resolveRegistry, usableProvider } from './pickers';
import { required } from './runCommand';
import { resolveTarget, type TagTarget } from './tagCommands';

/** What a pull ended in (tests read it). */
export interface PullOutcome {
  reference: string;
  args: string[];
  code: number | null;
  problem?: EngineProblemKind;
  loggedIn?: boolean;
}

const engineName = (c: EngineClient) => (c.flavour === 'podman' ? 'Podman' : 'Docker');

/**
 * The platform to pull: the engine's own (no `--platform`) unless the tag is a multi-platform index and the user
 * picks another of its platforms.
 */
async function choosePlatform(ctx: CommandContext, t: TagTarget): Promise<string | undefined> {
  let details = t.node?.details;
  if (!details && t.provider.getTagDetails) {
    try {
      details = await t.provider.getTagDetails(t.repository, t.tag);
    } catch (e) {
      ctx.logger.warn(`Platforms of ${t.repository}:${t.tag}: ${toRegistryError(e).message}`);
    }
  }
  const platforms = [...new Set((details?.isIndex ? details.platforms : []).filter((p) => p.os && p.architecture && p.os !== 'unknown').map(platformArg))];
  if (platforms.length < 2) return undefined;
  const mine = hostPlatform();
  const pick = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Your platform ({0})', mine), description: platforms.includes(mine) ? undefined : vscode.l10n.t('not in this image'), platform: undefined as string | undefined },
      ...platforms.filter((p) => p !== mine).map((p) => ({ label: p, description: undefined, platform: p as string | undefined })),
    ],
    { title: vscode.l10n.t('Platform of {0}:{1}', t.repository, t.tag), placeHolder: vscode.l10n.t('{0} platforms; the engine pulls yours unless you pick another', platforms.length) },
  );
  return required(pick).platform;
}

/**
 * Pulls `reference` in a terminal; an auth failure offers to log the engine in with the registry's credentials and
 * pull again; other engine failures become one message with what to do.
 */
async function pull(ctx: CommandContext, t: TagTarget, reference: string, platform: string | undefined, client = engineClient()): Promise<PullOutcome> {
  const args = pullArgs(reference, platform);
  const r = await runInTerminal(client, args, vscode.l10n.t('Pull {0}', reference));
  if (r.spawnError) throw new Error(notInstalled(vscode.workspace.getConfiguration('registryExplorer').get<string>('containerClient')).message);
  if (r.code === 0) {
    vscode.window.setStatusBarMessage(vscode.l10n.t('Pulled {0}', reference), 5000);
    return { reference, args, code: 0 };
  }
  if (r.stopped) return { reference, args, code: r.code };
  const problem = engineProblem(r.output, client.flavour, t.pullHost);
  ctx.logger.warn(`${engineName(client)} pull of ${reference} failed: ${problem.message}`);
  if (problem.kind !== 'auth') {
    void vscode.window.showErrorMessage(problem.message);
    return { reference, args, code: r.code, problem: problem.kind };
  }
  const login = vscode.l10n.t("Log In With This Registry's Credentials");
  const pick = await vscode.window.showWarningMessage(problem.message, login);
  if (pick !== login) return { reference, args, code: r.code, problem: problem.kind };
  await loginEngine(ctx, t.registryName, client);
  const again = await pull(ctx, t, reference, platform, client);
  return { ...again, loggedIn: true };
}

/** Pull Image: `docker pull host/repository:tag` (or podman) in a terminal. */
export async function pullImage(ctx: CommandContext, arg?: unknown): Promise<PullOutcome> {
  const t = await resolveTarget(ctx, arg);
  const client = engineClient();
  const platform = await choosePlatform(ctx, t);
  return pull(ctx, t, `${t.pullHost}/${t.repository}:${t.tag}`, platform, client);
}

/** Pull Image by Digest: the immutable `host/repository@digest`. */
export async function pullDigest(ctx: CommandContext, arg?: unknown): Promise<PullOutcome> {
  const t = await resolveTarget(ctx, arg);
  const client = engineClient();
  let digest = t.digest;
  if (!digest && t.provider.getTagDetails) digest = (await t.provider.getTagDetails(t.repository, t.tag)).digest;
  if (!digest) throw new Error(vscode.l10n.t('The digest of {0}:{1} is not known', t.repository, t.tag));
  return pull(ctx, t, `${t.pullHost}/${t.repository}@${digest}`, undefined, client);
}

/**
 * Run Image…: asks for a command (empty: the image's default), pulls the image (logging the engine in when needed),
 * then runs it with `--rm -it` in an interactive terminal that runs the engine directly (no shell).
 */
export async function runImage(ctx: CommandContext, arg?: unknown): Promise<{ args: string[]; terminal: vscode.Terminal } | undefined> {
  const t = await resolveTarget(ctx, arg);
  const client = engineClient();
  const platform = await choosePlatform(ctx, t);
  const reference = `${t.pullHost}/${t.repository}:${t.tag}`;
  const typed = required(
    await vscode.window.showInputBox({
      title: vscode.l10n.t('Run {0}', reference),
      prompt: vscode.l10n.t("Command to run in the container; leave empty for the image's default. Runs with --rm -it."),
      placeHolder: 'sh',
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          splitCommand(v);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    }),
  );
  const pulled = await pull(ctx, t, reference, platform, client);
  if (pulled.code !== 0) return undefined;
  const args = runArgs(reference, { platform, command: splitCommand(typed) });
  const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('Run {0}', reference), shellPath: client.command, shellArgs: args });
  terminal.show();
  return { args, terminal };
}

/**
 * Logs the container engine in to a registry with the credentials stored for it: `login --username … --password-stdin
 * <host>`, the secret written to the process's standard input (never an argument, a terminal, a shell or a log).
 */
export async function loginEngine(ctx: CommandContext, arg?: unknown, client = engineClient()): Promise<boolean> {
  const state = await resolveRegistry(ctx, arg, vscode.l10n.t('Registry whose credentials the engine logs in with'));
  const host = usableProvider(state).pullHost();
  const pctx = ctx.manager.providerContext(state.entry);
  const creds = (await pctx.credentials('registry')) ?? (await pctx.credentials('api'));
  if (!creds?.secret) throw new Error(vscode.l10n.t('{0} has no stored credentials: sign in to it first', state.entry.name));
  const username =
    creds.username ||
    state.entry.username ||
    required(await vscode.window.showInputBox({ title: vscode.l10n.t('User name for {0}', host), prompt: vscode.l10n.t('The user name the engine logs in with'), ignoreFocusOut: true }))?.trim();
  const name = engineName(client);
  const secret = creds.secret;
  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Logging {0} in to {1}…', name, host) }, () =>
    runEngine(client.command, loginArgs(host, username), { stdin: secret }),
  );
  if (r.spawnError) throw new Error(notInstalled(vscode.workspace.getConfiguration('registryExplorer').get<string>('containerClient')).message);
  if (r.code !== 0) {
    const problem = engineProblem(r.output, client.flavour, host);
    ctx.logger.warn(`${name} login to ${host} as ${username} failed (exit ${r.code})`);
    throw new Error(problem.kind === 'auth' ? vscode.l10n.t('{0} refused the credentials of {1} for {2}: sign in again with a password or token the registry accepts', name, state.entry.name, host) : problem.message);
  }
  ctx.logger.info(`${name} logged in to ${host} as ${username} with the credentials of ${state.entry.name}`);
  void vscode.window.showInformationMessage(vscode.l10n.t('{0} is logged in to {1} as {2}.', name, host, username));
  return true;
}
