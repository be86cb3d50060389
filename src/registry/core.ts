/**
 * The registry core shared by the provider bundles: the HTTP transport (undici), authentication and the JSON API
 * adapter. Built as its own bundle, so providers do not each carry a copy; loaded with the first provider.
 */
export * from './http';
export * from './auth/basic';
export * from './auth/bearer';
export * from './auth/challenge';
export * from './jsonApi';
