/** One challenge of a `WWW-Authenticate` header (RFC 7235): a scheme and its parameters (names lower-cased). */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` header, which may hold several challenges separated by commas
 * (`Basic realm="x", Bearer realm="https://auth/token",service="reg",scope="repository:a:pull"`).
 * Malformed parts are skipped rather than thrown: a registry's odd header must not hide the usable challenge.
 */
export function parseWwwAuthenticate(header: string | undefined): AuthChallenge[] {
  if (!header) return [];
  const out: AuthChallenge[] = [];
  let i = 0;
  const n = header.length;
  let current: AuthChallenge | undefined;
  const skipSpaces = (): void => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && !/[\s,=]/.test(header[i])) i++;
    return header.slice(start, i);
  };
  while (i < n) {
    skipSpaces();
    if (header[i] === ',') {
      i++;
      continue;
    }
    const token = readToken();
    if (!token) {
      i++;
      continue;
    }
    skipSpaces();
    if (header[i] === '=' && current) {
      i++;
      skipSpaces();
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < n && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < n) i++;
          value += header[i++];
        }
        i++; // closing quote
      } else {
        const start = i;
        while (i < n && header[i] !== ',') i++;
        value = header.slice(start, i).trim();
      }
      current.params[token.toLowerCase()] = value;
    } else if (header[i] === '=') {
      // A parameter before any scheme (or a token68 form): skip its value.
      while (i < n && header[i] !== ',') i++;
    } else {
      current = { scheme: token.toLowerCase(), params: {} };
      out.push(current);
    }
  }
  return out;
}
