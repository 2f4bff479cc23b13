package org.touchpointhub.sources;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Reads one call-detail-record file of the {@code routes/cdr-files.yaml} drop into one JSON-ready row per call,
 * bean {@code cdrRecords}. The layout is Asterisk's {@code Master.csv} (cdr_csv's default column order, no header)
 * unless the file starts with a header row naming {@code src} and {@code dst}, or {@code hub.cdr.columns} says
 * otherwise, so a PBX export with its own column order needs no code. Which side of a call is "us" comes from
 * {@code hub.cdr.internal-numbers} (a regular expression of our extensions and lines): external caller to us is
 * {@code call_inbound} ({@code call_missed} unless answered), us to an external number is {@code call_outbound},
 * and calls between two internal (or two external) numbers are not touchpoints. A row that cannot be read is
 * reported with its line number and the reason; the file's other rows still count.
 */
@Component("cdrRecords")
public class CdrRecords {

    /** Header naming the file's outcome folder: {@code .done} or {@code .failed}. */
    public static final String OUTCOME = "HubFileOutcome";
    /** Header carrying the report of a file with bad rows. */
    public static final String REPORT = "HubFileReport";

    /** Asterisk cdr_csv's default column order (https://docs.asterisk.org/Configuration/Reporting/Call-Detail-Records-CDR/CDR-Specification/). */
    static final List<String> ASTERISK = List.of("accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel",
            "lastapp", "lastdata", "start", "answer", "end", "duration", "billsec", "disposition", "amaflags", "uniqueid",
            "userfield");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Pattern internal;
    private final List<String> columns;
    private final ZoneId zone;

    CdrRecords(@Value("${hub.cdr.internal-numbers:[0-9]{2,6}}") String internalNumbers,
            @Value("${hub.cdr.columns:}") List<String> columns, @Value("${hub.cdr.time-zone:UTC}") String zone) {
        this.internal = Pattern.compile(internalNumbers);
        this.columns = columns.isEmpty() ? ASTERISK : columns.stream().map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
        this.zone = ZoneId.of(zone);
    }

    /** Parses the exchange's file into call rows (the new body) and sets {@link #OUTCOME} and {@link #REPORT}. */
    public List<Map<String, Object>> rows(Exchange exchange) {
        String text = exchange.getMessage().getBody(String.class);
        String file = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Parsed parsed = parse(text == null ? "" : text);
        exchange.getMessage().setHeader(OUTCOME, parsed.problems().isEmpty() ? ".done" : ".failed");
        exchange.getMessage().setHeader(REPORT, report(file, parsed));
        return parsed.calls();
    }

    /** The calls of a file and the problems of its bad rows. */
    record Parsed(List<Map<String, Object>> calls, List<String> problems, int notTouchpoints) {}

    Parsed parse(String text) {
        List<List<String>> records = Csv.parse(text);
        List<String> layout = columns;
        int first = 0;
        if (!records.isEmpty()) {
            List<String> head = records.get(0).stream().map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
            if (head.contains("src") && head.contains("dst")) {
                layout = head;
                first = 1;
            }
        }
        List<Map<String, Object>> calls = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int skipped = 0;
        for (int i = first; i < records.size(); i++) {
            List<String> cells = records.get(i);
            if (cells.size() == 1 && cells.get(0).isBlank()) {
                continue;
            }
            String line = "line " + (i + 1);
            if (cells.size() < layout.size() - 1 || cells.size() > layout.size()) {
                // Asterisk writes userfield only when configured, so one column fewer is still the layout
                problems.add(line + ": " + cells.size() + " columns, expected " + layout.size());
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < cells.size(); c++) {
                row.put(layout.get(c), cells.get(c).strip());
            }
            try {
                Map<String, Object> call = call(row);
                if (call == null) {
                    skipped++;
                } else {
                    calls.add(call);
                }
            } catch (IllegalArgumentException e) {
                problems.add(line + ": " + e.getMessage());
            }
        }
        return new Parsed(calls, problems, skipped);
    }

    private Map<String, Object> call(Map<String, String> row) {
        String src = required(row, "src");
        String dst = required(row, "dst");
        String disposition = required(row, "disposition").toUpperCase(Locale.ROOT);
        String startText = row.getOrDefault("start", row.getOrDefault("calldate", ""));
        if (startText.isEmpty()) {
            throw new IllegalArgumentException("no start time (column start or calldate)");
        }
        LocalDateTime start;
        try {
            start = LocalDateTime.parse(startText, TIME);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("start '" + startText + "' is not yyyy-MM-dd HH:mm:ss");
        }
        long duration = number(row, "duration");
        long billsec = number(row, "billsec");
        boolean srcInternal = internal.matcher(src).matches();
        boolean dstInternal = internal.matcher(dst).matches();
        if (srcInternal == dstInternal) {
            return null; // an internal call, or transit between two outside numbers: no one's touchpoint
        }
        boolean answered = disposition.equals("ANSWERED");
        Map<String, Object> call = new LinkedHashMap<>();
        String uniqueId = row.getOrDefault("uniqueid", "");
        call.put("event_id", uniqueId.isEmpty() ? null : "cdr:" + uniqueId);
        call.put("type", dstInternal ? (answered ? "call_inbound" : "call_missed") : "call_outbound");
        call.put("direction", dstInternal ? "inbound" : "outbound");
        call.put("phone", dstInternal ? src : dst);
        call.put("our_number", dstInternal ? dst : src);
        call.put("caller_name", dstInternal ? callerName(row.getOrDefault("clid", "")) : null);
        call.put("disposition", disposition);
        call.put("answered", answered);
        call.put("duration", duration);
        call.put("billsec", billsec);
        call.put("started_at", start.atZone(zone).toInstant().toString());
        call.put("uniqueid", uniqueId.isEmpty() ? null : uniqueId);
        call.values().removeIf(v -> v == null);
        return call;
    }

    private static String required(Map<String, String> row, String column) {
        String v = row.get(column);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("column " + column + " is empty");
        }
        return v;
    }

    private static long number(Map<String, String> row, String column) {
        String v = row.getOrDefault(column, "");
        if (v.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " '" + v + "' is not a whole number of seconds");
        }
    }

    /** The name of a caller id such as {@code "Jane Doe" <8001>}, or null when it only repeats the number. */
    private static String callerName(String clid) {
        int lt = clid.indexOf('<');
        String name = (lt < 0 ? clid : clid.substring(0, lt)).replace("\"", "").strip();
        return name.isEmpty() || name.chars().allMatch(ch -> Character.isDigit(ch) || ch == '+') ? null : name;
    }

    private static String report(String file, Parsed parsed) {
        if (parsed.problems().isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("CDR file ").append(file).append(": ").append(parsed.calls().size())
                .append(" call(s) queued, ").append(parsed.notTouchpoints()).append(" internal call(s) ignored, ")
                .append(parsed.problems().size()).append(" bad row(s) not imported:\n");
        parsed.problems().forEach(p -> b.append("  ").append(p).append('\n'));
        return b.toString();
    }

    /** RFC 4180 CSV as Asterisk writes it: quoted fields with doubled quotes, empty unquoted fields, CRLF or LF. */
    static final class Csv {
        private Csv() {
        }

        static List<List<String>> parse(String text) {
            List<List<String>> records = new ArrayList<>();
            List<String> record = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            boolean any = false;
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                any = true;
                if (quoted) {
                    if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        cell.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == ',') {
                    record.add(cell.toString());
                    cell.setLength(0);
                } else if (ch == '\n' || ch == '\r') {
                    if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    record.add(cell.toString());
                    cell.setLength(0);
                    records.add(record);
                    record = new ArrayList<>();
                    any = false;
                } else {
                    cell.append(ch);
                }
            }
            if (any) {
                record.add(cell.toString());
                records.add(record);
            }
            return records;
        }
    }
}
