package org.touchpointhub.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.util.unit.DataSize;
import org.touchpointhub.canonical.PersonFacts;
import org.touchpointhub.canonical.TouchpointTypes;
import org.touchpointhub.ingest.SignatureSchemes;
import org.touchpointhub.mapping.ValueExpression;

/**
 * Reads and checks {@code connectors/*.yaml}.
 *
 * <p>Everything is checked before anything is used, and every problem is reported at once, each prefixed with its
 * file and path ({@code connectors/x.yaml: person.email: unknown transform 'lowercse' (known: …)}), so a typo
 * fails at start-up and not at 3 a.m. on the first event. The schema is small and its messages must name our own
 * vocabulary (transforms, schemes, canonical attributes), which is why it is checked here by hand rather than by a
 * generic JSON-Schema validator. {@code ${NAME}} placeholders, allowed in the {@code verify} block only, are
 * resolved through {@code resolver} (the environment); an unresolved one is not a file problem but marks the
 * connector as missing its secret, so its events get 503 until the variable is set.
 */
public final class ConnectorFiles {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)(?::([^}]*))?}");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Set<String> TOP_KEYS = Set.of("id", "kind", "description", "verify", "maxBodySize",
            "priority", "event", "types", "touchpoint", "person", "externalIds", "attributes", "spam");
    private static final Set<String> EVENT_KEYS = Set.of("id", "type", "group", "each", "itemId");
    private static final Set<String> TOUCHPOINT_KEYS = Set.of("type", "channel", "occurredAt", "summary");
    private static final YAMLMapper YAML = new YAMLMapper();

    /** The outcome of loading a folder: the definitions, or every problem found. */
    public record Loaded(Map<String, ConnectorDefinition> connectors, List<String> problems) {}

    private ConnectorFiles() {
    }

    /** Loads every {@code *.yaml} / {@code *.yml} file in a folder; a missing folder is an empty set. */
    public static Loaded load(Path dir, Function<String, String> resolver, long defaultMaxBody) {
        List<String> problems = new ArrayList<>();
        Map<String, ConnectorDefinition> connectors = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return new Loaded(Map.of(), List.of());
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            return new Loaded(Map.of(), List.of(dir + ": cannot list: " + e.getMessage()));
        }
        for (Path file : files) {
            String name = dir.getFileName() + "/" + file.getFileName();
            List<String> fileProblems = new ArrayList<>();
            ConnectorDefinition def = null;
            try {
                def = parse(name, Files.readString(file), resolver, defaultMaxBody, fileProblems);
            } catch (IOException e) {
                fileProblems.add("cannot read: " + e.getMessage());
            }
            fileProblems.forEach(p -> problems.add(name + ": " + p));
            if (def != null && fileProblems.isEmpty()) {
                if (connectors.containsKey(def.id())) {
                    problems.add(name + ": id: '" + def.id() + "' is also the id of " + connectors.get(def.id()).file());
                } else {
                    connectors.put(def.id(), def);
                }
            }
        }
        return new Loaded(Map.copyOf(connectors), List.copyOf(problems));
    }

    /** Parses one file's text; problems are added without the file prefix. Returns null when unusable. */
    static ConnectorDefinition parse(String name, String text, Function<String, String> resolver, long defaultMaxBody,
            List<String> problems) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            problems.add("not valid YAML: " + firstLine(e.getMessage()));
            return null;
        }
        if (root == null || !root.isObject()) {
            problems.add("must be a mapping with at least 'id'");
            return null;
        }
        unknownKeys(root, "", TOP_KEYS, problems);
        String id = text(root, "id", problems, true);
        if (id != null && !ID.matcher(id).matches()) {
            problems.add("id: '" + id + "' must be lower-case letters, digits and dashes");
        }
        String fileBase = name.substring(name.lastIndexOf('/') + 1).replaceFirst("\\.ya?ml$", "");
        if (id != null && !id.equals(fileBase)) {
            problems.add("id: '" + id + "' must match the file name '" + fileBase + "'");
        }
        String kind = root.hasNonNull("kind") ? root.get("kind").asText() : "webhook";
        if (!kind.equals("webhook") && !kind.equals("source")) {
            problems.add("kind: must be webhook or source, was '" + kind + "'");
        }

        List<String> missing = new ArrayList<>();
        ConnectorDefinition.Verify verify = verify(root.get("verify"), kind, resolver, missing, problems);

        long maxBody = defaultMaxBody;
        if (root.hasNonNull("maxBodySize")) {
            try {
                maxBody = DataSize.parse(root.get("maxBodySize").asText().replace("iB", "B")).toBytes();
                if (maxBody <= 0) {
                    problems.add("maxBodySize: must be positive");
                }
            } catch (IllegalArgumentException e) {
                problems.add("maxBodySize: '" + root.get("maxBodySize").asText() + "' is not a size such as 1MiB or 512KB");
            }
        }
        int priority = 50;
        if (root.has("priority")) {
            if (!root.get("priority").canConvertToInt()) {
                problems.add("priority: must be a whole number");
            } else {
                priority = root.get("priority").asInt();
            }
        }

        JsonNode ev = root.path("event");
        if (!ev.isMissingNode() && !ev.isObject()) {
            problems.add("event: must be a mapping");
        }
        unknownKeys(ev, "event.", EVENT_KEYS, problems);
        String idText = ev.path("id").asText(null);
        String typeText = ev.path("type").asText(null);
        var event = new ConnectorDefinition.Event(
                idText != null && !idText.startsWith("header:") ? expr(idText, "event.id", problems) : null,
                idText != null && idText.startsWith("header:") ? idText.substring(7).strip() : null,
                typeText != null && !typeText.startsWith("header:") ? expr(typeText, "event.type", problems) : null,
                typeText != null && typeText.startsWith("header:") ? typeText.substring(7).strip() : null,
                optionalExpr(ev, "group", "event.", problems),
                optionalExpr(ev, "each", "event.", problems),
                optionalExpr(ev, "itemId", "event.", problems));

        Map<String, String> types = new LinkedHashMap<>();
        JsonNode typesNode = root.path("types");
        if (!typesNode.isMissingNode()) {
            if (!typesNode.isObject()) {
                problems.add("types: must map event types to touchpoint types");
            } else {
                typesNode.fields().forEachRemaining(e -> {
                    String t = e.getValue().asText();
                    if (!TouchpointTypes.ALL.contains(t)) {
                        problems.add("types." + e.getKey() + ": unknown touchpoint type '" + t + "' (known: "
                                + String.join(", ", new TreeSet<>(TouchpointTypes.ALL)) + ")");
                    }
                    types.put(e.getKey(), t);
                });
                if (event.type() == null && event.typeHeader() == null) {
                    problems.add("types: needs event.type to say where the event type is");
                }
            }
        }

        JsonNode tp = root.path("touchpoint");
        unknownKeys(tp, "touchpoint.", TOUCHPOINT_KEYS, problems);
        ValueExpression tpType = literalOrExpr(tp, "type", problems);
        if (tpType == null && types.isEmpty()) {
            problems.add("touchpoint.type: required unless 'types' maps event types");
        }
        if (tpType != null && tpType.isLiteral()) {
            String literal = tp.path("type").asText().replace("'", "");
            if (!TouchpointTypes.ALL.contains(literal)) {
                problems.add("touchpoint.type: unknown touchpoint type '" + literal + "' (known: "
                        + String.join(", ", new TreeSet<>(TouchpointTypes.ALL)) + ")");
            }
        }
        var touchpoint = new ConnectorDefinition.Touchpoint(tpType, literalOrExpr(tp, "channel", problems),
                optionalExpr(tp, "occurredAt", "touchpoint.", problems), optionalExpr(tp, "summary", "touchpoint.", problems));

        Map<String, ValueExpression> person = exprMap(root.path("person"), "person", PersonFacts.ATTRIBUTES, problems);
        Map<String, ValueExpression> externalIds = exprMap(root.path("externalIds"), "externalIds", null, problems);
        Map<String, ValueExpression> attributes = exprMap(root.path("attributes"), "attributes", null, problems);
        ValueExpression spam = root.hasNonNull("spam") ? expr(root.get("spam").asText(), "spam", problems) : null;
        if (kind.equals("webhook") && root.path("person").isMissingNode() && externalIds.isEmpty()) {
            problems.add("person: maps no attribute and externalIds none: no event could be matched to a person");
        }
        if (!problems.isEmpty()) {
            return null;
        }
        return new ConnectorDefinition(id, name, kind, verify, maxBody, priority, event, Map.copyOf(types), touchpoint,
                person, externalIds, attributes, spam, List.copyOf(missing));
    }

    private static ConnectorDefinition.Verify verify(JsonNode node, String kind, Function<String, String> resolver,
            List<String> missing, List<String> problems) {
        if (node == null || node.isNull()) {
            if (kind.equals("webhook")) {
                problems.add("verify: required for webhook connectors (a scheme and its secret)");
            }
            return null;
        }
        if (!node.isObject() || !node.hasNonNull("scheme")) {
            problems.add("verify.scheme: required (known: " + String.join(", ", new TreeSet<>(SignatureSchemes.names())) + ")");
            return null;
        }
        String scheme = node.get("scheme").asText();
        if (!SignatureSchemes.names().contains(scheme)) {
            problems.add("verify.scheme: unknown scheme '" + scheme + "' (known: "
                    + String.join(", ", new TreeSet<>(SignatureSchemes.names())) + ")");
            return null;
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals("scheme")) {
                continue;
            }
            String raw = e.getValue().asText();
            Matcher m = PLACEHOLDER.matcher(raw);
            StringBuilder out = new StringBuilder();
            boolean unresolved = false;
            while (m.find()) {
                String value = resolver.apply(m.group(1));
                if (value == null || value.isEmpty()) {
                    value = m.group(2);
                }
                if (value == null || value.isEmpty()) {
                    missing.add(m.group(1));
                    unresolved = true;
                    value = "";
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            if (!unresolved) {
                options.put(e.getKey(), out.toString());
            }
        }
        if (!missing.isEmpty()) {
            return new ConnectorDefinition.Verify(scheme, null);
        }
        List<String> optionProblems = SignatureSchemes.check(scheme, options);
        optionProblems.forEach(p -> problems.add("verify." + p));
        if (!optionProblems.isEmpty()) {
            return null;
        }
        return new ConnectorDefinition.Verify(scheme, SignatureSchemes.create(scheme, options));
    }

    private static void unknownKeys(JsonNode node, String prefix, Set<String> known, List<String> problems) {
        if (node == null || !node.isObject()) {
            return;
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                problems.add(prefix + k + ": unknown key (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        });
    }

    private static String text(JsonNode node, String key, List<String> problems, boolean required) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            if (required) {
                problems.add(key + ": required");
            }
            return null;
        }
        return v.asText();
    }

    private static ValueExpression expr(String text, String path, List<String> problems) {
        try {
            return ValueExpression.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(path + ": " + e.getMessage());
            return null;
        }
    }

    private static ValueExpression optionalExpr(JsonNode node, String key, String prefix, List<String> problems) {
        return node.hasNonNull(key) ? expr(node.get(key).asText(), prefix + key, problems) : null;
    }

    /** A bare word ({@code form_submitted}) is a literal; anything else is an expression. */
    private static ValueExpression literalOrExpr(JsonNode node, String key, List<String> problems) {
        if (!node.hasNonNull(key)) {
            return null;
        }
        String text = node.get(key).asText().strip();
        if (!text.startsWith("$") && !text.startsWith("'") && !text.startsWith("root:")) {
            text = "'" + text + "'";
        }
        return expr(text, "touchpoint." + key, problems);
    }

    private static Map<String, ValueExpression> exprMap(JsonNode node, String prefix, Set<String> allowed,
            List<String> problems) {
        Map<String, ValueExpression> out = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            problems.add(prefix + ": must be a mapping");
            return out;
        }
        node.fields().forEachRemaining(e -> {
            if (allowed != null && !allowed.contains(e.getKey())) {
                problems.add(prefix + "." + e.getKey() + ": unknown attribute (known: "
                        + String.join(", ", new TreeSet<>(allowed)) + ")");
                return;
            }
            ValueExpression x = expr(e.getValue().asText(), prefix + "." + e.getKey(), problems);
            if (x != null) {
                out.put(e.getKey(), x);
            }
        });
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
