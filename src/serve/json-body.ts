/**
 * A JSON body judged by the validator of its route: what the JSON routes answer, and what the
 * inspector judges again when a page asks for a request's detail.
 *
 * @module
 */
import { validateCustomDevice, validateEvents, validateSmartscapeEvents, validateSyntheticTests, type ResolvedEventsOptions } from '../events/index.js';
import type { AnyBodyValidationResult } from '../events/envelopes.js';
import type { IngestRouteName } from './route-table.js';

/**
 * Judges a JSON body with the validator of its route (the custom device id for that route).
 * @example judgeJsonBody('events', '', bytes, resolveEventsOptions()).status // 202
 */
export function judgeJsonBody(route: IngestRouteName, customDeviceId: string, bytes: Uint8Array, eo: ResolvedEventsOptions): AnyBodyValidationResult {
  return route === 'events'
    ? validateEvents(bytes, eo)
    : route === 'smartscape'
      ? validateSmartscapeEvents(bytes, eo)
      : route === 'synthetic'
        ? validateSyntheticTests(bytes, eo)
        : validateCustomDevice(customDeviceId, bytes, eo);
}
