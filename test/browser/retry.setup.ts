// A browser journey is dozens of steps against a live service and Chromium on two busy cores:
// a step that misses its moment (a dropdown mid-animation, a dialog still closing) fails the
// whole journey. One retry, with the first failure logged; a real defect fails twice.
jest.retryTimes(1, { logErrorsBeforeRetry: true });
