// Regenerates src/hookline/_generated/ from schema/ with ariadne-codegen (in .venv).
import { execFileSync } from 'node:child_process';
import { bin, ensureVenv, root } from './venv.mjs';

ensureVenv();
execFileSync(bin('python'), ['scripts/generate.py', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
