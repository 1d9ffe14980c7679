import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { capturedLogLines } from './log-capture';

/**
 * `npm start` as a child process, the way a developer runs it (scripts/start.ts
 * under tsx, one Node.js process, so stopping it is one signal to one pid), on
 * a free port with a fresh state directory. Its output goes into the log
 * capture, so the file's log scan covers what the bundles logged.
 */
export interface StartedService {
  readonly child: ChildProcess;
  readonly apiUrl: string;
  readonly playgroundUrl: string;
  readonly port: number;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

const repository = resolve(__dirname, '../..');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

export interface StartOptions {
  /** A state directory to use and keep; default a fresh one, removed on stop. */
  readonly stateDirectory?: string;
  /** Arguments after `npm start --`, e.g. ['--reset']. Default none. */
  readonly args?: readonly string[];
}

export async function startService(readyWithinMs: number, options: StartOptions = {}): Promise<StartedService> {
  const port = await freePort();
  const stateDirectory = options.stateDirectory ?? mkdtempSync(join(tmpdir(), 'npm-start-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...(options.args ?? [])], {
    cwd: repository,
    env: { ...process.env, PORT: String(port), LOCAL_STATE_DIR: stateDirectory },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const ready = new Promise<{ apiUrl: string; playgroundUrl: string }>((done, fail) => {
    let apiUrl: string | undefined;
    let buffered = '';
    const timer = setTimeout(() => fail(new Error(`npm start was not ready within ${readyWithinMs} ms`)), readyWithinMs);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        capturedLogLines.push(line);
        apiUrl ??= line.match(/^Local API: (\S+)$/)?.[1];
        const playgroundUrl = line.match(/^Playground: (\S+)$/)?.[1];
        if (apiUrl && playgroundUrl) {
          clearTimeout(timer);
          done({ apiUrl, playgroundUrl });
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`npm start exited with ${code} before it was ready`));
    });
  });
  const { apiUrl, playgroundUrl } = await ready;
  return {
    child,
    apiUrl,
    playgroundUrl,
    port,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (!options.stateDirectory) rmSync(stateDirectory, { recursive: true, force: true });
      return code;
    },
  };
}

/** Whether anything still accepts connections on the port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}
