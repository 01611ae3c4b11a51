/** Stops the emulators started by global-setup. */
export default async function globalTeardown(): Promise<void> {
  const emulators = (globalThis as { __deskwireEmulators?: Array<{ stop(): Promise<void> }> }).__deskwireEmulators ?? [];
  await Promise.all(emulators.map((e) => e.stop()));
}
