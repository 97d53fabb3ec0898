/** The per-SDK files conformance-tests/sdks/<sdk>.json (owned by each SDK). */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Feature } from './cases.js';
import { CONFORMANCE_DIR, REPO_ROOT } from './paths.js';

export interface SdkConfig {
  sdk: string;
  /** argv of the testee, run from `cwd`. */
  command: string[];
  /** Absolute working directory. */
  cwd: string;
  features: Feature[];
  knownFailing: string[];
  env?: Record<string, string>;
}

const SDKS_DIR = join(CONFORMANCE_DIR, 'sdks');

function parse(path: string): SdkConfig {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<SdkConfig>;
  const problems: string[] = [];
  if (typeof raw.sdk !== 'string') problems.push('"sdk" must be a string');
  if (!Array.isArray(raw.command) || raw.command.length === 0 || !raw.command.every((c) => typeof c === 'string')) {
    problems.push('"command" must be a non-empty array of strings');
  }
  if (!Array.isArray(raw.features)) problems.push('"features" must be an array');
  if (raw.knownFailing !== undefined && !Array.isArray(raw.knownFailing)) problems.push('"knownFailing" must be an array');
  if (problems.length) throw new Error(`${path}: ${problems.join('; ')}`);
  const cwd = raw.cwd ?? '.';
  return {
    sdk: raw.sdk!,
    command: raw.command!,
    cwd: isAbsolute(cwd) ? cwd : join(REPO_ROOT, cwd),
    features: raw.features!,
    knownFailing: raw.knownFailing ?? [],
    env: raw.env,
  };
}

/** Every SDK with a features file, sorted by name. */
export function availableSdks(): string[] {
  if (!existsSync(SDKS_DIR)) return [];
  return readdirSync(SDKS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Reads sdks/<name>.json. */
export function loadSdk(name: string): SdkConfig {
  const path = join(SDKS_DIR, `${name}.json`);
  if (!existsSync(path)) throw new Error(`no conformance-tests/sdks/${name}.json (available: ${availableSdks().join(', ') || 'none'})`);
  return parse(path);
}
