package org.touchpointhub.crm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.touchpointhub.crm.salesforce.TaskInput;

/**
 * Reads what changed for a customer since it was last delivered: the golden record (with the derived lifetime
 * revenue) and the touchpoints not yet written to the CRM. Preview and delivery read through this one place, so the
 * preview shows exactly what delivery would send.
 */
@Component
public class CustomerChanges {

    private static final TypeReference<Map<String, Map<String, Object>>> GOLDEN = new TypeReference<>() {};

    /**
     * One customer's pending change.
     *
     * @param customerId  the hub's customer id (the CRM external id)
     * @param golden      canonical attribute to value
     * @param touchpoints touchpoints not yet delivered, oldest first
     * @param crmIds      CRM object to the CRM's id, as written back by earlier deliveries
     */
    public record CustomerChange(long customerId, Map<String, Object> golden, List<TaskInput> touchpoints,
            Map<String, String> crmIds) {}

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    CustomerChanges(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Customers waiting in the outbox, oldest change first, without claiming them. */
    public List<Long> pending(int limit) {
        return jdbc.queryForList("select customer_id from outbox order by changed_at limit ?", Long.class, limit);
    }

    /** Loads one customer's change. */
    public CustomerChange load(long customerId) {
        Map<String, Object> row = jdbc.queryForMap("select c.golden::text as golden, c.crm_ids::text as crm_ids, co.industry, "
                + "co.employees, co.country from customers c left join companies co on co.id = c.company_id where c.id = ?",
                customerId);
        Map<String, Object> golden = new LinkedHashMap<>();
        read(row.get("golden")).forEach((k, v) -> golden.put(k, v.get("v")));
        // #6: the company's firmographics for the CRM account (not observations, so never part of the golden record)
        putIfPresent(golden, "company_industry", row.get("industry"));
        putIfPresent(golden, "company_employees", row.get("employees"));
        putIfPresent(golden, "company_country", row.get("country"));
        BigDecimal revenue = jdbc.queryForObject("select coalesce(sum((attributes->>'amount')::numeric), 0) from touchpoints "
                + "where customer_id = ? and type = 'payment_succeeded' and attributes->>'amount' ~ '^-?[0-9]+(\\.[0-9]+)?$'",
                BigDecimal.class, customerId);
        if (revenue != null && revenue.signum() != 0) {
            golden.put("lifetime_revenue", revenue.stripTrailingZeros().toPlainString());
        }
        List<TaskInput> touchpoints = jdbc.query("select id, type, channel, occurred_at, summary, connector from touchpoints "
                        + "where customer_id = ? and delivered_at is null order by occurred_at, id",
                (rs, i) -> new TaskInput(String.valueOf(rs.getLong("id")), rs.getString("type"), rs.getString("channel"),
                        rs.getTimestamp("occurred_at").toInstant(), rs.getString("summary"), rs.getString("connector")),
                customerId);
        Map<String, String> crmIds = new LinkedHashMap<>();
        try {
            json.readValue(String.valueOf(row.get("crm_ids")), Map.class).forEach((k, v) -> crmIds.put(String.valueOf(k), String.valueOf(v)));
        } catch (Exception e) {
            throw new IllegalStateException("crm_ids of customer " + customerId + " is not valid JSON", e);
        }
        return new CustomerChange(customerId, golden, touchpoints, crmIds);
    }

    private static void putIfPresent(Map<String, Object> golden, String key, Object value) {
        if (value != null) {
            golden.put(key, value);
        }
    }

    private Map<String, Map<String, Object>> read(Object text) {
        try {
            return text == null ? Map.of() : json.readValue(text.toString(), GOLDEN);
        } catch (Exception e) {
            throw new IllegalStateException("golden record is not valid JSON", e);
        }
    }
}
