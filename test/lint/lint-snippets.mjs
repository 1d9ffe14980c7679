// Lints snippets as if they were files of this repository, with the repository's
// own eslint.config.mjs; type-aware rules are off because the files do not exist.
// Reads [{ file, source }] as JSON on stdin, writes each file's rule ids to stdout.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { text } from 'node:stream/consumers';
import { resolve } from 'node:path';
import process from 'node:process';

const root = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked });
const snippets = JSON.parse(await text(process.stdin));
const findings = [];
for (const { file, source } of snippets) {
  const [result] = await eslint.lintText(source, { filePath: resolve(root, file) });
  findings.push(result.messages.map((message) => message.ruleId ?? `fatal: ${message.message}`));
}
process.stdout.write(JSON.stringify(findings));
