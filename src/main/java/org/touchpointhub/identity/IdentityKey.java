package org.touchpointhub.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.touchpointhub.canonical.PersonFacts;

/**
 * A value that identifies one person on its own: a normalized email, an E.164 phone, or a source system's id.
 * One key belongs to one customer (a unique constraint in PostgreSQL).
 *
 * @param kind  {@code email}, {@code phone}, or {@code ext:<source>}
 * @param value the normalized value
 */
public record IdentityKey(String kind, String value) implements Comparable<IdentityKey> {

    /** The keys a person's (normalized) facts carry, sorted, so locks are always taken in one order. */
    public static List<IdentityKey> of(PersonFacts person) {
        TreeSet<IdentityKey> keys = new TreeSet<>();
        person.externalIds().forEach((source, id) -> keys.add(new IdentityKey("ext:" + source, id)));
        if (person.get("email") != null) {
            keys.add(new IdentityKey("email", person.get("email")));
        }
        if (person.get("phone") != null) {
            keys.add(new IdentityKey("phone", person.get("phone")));
        }
        if (person.get("mobile_phone") != null) {
            keys.add(new IdentityKey("phone", person.get("mobile_phone")));
        }
        if (person.get("anonymous_id") != null) {
            keys.add(new IdentityKey("anon", person.get("anonymous_id")));
        }
        return new ArrayList<>(keys);
    }

    /** How strongly a key names one person: a source's own id before an email before a phone before a cookie. */
    public int strength() {
        if (kind.startsWith("ext:")) {
            return 4;
        }
        return switch (kind) {
            case "email" -> 3;
            case "phone" -> 2;
            default -> 1;
        };
    }

    @Override
    public int compareTo(IdentityKey o) {
        int c = kind.compareTo(o.kind);
        return c != 0 ? c : value.compareTo(o.value);
    }

    /** The text an advisory lock is taken on. */
    String lockText() {
        return kind + ":" + value;
    }
}
