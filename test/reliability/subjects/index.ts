import type { ReliabilitySubject } from '../subject';
import { dtr } from './dtr';
import { ghcr } from './ghcr';
import { harbor } from './harbor';
import { hub } from './hub';
import { hubV1 } from './hubV1';
import { attachments } from './attachments';
import { oci } from './oci';
import { quay } from './quay';
import { scout } from './scout';

/** Every provider the reliability suite runs against; a new provider adds its file here. */
export const subjects: ReliabilitySubject[] = [oci, hub, hubV1, dtr, quay, harbor, scout, ghcr, attachments];
