import type { Clock } from '../clock';
import { entitlementOf, type Entitlement, type GuildLicense } from './model';
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
    return this.of(await this.store.guildBinding(guildId), this.clock.now());
  }

  of(binding: GuildLicense | null, now: number): Entitlement {
    return entitlementOf(binding, now, this.graceMs);
  }
}
