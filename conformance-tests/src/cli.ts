/**
 * `tsx conformance-tests/src/cli.ts --sdk <name>|all [--case <substring>]`
 *
 * Runs the conformance cases against one SDK's testee (or every SDK with a
 * conformance-tests/sdks/<name>.json). Prints one line per case, then exactly
 * `conformance: N passed, N failed, N skipped`; exits 1 on any failure
 * (including a knownFailing case that passes), 2 on bad usage or case files.
 */
import { loadCases } from './cases.js';
import { run } from './runner.js';
import { availableSdks, loadSdk } from './sdks.js';

function usage(message?: string): never {
  if (message) console.error(message);
  console.error('usage: tsx conformance-tests/src/cli.ts --sdk <name>|all [--case <substring>]');
  process.exit(2);
}

function parseArgs(argv: string[]): { sdk: string; filter?: string } {
  let sdk: string | undefined;
  let filter: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--sdk') sdk = value();
    else if (flag === '--case') filter = value();
    else if (flag === '--help' || flag === '-h') usage();
    else usage(`unknown argument ${arg}`);
  }
  if (!sdk) usage('--sdk is required');
  return { sdk, filter };
}

async function main(): Promise<void> {
  const { sdk, filter } = parseArgs(process.argv.slice(2));
  let cases;
  let sdks;
  try {
    cases = loadCases();
    const names = sdk === 'all' ? availableSdks() : sdk.split(',');
    sdks = names.map(loadSdk);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  if (filter && !cases.some((c) => c.name.includes(filter))) usage(`no case name contains "${filter}"`);
  if (sdks.length === 0) console.log('no SDK has a conformance-tests/sdks/<name>.json yet');
  const summary = await run({ sdks, cases, filter });
  const unknownKnown = sdks.flatMap((s) =>
    s.knownFailing.filter((n) => !cases.some((c) => c.name === n)).map((n) => `[${s.sdk}] knownFailing names no case: "${n}"`),
  );
  for (const line of unknownKnown) console.log(`FAIL ${line}`);
  const failed = summary.failed + unknownKnown.length;
  console.log(`conformance: ${summary.passed} passed, ${failed} failed, ${summary.skipped} skipped`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
