package org.touchpointhub.crm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shared parent records (Accounts) this hub wrote recently, with the values it wrote: a thousand people of one
 * company need their Account written once, not in every batch. Bounded (least recently used out), and an entry is
 * dropped when a record referring to it is refused, so a parent deleted in the CRM is written again on replay.
 */
final class WrittenParents {

    private static final int MAX_ENTRIES = 10_000;

    private final Map<String, Written> entries = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    private record Written(int fieldsHash, String crmId) {}

    /** The CRM id when exactly these values were written for this parent, else null. */
    synchronized String unchanged(CrmRecord record) {
        Written written = entries.get(key(record));
        return written != null && written.fieldsHash() == record.fields().hashCode() ? written.crmId() : null;
    }

    synchronized void written(CrmRecord record, String crmId) {
        entries.put(key(record), new Written(record.fields().hashCode(), crmId));
    }

    synchronized void forget(CrmRecord record) {
        entries.remove(key(record));
    }

    static String key(CrmRecord record) {
        return record.object() + '|' + record.externalIdField() + '|' + record.externalId().toLowerCase(java.util.Locale.ROOT);
    }
}
