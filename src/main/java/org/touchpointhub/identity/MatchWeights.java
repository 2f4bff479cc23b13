package org.touchpointhub.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/*
 * Design. The weights in force come in three layers, each overriding the one before:
 *  1. the documented defaults (MatchSettings.defaults), good enough for a new store;
 *  2. the newest EM estimate made from this store's own records (POST /admin/identity/weights/estimate), kept in
 *     the match_weights table so that every hub uses it and a restart keeps it; each hub re-reads the table every
 *     hub.identity.weights-refresh-interval, so an estimate made through one hub reaches the others;
 *  3. the configuration (hub.identity.weights.<comparison>.m/u, hub.identity.prior), which wins per comparison: a
 *     CRM admin who knows better about one field keeps the last word even after a re-estimate.
 * Thresholds always come from configuration: they are probabilities, so they keep their meaning as weights change.
 * The evaluate command pins its own estimate (made from its input rows) instead of the store's.
 */

/** The Fellegi–Sunter weights in force: defaults, then the store's EM estimate, then configuration overrides. */
@Service
public class MatchWeights {

    private static final Logger log = LoggerFactory.getLogger(MatchWeights.class);

    /** Fewest person records an estimate is made from; below this EM has too few pairs to say anything. */
    static final int MIN_RECORDS = 100;

    private final JdbcTemplate jdbc;
    private final IdentityResolver identity;
    private final IdentityProperties properties;
    private final ObjectMapper json;
    private final String region;
    private final Map<Comparison, IdentityProperties.Levels> overrides;
    private volatile Long estimateInForce;
    private volatile Map<String, Object> estimateInfo;
    private volatile boolean pinned;

    MatchWeights(JdbcTemplate jdbc, IdentityResolver identity, IdentityProperties properties, ObjectMapper json,
            @Value("${hub.default-region:US}") String region) {
        this.jdbc = jdbc;
        this.identity = identity;
        this.properties = properties;
        this.json = json;
        this.region = region;
        this.overrides = overrides(properties);
        refresh();
    }

    /** Validates {@code hub.identity.weights} and {@code hub.identity.prior}, naming every problem at once. */
    static Map<Comparison, IdentityProperties.Levels> overrides(IdentityProperties properties) {
        Map<Comparison, IdentityProperties.Levels> out = new EnumMap<>(Comparison.class);
        List<String> problems = new ArrayList<>();
        Map<String, IdentityProperties.Levels> configured = properties.weights() == null ? Map.of() : properties.weights();
        configured.forEach((name, levels) -> {
            Comparison comparison = comparison(name);
            if (comparison == null) {
                problems.add("hub.identity.weights." + name + ": unknown comparison; known: " + known());
                return;
            }
            int n = comparison.levels().size();
            check(problems, name, "m", levels == null ? null : levels.m(), n);
            check(problems, name, "u", levels == null ? null : levels.u(), n);
            if (levels != null) {
                out.put(comparison, levels);
            }
        });
        Double prior = properties.prior();
        if (prior != null && !(prior > 0 && prior < 1)) {
            problems.add("hub.identity.prior: " + prior + " is not a probability strictly between 0 and 1");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid match weights in configuration:\n  - " + String.join("\n  - ", problems));
        }
        return out;
    }

    private static void check(List<String> problems, String name, String which, List<Double> values, int levels) {
        if (values == null) {
            return;
        }
        String at = "hub.identity.weights." + name + "." + which;
        if (values.size() != levels) {
            problems.add(at + ": " + values.size() + " values given, the comparison has " + levels + " levels");
            return;
        }
        double sum = 0;
        for (Double v : values) {
            if (v == null || !(v >= 0 && v <= 1)) {
                problems.add(at + ": " + v + " is not a probability");
                return;
            }
            sum += v;
        }
        if (Math.abs(sum - 1) > 0.01) {
            problems.add(at + ": the probabilities of the levels add up to " + String.format(Locale.ROOT, "%.3f", sum)
                    + ", not 1");
        }
    }

    private static Comparison comparison(String name) {
        String normalized = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Comparison c : Comparison.values()) {
            if (c.name().equals(normalized)) {
                return c;
            }
        }
        return null;
    }

    private static String known() {
        List<String> names = new ArrayList<>();
        for (Comparison c : Comparison.values()) {
            names.add(c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return String.join(", ", names);
    }

    /** Returns {@code base} with the configured overrides applied and the configured thresholds. */
    MatchSettings withOverrides(MatchSettings base) {
        return withOverrides(base, overrides, properties);
    }

    static MatchSettings withOverrides(MatchSettings base, Map<Comparison, IdentityProperties.Levels> overrides,
            IdentityProperties properties) {
        Map<Comparison, double[]> m = new EnumMap<>(base.m());
        Map<Comparison, double[]> u = new EnumMap<>(base.u());
        overrides.forEach((c, levels) -> {
            if (levels.m() != null) {
                m.put(c, levels.m().stream().mapToDouble(Double::doubleValue).toArray());
            }
            if (levels.u() != null) {
                u.put(c, levels.u().stream().mapToDouble(Double::doubleValue).toArray());
            }
        });
        double prior = properties.prior() != null ? properties.prior() : base.prior();
        return new MatchSettings(m, u, prior, properties.mergeProbability(), properties.reviewProbability());
    }

    /** Re-reads the estimate in force (another hub may have made or withdrawn one) and applies it when it changed. */
    @Scheduled(initialDelayString = "${hub.identity.weights-refresh-interval:30s}",
            fixedDelayString = "${hub.identity.weights-refresh-interval:30s}")
    public synchronized void refresh() {
        if (pinned) {
            return;
        }
        List<Map<String, Object>> rows = jdbc.queryForList("select id, estimated_at, records, settings::text as settings "
                + "from match_weights where withdrawn_at is null order by id desc limit 1");
        Long id = rows.isEmpty() ? 0L : ((Number) rows.get(0).get("id")).longValue();
        if (id.equals(estimateInForce)) {
            return;
        }
        MatchSettings base = MatchSettings.defaults();
        Map<String, Object> info = null;
        if (!rows.isEmpty()) {
            Map<String, Object> row = rows.get(0);
            base = fromJson((String) row.get("settings"));
            info = new LinkedHashMap<>();
            info.put("id", id);
            info.put("estimatedAt", ((Timestamp) row.get("estimated_at")).toInstant().toString());
            info.put("records", row.get("records"));
        }
        identity.useWeights(withOverrides(base));
        estimateInForce = id;
        estimateInfo = info;
        log.info("Match weights in force: {}{}", info == null ? "defaults" : "EM estimate " + id,
                overrides.isEmpty() && properties.prior() == null ? "" : ", with configuration overrides");
    }

    /**
     * Estimates m, u and the prior by EM from the person records of the newest {@code sample} touchpoints in the
     * store, keeps the estimate (every hub picks it up) and puts it in force.
     *
     * @throws NotEnoughData when the store has fewer than {@value #MIN_RECORDS} person records
     */
    public synchronized Map<String, Object> estimate(int sample) {
        List<PersonAttributes> persons = sample(sample);
        if (persons.size() < MIN_RECORDS) {
            throw new NotEnoughData(persons.size());
        }
        long started = System.nanoTime();
        MatchSettings estimated = EmEstimator.estimate(persons, MatchSettings.defaults());
        jdbc.update("insert into match_weights (records, settings) values (?, ?::jsonb)", persons.size(), toJson(estimated));
        log.info("Match weights estimated by EM from {} records in {} ms", persons.size(),
                (System.nanoTime() - started) / 1_000_000);
        pinned = false;
        refresh();
        return describe();
    }

    /** Withdraws the store's estimates: the defaults (with configuration overrides) are in force again. */
    public synchronized Map<String, Object> withdraw() {
        jdbc.update("update match_weights set withdrawn_at = now() where withdrawn_at is null");
        pinned = false;
        refresh();
        return describe();
    }

    /** Puts weights estimated elsewhere (the evaluate command's rows) in force, with configuration overrides. */
    public synchronized void pin(MatchSettings estimated) {
        pinned = true;
        estimateInfo = Map.of("source", "evaluate input rows");
        identity.useWeights(withOverrides(estimated));
    }

    /** The weights in force, per comparison and level, with where they came from. */
    public Map<String, Object> describe() {
        MatchSettings s = identity.settings();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", pinned ? "evaluate" : estimateInfo == null ? "defaults" : "estimate");
        out.put("estimate", estimateInfo);
        List<String> overridden = new ArrayList<>();
        overrides.keySet().forEach(c -> overridden.add(c.name()));
        if (properties.prior() != null) {
            overridden.add("prior");
        }
        out.put("configurationOverrides", overridden);
        out.put("prior", s.prior());
        out.put("mergeProbability", s.mergeProbability());
        out.put("reviewProbability", s.reviewProbability());
        Map<String, Object> comparisons = new LinkedHashMap<>();
        for (Comparison c : Comparison.values()) {
            List<Map<String, Object>> levels = new ArrayList<>();
            for (int i = 0; i < c.levels().size(); i++) {
                Map<String, Object> level = new LinkedHashMap<>();
                level.put("level", c.levels().get(i));
                level.put("m", s.m().get(c)[i]);
                level.put("u", s.u().get(c)[i]);
                level.put("weight", s.weight(c, i));
                levels.add(level);
            }
            comparisons.put(c.name(), levels);
        }
        out.put("comparisons", comparisons);
        return out;
    }

    /** The person records (one per touchpoint, its observed match attributes) of the newest touchpoints. */
    private List<PersonAttributes> sample(int touchpoints) {
        Map<Long, Map<String, String>> records = new LinkedHashMap<>();
        jdbc.query("select o.touchpoint_id, o.attribute, o.value, o.source from observations o "
                + "where o.touchpoint_id in (select id from touchpoints order by id desc limit ?) "
                + "and o.attribute = any(?::text[])", rs -> {
                    Map<String, String> rec = records.computeIfAbsent(rs.getLong(1), x -> new HashMap<>());
                    rec.put(rs.getString(2), rs.getString(3));
                    rec.put("source", rs.getString(4));
                }, touchpoints, IdentityResolver.textArray(PersonAttributes.MATCH_ATTRIBUTES));
        List<PersonAttributes> out = new ArrayList<>(records.size());
        records.forEach((tp, values) -> out.add(PersonAttributes.fromAttributes(String.valueOf(tp), values,
                values.getOrDefault("source", ""), region)));
        return out;
    }

    private String toJson(MatchSettings s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("prior", s.prior());
        Map<String, double[]> m = new LinkedHashMap<>();
        Map<String, double[]> u = new LinkedHashMap<>();
        s.m().forEach((c, v) -> m.put(c.name(), v));
        s.u().forEach((c, v) -> u.put(c.name(), v));
        out.put("m", m);
        out.put("u", u);
        try {
            return json.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private MatchSettings fromJson(String text) {
        MatchSettings defaults = MatchSettings.defaults();
        try {
            JsonNode node = json.readTree(text);
            Map<Comparison, double[]> m = new EnumMap<>(defaults.m());
            Map<Comparison, double[]> u = new EnumMap<>(defaults.u());
            for (Comparison c : Comparison.values()) {
                read(node.path("m").path(c.name()), c, m);
                read(node.path("u").path(c.name()), c, u);
            }
            return new MatchSettings(m, u, node.path("prior").asDouble(defaults.prior()), defaults.mergeProbability(),
                    defaults.reviewProbability());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("match_weights holds unreadable settings", e);
        }
    }

    private static void read(JsonNode levels, Comparison c, Map<Comparison, double[]> into) {
        if (levels.isArray() && levels.size() == c.levels().size()) {
            double[] v = new double[levels.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = levels.get(i).asDouble();
            }
            into.put(c, v);
        }
    }

    /** The store holds too few person records for an estimate. */
    public static final class NotEnoughData extends RuntimeException {
        NotEnoughData(int records) {
            super("The store holds " + records + " person records among the sampled touchpoints; at least "
                    + MIN_RECORDS + " are needed to estimate weights");
        }
    }
}
