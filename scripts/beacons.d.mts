/** A beacon's state and text from its bytes. */
export function readBeacon(bytes: Buffer): { running: boolean; text: string };
/** Every beacon under `magicHex` in process `pid`'s writable memory. */
export function scanBeacons(pid: number, magicHex: string): { running: boolean; text: string }[];
/** Whether this process may read the memory of a child it starts. */
export function memoryReadable(): Promise<boolean>;
