// The Python SDK's checks: ruff, mypy --strict, generated-code staleness, pytest.
// Every step runs even after a failure; the exit code is non-zero if any failed.
// pytest's exit code 5 ("no tests collected") is a failure like any other.
import { spawnSync } from 'node:child_process';
import { bin, ensureVenv, root } from './venv.mjs';

ensureVenv();
const python = ['src', 'tests', 'scripts', '../../conformance-tests/testees/python', '../../bench/verify-python.py', '../../examples/python'];
const steps = [
  ['ruff check', [bin('ruff'), 'check', ...python]],
  ['ruff format', [bin('ruff'), 'format', '--check', ...python]],
  ['mypy --strict', [bin('mypy')]],
  ['generated code up to date', [bin('python'), 'scripts/generate.py', '--check']],
  ['pytest', [bin('python'), '-m', 'pytest', '-q', ...process.argv.slice(2)]],
];
const failed = [];
for (const [name, [cmd, ...args]] of steps) {
  console.log(`\n== python: ${name}`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed.push(`${name} (exit ${result.status ?? result.signal})`);
}
if (failed.length) {
  console.error(`\npython: FAILED: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('\npython: all checks passed');
