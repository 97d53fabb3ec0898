#!/usr/bin/env node
// Stable entry for the `hookline` bin: it exists before the first build, so npm links it on install.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('hookline: the server is not built yet; run `npm run build -w @hookline/server` (or `npm start`) first\n');
  process.exit(1);
}
await import(cli.href);
