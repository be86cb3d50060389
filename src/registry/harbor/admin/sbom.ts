/**
 * Show SBOM on a tag: Harbor keeps the SBOMs it generates (and ones pushed with the image) as accessories of the
 * artifact (`harbor.sbom`, `subject.sbom`: OCI artifacts whose `subject` is the image). The action finds the SBOM
 * accessory of the tag's artifact and opens the attachment panel on it, which reads the accessory's manifest and
 * blob through the registry (`/v2/`, referrers API) like any other attached SBOM.
 */
import { defineCore } from '../../admin';
import { done, repositoryOf, tagOf } from '../../adminKit';
import { t } from '../../l10n';
import type { HarborAdminPart } from './shared';

/** Accessory types that are SBOMs, as Harbor names them. */
export const SBOM_ACCESSORIES = new Set(['harbor.sbom', 'subject.sbom']);

export const sbomPart: HarborAdminPart = ({ api }) => [
  defineCore({
    type: 'tag',
    shape: 'core',
    actions: [
      {
        id: 'showSbom',
        title: t('Show SBOM'),
        icon: 'package',
        async run(ref, _input, signal) {
          const repository = repositoryOf(ref.scope);
          const tag = tagOf(ref);
          const artifact = await api.artifact(repository, tag, signal);
          const sbom = (artifact.accessories ?? []).find((a) => SBOM_ACCESSORIES.has(a.type ?? '') && a.digest);
          if (!sbom?.digest) return done(t('No SBOM is attached to {0}:{1}; Harbor makes one with Generate SBOM (or on push, when the project says so)', repository, tag), 'none');
          return { kind: 'panel', panel: 'attachment', repository, reference: tag, subject: artifact.digest, digest: sbom.digest, attachmentKind: 'sbom' };
        },
      },
    ],
  }),
];
