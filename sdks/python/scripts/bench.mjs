// Runs bench/verify-python.py (verify cost next to raw hmac and standardwebhooks).
import { execFileSync } from 'node:child_process';
import { bin, ensureVenv, root } from './venv.mjs';

ensureVenv();
execFileSync(bin('python'), ['../../bench/verify-python.py', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
