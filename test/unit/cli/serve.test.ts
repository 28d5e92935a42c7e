import { describe, expect, it } from 'vitest';
import { resolveServeOptions } from '../../../src/serve/options.js';
import { parseServeArgs, SERVE_HELP } from '../../../src/cli/commands/serve.js';
import { retryDelay } from '../../../src/produce/index.js';
import { UsageError } from '../../../src/cli/args.js';

describe('serve command line', () => {
  it('derives every flag from the options tables, with the --fault-NNN-rate spellings', () => {
    const o = parseServeArgs([
      '--port',
      '8080',
      '--host',
      '0.0.0.0',
      '--mode',
      'proxy',
      '--upstream',
      'https://abc.live.dynatrace.com/',
      '--filter',
      '--require-token',
      '--fault-429-rate',
      '0.1',
      '--fault-503-rate=0.2',
      '--latency-ms',
      '5',
      '--max-concurrent',
      '8',
      '--workers',
      '2',
      '--retry-count',
      '1',
      '--max-body-bytes',
      '1000000',
      '--events-max-body-bytes',
      '2000',
      '--no-rewrite-key-suffix',
    ]);
    expect(o).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      mode: 'proxy',
      upstream: 'https://abc.live.dynatrace.com',
      filter: true,
      requireToken: true,
      fault429Rate: 0.1,
      fault503Rate: 0.2,
      latencyMs: 5,
      maxConcurrent: 8,
      workers: 2,
      retryCount: 1,
    });
    expect(o.metrics).toEqual({ maxBodyBytes: 1_000_000, rewriteKeySuffix: false });
    expect(o.events).toEqual({ eventsMaxBodyBytes: 2000 });
    expect(SERVE_HELP).toContain('--fault-429-rate');
    expect(SERVE_HELP).toContain('--max-concurrent');
  });
  it('reports mistakes as usage errors', () => {
    expect(() => parseServeArgs(['--nope'])).toThrow(UsageError);
    expect(() => parseServeArgs(['--port', 'x'])).toThrow(UsageError);
    expect(() => parseServeArgs(['--mode', 'echo'])).toThrow("--mode takes mock or proxy, not 'echo'");
    expect(() => parseServeArgs(['--mode', 'prxy'])).toThrow("--mode takes mock or proxy, not 'prxy'; did you mean 'proxy'?");
    expect(() => parseServeArgs(['--allow-digit-leading-sectons'])).toThrow(
      "unknown flag '--allow-digit-leading-sectons'; did you mean '--allow-digit-leading-sections'? (try dt-ingest serve --help)",
    );
    expect(() => parseServeArgs(['--backend', 'nativ'])).toThrow("--backend takes auto, js or native, not 'nativ'; did you mean 'native'?");
    expect(() => parseServeArgs(['--filter'])).toThrow(/proxy mode only/);
    expect(() => parseServeArgs(['extra'])).toThrow(/unexpected argument/);
  });
  it('backs off exponentially with full jitter, raised to Retry-After', () => {
    // the serve flags feed the one retry policy of produce/response.ts
    const o = resolveServeOptions({ retryBaseMs: 100, retryMaxDelayMs: 1000 });
    const at = (r: number) => () => r;
    expect(retryDelay(0, o, undefined, at(0.999))).toBe(99);
    expect(retryDelay(3, o, undefined, at(0.5))).toBe(400);
    expect(retryDelay(10, o, undefined, at(0.999))).toBe(999);
    expect(retryDelay(0, o, undefined, at(0))).toBe(0);
    expect(retryDelay(0, o, 3000, at(0.5))).toBe(3000);
  });
});
