/**
 * The deployment files (docs/deploy.md) stay true to the server: the Dockerfile's and the Kubernetes
 * manifest's flags parse as `dt-ingest serve` flags, every probe and the scrape path name a route the
 * server answers, the grace period covers the drain and the shutdown, and the drain sequence itself
 * works: `/readyz` answers 503 at once while every other route is still served, then the server closes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseServeArgs } from '../../../src/cli/commands/serve.js';
import { matchRoute } from '../../../src/serve/route-table.js';
import { startServer } from '../../../src/serve/index.js';

const root = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

interface Container {
  args: string[];
  env?: { name: string }[];
  readinessProbe: { httpGet: { path: string } };
  livenessProbe: { httpGet: { path: string } };
}

describe('deploy/kubernetes/proxy.yaml', () => {
  const docs = parseAllDocuments(read('deploy/kubernetes/proxy.yaml')).map((d) => d.toJS() as { kind: string; spec: Record<string, unknown> });
  const deployment = docs.find((d) => d.kind === 'Deployment')!;
  const pod = (deployment.spec.template as { metadata: { annotations: Record<string, string> }; spec: Record<string, unknown> }).spec;
  const container = (pod.containers as Container[])[0]!;

  it('holds a Deployment, a Service and a HorizontalPodAutoscaler aimed at it', () => {
    expect(docs.map((d) => d.kind)).toEqual(['Deployment', 'Service', 'HorizontalPodAutoscaler']);
    const hpa = docs[2]!.spec as { scaleTargetRef: { kind: string; name: string } };
    expect(hpa.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'dt-ingest-proxy' });
  });

  it("its container's arguments are valid serve flags (the pod IP filled in as Kubernetes does)", () => {
    expect(container.env?.map((e) => e.name)).toContain('POD_IP');
    const args = container.args.map((a) => a.replace('$(POD_IP)', '10.1.2.3'));
    const o = parseServeArgs(['--host', '0.0.0.0', '--port', '8080', '--no-ui', ...args]);
    expect(o).toMatchObject({ mode: 'proxy', filter: true, drainDelayMs: 5000, shutdownTimeoutMs: 15000 });
    // the grace period covers the drain and the shutdown, so a pod is never killed mid-drain
    expect((pod.terminationGracePeriodSeconds as number) * 1000).toBeGreaterThan(o.drainDelayMs + o.shutdownTimeoutMs);
  });

  it('every probe and the scrape path name a route the server answers', () => {
    const annotations = (deployment.spec.template as { metadata: { annotations: Record<string, string> } }).metadata.annotations;
    for (const path of [container.readinessProbe.httpGet.path, container.livenessProbe.httpGet.path, annotations['prometheus.io/path']!]) {
      expect(matchRoute(path).kind, path).toBe('control');
    }
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
  });
});

describe('deploy/Dockerfile', () => {
  it('its entrypoint and default command are valid serve flags', () => {
    const text = read('deploy/Dockerfile');
    const json = (directive: string): string[] => JSON.parse(new RegExp(`^${directive} (\\[.*\\])$`, 'm').exec(text)![1]!) as string[];
    const entry = json('ENTRYPOINT');
    expect(entry.slice(0, 2)).toEqual(['dt-ingest', 'serve']);
    expect(parseServeArgs([...entry.slice(2), ...json('CMD')])).toMatchObject({ host: '0.0.0.0', port: 8080, ui: false, mode: 'mock' });
  });
});

describe('drain', () => {
  it('/readyz answers 503 at once while the other routes are still served; then the server closes', async () => {
    const s = await startServer({ port: 0, ui: false });
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    // a long delay: the checks below run inside it however busy the machine is; close() ends it
    const drained = s.drain(60_000);
    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'draining' });
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    const ingest = await fetch(`${s.url}/api/v2/metrics/ingest`, { method: 'POST', body: 'cpu.temp,host=a 42\n', headers: { 'content-type': 'text/plain' } });
    expect(ingest.status).toBe(202);
    expect(s.handler.store.snapshot().metrics.items).toEqual(['cpu.temp,host=a 42']);
    await s.close();
    await drained;
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
  });

  it('without a delay, drain() closes like close()', async () => {
    const s = await startServer({ port: 0, ui: false });
    await s.drain(0);
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
  });
});
