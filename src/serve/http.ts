/**
 * The HTTP plumbing the routes share: reading a body as it streams in (with its limit), answering,
 * closing a connection without reading the rest of a large body, and the token check.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * An answer the handler writes: JSON for objects, a string as is, `null` for no body.
 * @example { status: 503, body: { error: { code: 503, message: 'busy' } }, headers: { 'retry-after': '1' } }
 */
export interface Answer {
  status: number;
  body: unknown;
  /** Extra response headers (`Retry-After`, `Content-Type` of a passed-through body). */
  headers?: Record<string, string>;
  /** The body as {@link writeAnswer} wrote it (set there, so that it is serialized once). */
  text?: string;
  /** `body` already serialized as JSON bytes (the metrics route's answer): written as it is, in one write. */
  bytes?: Uint8Array;
}

/** Bodies up to this size are read and dropped after an early answer so the connection stays usable. */
const DRAIN_BYTES = 65_536;

/**
 * How reading a body ended.
 * @example { kind: 'too-large', bytes: 1_048_577 }
 */
export type BodyRead =
  | { kind: 'done'; bytes: number }
  | { kind: 'too-large'; bytes: number }
  | { kind: 'aborted'; bytes: number }
  | { kind: 'failed'; bytes: number; error: unknown };

/**
 * Where {@link readBody} hands each chunk: an object with `push` (a validator, an array) is called
 * as it is, so a route whose only reader is one object makes no closure for it.
 * @example const chunks: Uint8Array[] = []; await readBody(req, limit, chunks);
 */
export interface BodySink {
  push(chunk: Uint8Array): unknown;
}

/** A request body that a framework already read (`req.body` of Express body parsers). */
function preread(req: IncomingMessage): Uint8Array | undefined {
  const body = (req as { body?: unknown }).body;
  const consumed = req.readableEnded || (req as { _body?: unknown })._body === true;
  if (!consumed || body === undefined || body === null) return undefined;
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  // parsed JSON: its text again (positions in syntax errors cannot be those of the original)
  return Buffer.from(JSON.stringify(body) ?? '', 'utf8');
}

/**
 * Reads the body chunk by chunk into `sink` (a {@link BodySink} or a function), stopping (and
 * pausing the socket) as soon as more than `limit` bytes arrived.
 * @example const read = await readBody(req, 1_048_576, validator);
 */
export function readBody(req: IncomingMessage, limit: number, sink: BodySink | ((chunk: Uint8Array) => void)): Promise<BodyRead> {
  const already = preread(req);
  if (already !== undefined) {
    if (already.length > limit) return Promise.resolve({ kind: 'too-large', bytes: already.length });
    if (already.length > 0) {
      if (typeof sink === 'function') sink(already);
      else sink.push(already);
    }
    return Promise.resolve({ kind: 'done', bytes: already.length });
  }
  return new Promise((resolve) => {
    let bytes = 0;
    let settled = false;
    const finish = (r: BodyRead): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
      resolve(r);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > limit) {
        req.pause();
        finish({ kind: 'too-large', bytes });
        return;
      }
      try {
        if (typeof sink === 'function') sink(chunk);
        else sink.push(chunk);
      } catch (err) {
        req.pause();
        finish({ kind: 'failed', bytes, error: err });
      }
    };
    const onEnd = (): void => finish({ kind: 'done', bytes });
    const onAbort = (): void => finish({ kind: 'aborted', bytes });
    const onClose = (): void => {
      if (!req.complete) finish({ kind: 'aborted', bytes });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onClose);
  });
}

/** A sink that keeps nothing. */
const DROP: BodySink = { push: () => undefined };

/**
 * Reads and drops a body (faults), without keeping it.
 * @example const bytes = await drain(req);
 */
export function drain(req: IncomingMessage): Promise<number> {
  return readBody(req, Number.POSITIVE_INFINITY, DROP).then((r) => r.bytes);
}

/**
 * `{"error":{"code":N,"message":...}}`: the shape both envelope families share for request-level errors.
 * @example errorBody(404, 'No ingest endpoint at /x.')
 */
export function errorBody(code: number, message: string): { error: { code: number; message: string } } {
  return { error: { code, message } };
}

/**
 * Whether the request announces a body we would rather not read (unknown or large size).
 * @example if (hasUnreadBody(req)) closeWithoutReading(req, res, 2000, lingering)
 */
export function hasUnreadBody(req: IncomingMessage): boolean {
  if (req.readableEnded) return false;
  const cl = req.headers['content-length'];
  if (req.headers['transfer-encoding'] !== undefined) return true;
  if (cl === undefined) return false;
  const n = Number(cl);
  return !(n <= DRAIN_BYTES);
}

/**
 * Answers with `Connection: close` and then closes without reading the rest of the body. Node would
 * destroy the socket right after the answer, and a socket closed with unread data sends a reset that
 * makes the client's kernel drop our answer before the client reads it. So instead: stop reading
 * (TCP flow control holds the sender), send FIN after the answer, and destroy after `lingerMs`.
 * @example closeWithoutReading(req, res, options.lingerMs, lingering)
 */
export function closeWithoutReading(req: IncomingMessage, res: ServerResponse, lingerMs: number, lingering: Set<Socket>): void {
  res.setHeader('connection', 'close');
  const sock = req.socket as (Socket & { destroySoon?: () => void }) | null;
  if (sock === null || sock === undefined) return;
  sock.destroySoon = (): void => {
    sock.pause();
    sock.end();
    lingering.add(sock);
    const timer = setTimeout(() => sock.destroy(), lingerMs);
    timer.unref();
    sock.once('close', () => {
      clearTimeout(timer);
      lingering.delete(sock);
    });
  };
}

/**
 * Whether an `Authorization` header carries a token (`Api-Token <t>` or `Bearer <t>`).
 * @example hasToken('Api-Token dt0c01.abc') // true
 */
export function hasToken(header: string | undefined): boolean {
  if (header === undefined) return false;
  const sp = header.indexOf(' ');
  if (sp <= 0) return false;
  const scheme = header.slice(0, sp).toLowerCase();
  return (scheme === 'api-token' || scheme === 'bearer') && header.slice(sp + 1).trim() !== '';
}

/**
 * Writes an answer unless the response is already gone: JSON for objects (with its content type),
 * strings as they are, no body for `null`.
 * @example writeAnswer(res, { status: 202, body: null }, false)
 */
export function writeAnswer(res: ServerResponse, answer: Answer, closing: boolean): void {
  if (res.headersSent || res.destroyed) return;
  if (answer.bytes !== undefined) {
    res.statusCode = answer.status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('content-length', answer.bytes.length);
    if (closing) res.setHeader('connection', 'close');
    res.end(answer.bytes);
    return;
  }
  if (answer.body instanceof Uint8Array) {
    // a binary answer (OTLP's protobuf): its Content-Type comes with it in `headers`
    answer.text = `(${answer.body.length} bytes of ${answer.headers?.['content-type'] ?? 'binary data'})`;
    res.statusCode = answer.status;
    if (answer.headers !== undefined) for (const [k, v] of Object.entries(answer.headers)) res.setHeader(k, v);
    res.setHeader('content-length', answer.body.length);
    if (closing) res.setHeader('connection', 'close');
    res.end(answer.body);
    return;
  }
  let text: string;
  let type: string | undefined;
  if (answer.body === null || answer.body === undefined) text = '';
  else if (typeof answer.body === 'string') text = answer.body;
  else {
    text = JSON.stringify(answer.body);
    type = 'application/json; charset=utf-8';
  }
  answer.text = text;
  res.statusCode = answer.status;
  if (answer.headers !== undefined) for (const [k, v] of Object.entries(answer.headers)) res.setHeader(k, v);
  if (type !== undefined && !res.hasHeader('content-type')) res.setHeader('content-type', type);
  if (text !== '' && !res.hasHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  if (closing) res.setHeader('connection', 'close');
  res.end(text);
}
