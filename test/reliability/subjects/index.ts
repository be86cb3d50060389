import type { ReliabilitySubject } from '../subject';
import { hub } from './hub';
import { hubV1 } from './hubV1';
import { oci } from './oci';

/** Every provider the reliability suite runs against; a new provider adds its file here. */
export const subjects: ReliabilitySubject[] = [oci, hub, hubV1];
