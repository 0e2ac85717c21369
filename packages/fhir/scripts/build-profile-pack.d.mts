// Types of build-profile-pack.mjs, for the tests.
import type { Bundle } from 'fhir/r4';

export declare const PATHS: {
  readonly fshProject: string;
  readonly fshInput: string;
  readonly terminologyFsh: string;
  readonly pack: string;
  readonly home: string;
};
export declare const EXPECTED_WARNINGS: readonly RegExp[];
export interface ProfilePackBuild {
  bundle: Bundle;
  terminologyFsh: string;
  errors: string[];
  warnings: string[];
  /** What SUSHI asked the network for (all refused). */
  refusedNetwork: string[];
  millis: { cache: number; sushi: number; total: number };
}
export declare function buildProfilePack(options?: { quiet?: boolean }): Promise<ProfilePackBuild>;
export declare function serializePack(bundle: Bundle): string;
