/**
 * The Hub clients' transport: the shared JSON API adapter (src/registry/jsonApi.ts) over the shared transport
 * (src/registry/http.ts).
 */
export { apiTransport as hubTransport, apiTransportFor as hubTransportFor } from '../jsonApi';
