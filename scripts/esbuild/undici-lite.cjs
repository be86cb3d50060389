// The parts of undici the extension uses (Agent, ProxyAgent and the request API), without fetch, WebSocket, cache
// and mock modules that `require('undici')` pulls in. esbuild.mjs points the bundle's `undici` import here.
// Of the dispatcher API only `request` (the transport) and `connect` (ProxyAgent's CONNECT tunnel) are used;
// `stream`, `pipeline` and `upgrade` are left out.
'use strict';
const Dispatcher = require('undici/lib/dispatcher/dispatcher');

Dispatcher.prototype.request = require('undici/lib/api/api-request');
Dispatcher.prototype.connect = require('undici/lib/api/api-connect');

module.exports = {
  Agent: require('undici/lib/dispatcher/agent'),
  ProxyAgent: require('undici/lib/dispatcher/proxy-agent'),
  Dispatcher,
};
