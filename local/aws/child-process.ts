import { spawn, type ChildProcess } from 'node:child_process';

export interface ManagedProcess {
  readonly pid: number | undefined;
  /** Last lines the process printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a long-running emulator process that cannot outlive us.
 *
 * The command runs under `sh` together with a `cat` that reads our stdin pipe: when this Node
 * process exits for any reason (even SIGKILL) the pipe closes, `cat` returns and the shell kills the
 * emulator. That is what keeps `npm start` and the test run from leaving an orphan `java` behind.
 */
export function spawnManaged(command: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): ManagedProcess {
  const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `${quoted} <&- & child=$!; trap 'kill $child 2>/dev/null; wait $child; exit 0' TERM INT; cat >/dev/null; kill $child 2>/dev/null; wait $child`;
  const child: ChildProcess = spawn('sh', ['-c', script], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 50) lines.splice(0, lines.length - 50);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  // Let the Node process exit naturally even though the child is running; the pipe trick kills it then.
  child.unref();
  (child.stdout as unknown as { unref?: () => void })?.unref?.();
  (child.stderr as unknown as { unref?: () => void })?.unref?.();
  (child.stdin as unknown as { unref?: () => void })?.unref?.();
  return {
    pid: child.pid,
    output: () => lines.join('\n'),
    async stop() {
      if (exited) return;
      child.stdin?.end();
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exitPromise, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      if (!exited) child.kill('SIGKILL');
    },
  };
}
