import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The server package's version, found by walking up from this file (works from src/ and dist/). */
function serverVersion(): string {
  try {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (let i = 0; i < 6; i++) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === '@hookline/server' && pkg.version) return pkg.version;
      } catch {
        // no package.json here; keep walking up
      }
      dir = dirname(dir);
    }
  } catch {
    // import.meta.url unavailable (bundled oddly): fall through
  }
  return '0.0.0';
}

/** `user-agent` of every delivery: names Hookline, its version and where to read about it. */
export const USER_AGENT = `Hookline/${serverVersion()} (+https://github.com/hookline/hookline)`;
