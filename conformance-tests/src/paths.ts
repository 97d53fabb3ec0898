/** Where things are: the conformance-tests folder and the repository root. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONFORMANCE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = join(CONFORMANCE_DIR, '..');
