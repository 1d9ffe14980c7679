import { createInterface } from 'node:readline/promises';
import { runAdmin, sdkClients, type AdminIo } from './admin/cli';

/**
 * `npm run admin -- <command> <user> [options]`: the operators' tools
 * (scripts/admin/cli.ts; README, "Operators' tools").
 */
const io: AdminIo = {
  print: (line) => console.log(line),
  log: (line) => console.error(line),
  terminal: {
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    ask: async (question) => {
      const prompt = createInterface({ input: process.stdin, output: process.stdout });
      try {
        return await prompt.question(question);
      } finally {
        prompt.close();
      }
    },
  },
};

void runAdmin(process.argv.slice(2), { io, clients: sdkClients, now: () => Math.floor(Date.now() / 1000) }).then((code) => {
  process.exitCode = code;
});
