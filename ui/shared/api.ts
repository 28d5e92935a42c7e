/**
 * The inspector's JSON API, relative to the page (so it works under a mount path too). Requests are
 * same-origin: a browser that signed in (HTTP Basic, `--require-token`) sends its credentials along.
 */

/** The URL of an API path. */
export function apiUrl(path: string): string {
  return new URL(`_dt-ingest/ui/api/${path}`, document.baseURI).toString();
}

/** GETs JSON; throws an Error with the server's message on a failure (an `AbortError` when `signal` aborts). */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(apiUrl(path), { headers: { accept: 'application/json' }, ...(signal !== undefined ? { signal } : {}) });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `${res.status} ${res.statusText}`);
  }
  return (await res.json()) as T;
}
