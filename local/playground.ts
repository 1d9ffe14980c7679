import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface Playground {
  /** The page, with the Local API's URL written into it. */
  page(apiUrl: string): string;
  /** The page's script: local/playground/app.ts with the client (client/index.ts) bundled for the browser. */
  readonly script: string;
}

/** Bundles the playground once at start, in memory. */
export async function buildPlayground(repository: string): Promise<Playground> {
  const directory = join(repository, 'local', 'playground');
  const result = await build({
    entryPoints: [join(directory, 'app.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  const script = result.outputFiles[0]?.text ?? '';
  const html = readFileSync(join(directory, 'index.html'), 'utf8');
  // The page names the URL in a data attribute; escaped, it stays a plain attribute value.
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return { page: (apiUrl) => html.replace('%API_URL%', escape(apiUrl)), script };
}
