package org.touchpointhub.sources;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailMessage;
import org.apache.commons.text.StringEscapeUtils;
import org.springframework.stereotype.Component;
import org.touchpointhub.canonical.HubHeaders;

/**
 * Reads one message of the lead mailbox ({@code routes/lead-inbox.yaml}), bean {@code leadMailParser}, into the JSON
 * the {@code lead-inbox} connector maps. Two kinds of mail arrive there: lead <em>notifications</em> sent by a form
 * or a marketplace ("Name: …", "Email: …" lines in plain text, or a two-column HTML table), where the person is the
 * one named in the body; and direct <em>inquiries</em>, where the sender is the person. A message whose body names
 * an email address in a labelled field is a notification; any other message is an inquiry.
 *
 * <p>Why hand-written and not an HTML library: notification bodies are simple label/value pairs, and the few tag
 * rules below (cells, rows, breaks) cover the table and paragraph layouts form services send, with no new
 * dependency. The message's {@code Message-ID} is the event id, so a mail fetched twice is one event.
 */
@Component("leadMailParser")
public class LeadMailParser {

    private static final int MAX_MESSAGE = 4000;
    private static final Pattern FIELD = Pattern.compile("^\\s*\\*{0,2}([A-Za-z][A-Za-z .\\-/]{0,40}?)\\*{0,2}\\s*[:：]\\s*(.*)$");
    private static final Map<String, String> LABELS = labels();

    private final Clock clock;

    LeadMailParser(Optional<Clock> clock) {
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** Parses the exchange's mail (camel-mail with {@code mapMailMessage=false}) into the lead JSON; sets {@code HubEventId}. */
    public Map<String, Object> parse(Exchange exchange) throws MessagingException, IOException {
        Message mail = exchange.getMessage().getBody(Message.class);
        if (mail == null && exchange.getMessage() instanceof MailMessage mm) {
            mail = mm.getMessage();
        }
        if (mail == null) {
            throw new IllegalArgumentException("leadMailParser needs a jakarta.mail.Message body (set mapMailMessage: false)");
        }
        Map<String, Object> lead = parse(mail);
        exchange.getMessage().setHeader(HubHeaders.EVENT_ID, lead.get("message_id"));
        Object email = lead.get("email");
        if (email != null) {
            exchange.getMessage().setHeader(HubHeaders.GROUP_ID, email.toString().toLowerCase(Locale.ROOT));
        }
        return lead;
    }

    /** Parses one mail message into the lead JSON (as a map). */
    Map<String, Object> parse(Message mail) throws MessagingException, IOException {
        Bodies bodies = new Bodies();
        collect(mail, bodies);
        String text = bodies.plain != null ? bodies.plain : (bodies.html != null ? htmlToText(bodies.html) : "");
        Map<String, String> fields = fields(text);
        if (!fields.containsKey("email") && bodies.html != null) {
            fields = fields(htmlToText(bodies.html)); // a plain part that only says "view this in HTML"
        }
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("message_id", messageId(mail));
        lead.put("subject", mail.getSubject());
        lead.put("received_at", (mail.getSentDate() != null ? mail.getSentDate().toInstant() : clock.instant()).toString());
        InternetAddress from = firstAddress(mail.getFrom());
        if (fields.containsKey("email")) {
            lead.put("kind", "notification");
            lead.putAll(fields);
            lead.put("notified_by", from == null ? null : from.getAddress());
        } else {
            lead.put("kind", "inquiry");
            InternetAddress person = Optional.ofNullable(firstAddress(mail.getReplyTo())).orElse(from);
            lead.put("email", person == null ? null : person.getAddress());
            lead.put("full_name", person == null ? null : person.getPersonal());
            lead.put("message", abbreviate(text.strip()));
        }
        lead.values().removeIf(v -> v == null || v.toString().isBlank());
        return lead;
    }

    /** Label/value lines of a notification, by canonical field; the first occurrence of a label wins. */
    static Map<String, String> fields(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = FIELD.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            String field = LABELS.get(m.group(1).strip().toLowerCase(Locale.ROOT));
            if (field == null) {
                continue;
            }
            String value = m.group(2).strip();
            if (field.equals("message")) {
                // a message runs on over the following lines until the next labelled field
                StringBuilder b = new StringBuilder(value);
                while (i + 1 < lines.length && !isLabelled(lines[i + 1])) {
                    b.append('\n').append(lines[++i].strip());
                }
                value = abbreviate(b.toString().strip());
            }
            if (field.equals("email")) {
                Matcher e = Pattern.compile("[^\\s<>:;,\"]+@[^\\s<>:;,\"]+\\.[A-Za-z]{2,}").matcher(value);
                value = e.find() ? e.group() : "";
            }
            if (!value.isEmpty()) {
                out.putIfAbsent(field, value);
            }
        }
        return out;
    }

    private static boolean isLabelled(String line) {
        Matcher m = FIELD.matcher(line);
        return m.matches() && LABELS.containsKey(m.group(1).strip().toLowerCase(Locale.ROOT));
    }

    /** HTML to lines: a table row becomes "cell: cell", breaks and block ends become line ends, entities are decoded. */
    static String htmlToText(String html) {
        String s = html.replaceAll("(?is)<(script|style|head)[^>]*>.*?</\\1>", " ");
        s = s.replaceAll("(?is)</t[dh]>\\s*<t[dh][^>]*>", ": ");
        s = s.replaceAll("(?is)<br\\s*/?>|</(p|div|tr|li|h[1-6]|table)>", "\n");
        s = s.replaceAll("(?s)<[^>]*>", "");
        s = StringEscapeUtils.unescapeHtml4(s).replace('\u00a0', ' ');
        s = s.replaceAll("::", ":");
        StringBuilder out = new StringBuilder();
        for (String line : s.split("\\R")) {
            String clean = line.replaceAll("[ \\t]+", " ").strip();
            if (!clean.isEmpty()) {
                out.append(clean).append('\n');
            }
        }
        return out.toString();
    }

    private static void collect(Part part, Bodies bodies) throws MessagingException, IOException {
        if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return;
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                collect(child, bodies);
            }
        } else if (part.isMimeType("text/plain") && bodies.plain == null) {
            bodies.plain = content(part);
        } else if (part.isMimeType("text/html") && bodies.html == null) {
            bodies.html = content(part);
        }
    }

    private static String content(Part part) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof String s) {
            return s;
        }
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String messageId(Message mail) throws MessagingException, IOException {
        String id = mail instanceof MimeMessage mime ? mime.getMessageID() : null;
        if (id != null && !id.isBlank() && id.length() <= 200) {
            return id.strip();
        }
        // no Message-ID: the same bytes are the same mail
        var out = new java.io.ByteArrayOutputStream();
        mail.writeTo(out);
        return "sha256:" + InboundDoor.sha256(out.toByteArray());
    }

    private static InternetAddress firstAddress(Address[] addresses) {
        if (addresses == null) {
            return null;
        }
        for (Address a : addresses) {
            if (a instanceof InternetAddress ia) {
                return ia;
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
    }

    private static Map<String, String> labels() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : List.of("name", "full name", "your name", "contact name", "contact")) {
            m.put(l, "full_name");
        }
        for (String l : List.of("first name", "firstname", "given name")) {
            m.put(l, "first_name");
        }
        for (String l : List.of("last name", "lastname", "surname", "family name")) {
            m.put(l, "last_name");
        }
        for (String l : List.of("email", "e-mail", "email address", "e-mail address", "your email", "mail")) {
            m.put(l, "email");
        }
        for (String l : List.of("phone", "telephone", "phone number", "tel", "mobile", "cell")) {
            m.put(l, "phone");
        }
        for (String l : List.of("company", "company name", "organization", "organisation", "business")) {
            m.put(l, "company");
        }
        for (String l : List.of("title", "job title", "position", "role")) {
            m.put(l, "title");
        }
        for (String l : List.of("country")) {
            m.put(l, "country");
        }
        for (String l : List.of("website", "web site", "url")) {
            m.put(l, "website");
        }
        for (String l : List.of("message", "comments", "comment", "inquiry", "enquiry", "question", "details", "notes")) {
            m.put(l, "message");
        }
        for (String l : List.of("form", "form name", "source", "lead source")) {
            m.put(l, "form");
        }
        return Map.copyOf(m);
    }

    private static final class Bodies {
        String plain;
        String html;
    }
}
