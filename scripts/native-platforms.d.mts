/** A platform package's target (scripts/native-platforms.mjs). */
export interface Platform {
  readonly target: string;
  readonly os: string;
  readonly cpu: string;
  readonly libc?: 'glibc' | 'musl';
}
export declare const PLATFORMS: readonly Platform[];
export declare const BINARY: string;
export declare function hostTarget(libc?: string): Platform | undefined;
export declare function packageDir(target: string): string;
export declare function platformManifest(p: Platform, main: Record<string, unknown>): Record<string, unknown>;
export declare function expectedOptionalDependencies(main: { name: string; version: string }): Record<string, string>;
