import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The client as an app gets it: `npm pack` in client/ (its prepack builds dist/),
 * the tarball installed offline into an empty ESM project in a temp directory.
 */
export const clientPackageName = '@cognito-mfa-service/client';
export const repository = resolve(__dirname, '../..');

export interface ConsumerProject {
  readonly directory: string;
  /** The installed package's directory. */
  readonly installed: string;
  /** Paths inside the tarball, sorted. */
  readonly packedFiles: readonly string[];
}

export function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function installPackedClient(prefix: string): ConsumerProject {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', directory], join(repository, 'client'))) as [
    { filename: string; files: { path: string }[] },
  ];
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(directory, packed.filename)], directory);
  return {
    directory,
    installed: join(directory, 'node_modules', clientPackageName),
    packedFiles: packed.files.map((file) => file.path).sort(),
  };
}
