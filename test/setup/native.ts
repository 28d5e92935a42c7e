/**
 * Every test file runs as Node.js users import the package: through the `node` entry, which loads the
 * native addon and registers it for the parser (`DT_INGEST_NATIVE` picks the backend of the run). Tests
 * import the stages from src/ directly; without this file they would all run on the TypeScript path.
 * The runtime-neutral root without it is tested by test/dist/browser.test.ts on the built bundle.
 */
import '../../src/node.js';
