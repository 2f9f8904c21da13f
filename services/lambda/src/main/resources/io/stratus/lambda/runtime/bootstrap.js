// Stratus's Node.js runtime: the Lambda Runtime API loop AWS's nodejs runtimes implement, run by the
// machine's `node`. It loads the handler once (init), then asks for events forever.
'use strict';

const net = require('net');
const path = require('path');
const fs = require('fs');
const util = require('util');
const { Writable } = require('stream');
const { finished } = require('stream/promises');
const { pathToFileURL } = require('url');

const [apiHost, apiPort] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
// The same API on a Unix domain socket, which costs less per message than loopback TCP; not the function's business.
const localApi = process.env.STRATUS_RUNTIME_API_SOCKET;
delete process.env.STRATUS_RUNTIME_API_SOCKET;
const taskRoot = process.env.LAMBDA_TASK_ROOT;
const handlerName = process.env._HANDLER;
// Marks the end of an invocation's output so Stratus knows every log line of it has arrived.
const END_MARKER = '\u001fstratus-invocation-end ';
// Marks the end of the initialization (the handler loaded), so Stratus puts the first invocation's START after its output.
const INIT_MARKER = '\u001fstratus-init-end';
// A console call is one CloudWatch event, line breaks and all, as on AWS (whose runtime frames each call): its line
// breaks travel as this character, which Stratus turns back into line breaks.
const EVENT_LINE_BREAK = '\u001e';
const PREFIX = '/2018-06-01/runtime';

let currentRequestId = '';
// The invocation whose answer has not gone out yet, or null: what a crash of the process reports its error to.
let unanswered = null;
// What to do when the event loop has nothing left to run (see runHandler); null for nothing.
let onEmptyEventLoop = null;

// The Runtime API over one kept-alive connection: a small HTTP/1.1 client rather than the http
// module (whose request and response objects cost more than the rest of an invocation). Stratus's
// server always answers with a Content-Length. Requests may be pipelined: answers resolve in order.
const api = (() => {
  const socket = localApi ? net.connect({ path: localApi }) : net.connect({ host: apiHost, port: Number(apiPort), noDelay: true });
  const waiting = [];
  let buffer = Buffer.alloc(0);
  let failure = null;
  const fail = (err) => {
    failure = failure || err;
    while (waiting.length > 0) {
      waiting.shift().reject(failure);
    }
  };
  socket.on('data', (chunk) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    while (waiting.length > 0) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        return;
      }
      const lines = buffer.toString('utf8', 0, end).split('\r\n');
      const headers = {};
      for (let i = 1; i < lines.length; i++) {
        const colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers[lines[i].substring(0, colon).trim().toLowerCase()] = lines[i].substring(colon + 1).trim();
        }
      }
      const total = end + 4 + Number(headers['content-length'] || 0);
      if (buffer.length < total) {
        return;
      }
      const body = buffer.subarray(end + 4, total);
      buffer = buffer.subarray(total);
      waiting.shift().resolve({ status: Number(lines[0].split(' ')[1]), headers, body });
    }
    if (waiting.length === 0) {
      // No answer awaited: the connection alone does not keep the event loop alive, so the loop empties when the
      // function's own work is done (see runHandler).
      socket.unref();
    }
  });
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('The Runtime API closed the connection')));
  return {
    request(method, urlPath, body, headers) {
      const payload = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      let head = `${method} ${PREFIX}${urlPath} HTTP/1.1\r\nHost: ${apiHost}:${apiPort}\r\nContent-Length: ${payload.length}\r\n`;
      for (const [name, value] of Object.entries(headers || {})) {
        head += `${name}: ${value}\r\n`;
      }
      return Buffer.concat([Buffer.from(head + '\r\n', 'utf8'), payload]);
    },
    // Writes the head of a request whose body follows in pieces (see write): the promise of its answer.
    open(head) {
      return this.send(head)[0];
    },
    // Writes more of a request already under way; done once the socket takes more (Stratus holds a streamed
    // response's unread bytes to a window, so a slow reader slows the writer).
    write(bytes, done) {
      const taken = socket.write(bytes);
      if (done) {
        if (taken) {
          done();
        } else {
          socket.once('drain', done);
        }
      }
    },
    // Writes requests in one write; one promise per request, resolved with its answer.
    send(...requests) {
      const answers = requests.map(() => new Promise((resolve, reject) => {
        if (failure) {
          reject(failure);
        } else {
          waiting.push({ resolve, reject });
        }
      }));
      socket.ref();
      socket.write(requests.length === 1 ? requests[0] : Buffer.concat(requests));
      return answers;
    },
  };
})();

function call(method, urlPath, body, headers) {
  return api.send(api.request(method, urlPath, body, headers))[0];
}

// The function's LoggingConfig, as Lambda hands it to runtimes: JSON or text records, and the least detailed level logged.
const LOG_JSON = (process.env.AWS_LAMBDA_LOG_FORMAT || '').toUpperCase() === 'JSON';
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

// An Error as AWS's runtime puts it into a JSON log record: its type, message and stack lines, then its own fields.
function errorFields(err) {
  return Object.assign({
    errorType: (err && err.constructor && err.constructor.name) || 'UnknownError',
    errorMessage: err.message,
    stackTrace: typeof err.stack === 'string' ? err.stack.split('\n') : err.stack,
  }, err);
}

// One console call as a JSON record: a lone argument is the message as it is (an object stays an object), several are
// formatted into a string, with the first Error among them described beside it.
function jsonRecord(level, args) {
  const record = { timestamp: new Date().toISOString(), level, requestId: currentRequestId || undefined };
  if (args.length === 1) {
    record.message = args[0];
    try {
      return JSON.stringify(record, (key, value) => (value instanceof Error ? errorFields(value) : value));
    } catch (e) {
      record.message = util.format(args[0]);
      return JSON.stringify(record);
    }
  }
  record.message = util.format(...args);
  const error = args.find((arg) => arg instanceof Error);
  if (error) {
    record.errorType = (error.constructor && error.constructor.name) || 'UnknownError';
    record.errorMessage = error.message;
    record.stackTrace = typeof error.stack === 'string' ? error.stack.split('\n') : [];
  }
  return JSON.stringify(record);
}

function patchConsole() {
  const levels = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', log: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'FATAL' };
  // As AWS's runtime does, in either format: methods below AWS_LAMBDA_LOG_LEVEL log nothing (console.fatal always logs).
  const least = Math.max(0, LEVELS.indexOf((process.env.AWS_LAMBDA_LOG_LEVEL || '').toUpperCase()));
  for (const [method, level] of Object.entries(levels)) {
    if (level !== 'FATAL' && LEVELS.indexOf(level) < least) {
      console[method] = () => {};
      continue;
    }
    console[method] = (...args) => {
      const text = LOG_JSON ? jsonRecord(level, args)
        : `${new Date().toISOString()}\t${currentRequestId || 'undefined'}\t${level}\t${util.format(...args)}`;
      process.stdout.write(text.replace(/\r?\n/g, EVENT_LINE_BREAK) + '\n');
    };
  }
}

// An invocation's or the initialization's error, as AWS's runtime logs it: in JSON the error itself as the message, in
// text after a tab as JSON with its name, message, code, own fields and stack lines.
function logError(what, err) {
  const error = err instanceof Error ? err : new Error(String(err));
  if (LOG_JSON) {
    console.error(error);
    return;
  }
  const described = (key, value) => {
    if (!(value instanceof Error)) return value;
    const fields = Object.assign({ errorType: value.name, errorMessage: value.message, code: value.code }, value);
    if (typeof value.stack === 'string') fields.stack = value.stack.split('\n');
    return fields;
  };
  let text;
  try {
    text = JSON.stringify(error, described);
  } catch (e) {
    text = JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: String(error.stack || '').split('\n') });
  }
  console.error(what, '\t' + text);
}

// Response streaming, as AWS's Node.js runtime offers it in the global awslambda: a handler wrapped by
// awslambda.streamifyResponse gets (event, responseStream, context) and writes its response to the stream, which goes
// to the Runtime API as it writes it: a chunked request, opened at its first write (until then its content type may
// change), whose trailers carry the error of a handler that failed midway.
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HTTP_INTEGRATION_RESPONSE = 'application/vnd.awslambda.http-integration-response';
// The stream of the invocation under way, or null: a crash ends it with the error.
let openStream = null;

class ResponseStream extends Writable {
  constructor(requestId) {
    super();
    this.requestId = requestId;
    this.contentType = 'application/octet-stream';
    this.started = false;
    this.finished = false;
    // The Runtime API's answer to the streamed request, once it is opened.
    this.answer = null;
    // Set by awslambda.HttpResponseStream.from: writes the prelude before the first bytes.
    this._onBeforeFirstWrite = undefined;
  }

  _write(chunk, encoding, callback) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding);
    if (bytes.length > 0 && !this.finished) {
      api.write(Buffer.concat([Buffer.from(bytes.length.toString(16) + '\r\n'), bytes, Buffer.from('\r\n')]), callback);
    } else {
      // Written after the response ended (its handler failed meanwhile): dropped.
      callback();
    }
  }

  start() {
    if (!this.started) {
      this.started = true;
      this.answer = api.open(Buffer.from(`POST ${PREFIX}/invocation/${this.requestId}/response HTTP/1.1\r\n`
        + `Host: ${apiHost}:${apiPort}\r\nTransfer-Encoding: chunked\r\n`
        + `Lambda-Runtime-Function-Response-Mode: streaming\r\nContent-Type: ${this.contentType}\r\n`
        + 'Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\r\n'));
      if (typeof this._onBeforeFirstWrite === 'function') {
        this._onBeforeFirstWrite((chunk) => super.write(chunk));
      }
    }
  }

  write(chunk, encoding, callback) {
    if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk) && !(chunk instanceof Uint8Array)) {
      chunk = JSON.stringify(chunk);
    }
    this.start();
    return super.write(chunk, encoding, callback);
  }

  end(chunk, encoding, callback) {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') {
      this.write(chunk, encoding);
      return super.end(typeof encoding === 'function' ? encoding : callback);
    }
    this.start();
    return super.end(chunk, encoding, callback);
  }

  setContentType(contentType) {
    if (this.started) {
      throw Object.assign(new Error('Cannot set content-type, too late.'), { name: 'Runtime.InvalidStreamingOperation' });
    }
    this.contentType = contentType;
  }

  // Ends the streamed request (opening it if nothing was written), with the error of a handler that failed
  // (and whether the process exits after it); the promise of the Runtime API's answer.
  finish(doc, exiting) {
    this.start();
    if (!this.finished) {
      this.finished = true;
      let trailers = '';
      if (doc) {
        trailers = `Lambda-Runtime-Function-Error-Type: ${doc.errorType}\r\n`
          + `Lambda-Runtime-Function-Error-Body: ${Buffer.from(JSON.stringify(doc)).toString('base64')}\r\n`
          + (exiting ? 'Stratus-Runtime-Exiting: true\r\n' : '');
      }
      api.write(Buffer.from(`0\r\n${trailers}\r\n`));
    }
    return this.answer;
  }
}

globalThis.awslambda = {
  streamifyResponse(handler) {
    handler[STREAMING] = 'response';
    return handler;
  },
  HttpResponseStream: class HttpResponseStream {
    static from(stream, prelude) {
      stream.setContentType(HTTP_INTEGRATION_RESPONSE);
      const metadata = JSON.stringify(prelude);
      stream._onBeforeFirstWrite = (write) => {
        write(metadata);
        write(new Uint8Array(8));
      };
      return stream;
    }
  },
};

// Runs a streaming handler to its end: its promise settled (then the stream ends, if the handler left it open), or,
// for one that is not async, the stream ended.
async function runStreamingHandler(handler, event, context, stream) {
  const returned = handler(event, stream, context);
  if (returned && typeof returned.then === 'function') {
    await returned;
    if (!stream.writableEnded) {
      stream.end();
    }
  }
  await finished(stream);
}

// A crash outside the handler's own promise ends the process, as on AWS: the invocation under way gets the error.
function reportCrashes() {
  process.on('uncaughtException', (err) => crash('Uncaught Exception', errorDocument(err), 129));
  process.on('unhandledRejection', (reason) => crash('Unhandled Promise Rejection', {
    errorType: 'Runtime.UnhandledPromiseRejection',
    errorMessage: String(reason),
    trace: reason instanceof Error ? String(reason.stack || '').split('\n') : [],
  }, 128));
  // The loop emptied: see runHandler.
  process.on('beforeExit', () => {
    const run = onEmptyEventLoop;
    onEmptyEventLoop = null;
    if (run) run();
  });
}

function crash(what, doc, exitCode) {
  console.error(what, JSON.stringify(doc));
  const requestId = unanswered;
  if (requestId === null) {
    process.exit(exitCode);
  }
  unanswered = null;
  endOfOutput(requestId);
  // Exits once Stratus took the error (its answer says so), lest it see the exit first; at the latest after a second.
  setTimeout(() => process.exit(exitCode), 1000).unref();
  // A response being streamed ends with the error; the connection carries nothing else until it has.
  const answered = openStream !== null && openStream.started ? openStream.finish(doc, true)
    : call('POST', `/invocation/${requestId}/error`, JSON.stringify(doc),
      { 'Lambda-Runtime-Function-Error-Type': doc.errorType, 'Content-Type': 'application/json', 'Stratus-Runtime-Exiting': 'true' });
  answered.finally(() => process.exit(exitCode));
}

function errorDocument(err, fallbackType) {
  if (err instanceof Error) {
    return {
      errorType: err.name || 'Error',
      errorMessage: err.message,
      trace: String(err.stack || '').split('\n'),
    };
  }
  return { errorType: fallbackType || typeof err, errorMessage: String(err), trace: [] };
}

function resolveModuleFile(root, moduleName) {
  for (const ext of ['.js', '.mjs', '.cjs']) {
    const file = path.resolve(root, moduleName + ext);
    if (fs.existsSync(file)) {
      return file;
    }
  }
  const index = path.resolve(root, moduleName, 'index.js');
  return fs.existsSync(index) ? index : null;
}

async function loadHandler() {
  // "dir/sub/file.fn.nested": the module is everything up to the first '.' of the last path segment.
  const dir = path.dirname(handlerName);
  const base = path.basename(handlerName);
  const dot = base.indexOf('.');
  if (dot < 0) {
    throw Object.assign(new Error(`Bad handler ${handlerName}: missing module name`), { name: 'Runtime.MalformedHandlerName' });
  }
  const moduleName = base.substring(0, dot);
  const functionPath = base.substring(dot + 1).split('.');
  const file = resolveModuleFile(path.resolve(taskRoot, dir), moduleName);
  if (!file) {
    throw Object.assign(new Error(`Error: Cannot find module '${moduleName}'\nRequire stack:\n- ${__filename}`), { name: 'Runtime.ImportModuleError' });
  }
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    if (e instanceof SyntaxError) {
      throw Object.assign(new Error(`${e.name}: ${e.message}`), { name: 'Runtime.UserCodeSyntaxError', stack: e.stack });
    }
    if (e && (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND')) {
      throw Object.assign(new Error(`Error: ${e.message}`), { name: 'Runtime.ImportModuleError', stack: e.stack });
    }
    throw e;
  }
  let target = mod;
  let found = functionPath.every((part) => {
    const next = target != null ? target[part] : undefined;
    target = next;
    return next !== undefined;
  });
  if (!found && mod.default) {
    target = mod.default;
    found = functionPath.every((part) => {
      const next = target != null ? target[part] : undefined;
      target = next;
      return next !== undefined;
    });
  }
  if (!found) {
    throw Object.assign(new Error(`${moduleName}.${functionPath.join('.')} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  }
  if (typeof target !== 'function') {
    throw Object.assign(new Error(`${moduleName}.${functionPath.join('.')} is not a function`), { name: 'Runtime.HandlerNotFound' });
  }
  return target;
}

/**
 * Runs the handler to its result, as AWS's runtime does: an async handler's promise settles it; a callback handler's
 * callback does, once the event loop has nothing left to run while context.callbackWaitsForEmptyEventLoop is true
 * (the default). What a handler returns other than a promise is ignored. Should the event loop empty with no result,
 * a handler that is not async answers null and an async one fails with Runtime.NodeJsExit.
 */
function runHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    let isAsync = false;
    const finish = (err, result) => {
      if (settled) return;
      settled = true;
      onEmptyEventLoop = null;
      if (err !== undefined && err !== null) reject(err); else resolve(result);
    };
    let called = false;
    const callback = (err, result) => {
      if (settled || called) return;
      called = true;
      if (context.callbackWaitsForEmptyEventLoop) {
        onEmptyEventLoop = () => finish(err, result);
      } else {
        finish(err, result);
      }
    };
    context.done = callback;
    context.succeed = (result) => callback(null, result);
    context.fail = (err) => callback(err || new Error('handled'));
    onEmptyEventLoop = () => finish(isAsync
      ? Object.assign(new Error('Runtime exited without providing a reason'), { name: 'Runtime.NodeJsExit' })
      : null, null);
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === 'function') {
        isAsync = true;
        returned.then((result) => finish(null, result), (err) => finish(err === undefined || err === null ? new Error(String(err)) : err));
      }
    } catch (e) {
      finish(e);
    }
  });
}

function parseClientContext(text) {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    return undefined;
  }
}

// What every invocation's context reports of the environment, fixed for its life (read once: process.env costs per read).
const FUNCTION_NAME = process.env.AWS_LAMBDA_FUNCTION_NAME;
const FUNCTION_VERSION = process.env.AWS_LAMBDA_FUNCTION_VERSION;
const MEMORY_LIMIT_IN_MB = process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
const LOG_GROUP_NAME = process.env.AWS_LAMBDA_LOG_GROUP_NAME;
const LOG_STREAM_NAME = process.env.AWS_LAMBDA_LOG_STREAM_NAME;

function endOfOutput(requestId) {
  process.stdout.write(END_MARKER + requestId + '\n');
}

async function main() {
  patchConsole();
  reportCrashes();
  let handler;
  try {
    handler = await loadHandler();
  } catch (e) {
    const doc = errorDocument(e, 'Runtime.ImportModuleError');
    logError('Init Error', e);
    // The error belongs before the START line too: Stratus waits for this mark once the error is reported.
    process.stdout.write(INIT_MARKER + '\n');
    await call('POST', '/init/error', JSON.stringify(doc), { 'Lambda-Runtime-Function-Error-Type': doc.errorType, 'Content-Type': 'application/json' });
    process.exit(1);
  }
  // What the code logged while it loaded comes before the first invocation's START.
  process.stdout.write(INIT_MARKER + '\n');
  // Each answer goes out together with the next "next" (pipelined): one write and one wake-up per invocation.
  const nextRequest = api.request('GET', '/invocation/next');
  let pending = null;
  for (;;) {
    let next;
    if (pending === null) {
      next = await call('GET', '/invocation/next');
    } else {
      const [answered, following] = api.send(pending, nextRequest);
      pending = null;
      // Should the connection fail, the first await throws; the second promise's rejection is then no unhandled one.
      following.catch(() => {});
      await answered;
      next = await following;
    }
    if (next.status !== 200) {
      // The environment failed (an extension did): nothing more will come.
      process.stderr.write(`Stratus runtime: the Runtime API refused the next invocation: ${next.body.toString('utf8')}\n`);
      process.exit(1);
    }
    const requestId = next.headers['lambda-runtime-aws-request-id'];
    const deadline = Number(next.headers['lambda-runtime-deadline-ms']);
    currentRequestId = requestId;
    unanswered = requestId;
    if (next.headers['lambda-runtime-trace-id']) {
      process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'];
    } else {
      delete process.env._X_AMZN_TRACE_ID;
    }
    const clientContext = next.headers['lambda-runtime-client-context'];
    const context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: FUNCTION_NAME,
      functionVersion: FUNCTION_VERSION,
      invokedFunctionArn: next.headers['lambda-runtime-invoked-function-arn'],
      memoryLimitInMB: MEMORY_LIMIT_IN_MB,
      awsRequestId: requestId,
      logGroupName: LOG_GROUP_NAME,
      logStreamName: LOG_STREAM_NAME,
      identity: undefined,
      clientContext: parseClientContext(clientContext),
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let event;
    try {
      event = next.body.length === 0 ? {} : JSON.parse(next.body.toString('utf8'));
    } catch (e) {
      event = next.body.toString('utf8');
    }
    if (handler[STREAMING] === 'response') {
      const stream = new ResponseStream(requestId);
      openStream = stream;
      let failure = null;
      try {
        await runStreamingHandler(handler, event, context, stream);
      } catch (e) {
        logError('Invoke Error', e);
        failure = errorDocument(e);
      }
      unanswered = null;
      openStream = null;
      endOfOutput(requestId);
      await stream.finish(failure, false);
      continue;
    }
    try {
      const result = await runHandler(handler, event, context);
      const body = result === undefined ? 'null' : JSON.stringify(result);
      unanswered = null;
      endOfOutput(requestId);
      pending = api.request('POST', `/invocation/${requestId}/response`, body === undefined ? 'null' : body, { 'Content-Type': 'application/json' });
    } catch (e) {
      const doc = errorDocument(e);
      logError('Invoke Error', e);
      unanswered = null;
      endOfOutput(requestId);
      pending = api.request('POST', `/invocation/${requestId}/error`, JSON.stringify(doc), { 'Lambda-Runtime-Function-Error-Type': doc.errorType, 'Content-Type': 'application/json' });
    }
  }
}

main().catch((e) => {
  process.stderr.write(`Stratus runtime failed: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
