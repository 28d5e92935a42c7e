/** The file name of the record next to a binary: `<binary>.sources`. */
export declare const SOURCES_SUFFIX: string;
/** Hex SHA-256 of the native sources under `nativeDir` (binding.gyp and native/src/*). */
export declare function nativeSourcesHash(nativeDir: string): string;
