import type { Clock } from '../clock';
import { entitlementOf, type Entitlement } from './model';
import type { Entitlements, LicenseStore } from './ports';

/**
 * `entitlementFor(guildId)`: one GetItem (the guild's activation carries the license fields) and
 * the time rules of `entitlementOf`. Cheap enough for the 3-second path.
 */
export class LicenseEntitlements implements Entitlements {
  constructor(
    private readonly store: Pick<LicenseStore, 'guildBinding'>,
    private readonly clock: Clock,
    private readonly graceMs: number,
  ) {}

  async entitlementFor(guildId: string): Promise<Entitlement> {
    return entitlementOf(await this.store.guildBinding(guildId), this.clock.now(), this.graceMs);
  }
}
