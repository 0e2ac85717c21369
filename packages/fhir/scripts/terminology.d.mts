// Types of terminology.mjs, for the tests.
export interface CodeSystemSpec {
  id: string;
  name: string;
  title: string;
  description: string;
  source: string;
  concepts: () => ReadonlyArray<{ code: string; label: string }>;
}
export declare const PEERKIT_CODES: ReadonlyArray<{ code: string; label: string }>;
export declare const CODE_SYSTEMS: readonly CodeSystemSpec[];
export declare function fshString(text: string): string;
export declare function renderTerminologyFsh(): string;
