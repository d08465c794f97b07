import type { Properties, PropertiesService } from '../../../apps-script/types/apps-script.ts';
import type { Host } from './spreadsheet.ts';

/** Apps Script's quotas: 9 KB per value, 500 KB per store. */
const MAX_VALUE_BYTES = 9 * 1024;
const MAX_STORE_BYTES = 500 * 1024;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** One property store; values are always strings, as in Apps Script. */
export class PropertyStore {
  readonly data = new Map<string, string>();

  total(): number {
    let n = 0;
    for (const [k, v] of this.data) n += bytes(k) + bytes(v);
    return n;
  }
}

class FakeProperties implements Properties {
  private readonly host: Host;
  private readonly store: PropertyStore;

  constructor(host: Host, store: PropertyStore) {
    this.host = host;
    this.store = store;
  }

  private charge(): void {
    this.host.execution().charge(this.host.costs.properties);
  }

  private write(entries: [string, string][], replaceAll = false): void {
    const next = new Map(replaceAll ? [] : this.store.data);
    for (const [key, raw] of entries) {
      const value = String(raw);
      if (bytes(value) > MAX_VALUE_BYTES) throw new Error('Argument too large: value');
      next.set(String(key), value);
    }
    let total = 0;
    for (const [k, v] of next) total += bytes(k) + bytes(v);
    if (total > MAX_STORE_BYTES)
      throw new Error('You have exceeded the property storage quota. Please remove some properties and try again.');
    this.store.data.clear();
    for (const [k, v] of next) this.store.data.set(k, v);
  }

  getProperty(key: string): string | null {
    this.charge();
    return this.store.data.get(key) ?? null;
  }
  setProperty(key: string, value: string): Properties {
    this.charge();
    this.write([[key, value]]);
    return this;
  }
  setProperties(properties: Record<string, string>, deleteAllOthers = false): Properties {
    this.charge();
    this.write(Object.entries(properties), deleteAllOthers);
    return this;
  }
  getProperties(): Record<string, string> {
    this.charge();
    return Object.fromEntries(this.store.data);
  }
  getKeys(): string[] {
    this.charge();
    return [...this.store.data.keys()];
  }
  deleteProperty(key: string): Properties {
    this.charge();
    this.store.data.delete(key);
    return this;
  }
}

export interface PropertyStores {
  readonly script: PropertyStore;
  readonly document: PropertyStore;
  user(email: string): PropertyStore;
}

export function createPropertiesService(host: Host, stores: PropertyStores, user: () => string): PropertiesService {
  return {
    getUserProperties: () => new FakeProperties(host, stores.user(user())),
    getDocumentProperties: () => new FakeProperties(host, stores.document),
    getScriptProperties: () => new FakeProperties(host, stores.script),
  };
}
