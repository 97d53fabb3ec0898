import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createAddressPolicy } from './address-policy.js';
import { toOutcome, type AttemptOutcome } from './outcome.js';
import { signatureHeader, type SignatureAlgorithm } from './sign.js';
import { createTransport, type TransportResult } from './transport.js';
import type { Dispatcher, DispatcherOptions } from './types.js';
import { USER_AGENT } from './user-agent.js';

/** The channel `trigger_webhook_event` notifies when it creates deliveries. */
export const DELIVERY_CHANNEL = 'hookline_deliveries';

/** One claimed attempt, as `claim_webhook_deliveries` returns it. */
interface ClaimedDelivery {
  delivery_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  url: string;
  attempt_number: number;
  max_attempts: number;
  webhook_id: string;
  secret: string;
  previous_secret: string | null;
  signature_algorithm: SignatureAlgorithm;
  timeout_seconds: number;
  challenge: string | null;
}

const CLAIM_SQL = 'select * from public.claim_webhook_deliveries($1, $2, $3, $4)';
const COMPLETE_SQL = 'select public.complete_webhook_deliveries($1, $2::jsonb) as applied';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Claims running at once per dispatcher. */
const MAX_CLAIMS_IN_FLIGHT = 2;

/**
 * Creates a dispatcher bound to one database. Any number of dispatchers (in any
 * number of processes) may run against the same database: claims use
 * `for update skip locked` and a lease, so each attempt goes to one worker, and a
 * dead worker's claims return to the queue when the lease ends.
 */
export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const db = opts.db;
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const log = opts.logger.child({ component: 'dispatcher', workerId });
  const concurrency = Math.max(1, opts.concurrency ?? 200);
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? 100, 1000));
  const leaseSeconds = Math.max(1, opts.leaseSeconds ?? 60);
  const pollIntervalMs = Math.max(10, opts.pollIntervalMs ?? 1000);
  const shutdownTimeoutMs = Math.max(0, opts.shutdownTimeoutMs ?? 10_000);
  // Claim only once this many slots are free, so a busy worker claims in
  // batches instead of one row per finished request.
  const minClaim = Math.max(1, Math.ceil(Math.min(batchSize, concurrency) / 4));
  const transport = createTransport({
    policy: createAddressPolicy(opts.allowPrivateNetworks ?? []),
    maxSockets: concurrency,
    lookup: opts.lookup,
  });

  // Attempts being sent, by delivery id; each promise resolves once the outcome is stored (or given up on).
  const inFlight = new Map<string, Promise<void>>();
  let running = false;
  let loopDone: Promise<void> = Promise.resolve();
  let unlisten: (() => Promise<void>) | null = null;
  let wakeRequested = false;
  let wake: (() => void) | null = null;

  // --- outcomes, written in batches: one complete_webhook_deliveries call takes
  // everything that finished while the previous call ran (group commit).
  let pending: Array<{ outcome: AttemptOutcome; done: () => void }> = [];
  let flushing: Promise<void> | null = null;

  function record(outcome: AttemptOutcome): Promise<void> {
    return new Promise<void>((done) => {
      pending.push({ outcome, done });
      scheduleFlush();
    });
  }

  function scheduleFlush(): void {
    if (flushing !== null || pending.length === 0) return;
    flushing = flushLoop().finally(() => {
      flushing = null;
      // Outcomes that arrived while the loop was ending start the next one.
      scheduleFlush();
    });
  }

  async function flushLoop(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    let failures = 0;
    while (pending.length > 0) {
      const batch = pending.slice(0, 500);
      try {
        await db.query(COMPLETE_SQL, [workerId, JSON.stringify(batch.map((p) => p.outcome))]);
        pending = pending.slice(batch.length);
        failures = 0;
        for (const p of batch) p.done();
      } catch (err) {
        failures++;
        log.error({ err: errorInfo(err), results: batch.length, failures }, 'recording delivery outcomes failed');
        // The leases run out eventually and another worker repeats the attempt
        // (same webhook-id); until then keep trying, but not forever once stopping.
        if (!running && failures >= 5) {
          pending = pending.slice(batch.length);
          for (const p of batch) p.done();
          continue;
        }
        await sleep(Math.min(5000, 100 * 2 ** failures));
      }
    }
  }

  // --- one attempt
  function send(row: ClaimedDelivery): Promise<void> {
    let recorded!: () => void;
    const done = new Promise<void>((resolve) => (recorded = resolve));
    // Registered before attempt() runs, which removes it once the request is over.
    inFlight.set(row.delivery_id, done);
    void attempt(row).then(record).then(recorded);
    return done;
  }

  /** Signs and POSTs one claimed delivery; resolves with what to record. */
  async function attempt(row: ClaimedDelivery): Promise<AttemptOutcome> {
    const done = (): void => {
      inFlight.delete(row.delivery_id);
      slotFreed();
    };
    const timestamp = Math.floor(Date.now() / 1000);
    const secrets = row.previous_secret ? [row.secret, row.previous_secret] : [row.secret];
    let signature: string;
    try {
      signature = signatureHeader(row.signature_algorithm, secrets, row.delivery_id, timestamp, row.payload);
    } catch (err) {
      done();
      log.error({ deliveryId: row.delivery_id, webhookId: row.webhook_id, err: errorInfo(err) }, 'cannot sign delivery');
      return {
        delivery_id: row.delivery_id,
        attempt_number: row.attempt_number,
        error_code: 'signing_failed',
        error_message: "the webhook's secret cannot sign; rotate it",
      };
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'webhook-id': row.delivery_id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
      'content-length': String(Buffer.byteLength(row.payload)),
    };
    let result: TransportResult;
    try {
      result = await transport.post({ url: row.url, headers, body: row.payload, timeoutMs: row.timeout_seconds * 1000 });
    } catch (err) {
      // post() reports network failures as results; a throw is a bug, recorded as a retryable failure.
      log.error({ deliveryId: row.delivery_id, err: errorInfo(err) }, 'sending a delivery failed unexpectedly');
      result = { status: null, headers: null, body: null, truncated: false, timeMs: 0, errorCode: 'network_error', errorMessage: 'internal error while sending' };
    }
    done();
    if (result.errorCode === 'aborted') {
      // Stopped mid-request: hand it back; the receiver may have it already,
      // and the next attempt carries the same webhook-id.
      return { delivery_id: row.delivery_id, attempt_number: row.attempt_number, release: true };
    }
    const outcome = toOutcome(
      { delivery_id: row.delivery_id, attempt_number: row.attempt_number, request_headers: headers, request_signature: signature },
      result,
      row.challenge,
    );
    if (outcome.error_code === 'blocked_address') {
      log.warn({ deliveryId: row.delivery_id, webhookId: row.webhook_id, reason: outcome.error_message }, 'delivery refused by the SSRF guard');
    } else {
      log.debug(
        { deliveryId: row.delivery_id, attempt: row.attempt_number, status: result.status, errorCode: outcome.error_code, ms: result.timeMs },
        'delivery attempt',
      );
    }
    return outcome;
  }

  // --- claiming
  async function claim(limit: number, deliveryId: string | null): Promise<ClaimedDelivery[]> {
    const { rows } = await db.query<ClaimedDelivery>(CLAIM_SQL, [workerId, limit, leaseSeconds, deliveryId]);
    return rows;
  }

  function requestWake(): void {
    wakeRequested = true;
    const w = wake;
    wake = null;
    w?.();
  }

  /** New work may exist (a notification, or the poll interval passed): claim again even if the queue looked empty. */
  function moreMayBeDue(): void {
    drained = false;
    news++;
    requestWake();
  }

  function slotFreed(): void {
    if (concurrency - inFlight.size - reserved >= minClaim) requestWake();
  }

  function waitForWake(timeoutMs: number | null): Promise<void> {
    if (wakeRequested || !running) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = timeoutMs === null ? null : setTimeout(moreMayBeDue, timeoutMs);
      wake = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });
  }

  // Claims run up to MAX_CLAIMS_IN_FLIGHT at a time, so a claim's round trip
  // overlaps the next one's instead of leaving the request slots idle.
  let claimsInFlight = 0;
  let reserved = 0; // slots promised to claims still running
  let drained = false; // the last claim found fewer due deliveries than it asked for
  let news = 0; // counts notifications, so a claim that started before one cannot declare the queue empty
  let claimFailures = 0;
  const claims = new Set<Promise<void>>();

  function startClaim(want: number): void {
    claimsInFlight++;
    reserved += want;
    const newsAtStart = news;
    const done: Promise<void> = claim(want, null)
      .then(
        (rows) => {
          claimFailures = 0;
          drained = rows.length < want && news === newsAtStart;
          for (const row of rows) {
            if (running) send(row);
            else void record({ delivery_id: row.delivery_id, attempt_number: row.attempt_number, release: true });
          }
        },
        (err: unknown) => {
          claimFailures++;
          drained = true;
          log.error({ err: errorInfo(err), failures: claimFailures }, 'claiming deliveries failed');
        },
      )
      .finally(() => {
        claimsInFlight--;
        reserved -= want;
        claims.delete(done);
        requestWake();
      });
    claims.add(done);
  }

  async function loop(): Promise<void> {
    while (running) {
      wakeRequested = false;
      const free = concurrency - inFlight.size - reserved;
      if (!drained && claimsInFlight < MAX_CLAIMS_IN_FLIGHT && free >= minClaim) {
        startClaim(Math.min(batchSize, free));
        continue;
      }
      // Wait for a claim to finish, a slot to free, a notification, or (when the
      // queue looked empty) the poll interval; after failures, back off.
      const idle = drained && claimsInFlight === 0;
      await waitForWake(idle ? (claimFailures > 0 ? Math.min(10_000, 100 * 2 ** claimFailures) : pollIntervalMs) : null);
    }
    await Promise.all([...claims]);
  }

  return {
    async start() {
      if (running) return;
      running = true;
      try {
        unlisten = await db.listen(DELIVERY_CHANNEL, moreMayBeDue);
      } catch (err) {
        log.warn({ err: errorInfo(err) }, `LISTEN ${DELIVERY_CHANNEL} failed; polling every ${pollIntervalMs} ms`);
      }
      loopDone = loop();
      log.info({ concurrency, batchSize, leaseSeconds, pollIntervalMs }, 'dispatcher started');
    },

    async stop() {
      if (!running) {
        await loopDone;
        return;
      }
      running = false;
      requestWake();
      await loopDone;
      if (unlisten) {
        await unlisten().catch((err: unknown) => log.warn({ err: errorInfo(err) }, 'UNLISTEN failed'));
        unlisten = null;
      }
      const all = (): Promise<unknown> => Promise.all([...inFlight.values()]);
      if (inFlight.size > 0) {
        const timedOut = await Promise.race([all().then(() => false), sleep(shutdownTimeoutMs).then(() => true)]);
        if (timedOut) {
          log.warn({ inFlight: inFlight.size }, 'shutdown bound reached; releasing deliveries still in flight');
          transport.abortAll();
        }
        await all();
      }
      while (flushing) await flushing;
      transport.close();
      log.info({}, 'dispatcher stopped');
    },

    async deliverNow(deliveryId: string) {
      const deadline = Date.now() + (leaseSeconds + 70) * 1000;
      let firstAttempt: number | null = null;
      for (;;) {
        const local = inFlight.get(deliveryId);
        if (local) {
          await local;
          return;
        }
        const [row] = await claim(1, deliveryId);
        if (row) {
          await send(row);
          return;
        }
        // Another worker holds it, or it is done: wait for that worker's attempt.
        const { rows } = await db.query<{ status: string; attempt_number: number; active: boolean; later: boolean }>(
          `select d.status, d.attempt_number, w.is_active as active,
                  (d.locked_until is null or d.locked_until <= now()) and d.next_retry_at > now() as later
             from public.webhook_deliveries d join public.webhooks w on w.id = d.webhook_id
            where d.id = $1`,
          [deliveryId],
        );
        const state = rows[0];
        if (!state) throw new Error(`delivery ${deliveryId} not found`);
        firstAttempt ??= state.attempt_number;
        const waiting = state.status === 'pending' || state.status === 'retrying';
        if (!waiting || !state.active || state.later || state.attempt_number > firstAttempt) return;
        if (Date.now() > deadline) throw new Error(`delivery ${deliveryId} is still held by another worker`);
        await sleep(25);
      }
    },
  };
}

/** Error fields safe to log: never the SQL parameters (they carry secrets). */
function errorInfo(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown };
    return { name: e.name, message: e.message, code: e.code };
  }
  return { message: String(err) };
}
