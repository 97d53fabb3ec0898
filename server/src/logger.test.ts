import { describe, expect, it } from 'vitest';
import { createLogger, parseLogLevel, redact } from './logger.js';

function collect() {
  const lines: string[] = [];
  return { lines, write: (l: string) => void lines.push(l), parsed: () => lines.map((l) => JSON.parse(l)) };
}

describe('logger', () => {
  it('writes one JSON object per line with level, time, bindings and message', () => {
    const out = collect();
    const log = createLogger({ level: 'info', write: out.write, bindings: { service: 'api' } });
    log.child({ requestId: 'r1' }).info({ webhookId: 'w1' }, 'created');
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]!.endsWith('\n')).toBe(true);
    const [line] = out.parsed();
    expect(line).toMatchObject({ level: 'info', service: 'api', requestId: 'r1', webhookId: 'w1', msg: 'created' });
    expect(Number.isNaN(Date.parse(line.time))).toBe(false);
  });

  it('drops lines below its level', () => {
    const out = collect();
    const log = createLogger({ level: 'warn', write: out.write });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error({ err: new Error('boom') }, 'e');
    expect(out.parsed().map((l) => l.level)).toEqual(['warn', 'error']);
    expect(out.parsed()[1].err.message).toBe('boom');
  });

  it('redacts credential-looking fields at any depth', () => {
    const out = collect();
    const log = createLogger({ level: 'debug', write: out.write });
    log.info({
      headers: { Authorization: 'Bearer eyJabc', 'x-request-id': 'r' },
      webhook: { secret: 'whsec_AAAA', previous_secret: 'whsec_BBBB', name: 'n' },
      list: [{ accessToken: 't' }],
    });
    const text = out.lines.join('');
    expect(text).not.toContain('eyJabc');
    expect(text).not.toContain('whsec_');
    expect(text).not.toMatch(/"t"/);
    expect(out.parsed()[0].headers['x-request-id']).toBe('r');
    expect(out.parsed()[0].webhook.name).toBe('n');
  });

  it('parses levels leniently', () => {
    expect(parseLogLevel('DEBUG')).toBe('debug');
    expect(parseLogLevel('nonsense')).toBe('info');
    expect(parseLogLevel(undefined)).toBe('info');
    expect(redact({ password: null })).toEqual({ password: null });
  });
});
