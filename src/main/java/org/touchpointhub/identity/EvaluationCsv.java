package org.touchpointhub.identity;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CSV in and out of the evaluation: reads any headed CSV into column maps, writes {@code row_id,customer_id}.
 * Hand-written RFC 4180 reader (quoted fields with commas, doubled quotes and newlines) because no CSV library is
 * on the classpath and pom.xml is not ours to change.
 */
public final class EvaluationCsv {

    private EvaluationCsv() {
    }

    /** Reads a headed CSV into one map per row, header names and values trimmed, keyed by header. */
    public static List<Map<String, String>> read(Reader in) {
        List<List<String>> records = parse(in);
        List<Map<String, String>> rows = new ArrayList<>();
        if (records.isEmpty()) {
            return rows;
        }
        List<String> header = new ArrayList<>();
        for (String h : records.get(0)) {
            header.add(h.replace("\uFEFF", "").trim());
        }
        for (int r = 1; r < records.size(); r++) {
            List<String> rec = records.get(r);
            if (rec.size() == 1 && rec.get(0).isBlank()) {
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                row.put(header.get(c), c < rec.size() ? rec.get(c).trim() : "");
            }
            rows.add(row);
        }
        return rows;
    }

    /** Writes the predicted customer per row as {@code row_id,customer_id}. */
    public static void writeClusters(Writer out, List<String> rowIds, List<Long> customerIds) {
        try {
            out.write("row_id,customer_id\n");
            for (int i = 0; i < rowIds.size(); i++) {
                out.write(quote(rowIds.get(i)) + "," + customerIds.get(i) + "\n");
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes rows (all with the first row's columns) as a headed CSV, e.g. a converted labelled set. */
    public static void writeRows(Writer out, List<Map<String, String>> rows) {
        try {
            if (rows.isEmpty()) {
                out.flush();
                return;
            }
            List<String> header = new ArrayList<>(rows.get(0).keySet());
            out.write(String.join(",", header) + "\n");
            for (Map<String, String> row : rows) {
                List<String> values = new ArrayList<>();
                header.forEach(h -> values.add(quote(row.getOrDefault(h, "") == null ? "" : row.getOrDefault(h, ""))));
                out.write(String.join(",", values) + "\n");
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quote(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static List<List<String>> parse(Reader in) {
        List<List<String>> records = new ArrayList<>();
        List<String> current = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        try {
            int ch;
            while ((ch = in.read()) != -1) {
                char c = (char) ch;
                if (quoted) {
                    if (c == '"') {
                        int next = in.read();
                        if (next == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            if (next == -1) {
                                break;
                            }
                            c = (char) next;
                        }
                    } else {
                        field.append(c);
                        continue;
                    }
                    if (quoted) {
                        continue;
                    }
                }
                if (c == '"' && field.length() == 0) {
                    quoted = true;
                } else if (c == ',') {
                    current.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n') {
                    current.add(field.toString());
                    field.setLength(0);
                    records.add(current);
                    current = new ArrayList<>();
                } else if (c != '\r') {
                    field.append(c);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (field.length() > 0 || !current.isEmpty()) {
            current.add(field.toString());
            records.add(current);
        }
        return records;
    }
}
