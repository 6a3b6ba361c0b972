// The runner of the unit, e2e and fault projects (jest.config.js `runner`): Jest's scheduling, reporting
// and global set-up, with `maxWorkers` long-lived worker processes (worker.js) that each run their share
// of the files, in the sequencer's order, in one module registry of their own. Jest's default runner
// gives every file a fresh registry and so loads Nest, TypeORM and the service again for each one.
// A worker that dies fails the file it was running and is replaced.
'use strict';
const { fork } = require('node:child_process');
const { join } = require('node:path');

const WORKER = join(__dirname, 'worker.js');
/** How long a worker may take to exit once its files are done before it is killed (Jest's default gives 500 ms). */
const EXIT_GRACE_MS = 2000;

class Worker {
  constructor(id) {
    this.id = id;
    this.child = fork(WORKER, [], {
      env: { ...process.env, JEST_WORKER_ID: String(id) },
      serialization: 'advanced',
      stdio: 'inherit',
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.dead = true;
        resolve(signal ?? code);
      }),
    );
  }

  run(test, globalConfig) {
    return new Promise((resolve, reject) => {
      const onExit = (code, signal) => {
        reject(new Error(`the test worker exited (${signal ?? `code ${code}`}) while running this file`));
      };
      this.child.once('exit', onExit);
      this.child.once('message', (message) => {
        this.child.off('exit', onExit);
        if (message.type === 'result') resolve(message.result);
        else reject(Object.assign(new Error(message.error.message), { stack: message.error.stack }));
      });
      this.child.send({ type: 'run', testPath: test.path, config: test.context.config, globalConfig });
    });
  }

  async stop() {
    if (this.dead) return;
    this.child.send({ type: 'stop' });
    const timer = setTimeout(() => {
      process.stderr.write(
        `test worker ${this.id} did not exit ${EXIT_GRACE_MS} ms after its last file: killed (a file leaks a handle)\n`,
      );
      this.child.kill('SIGKILL');
    }, EXIT_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

class SuiteRunner {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  async runTests(tests, watcher, onStart, onResult, onFailure) {
    const queue = [...tests];
    const lanes = Math.max(1, Math.min(this.globalConfig.maxWorkers, queue.length));
    const lane = async (id) => {
      let worker = new Worker(id);
      for (let test = queue.shift(); test && !watcher.isInterrupted(); test = queue.shift()) {
        if (worker.dead) worker = new Worker(id); // died running the last file, or between files
        await onStart(test);
        try {
          await onResult(test, await worker.run(test, this.globalConfig));
        } catch (error) {
          // A dead worker's stack would only show this file's plumbing.
          await onFailure(test, { message: error.message, stack: worker.dead ? '' : error.stack });
        }
      }
      await worker.stop();
    };
    await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i + 1)));
  }
}

module.exports = SuiteRunner;
