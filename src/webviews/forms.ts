import * as z from 'zod';
import { registryKinds } from '../config/schema';

export { coerceFormValues, describeForm, fieldErrors, type FormDescription, type FormField } from '../registry/formSpec';

/** The registry settings form; admin forms are declared by the providers' admin models. */

const httpUrl = z
  .string()
  .min(1, 'Enter the registry URL')
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'Enter an http(s) URL without credentials, e.g. https://registry.example.com');

/** Registry settings (everything but the secret), edited in the form panel. */
export const registryForm = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(100, 'At most 100 characters').meta({ title: 'Name', description: 'Unique display name; also keys the stored secret.' }),
  kind: z.enum(registryKinds).meta({ title: 'Kind', description: 'oci covers distribution, Harbor, GHCR, GitLab, Zot and other Registry V2 servers.' }),
  url: httpUrl.meta({ title: 'URL', description: 'Base URL of the registry API.', placeholder: 'https://registry.example.com:5000' }),
  username: z.string().max(256).optional().meta({ title: 'User name', description: 'For Basic authentication and token requests. Leave empty for anonymous access.' }),
  namespaces: z.array(z.string().min(1)).optional().meta({ title: 'Namespaces', description: 'One per line; for kinds that group repositories in namespaces.', multiline: true }),
  caFile: z.string().optional().meta({ title: 'CA file', description: 'PEM file with extra CA certificates trusted for this registry.', placeholder: '/etc/ssl/certs/my-ca.pem' }),
  insecureSkipTlsVerify: z.boolean().default(false).meta({ title: 'Skip TLS verification', description: 'Accept any certificate. Only for test setups.' }),
  testConnection: z.boolean().default(true).meta({ title: 'Test the connection before saving', description: 'Saving fails, keeping your input, when the registry cannot be reached.' }),
});
