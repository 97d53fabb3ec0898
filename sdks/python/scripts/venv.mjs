// Creates sdks/python/.venv and installs the package (editable) with its dev tools.
// Idempotent and quick: reinstalls only when pyproject.toml or package.json (the version) changed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const venv = join(root, '.venv');
export const bin = (name) => join(venv, process.platform === 'win32' ? 'Scripts' : 'bin', name);

function findPython() {
  for (const candidate of [process.env.PYTHON, 'python3', 'python'].filter(Boolean)) {
    try {
      const version = execFileSync(candidate, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
        encoding: 'utf8',
      }).trim();
      const [major, minor] = version.split('.').map(Number);
      if (major === 3 && minor >= 10) return candidate;
    } catch {
      // not installed; try the next name
    }
  }
  throw new Error('Python >= 3.10 is required (set PYTHON to its path)');
}

export function ensureVenv() {
  const stampFile = join(venv, '.hookline-stamp');
  const stamp = createHash('sha256')
    .update(readFileSync(join(root, 'pyproject.toml')))
    .update(readFileSync(join(root, 'package.json')))
    .digest('hex');
  if (existsSync(bin('python')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (!existsSync(bin('python'))) {
    console.log('python: creating sdks/python/.venv');
    run(findPython(), ['-m', 'venv', venv]);
  }
  console.log('python: installing hookline (editable) with dev dependencies');
  run(bin('python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--upgrade', 'pip']);
  run(bin('python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-e', '.[dev]']);
  writeFileSync(stampFile, stamp);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureVenv();
  console.log('python: .venv ready');
}
