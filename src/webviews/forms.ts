import * as z from 'zod';
import { registryEntrySchema } from '../config/schema';
import { urlField } from '../registry/formFields';

export { coerceFormValues, describeForm, fieldErrors, type FormDescription, type FormField } from '../registry/formSpec';

/** The registry settings form; admin forms are declared by the providers' admin models. */

/**
 * Registry settings (everything but the secret), edited in the form panel: the settings entry's own schema (one
 * declaration, src/config/schema.ts), plus what is kept beside the settings and what Save does.
 */
export const registryForm = registryEntrySchema.extend({
  tokenRealms: z
    .array(urlField({ allowHttp: true }))
    .optional()
    .meta({
      title: 'Token services allowed to receive the credentials',
      description: 'Token services on another origin than the registry that its sign-in challenge named and you allowed; kept with the stored secret, not in settings. One per line; remove a line to stop sending the credentials there.',
      multiline: true,
    }),
  testConnection: z.boolean().default(true).meta({ title: 'Test the connection before saving', description: 'Saving fails, keeping your input, when the registry cannot be reached.' }),
});
