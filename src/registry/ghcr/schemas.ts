import * as z from 'zod';

/**
 * The parts of GitHub's REST answers that are read (the `package`, `package-version`, `simple-user` and
 * `organization-simple` objects of GitHub's REST description); other fields are allowed and ignored. GitHub sends
 * `null` for absent values, so optional fields accept it.
 */

const text = z.string().max(4096);
const when = z.string().max(64);

export const simpleUser = z.looseObject({
  login: z.string().min(1).max(100),
  id: z.number().int().optional(),
  type: z.string().max(40).optional(),
});
export type GitHubUser = z.infer<typeof simpleUser>;

export const organization = z.looseObject({
  login: z.string().min(1).max(100),
  id: z.number().int().optional(),
  description: text.nullish(),
});
export type GitHubOrganization = z.infer<typeof organization>;

export const minimalRepository = z.looseObject({
  name: z.string().max(200).optional(),
  full_name: z.string().min(1).max(300),
  html_url: z.string().max(2048).optional(),
  private: z.boolean().optional(),
});

export const ghPackage = z.looseObject({
  id: z.number().int(),
  name: z.string().min(1).max(512),
  package_type: z.string().max(40),
  visibility: z.string().max(40),
  version_count: z.number().int().nonnegative().optional(),
  owner: simpleUser.nullish(),
  repository: minimalRepository.nullish(),
  html_url: z.string().max(2048).optional(),
  created_at: when.optional(),
  updated_at: when.optional(),
});
export type GitHubPackage = z.infer<typeof ghPackage>;

export const packageVersion = z.looseObject({
  id: z.number().int(),
  /** For containers: the manifest digest. */
  name: z.string().min(1).max(200),
  created_at: when.optional(),
  updated_at: when.optional(),
  deleted_at: when.nullish(),
  html_url: z.string().max(2048).nullish(),
  description: text.nullish(),
  metadata: z
    .looseObject({
      package_type: z.string().max(40).optional(),
      container: z.looseObject({ tags: z.array(z.string().max(200)).max(10_000) }).nullish(),
    })
    .nullish(),
});
export type GitHubPackageVersion = z.infer<typeof packageVersion>;

export const packageList = z.array(ghPackage);
export const versionList = z.array(packageVersion);
export const organizationList = z.array(organization);
