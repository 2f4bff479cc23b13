package org.touchpointhub.enrich;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Firmographics from a CSV file: {@code domain,industry,employees,country,parent_domain}, one company a line,
 * {@code #} comment lines (the provenance line), fields quoted RFC 4180 style when they hold a comma.
 *
 * <p>Hand-written parsing because no CSV library is on the classpath and one record per line keeps every error's line
 * number exact. The whole file is checked before it is used: a file with a bad row fails with every problem, each
 * named by file and line. A file on disk is read again when its modification time changes (checked at most once a
 * second, on a look-up); a changed file with problems is refused and logged, and the rows in force stay.
 */
final class FileFirmographicProvider implements FirmographicProvider {

    private static final Logger log = LoggerFactory.getLogger(FileFirmographicProvider.class);
    private static final List<String> HEADER = List.of("domain", "industry", "employees", "country", "parent_domain");

    private final Path file;
    private final String name;
    private volatile Map<String, Firmographics> rows;
    private volatile FileTime loadedAt;
    private volatile long checkedAt;

    FileFirmographicProvider(Path file) {
        this.file = file;
        this.name = file.toString();
        this.loadedAt = modified(file);
        this.rows = read(name, open(file));
    }

    FileFirmographicProvider(String resource) {
        this.file = null;
        this.name = "classpath:" + resource;
        InputStream in = FileFirmographicProvider.class.getResourceAsStream(resource.startsWith("/") ? resource : "/" + resource);
        if (in == null) {
            throw new IllegalArgumentException(name + ": no such resource");
        }
        this.rows = read(name, in);
    }

    @Override
    public Optional<Firmographics> lookup(String domain) {
        reloadIfChanged();
        Optional<String> host = Domains.host(domain);
        if (host.isEmpty()) {
            return Optional.empty();
        }
        Firmographics exact = rows.get(host.get());
        if (exact != null) {
            return Optional.of(exact);
        }
        return Domains.registrable(host.get()).map(rows::get);
    }

    /** The number of companies in force (for logs and tests). */
    int size() {
        return rows.size();
    }

    private void reloadIfChanged() {
        if (file == null || System.currentTimeMillis() - checkedAt < 1000) {
            return;
        }
        synchronized (this) {
            checkedAt = System.currentTimeMillis();
            FileTime now = modified(file);
            if (now == null || now.equals(loadedAt)) {
                return;
            }
            try {
                rows = read(name, open(file));
                log.info("Firmographics file {} reloaded: {} companies", name, rows.size());
            } catch (RuntimeException e) {
                log.warn("Firmographics file {} changed but is refused, the {} companies read before stay: {}", name, rows.size(),
                        e.getMessage());
            }
            loadedAt = now;
        }
    }

    /** Reads and checks the whole file; fails with every problem, each prefixed by file and line. */
    static Map<String, Firmographics> read(String name, InputStream in) {
        Map<String, Firmographics> out = new HashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<String> problems = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            boolean header = false;
            while ((line = reader.readLine()) != null) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String where = name + ":" + number + ": ";
                List<String> fields;
                try {
                    fields = split(trimmed);
                } catch (IllegalArgumentException e) {
                    problems.add(where + e.getMessage());
                    continue;
                }
                if (!header) {
                    header = true;
                    if (!fields.equals(HEADER)) {
                        problems.add(where + "the header must be " + String.join(",", HEADER) + ", not " + trimmed);
                        break;
                    }
                    continue;
                }
                if (fields.size() != HEADER.size()) {
                    problems.add(where + "expected " + HEADER.size() + " fields (" + String.join(",", HEADER) + "), found "
                            + fields.size());
                    continue;
                }
                Optional<String> domain = Domains.host(fields.get(0));
                if (domain.isEmpty()) {
                    problems.add(where + "'" + Normalizer.text(fields.get(0)) + "' is not a domain name");
                    continue;
                }
                if (!seen.add(domain.get())) {
                    problems.add(where + "domain " + domain.get() + " is listed twice");
                    continue;
                }
                try {
                    out.put(domain.get(), new Firmographics(Normalizer.text(fields.get(1)), fields.get(2), fields.get(3),
                            fields.get(4), "file"));
                } catch (IllegalArgumentException e) {
                    problems.add(where + e.getMessage());
                }
            }
            if (!header) {
                problems.add(name + ": no header line (" + String.join(",", HEADER) + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot read", e);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Firmographics file has problems:\n  " + String.join("\n  ", problems));
        }
        return Map.copyOf(out);
    }

    /** One CSV record on one line: comma separated, fields optionally in double quotes with doubled quotes inside. */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == ',') {
                fields.add(wasQuoted ? field.toString() : field.toString().strip());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && field.toString().isBlank()) {
                quoted = true;
                wasQuoted = true;
                field.setLength(0);
            } else if (wasQuoted && !Character.isWhitespace(c)) {
                throw new IllegalArgumentException("text after a closing quote");
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("a quoted field is not closed (a record must fit on one line)");
        }
        fields.add(wasQuoted ? field.toString() : field.toString().strip());
        return fields;
    }

    private static InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the firmographics file (" + e.getMessage() + ")", e);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }
}
