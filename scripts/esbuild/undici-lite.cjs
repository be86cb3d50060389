// The parts of undici the extension uses (Agent, ProxyAgent and the request API), without fetch, WebSocket, cache
// and mock modules that `require('undici')` pulls in. esbuild.mjs points the bundle's `undici` import here.
'use strict';
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
const api = require('undici/lib/api');

Object.assign(Dispatcher.prototype, api);

module.exports = {
  Agent: require('undici/lib/dispatcher/agent'),
  ProxyAgent: require('undici/lib/dispatcher/proxy-agent'),
  Dispatcher,
};
