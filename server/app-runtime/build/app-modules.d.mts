import type { Plugin } from "vite";

export declare const RUNTIME_DIR: string;
export declare const APP_MODULE_QUERY: "?app-module";
export declare function runtimeModuleName(file: string): string;
export declare function appModuleText(file: string, root?: string): string;
export declare function runtimeFilesByName(root?: string): Map<string, string>;
export declare function appModuleExport(file: string): string;
export declare function appModules(): Plugin;
