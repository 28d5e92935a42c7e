/**
 * Commands and flags: --help everywhere (exit 0, every flag of the options tables listed), --version
 * from package.json, did-you-mean for commands, families, flags and values, unknown flags as errors
 * (never file names), flags given twice, usage errors as one line with exit 2.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENTS_DEFAULTS, FIX_DEFAULTS, METRICS_DEFAULTS } from '../../../src/index.js';
import { kebab } from '../../../src/cli/flags.js';
import { EXAMPLE, ROOT, run } from './helpers.js';

const pkg = JSON.parse(readFileSync(ROOT + 'package.json', 'utf8')) as { version: string };

const COMMANDS = [
  ['validate', 'metrics'],
  ['validate', 'events'],
  ['validate', 'smartscape'],
  ['validate', 'synthetic'],
  ['validate', 'custom-device'],
  ['fix', 'metrics'],
  ['validate'],
  ['fix'],
  ['bench'],
  ['serve'],
  [],
];

describe('help', () => {
  for (const command of COMMANDS) {
    it(`dt-ingest ${[...command, '--help'].join(' ')} and -h exit 0 with a usage text`, async () => {
      for (const flag of ['--help', '-h']) {
        const r = await run([...command, flag]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/Usage:/);
        expect(r.stderr).toBe('');
      }
    });
  }

  it('help wins over other flags, and `dt-ingest help <command> <family>` is the same text', async () => {
    const a = await run(['validate', 'metrics', '--bogus', '--help']);
    const b = await run(['help', 'validate', 'metrics']);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });

  it('every metrics option is a flag in validate metrics --help, every metrics and fix option in fix metrics --help', async () => {
    const v = (await run(['validate', 'metrics', '--help'])).stdout;
    for (const key of Object.keys(METRICS_DEFAULTS)) expect(v).toContain(`--${kebab(key)}`);
    const f = (await run(['fix', 'metrics', '--help'])).stdout;
    for (const key of Object.keys({ ...METRICS_DEFAULTS, ...FIX_DEFAULTS })) expect(f).toContain(`--${kebab(key)}`);
  });

  it('all 35 JSON body options are flags of every JSON family, and they parse', async () => {
    expect(Object.keys(EVENTS_DEFAULTS)).toHaveLength(35);
    for (const family of ['events', 'smartscape', 'synthetic', 'custom-device', 'logs', 'bizevents']) {
      const h = (await run(['validate', family, '--help'])).stdout;
      for (const key of Object.keys(EVENTS_DEFAULTS)) expect(h, `${family} --${kebab(key)}`).toContain(`--${kebab(key)}`);
    }
    // the array option is a repeatable list: a field outside the allowlist is rejected
    const body = '[{"id":"HOST-0000000000000001","secret":1}]';
    const without = await run(['validate', 'smartscape', '-', '--format', 'dynatrace', '--now', String(Date.now())], { stdin: body });
    const withList = await run(
      [
        'validate',
        'smartscape',
        '-',
        '--format',
        'dynatrace',
        '--smartscape-field-allowlist',
        'name,other',
        '--smartscape-field-allowlist',
        'more',
        '--now',
        String(Date.now()),
      ],
      { stdin: body },
    );
    expect(JSON.parse(without.stdout).status).toBe(202);
    expect(JSON.parse(withList.stdout).status).toBe(400);
    expect(withList.stdout).toContain('secret');
    const small = await run(['validate', 'events', '-', '--events-max-body-bytes', '5', '--format', 'dynatrace'], { stdin: '[{"a":1}]' });
    expect(JSON.parse(small.stdout).status).toBe(413);
  });

  it('the help lists every command and every format', async () => {
    const top = (await run(['--help'])).stdout;
    for (const c of ['validate metrics', 'validate events', 'validate custom-device', 'fix metrics', 'bench', 'serve']) expect(top).toContain(c);
    const v = (await run(['validate', 'events', '--help'])).stdout;
    for (const f of ['stylish', 'json', 'sarif', 'github', 'junit', 'dynatrace']) expect(v).toMatch(new RegExp(`^  ${f} `, 'm'));
    const fix = (await run(['fix', 'metrics', '--help'])).stdout;
    expect(fix).not.toMatch(/^ {2}dynatrace /m);
  });

  it('no arguments: the help on stderr and exit 2', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage:');
  });
});

describe('--version', () => {
  it("prints package.json's version", async () => {
    for (const flag of ['--version', '-v']) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
    }
  });
});

describe('mistakes: one line, exit 2, the closest name', () => {
  const cases: [string[], RegExp][] = [
    [['valdate'], /unknown command 'valdate'; did you mean 'validate'\?/],
    [['validate', 'metrcs'], /unknown validate family 'metrcs'; did you mean 'metrics'\?/],
    [['fix', 'metric'], /did you mean 'metrics'\?/],
    [['validate', 'metrics', '--fromat', 'json', EXAMPLE], /unknown flag '--fromat'; did you mean '--format'\?/],
    [['validate', 'metrics', '--max-body-byte', '10', EXAMPLE], /did you mean '--max-body-bytes'\?/],
    [['validate', 'metrics', '--no-colr', EXAMPLE], /did you mean '--no-color'\?/],
    [['validate', 'metrics', '--format', 'jsn', EXAMPLE], /--format takes .*not 'jsn'; did you mean 'json'\?/],
    [['validate', 'metrics', '--rule', 'metric-key-chnged=off', EXAMPLE], /unknown rule 'metric-key-chnged'; did you mean 'metric-key-changed'\?/],
    [['validate', 'metrics', '--rule', 'metric-key-changed=of', EXAMPLE], /did you mean 'off'\?/],
    [['validate', 'metrics', '--rule', 'metric-key-changed', EXAMPLE], /--rule takes ID=off\|warn\|error/],
    [['validate', 'metrics', '-Q', EXAMPLE], /unknown flag '-Q'; did you mean '-q'\?/],
    [['validate', 'metrics', '-x', EXAMPLE], /^dt-ingest: unknown flag '-x' \(try --help\)\n$/],
    [['validate', 'events', '--format', 'json', '--format', 'stylish'], /--format given twice \('--format json', then '--format stylish'\)/],
    [['validate', 'metrics', '-q', '--quiet', EXAMPLE], /--quiet given twice/],
    [['validate', 'metrics', '--split', '--split=true', EXAMPLE], /given twice/],
    [['validate', 'metrics', '--no-split', EXAMPLE], /unknown flag '--no-split'; did you mean '--split'\?/],
    [['validate', 'metrics', '--format', '--quiet', EXAMPLE], /--format needs a value, got the flag '--quiet'/],
    [['validate', 'metrics', '--format'], /--format needs a value/],
    [['validate', 'metrics', '--max-body-bytes', 'lots', EXAMPLE], /--max-body-bytes takes a non-negative number, not 'lots'/],
    [['validate', 'metrics', '--max-warnings', '1.5', EXAMPLE], /--max-warnings takes a non-negative whole number/],
    [['validate', 'metrics', '--quiet=maybe', EXAMPLE], /--quiet is a switch/],
    [['validate', 'metrics', '--split', EXAMPLE, '-f', 'json', '--max-body-bytes', 'Infinity'], /--split needs a finite --max-body-bytes/],
    [['validate', 'events', '--split'], /unknown flag '--split'/],
    [['validate', 'metrics', '--now', 'yesterday', EXAMPLE], /--now takes epoch milliseconds/],
    [['validate', 'metrics', '--format', 'dynatrace', '--rule', 'payload-missing=off', EXAMPLE], /--rule does not apply to --format dynatrace/],
    [['validate', 'metrics', '--format', 'dynatrace', '--max-warnings', '0', EXAMPLE], /--max-warnings does not apply to --format dynatrace/],
    [['fix', 'metrics', '--format', 'dynatrace', EXAMPLE], /fix has none/],
    [['fix', 'metrics', EXAMPLE, EXAMPLE + '.missing'], /cannot read/],
    [['validate', 'custom-device'], /validate custom-device needs --id <customDeviceId>/],
    [['validate'], /validate what\? give one of metrics, events/],
    [['validate', '--format', 'json'], /validate what\?/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--bogus'], /unknown flag '--bogus'/],
    [['bench', 'a', 'b'], /one input at a time/],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(' ').replaceAll(EXAMPLE, 'FILE'), async () => {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/^dt-ingest: [^\n]+\n$/);
      expect(r.stdout).toBe('');
    });
  }

  it('an unknown short flag never becomes a file name, a flag after -- does', async () => {
    const r = await run(['validate', 'metrics', '-q', '-z', EXAMPLE]);
    expect(r.stderr).toContain("unknown flag '-z'");
    const after = await run(['validate', 'metrics', '--', '--not-a-flag']);
    expect(after.stderr).toBe("dt-ingest: cannot read '--not-a-flag': no such file or directory\n");
  });

  it('--rule is repeatable and takes lists; `--flag=value` and short groups work', async () => {
    const r = await run([
      'validate',
      'metrics',
      '-qf',
      'json',
      '--rule',
      'payload-missing=warn,metric-key-changed=off',
      '--rule=dimension-key-char=off',
      `--now=${1_700_000_000_000}`,
      EXAMPLE,
    ]);
    expect(r.code).toBe(1);
    const [file] = JSON.parse(r.stdout) as { messages: { ruleId: string }[] }[];
    expect(file!.messages.map((m) => m.ruleId)).toEqual(['dimension-value-unescaped-space', 'metric-key-digit-section']);
  });
});

describe('embedding', () => {
  it('runCli can run many times on the same streams without gathering listeners', async () => {
    const { PassThrough, Readable } = await import('node:stream');
    const { runCli } = await import('../../../src/cli/main.js');
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdout.resume();
    stderr.resume();
    const before = stdout.listenerCount('error');
    for (let i = 0; i < 20; i++) {
      const code = await runCli(['validate', 'metrics', '-'], { stdin: Readable.from([Buffer.from('bad\n')]), stdout, stderr, env: {} });
      expect(code).toBe(1);
    }
    expect(stdout.listenerCount('error')).toBe(before);
  });
});
