// One worker process of the suite runner (index.js): it runs test files one after another, each through
// jest-circus as Jest's own runner does, but in this process's one module registry. Node's modules
// (Nest, TypeORM, BullMQ…) and the compiled TypeScript are loaded once per worker instead of once per
// file, which was ~1 s of every e2e suite's time. What a file changes outside the modules it loads
// (environment variables, the working directory, mocks and spies, the test timeout) is put back after it.
'use strict';
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const { createScriptTransformer } = require('@jest/transform');
const { ModuleMocker } = require('jest-mock');

// jest-circus's per-file set-up and its result format (the module Jest's own adapter loads in each file's
// registry). It keeps its state and event handlers on globals; a fresh copy per file starts them fresh.
const CIRCUS_INIT = join(dirname(require.resolve('jest-circus')), 'jestAdapterInit.js');
const CIRCUS_GLOBALS = [
  'EVENT_HANDLERS',
  'TEST_TIMEOUT_SYMBOL',
  'RETRY_TIMES',
  'RETRY_TIMES_SETTER',
  'RETRY_IMMEDIATELY',
  'WAIT_BEFORE_RETRY',
  'LOG_ERRORS_BEFORE_RETRY',
];
// Compiled files map their stack traces back to the TypeScript (ts-jest writes inline source maps).
process.setSourceMapsEnabled(true);

const TRANSFORM_OPTIONS = {
  instrument: false,
  supportsDynamicImport: false,
  supportsExportNamespaceFrom: false,
  supportsStaticESM: false,
  supportsTopLevelAwait: false,
};
/** The transform the hook was installed with (its config as JSON) and the installing. */
let installed;

/**
 * `.ts` files compile through the project's Jest transform (ts-jest), with Jest's cache on disk. One hook serves
 * every file of the worker, so the projects a runner serves must share one transform.
 */
async function installTransform(config) {
  const transformer = await createScriptTransformer(config);
  Module._extensions['.ts'] = (module, filename) => {
    const { code } = transformer.transformSource(filename, readFileSync(filename, 'utf8'), TRANSFORM_OPTIONS);
    module._compile(code, filename);
  };
}

function freshCircus() {
  for (const name of CIRCUS_GLOBALS) delete globalThis[Symbol.for(name)];
  // The state's symbol is made anew by each copy: drop the last file's state (and the tests it holds).
  for (const symbol of Object.getOwnPropertySymbols(globalThis)) {
    if (symbol.description === 'JEST_STATE_SYMBOL') delete globalThis[symbol];
  }
  delete require.cache[CIRCUS_INIT];
  return require(CIRCUS_INIT);
}

/** The part of the `jest` object the suites use (fn, spyOn, setTimeout); add to it when a suite needs more. */
function jestObject(mocker) {
  const jest = {
    fn: mocker.fn.bind(mocker),
    spyOn: mocker.spyOn.bind(mocker),
    setTimeout: (ms) => ((globalThis[Symbol.for('TEST_TIMEOUT_SYMBOL')] = ms), jest),
  };
  return jest;
}

async function runFile({ testPath, config, globalConfig }) {
  // Modules stay loaded from file to file, so per-file coverage would count every earlier file's too.
  if (globalConfig.collectCoverage) throw new Error('the suite runner (test/support/runner/) does not collect coverage');
  const transform = JSON.stringify(config.transform);
  installed ??= { transform, ready: installTransform(config) };
  if (transform !== installed.transform) throw new Error('the projects of the suite runner must share one transform');
  await installed.ready;
  const env = { ...process.env };
  const cwd = process.cwd();
  const mocker = new ModuleMocker(globalThis);
  const circus = freshCircus();
  globalThis.jest = jestObject(mocker);
  try {
    const { snapshotState } = await circus.initialize({
      config,
      environment: { global: globalThis },
      globalConfig,
      localRequire: require,
      parentProcess: process,
      runtime: { enterTestCode() {}, leaveTestCode() {} },
      sendMessageToJest: undefined,
      setGlobalsForRuntime() {},
      testPath,
    });
    const start = Date.now();
    require(testPath);
    const result = await circus.runAndTransformResultsToJestFormat({
      config,
      globalConfig,
      setupAfterEnvPerfStats: { setupAfterEnvStart: start, setupAfterEnvEnd: start },
      testPath,
    });
    const end = Date.now();
    const saved = snapshotState.save();
    Object.assign(result.snapshot, {
      added: snapshotState.added,
      matched: snapshotState.matched,
      unmatched: snapshotState.unmatched,
      updated: snapshotState.updated,
      fileDeleted: saved.deleted,
    });
    const runtime = end - start;
    result.perfStats = { ...result.perfStats, start, end, runtime, slow: runtime / 1000 > config.slowTestThreshold };
    return result;
  } finally {
    mocker.restoreAllMocks();
    delete require.cache[testPath];
    for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
    Object.assign(process.env, env);
    process.chdir(cwd);
  }
}

/** An error as the reporters read it; what a test threw may hold functions, sockets or cycles that cannot be sent. */
const plainError = (error) =>
  error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { message: String(error) };

process.on('message', (message) => {
  if (message.type === 'stop') return process.disconnect();
  runFile(message).then(
    (result) => {
      for (const test of result.testResults) test.failureDetails = test.failureDetails.map(plainError);
      process.send({ type: 'result', result });
    },
    (error) => process.send({ type: 'error', error: plainError(error) }),
  );
});
