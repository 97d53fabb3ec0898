/**
 * `npm run bench`: every benchmark of the repository in sequence, each printing
 * its figures as ratios measured in the same run. Scripts that other parts of
 * the repository add (verifiers, SDK overhead, Python, Go) run when present and
 * are reported as skipped when not.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const tsx = (file: string): [string, string[]] => [process.execPath, ['--import', 'tsx', join(here, file)]];

interface Bench {
  name: string;
  present: string;
  command: () => [string, string[]];
  cwd?: string;
}

const benches: Bench[] = [
  { name: 'fan-out and delivery', present: join(here, 'delivery.ts'), command: () => tsx('delivery.ts') },
  { name: 'statistics, webhook creation, retry queue', present: join(here, 'queries.ts'), command: () => tsx('queries.ts') },
  { name: 'TypeScript verifier', present: join(here, 'verify-typescript.ts'), command: () => tsx('verify-typescript.ts') },
  { name: 'TypeScript SDK overhead', present: join(here, 'client-overhead.ts'), command: () => tsx('client-overhead.ts') },
  {
    name: 'Python verifier',
    present: join(here, 'verify-python.py'),
    command: () => [join(root, 'sdks/python/.venv/bin/python'), [join(here, 'verify-python.py')]],
  },
  {
    name: 'Go verifier',
    present: join(here, 'go-verify'),
    // run.sh alternates the three verifiers over several rounds and prints medians and ratios.
    command: () => ['bash', [join(here, 'go-verify/run.sh')]],
  },
];

const summary: string[] = [];
for (const bench of benches) {
  console.log(`\n=== ${bench.name} ===`);
  if (!existsSync(bench.present)) {
    console.log(`skipped: not present (${bench.present.slice(root.length + 1)})`);
    summary.push(`${bench.name}: skipped: not present`);
    continue;
  }
  const [command, args] = bench.command();
  if (command.startsWith('/') && !existsSync(command)) {
    console.log(`skipped: ${command.slice(root.length + 1)} not found (create the virtualenv first)`);
    summary.push(`${bench.name}: skipped: interpreter missing`);
    continue;
  }
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: bench.cwd ?? here, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const ok = result.status === 0;
  summary.push(`${bench.name}: ${ok ? 'done' : `FAILED (exit ${result.status ?? result.signal ?? result.error?.message})`} in ${seconds} s`);
}
console.log(`\n=== summary ===\n${summary.join('\n')}`);
if (summary.some((line) => line.includes('FAILED'))) process.exitCode = 1;
