package org.touchpointhub.identity;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * An existing customer found through blocking, with every value observed for it per field; the incoming value is
 * compared against each and the best level counts.
 *
 * @param customerId the customer's id in the store
 * @param values the observed values per field
 */
public record Candidate(long customerId, Map<Field, Set<String>> values) {

    /** Returns the values observed for one field, possibly empty. */
    public Set<String> values(Field field) {
        return values.getOrDefault(field, Collections.emptySet());
    }

    /** Builds a candidate from the records already merged into one customer. */
    public static Candidate of(long customerId, Iterable<PersonAttributes> records) {
        Map<Field, Set<String>> map = new EnumMap<>(Field.class);
        for (PersonAttributes r : records) {
            r.values().forEach((f, v) -> map.computeIfAbsent(f, k -> new LinkedHashSet<>()).add(v));
        }
        return new Candidate(customerId, map);
    }
}
