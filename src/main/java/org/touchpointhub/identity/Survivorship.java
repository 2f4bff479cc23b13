package org.touchpointhub.identity;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which observed value of an attribute becomes the golden one. Each attribute has a rule, {@code priority} (the
 * source's priority, then the newest), {@code recency} (the newest, then priority) or {@code completeness} (the
 * longest value, then priority, then newest); a source's priority may be overridden in configuration. The rule is a
 * total order on observations, so folding one more observation into the golden record and recomputing it from all
 * observations (after a merge or an unmerge) give the same answer.
 */
public final class Survivorship {

    /**
     * One observed value as the golden record keeps it.
     *
     * @param value the value
     * @param priority the source's (effective) priority
     * @param time observation time, epoch milliseconds
     * @param source the source (connector id)
     */
    public record Observed(String value, int priority, long time, String source) {

        /** Returns the golden record's JSON form {v, p, t, s}. */
        public Map<String, Object> toJson() {
            return Map.of("v", value, "p", priority, "t", time, "s", source);
        }

        /** Reads the golden record's JSON form {v, p, t, s}. */
        public static Observed fromJson(Map<String, Object> json) {
            return new Observed(String.valueOf(json.get("v")), ((Number) json.get("p")).intValue(),
                    ((Number) json.get("t")).longValue(), String.valueOf(json.get("s")));
        }
    }

    private final String defaultRule;
    private final Map<String, String> fields;
    private final Map<String, Integer> sourcePriority;

    /** Creates the rules: a default rule, per-attribute rules and per-source priority overrides. */
    public Survivorship(String defaultRule, Map<String, String> fields, Map<String, Integer> sourcePriority) {
        this.defaultRule = check(defaultRule);
        this.fields = new HashMap<>();
        fields.forEach((k, v) -> this.fields.put(k, check(v)));
        this.sourcePriority = Map.copyOf(sourcePriority);
    }

    /** Returns the default rules: source priority then recency for every attribute. */
    public static Survivorship defaults() {
        return new Survivorship("priority", Map.of(), Map.of());
    }

    /** Returns the priority a source's observation counts with. */
    public int priority(String source, int observedPriority) {
        return sourcePriority.getOrDefault(source, observedPriority);
    }

    /** Returns true when the candidate observation should replace the current golden value. */
    public boolean better(String attribute, Observed candidate, Observed current) {
        if (current == null) {
            return true;
        }
        String rule = fields.getOrDefault(attribute, defaultRule);
        int byPriority = Integer.compare(candidate.priority(), current.priority());
        int byTime = Long.compare(candidate.time(), current.time());
        int c;
        if ("recency".equals(rule)) {
            c = byTime != 0 ? byTime : byPriority;
        } else if ("completeness".equals(rule)) {
            int byLength = Integer.compare(candidate.value().strip().length(), current.value().strip().length());
            c = byLength != 0 ? byLength : byPriority != 0 ? byPriority : byTime;
        } else {
            c = byPriority != 0 ? byPriority : byTime;
        }
        return c >= 0;
    }

    /** Computes a golden record from observations given as (attribute, observed) in observation order. */
    public Map<String, Observed> golden(List<Map.Entry<String, Observed>> observations) {
        Map<String, Observed> golden = new LinkedHashMap<>();
        for (Map.Entry<String, Observed> o : observations) {
            if (better(o.getKey(), o.getValue(), golden.get(o.getKey()))) {
                golden.put(o.getKey(), o.getValue());
            }
        }
        return golden;
    }

    private static String check(String rule) {
        String r = rule == null ? "priority" : rule.toLowerCase(Locale.ROOT);
        if (!List.of("priority", "recency", "completeness").contains(r)) {
            throw new IllegalArgumentException("unknown survivorship rule '" + rule + "' (priority | recency | completeness)");
        }
        return r;
    }
}
