package org.touchpointhub.mapping;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The closed set of named transforms a connector file may apply to a value, e.g.
 * {@code $.email | trim | lowercase}. A transform takes the current value (a string, number, boolean, list or
 * map, or null) and returns the next one; null stays null. A name not in this set is reported when the connector
 * file is loaded, with the file and path, not when the first event arrives.
 */
public final class Transforms {

    /** A transform bound to its argument. */
    @FunctionalInterface
    interface Transform {
        Object apply(Object value, MappingContext context);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, BiFunction<String, String, Transform>> FACTORIES = new LinkedHashMap<>();

    static {
        noArg("trim", v -> text(v).strip());
        noArg("lowercase", v -> text(v).toLowerCase(Locale.ROOT));
        noArg("uppercase", v -> text(v).toUpperCase(Locale.ROOT));
        noArg("string", Transforms::text);
        noArg("first", v -> v instanceof Collection<?> c ? c.stream().filter(x -> x != null).findFirst().orElse(null) : v);
        noArg("epoch-seconds", v -> Instant.ofEpochSecond(number(v).longValue()).toString());
        noArg("epoch-millis", v -> Instant.ofEpochMilli(number(v).longValue()).toString());
        noArg("iso-date", v -> isoInstant(text(v)).toString());
        noArg("cents", v -> number(v).movePointLeft(2).toPlainString());
        noArg("boolean", v -> String.valueOf(bool(v)));
        noArg("first-name", v -> splitName(text(v))[0]);
        noArg("last-name", v -> splitName(text(v))[1]);
        noArg("email-address", v -> emailAddress(text(v)));
        noArg("domain", v -> domain(text(v)));
        noArg("rfc-date", v -> rfcInstant(text(v)).toString());
        FACTORIES.put("field", (name, arg) -> {
            requireArg(name, arg);
            String suffix = arg.toLowerCase(Locale.ROOT);
            return (v, ctx) -> v instanceof Map<?, ?> m ? field(m, suffix) : null;
        });
        FACTORIES.put("e164", (name, arg) -> (v, ctx) -> v == null ? null : e164(text(v), arg == null ? ctx.defaultRegion() : arg));
        FACTORIES.put("json", (name, arg) -> {
            CompiledPath path = arg == null ? null : CompiledPath.compile(arg);
            return (v, ctx) -> {
                if (v == null) {
                    return null;
                }
                Object parsed = v instanceof String s ? ctx.parseJson(s) : v;
                return path == null ? parsed : ctx.read(parsed, path);
            };
        });
        FACTORIES.put("default", (name, arg) -> {
            requireArg(name, arg);
            return (v, ctx) -> v == null || text(v).isBlank() ? arg : v;
        });
        FACTORIES.put("map", (name, arg) -> {
            requireArg(name, arg);
            Map<String, String> table = new LinkedHashMap<>();
            for (String pair : arg.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("map entries are key=value, was '" + pair.strip() + "'");
                }
                table.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
            return (v, ctx) -> v == null ? null : table.getOrDefault(text(v), table.get("*"));
        });
        FACTORIES.put("join", (name, arg) -> (v, ctx) -> {
            if (v instanceof Collection<?> c) {
                return String.join(arg == null ? " " : arg, c.stream().filter(x -> x != null).map(Transforms::text).toList());
            }
            return v;
        });
    }

    private Transforms() {
    }

    private static void noArg(String name, java.util.function.Function<Object, Object> f) {
        FACTORIES.put(name, (n, arg) -> {
            if (arg != null) {
                throw new IllegalArgumentException("transform '" + n + "' takes no argument");
            }
            return (v, ctx) -> v == null ? null : f.apply(v);
        });
    }

    private static void requireArg(String name, String arg) {
        if (arg == null || arg.isEmpty()) {
            throw new IllegalArgumentException("transform '" + name + "' needs an argument, e.g. " + name + "('…')");
        }
    }

    /** The names of all transforms, sorted. */
    public static java.util.SortedSet<String> names() {
        return new TreeSet<>(FACTORIES.keySet());
    }

    /**
     * Binds a transform by name and optional argument.
     *
     * @throws IllegalArgumentException naming the unknown transform and the known ones, or the bad argument
     */
    static Transform bind(String name, String arg) {
        var factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown transform '" + name + "' (known: " + String.join(", ", names()) + ")");
        }
        return factory.apply(name, arg);
    }

    static String text(Object v) {
        if (v instanceof Collection<?> c) {
            return c.stream().filter(x -> x != null).map(Transforms::text).findFirst().orElse("");
        }
        if (v instanceof Map<?, ?> m) {
            try {
                return JSON.writeValueAsString(m);
            } catch (Exception e) {
                return m.toString();
            }
        }
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            return new BigDecimal(v.toString()).stripTrailingZeros().toPlainString();
        }
        return v.toString();
    }

    static BigDecimal number(Object v) {
        if (v instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        try {
            return new BigDecimal(text(v).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + abbreviate(text(v)) + "'");
        }
    }

    static boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        String s = text(v).strip().toLowerCase(Locale.ROOT);
        return s.equals("true") || s.equals("yes") || s.equals("1") || s.equals("on") || s.equals("y");
    }

    /** Reads the many ISO-8601 shapes vendors send: instants, offsets, local date-times (as UTC) and dates. */
    static Instant isoInstant(String s) {
        String t = s.strip();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the next shape
        }
        try {
            return ZonedDateTime.parse(t).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the next shape
        }
        try {
            // "2024-03-01 10:00:00" and "2024-03-01T10:00:00" without a zone are taken as UTC
            return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // try the next shape
        }
        try {
            // "2024-03-01 10:00:00 +0000" (Mailgun, some form tools)
            return OffsetDateTime.parse(t, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS] Z")).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the next shape
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 date or time: '" + abbreviate(t) + "'");
        }
    }

    /**
     * Reads RFC 1123 / RFC 2822 dates ({@code Sun, 25 Mar 2018 09:53:19 +0000}), as Twilio's {@code Timestamp}
     * parameter and mail {@code Date} headers carry them.
     */
    static Instant rfcInstant(String s) {
        try {
            return ZonedDateTime.parse(s.strip().replaceAll("\\s+", " "), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an RFC 1123 date such as 'Sun, 25 Mar 2018 09:53:19 +0000': '"
                    + abbreviate(s) + "'");
        }
    }

    /**
     * The first non-blank value of an object whose key ends with {@code suffix} (ignoring case): form tools such as
     * Jotform prefix each field's name with its question number ({@code q4_email}), which differs per form.
     */
    static Object field(Map<?, ?> object, String suffix) {
        for (Map.Entry<?, ?> e : object.entrySet()) {
            Object value = e.getValue();
            if (String.valueOf(e.getKey()).toLowerCase(Locale.ROOT).endsWith(suffix) && value != null
                    && !(value instanceof String s && s.isBlank())) {
                return value;
            }
        }
        return null;
    }

    static String e164(String raw, String region) {
        String s = raw.strip();
        if (s.isEmpty()) {
            return null;
        }
        try {
            PhoneNumberUtil util = PhoneNumberUtil.getInstance();
            var number = util.parse(s, region);
            if (!util.isPossibleNumber(number)) {
                return null;
            }
            return util.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            return null;
        }
    }

    /** Splits "First Middle Last" (or "Last, First") into first and last name; a single word is a last name. */
    static String[] splitName(String full) {
        String s = full.strip().replaceAll("\\s+", " ");
        if (s.contains(",")) {
            String[] parts = s.split(",", 2);
            return new String[] {parts[1].strip(), parts[0].strip()};
        }
        int space = s.lastIndexOf(' ');
        if (space < 0) {
            return new String[] {"", s};
        }
        return new String[] {s.substring(0, space), s.substring(space + 1)};
    }

    static String emailAddress(String s) {
        int lt = s.lastIndexOf('<');
        int gt = s.lastIndexOf('>');
        String address = lt >= 0 && gt > lt ? s.substring(lt + 1, gt) : s;
        address = address.strip();
        if (address.startsWith("mailto:")) {
            address = address.substring(7);
        }
        return address;
    }

    static String domain(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        int at = t.lastIndexOf('@');
        if (at >= 0) {
            t = t.substring(at + 1);
        }
        t = t.replaceFirst("^[a-z]+://", "");
        int slash = t.indexOf('/');
        if (slash >= 0) {
            t = t.substring(0, slash);
        }
        int colon = t.indexOf(':');
        if (colon >= 0) {
            t = t.substring(0, colon);
        }
        if (t.startsWith("www.")) {
            t = t.substring(4);
        }
        t = t.replaceAll("[>\\s]", "");
        return t.isEmpty() ? null : t;
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
